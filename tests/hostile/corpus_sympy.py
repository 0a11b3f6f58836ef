"""Hostile ``sympy``-language programs: every case must end in a non-success verdict.

``{TMP}`` stands for a fresh temporary directory (the sandbox test asserts nothing appears in it).
Cases marked ``needs_sandbox=True`` need the worker's hard limits (here: a memory bomb that a
small address-space limit stops); the backend's own tests run the others in-process.
"""

_ESCAPE = "x.__class__.__mro__[-1].__subclasses__()"
_OS_SYSTEM = "__import__('os').system('touch {TMP}/pwned')"

CASES = [
    # id, program text, input (or None), wall_seconds budget, memory_mb budget
    # -- code execution through the language
    dict(id="sympy-attribute-escape", program=_ESCAPE, input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-dunder-import", program=_OS_SYSTEM, input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-import-statement", program="import os\nos.system('touch {TMP}/pwned')\nx", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-sympify-string", program=f'sympify("{_OS_SYSTEM}")', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-parse-expr-string", program=f'parse_expr("{_OS_SYSTEM}")', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-lambdify", program="lambdify(x, x)(1)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-symbol-with-code-name", program=f'Symbol("{_OS_SYSTEM}")', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-eval-exec", program="eval(\"open('{TMP}/pwned', 'w')\")", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-lambda-default", program="(lambda f=open: f('{TMP}/pwned', 'w'))()", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-comprehension-escape", program="[c for c in ().__class__.__base__.__subclasses__()]", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-fstring", program="f'{x.__class__}'", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-def-class", program="class A:\n    pass\nA", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-walrus", program="(o := open)('{TMP}/pwned', 'w')", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-string-keyword-smuggle", program=f'limit(x, x, 0, dir="{_OS_SYSTEM}")', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-kwargs-dict-smuggle", program="solve(x, x, **{'rational': 'x'})", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-subscript-escape", program="solve(x - 1, x)[0].__class__", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-input-code-string", program="a + 1", input={"a": "__import__('os').system('true')"}, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-input-dunder-name", program="x", input={"__builtins__": 1}, wall_seconds=2.0, memory_mb=256),
    # -- file reads and writes
    dict(id="sympy-open-write", program="open('{TMP}/out.txt', 'w').write('x')", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-open-read", program="open('/etc/passwd').read()", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-plot-save", program="plot(x, filename='{TMP}/plot.png')", input=None, wall_seconds=2.0, memory_mb=256),
    # -- resource bombs stopped by guards before computing
    dict(id="sympy-power-tower", program="2**2**2**30", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-huge-power", program="10**10**8", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-power-of-big-variable", program="a = 10**30000\na**4", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-doubling-chain", program="a = 2**60000\nb = a*a\nc = b*b\nd = c*c\nd", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-factorial-bomb", program="factorial(10**8)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-binomial-bomb", program="binomial(10**9, 5*10**8)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-exp-log-bomb", program="exp(10**9*log(2))", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-geometric-sum-bomb", program="summation(2**k, (k, 1, 10**9))", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-digits-bomb", program="N(pi, 10**8)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-list-repetition", program="[x] * 10**9", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-derivative-order-bomb", program="diff(sin(x), x, 10**9)", input=None, wall_seconds=2.0, memory_mb=256),
    # -- non-termination (pure Python inside SymPy: the alarm stops it)
    dict(id="sympy-hard-integral", program="integrate(exp(sin(x))*log(x)/(1 + x**5), x)", input=None, wall_seconds=1.0, memory_mb=512),
    dict(id="sympy-hard-solve", program="solve(x**7 + x**3*y - 3*sin(x) + y**5, x)", input=None, wall_seconds=1.0, memory_mb=512),
    dict(id="sympy-factor-big-number", program="divisors(2**4000 - 1)", input=None, wall_seconds=1.0, memory_mb=512),
    dict(id="sympy-hidden-huge-power", program="summation(2**(k**2), (k, 100000, 100000))", input=None, wall_seconds=1.0, memory_mb=512),
    # -- memory bomb: expansion with millions of terms (needs the address-space limit)
    dict(id="sympy-expand-memory-bomb", program="expand((a + b + c + d + e + f + g + h + 1)**40)", input=None, wall_seconds=10.0, memory_mb=128, needs_sandbox=True),
    # -- huge inputs and syntax garbage
    dict(id="sympy-huge-program", program="x + " * 300_000 + "1", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-long-flat-sum", program="+".join(["1"] * 200_000), input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-deep-parentheses", program="(" * 5000 + "x" + ")" * 5000, input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-deep-calls", program="sin(" * 500 + "x" + ")" * 500, input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-deep-unary", program="-" * 100_000 + "x", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-huge-hex-literal", program="0x" + "f" * 100_000, input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-syntax-garbage", program="\x00\xff@@ solve(((]]", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-empty-program", program="", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="sympy-only-assignment", program="x = 1", input=None, wall_seconds=2.0, memory_mb=256),
]
