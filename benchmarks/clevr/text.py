"""Question text for programs: per-module phrasings with a few variants and synonyms.

This is a first step towards CLEVR's natural-language templates: every program the families
generate gets an English question (``How many large things are left of the metal sphere?``),
with a random choice among two or three phrasings of the top module and among synonyms
(thing/object, sphere/ball, cube/block, large/big, small/tiny, metal/metallic/shiny,
rubber/matte, 2/two). CLEVR-Math-style programs (:mod:`~nesy.benchmarks.clevr.math_families`)
read "Subtract all red cubes. Add 2 large spheres. How many spheres are there?", each step
with a few phrasings ("Remove all ...", "Take away all ...", "Add 2 more ...", "How many ... are
left?", "... remain?"). CLEVR's own template files (with their constraints on redundant descriptions)
could replace it without touching programs or executors.

Example:
    >>> import random
    >>> from nesy.benchmarks.clevr.programs import from_text
    >>> question_text(from_text("count(filter_color(relate(unique(filter_shape(scene(), sphere)), left), red))"), random.Random(1))
    'What number of red things are to the left of the sphere?'
    >>> question_text(from_text("count(filter_shape(insert(subtract(scene(), filter_shape(filter_color(scene(), red), cube)), "
    ...                         "with_shape(with_size(new(two), large), sphere)), sphere))"), random.Random(0))
    'Subtract all red blocks. Add two more big balls. How many balls are there now?'
"""

from __future__ import annotations

import random
from typing import Sequence

from .math_families import is_math, read_math_program
from .programs import Node
from .vocab import NUMBERS

NUMBER_NAMES = {value: name for name, value in NUMBERS.items()}

SYNONYMS = {
    "thing": ("thing", "object"),
    "sphere": ("sphere", "ball"),
    "cube": ("cube", "block"),
    "cylinder": ("cylinder",),
    "large": ("large", "big"),
    "small": ("small", "tiny"),
    "metal": ("metal", "metallic", "shiny"),
    "rubber": ("rubber", "matte"),
    "one": ("1", "one"),
    "two": ("2", "two"),
    "three": ("3", "three"),
    "four": ("4", "four"),
}
RELATION_WORDS = {"left": ("left of", "to the left of"), "right": ("right of", "to the right of"), "front": ("in front of",), "behind": ("behind",)}


class _Renderer:
    def __init__(self, program: Sequence[Node], rng: random.Random) -> None:
        self.program, self.rng = program, rng

    def word(self, value: str) -> str:
        return self.rng.choice(SYNONYMS.get(value, (value,)))

    def noun_phrase(self, i: int, plural: bool) -> str:
        """Words for the set computed at node ``i``: adjectives, noun, relative clause."""
        attrs: dict[str, str] = {}
        node = self.program[i]
        while node.function.startswith("filter_"):
            attrs[node.function[len("filter_"):]] = node.value_inputs[0]
            i = node.inputs[0]
            node = self.program[i]
        words = [self.word(attrs[a]) for a in ("size", "color", "material") if a in attrs]
        noun = self.word(attrs.get("shape", "thing"))
        if node.function.startswith("same_"):
            words.insert(0, "other")
        phrase = " ".join(words + [noun + ("s" if plural else "")])
        be = "are" if plural else "is"
        if node.function == "relate":
            return f"{phrase} that {be} {self.relation(node)}"
        if node.function.startswith("same_"):
            have = "have" if plural else "has"
            return f"{phrase} that {have} the same {node.function[len('same_'):]} as {self.object(node.inputs[0])}"
        if node.function == "intersect":
            a, b = (self.program[k] for k in node.inputs)
            return f"{phrase} that {be} both {self.relation(a)} and {self.relation(b)}"
        if node.function == "union":
            first, second = (self.noun_phrase(k, plural) for k in node.inputs)
            return f"{phrase} that {be} {first} or {second}"
        return phrase

    def relation(self, node: Node) -> str:
        return f"{self.rng.choice(RELATION_WORDS[node.value_inputs[0]])} {self.object(node.inputs[0])}"

    def object(self, i: int) -> str:
        return "the " + self.noun_phrase(self.program[i].inputs[0], plural=False)

    def math_question(self) -> str:
        """CLEVR-Math style: one sentence per subtraction or addition, then the count."""
        pick = self.rng.choice
        sentences = []
        for step in read_math_program(self.program).steps:
            if step[0] == "subtract":
                phrase = self.description(step[1], plural=True)
                sentences.append(pick(("Subtract all {p}.", "Remove all {p}.", "Take away all {p}.")).format(p=phrase))
            else:
                number, phrase = self.word(NUMBER_NAMES[step[1]]), self.description(step[2], plural=step[1] > 1)
                sentences.append(pick(("Add {n} {p}.", "Add {n} more {p}.", "Put {n} {p} in the scene.")).format(n=number, p=phrase))
        asked = self.noun_phrase(self.program[-1].inputs[0], True)
        if any(s.startswith(("Add", "Put")) for s in sentences):
            ask = ("How many {p} are there?", "How many {p} exist?", "How many {p} are there now?", "What number of {p} are there?")
        else:
            ask = ("How many {p} are left?", "How many {p} remain?", "What number of {p} are left?", "How many {p} are there now?")
        return " ".join(sentences + [pick(ask).format(p=asked)])

    def description(self, attrs: dict[str, str], plural: bool) -> str:
        """Adjectives and noun for attribute values (``large red cubes``)."""
        words = [self.word(attrs[a]) for a in ("size", "color", "material") if a in attrs]
        return " ".join(words + [self.word(attrs.get("shape", "thing")) + ("s" if plural else "")])

    def question(self) -> str:
        last = self.program[-1]
        fn, ins = last.function, last.inputs
        pick = self.rng.choice
        if is_math(self.program):
            return self.math_question()
        if fn == "count" and self.program[ins[0]].function == "union":
            a, b = self.program[ins[0]].inputs
            return pick(("How many things are {a} or {b}?", "How many things are either {a} or {b}?")).format(
                a=self.noun_phrase(a, True), b=self.noun_phrase(b, True))
        if fn == "count":
            return self._count(ins[0])
        if fn == "exist":
            return pick(("Are there any {p}?", "Is there a {s}?", "Are any {p} visible?")).format(
                p=self.noun_phrase(ins[0], True), s=self.noun_phrase(ins[0], False))
        if fn.startswith("query_"):
            attr, obj = fn[len("query_"):], self.object(ins[0])
            return pick((f"What {attr} is {obj}?", f"What is the {attr} of {obj}?", f"{obj[0].upper()}{obj[1:]} is what {attr}?"))
        if fn.startswith("equal_") and fn != "equal_integer":
            attr = fn[len("equal_"):]
            a, b = (self.object(self.program[k].inputs[0]) for k in ins)
            return pick((
                f"Does {a} have the same {attr} as {b}?", f"Is {a} the same {attr} as {b}?", f"Do {a} and {b} have the same {attr}?"
            ))
        if fn in ("equal_integer", "less_than", "greater_than"):
            a, b = (self.noun_phrase(self.program[k].inputs[0], True) for k in ins)
            words = {"equal_integer": ("the same number of", "the same as"), "less_than": ("fewer", "less than"),
                     "greater_than": ("more", "greater than")}[fn]
            first = f"Are there {words[0]} {a} {'and' if fn == 'equal_integer' else 'than'} {b}?"
            return pick((first, f"Is the number of {a} {words[1]} the number of {b}?"))
        return ""

    def _count(self, i: int) -> str:
        phrase = self.noun_phrase(i, True)
        if " that are " in phrase:  # "red things that are left of ..." reads better without "that"
            head, rest = phrase.split(" that are ", 1)
            return self.rng.choice((f"How many {head} are {rest}?", f"What number of {head} are {rest}?"))
        return self.rng.choice((f"How many {phrase} are there?", f"What number of {phrase} are there?"))


def question_text(program: Sequence[Node], rng: random.Random | None = None) -> str:
    """An English question for a program whose answer is a count, a yes/no or a value ('' otherwise)."""
    return _Renderer(program, rng or random.Random(0)).question()
