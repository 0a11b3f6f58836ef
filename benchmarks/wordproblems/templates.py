"""Sentence templates of the word-problems suite, each with its SymPy program fragment.

A template is ``(text, code)``; both are ``str.format`` patterns over the same fields: ``N``/``M``
(names as written), ``n``/``m`` (the same names as identifiers), ``K``/``G`` (numbers) and
``item``. Every sentence names the person it is about, so a sentence can be translated on its
own. Several phrasings per kind of step.

Example:
    >>> text, code = ADD[0]
    >>> text.format(N="Tom", K=3, item="apples"), code.format(n="tom", K=3)
    ('Tom buys 3 more apples.', 'tom = tom + 3')
"""

from __future__ import annotations

ITEMS = (
    "apples", "marbles", "stickers", "books", "cookies", "pencils", "coins", "shells", "cards", "balloons",
    "stamps", "crayons", "oranges", "buttons", "toy cars", "seashells", "beads", "candles", "cupcakes", "muffins",
)

START = (
    ("{N} has {K} {item}.", "{n} = {K}"),
    ("{N} starts with {K} {item}.", "{n} = {K}"),
    ("There are {K} {item} in {N}'s box.", "{n} = {K}"),
    ("{N} owns {K} {item}.", "{n} = {K}"),
)

ADD = (
    ("{N} buys {K} more {item}.", "{n} = {n} + {K}"),
    ("{N} finds {K} {item}.", "{n} = {n} + {K}"),
    ("{N} gets {K} more {item} from a friend.", "{n} = {n} + {K}"),
    ("{N} collects another {K} {item}.", "{n} = {n} + {K}"),
    ("{N} receives {K} {item} as a gift.", "{n} = {n} + {K}"),
)

SUB = (
    ("{N} gives away {K} {item}.", "{n} = {n} - {K}"),
    ("{N} loses {K} {item}.", "{n} = {n} - {K}"),
    ("{N} sells {K} {item}.", "{n} = {n} - {K}"),
    ("{N} uses {K} of the {item}.", "{n} = {n} - {K}"),
)

ADD_GROUPS = (
    ("{N} buys {G} bags with {K} {item} each.", "{n} = {n} + {G}*{K}"),
    ("{N} gets {G} boxes of {item}, each holding {K}.", "{n} = {n} + {G}*{K}"),
    ("{N} picks up {G} packs of {K} {item}.", "{n} = {n} + {G}*{K}"),
)

SUB_GROUPS = (
    ("{N} gives {K} {item} to each of {G} friends.", "{n} = {n} - {G}*{K}"),
    ("{N} hands out {G} piles of {K} {item}.", "{n} = {n} - {G}*{K}"),
)

TIMES = (  # K is 2 or 3
    ("{N} ends up with {K} times as many {item} as before.", "{n} = {K}*{n}"),
    ("The number of {item} {N} has grows {K}-fold.", "{n} = {K}*{n}"),
)

HALF = (
    ("{N} gives away half of the {item}.", "{n} = {n}/2"),
    ("{N} loses half of the {item}.", "{n} = {n}/2"),
    ("{N} keeps only half of the {item}.", "{n} = {n}/2"),
)

# a second person, introduced relative to the first
MORE_THAN = (
    ("{M} has {K} more {item} than {N}.", "{m} = {n} + {K}"),
    ("{M} owns {K} {item} more than {N} does.", "{m} = {n} + {K}"),
)
FEWER_THAN = (
    ("{M} has {K} fewer {item} than {N}.", "{m} = {n} - {K}"),
    ("{M} owns {K} {item} less than {N} does.", "{m} = {n} - {K}"),
)
TIMES_AS_MANY = (
    ("{M} has {K} times as many {item} as {N}.", "{m} = {K}*{n}"),
    ("{M} owns {K} times the number of {item} {N} has.", "{m} = {K}*{n}"),
)
TRANSFER = (
    ("{N} gives {K} {item} to {M}.", "{n} = {n} - {K}\n{m} = {m} + {K}"),
    ("{M} receives {K} {item} from {N}.", "{n} = {n} - {K}\n{m} = {m} + {K}"),
)

ASK_ONE = (
    ("How many {item} does {N} have now?", "{n}"),
    ("How many {item} does {N} have in the end?", "{n}"),
    ("How many {item} are left with {N}?", "{n}"),
)
ASK_TOGETHER = (
    ("How many {item} do {N} and {M} have altogether?", "{n} + {m}"),
    ("How many {item} do {N} and {M} have in total?", "{n} + {m}"),
)
ASK_DIFFERENCE = (
    ("How many more {item} does {N} have than {M}?", "{n} - {m}"),
    ("By how many {item} does {N} outnumber {M}?", "{n} - {m}"),
)

# think of a number: the unknown is the symbol x
THINK = (
    ("{N} thinks of a number.", "{n} = x"),
    ("{N} picks a secret number.", "{n} = x"),
)
THINK_ADD = (("{N} adds {K} to it.", "{n} = {n} + {K}"), ("{N} increases the number by {K}.", "{n} = {n} + {K}"))
THINK_SUB = (("{N} subtracts {K}.", "{n} = {n} - {K}"), ("{N} takes {K} away from the number.", "{n} = {n} - {K}"))
THINK_MUL = (("{N} multiplies it by {K}.", "{n} = {K}*{n}"), ("{N} multiplies the number by {K}.", "{n} = {K}*{n}"))
THINK_DIV = (("{N} divides it by {K}.", "{n} = {n}/{K}"), ("{N} divides the number by {K}.", "{n} = {n}/{K}"))
THINK_RESULT = (
    ("{N} gets {K}.", "eq = Eq({n}, {K})"),
    ("{N} ends up with {K}.", "eq = Eq({n}, {K})"),
    ("The result {N} gets is {K}.", "eq = Eq({n}, {K})"),
)
THINK_ASK = (
    ("What number did {N} start with?", "solve(eq, x)[0]"),
    ("What was {N}'s number?", "solve(eq, x)[0]"),
    ("Which number did {N} think of?", "solve(eq, x)[0]"),
)

# a number described in one sentence: "A number doubled plus 3 is 17." The program follows the sentence
# left to right, one line per operation on the number so far `v` (v = x / v = 2*v / v = v + 3 / eq = Eq(v, 17)),
# so that a description with more operations is more lines of the same kinds, not a deeper expression.
LINEAR_VAR = "v"
LINEAR_OPS = {  # kind -> (phrase, the line it adds)
    "add": (("plus {K}", "v = v + {K}"), ("increased by {K}", "v = v + {K}")),
    "sub": (("minus {K}", "v = v - {K}"), ("decreased by {K}", "v = v - {K}")),
    "mul": (("times {K}", "v = {K}*v"), ("multiplied by {K}", "v = {K}*v")),
    "double": (("doubled", "v = 2*v"),),
}
LINEAR_ASK = (
    ("What is the number?", "solve(eq, x)[0]"),
    ("What number is it?", "solve(eq, x)[0]"),
    ("Which number is it?", "solve(eq, x)[0]"),
)
