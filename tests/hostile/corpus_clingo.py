"""Hostile ASP programs for the clingo backend: every case must end in a non-success verdict.

``{TMP}`` stands for a fresh temporary directory (the sandbox test asserts nothing appears in it).
Cases marked ``needs_sandbox=True`` need the worker's hard limits: grounding runs in C and
cannot be interrupted in-process, so grounding blow-ups end only by the memory limit or the kill.
The backend's own tests run the others in-process.
"""

_PYTHON = 'import os\nos.system("touch {TMP}/pwned")\nopen("{TMP}/pwned2", "w").write("x")\n'
_PIGEONHOLE = "p(1..14). h(1..13). 1 { in(P,H) : h(H) } 1 :- p(P). :- in(P1,H), in(P2,H), P1 < P2."

CASES = [
    # id, program text, input (or None), wall_seconds budget, memory_mb budget
    # -- code execution through the language
    dict(id="clingo-script-python", program="#script (python)\n" + _PYTHON + "#end.\na.", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-script-python-main", program="#script (python)\ndef main(prg):\n    " + _PYTHON.replace("\n", "\n    ") + "\n#end.", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-script-lua", program='#script (lua)\nos.execute("touch {TMP}/pwned")\n#end.\na.', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-script-uppercase-keyword", program="#Script (python)\n" + _PYTHON + "#end.", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-script-after-nested-comment", program='%* outer %* inner *% " still a comment *% #script (python)\n' + _PYTHON + "#end.", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-script-after-string-escape", program='p("a\\"b"). #script (python)\n' + _PYTHON + "#end.", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-script-in-input", program="a.", input="#script (python)\n" + _PYTHON + "#end.", wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-external-system", program='p(@system("touch {TMP}/pwned")).', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-external-dunder-import", program='p(@__import__("os")).', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-external-behind-comment", program='q(X) :- X = @ %* hidden *% exec("open(\'{TMP}/pwned\', \'w\')").', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-external-after-not", program='a :- not @main("{TMP}") = 1.', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-external-in-priority", program='{a}. :~ a. [1@open("{TMP}/pwned", "w")]', input=None, wall_seconds=2.0, memory_mb=256),
    # -- file reads
    dict(id="clingo-include-passwd", program='#include "/etc/passwd".', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-include-tmp", program='#include "{TMP}/other.lp". a.', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-include-incmode", program="#include <incmode>.", input=None, wall_seconds=2.0, memory_mb=256),
    # -- other refused or broken constructs
    dict(id="clingo-theory-definition", program="#theory t { term { + : 1, binary, left }; &a/0 : term, any }. &a { 1 + 2 }.", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-end-keyword", program="a. #end.", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-unterminated-block-comment", program="a. %* never closed %* *%", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-unterminated-string", program='p("abc). #script (python)\n' + _PYTHON + "#end.", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-nul-byte", program="a.\0#script (python)\n" + _PYTHON + "#end.", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-syntax-garbage", program=":- :- ))(( p(X :- . @ ~~ $$ ", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-unsafe-variable", program="p(X) :- not q(X).", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-huge-program", program="a. " * 400_000, input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="clingo-input-not-facts", program="a.", input={"p": [3.5]}, wall_seconds=2.0, memory_mb=256),
    # -- resource bombs and non-termination
    dict(id="clingo-search-pigeonhole", program=_PIGEONHOLE, input=None, wall_seconds=1.0, memory_mb=512),
    dict(id="clingo-too-many-atoms", program="p(1..1100000).", input=None, wall_seconds=5.0, memory_mb=1024),
    dict(id="clingo-grounding-infinite", program="p(0). p(X+1) :- p(X).", input=None, wall_seconds=2.0, memory_mb=256, needs_sandbox=True),
    dict(id="clingo-grounding-memory-bomb", program="#const n=400000000. p(1..n).", input=None, wall_seconds=3.0, memory_mb=256, needs_sandbox=True),
    dict(id="clingo-grounding-cubic", program="d(1..2000). t(X,Y,Z) :- d(X), d(Y), d(Z).", input=None, wall_seconds=2.0, memory_mb=256, needs_sandbox=True),
]
