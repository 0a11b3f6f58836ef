"""Hostile SMT-LIB programs for the z3 backend: every case must end in a non-success verdict.

``{TMP}`` stands for a fresh temporary directory (the sandbox test asserts nothing appears in it).
Cases marked ``needs_sandbox=True`` need the worker's hard limits (memory limit, kill); the
backend's own tests run the others in-process.
"""

_NONLINEAR = (
    "(declare-const x Int) (declare-const y Int) (declare-const z Int) "
    "(assert (> x 1)) (assert (> y 1)) (assert (> z 1)) "
    "(assert (= (+ (* x x x) (* y y y)) (* z z z))) (check-sat)"
)
_BV_BOMB = (
    "(declare-const x (_ BitVec 65536)) (declare-const y (_ BitVec 65536)) "
    f"(assert (= (bvmul x y) #x{'f' * 16384})) "
    f"(assert (bvugt x #x{'0' * 16383}1)) (assert (bvugt y #x{'0' * 16383}1)) (check-sat)"
)
_MACRO_BOMB = (
    "(declare-const x Int) (define-fun f0 ((y Int)) Int (+ y y 1)) "
    + " ".join(f"(define-fun f{i} ((y Int)) Int (f{i - 1} (f{i - 1} y)))" for i in range(1, 40))
    + " (assert (= (f39 x) 5)) (check-sat)"
)

CASES = [
    # id, program text, input (or None), wall_seconds budget, memory_mb budget
    # -- file writes / reads and global settings through commands or attributes
    dict(id="z3-set-option-output", program='(set-option :regular-output-channel "{TMP}/out.txt") (declare-const x Int) (assert (> x 0)) (check-sat) (get-model)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-set-option-diagnostic", program='(set-option :diagnostic-output-channel "{TMP}/diag.txt") (assert (> 1 2)) (check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-set-option-trace", program='(set-option :trace true) (set-option :trace_file_name "{TMP}/z3.log") (check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-set-option-smtlib2-log", program='(set-option :smtlib2_log "{TMP}/log.smt2") (declare-const x Int) (check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-attribute-in-term", program='(declare-const x Int) (assert (! (> x 0) :regular-output-channel "{TMP}/term.txt")) (check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-attribute-dump-models", program="(declare-const x Int) (assert (! (> x 0) :dump-models true)) (check-sat)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-include-file", program='(include "{TMP}/other.smt2") (check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-input-prelude-set-option", program="(declare-const x Int) (check-sat)", input='(set-option :regular-output-channel "{TMP}/in.txt")', wall_seconds=2.0, memory_mb=256),
    # -- smuggling a command past the reader
    dict(id="z3-comment-cr-smuggle", program='; harmless comment\r(set-option :regular-output-channel "{TMP}/cr.txt")\n(check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-string-backslash-smuggle", program='(declare-const s String) (assert (= s "a\\")) (set-option :regular-output-channel "{TMP}/s.txt") (assert (= s "b")) (check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-quoted-symbol-smuggle", program='(declare-const |x\\| (set-option :regular-output-channel "{TMP}/q.txt") |y| Int) (check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    # -- other refused commands (output, control, solver-side programs)
    dict(id="z3-echo", program='(echo "pwned") (check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-eval", program="(declare-const x Int) (check-sat) (eval (+ x 1))", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-set-info-get-info", program="(set-info :status sat) (get-info :version)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-exit", program="(declare-const x Int) (assert (> x 0)) (exit)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-reset", program="(reset) (check-sat)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-check-sat-using-tactic", program="(declare-const x Int) (assert (> x 0)) (check-sat-using (then simplify smt))", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-apply-tactic", program="(declare-const x Int) (assert (> x 0)) (apply (then simplify solve-eqs))", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-python-call-attempt", program='(declare-const x Int) (assert (= x (__import__ "os"))) (check-sat)', input=None, wall_seconds=2.0, memory_mb=256),
    # -- non-termination (z3's own timeout gives `unknown`)
    dict(id="z3-nonlinear-timeout", program=_NONLINEAR, input=None, wall_seconds=1.0, memory_mb=256),
    dict(id="z3-quantifier-timeout", program="(declare-fun f (Int) Int) (assert (forall ((x Int)) (> (f x) (f (+ x 1))))) (assert (forall ((x Int)) (>= (f x) 0))) (check-sat)", input=None, wall_seconds=1.0, memory_mb=256),
    # -- resource bombs
    dict(id="z3-bitvector-memory-bomb", program=_BV_BOMB, input=None, wall_seconds=3.0, memory_mb=256, needs_sandbox=True),
    dict(id="z3-macro-expansion-bomb", program=_MACRO_BOMB, input=None, wall_seconds=3.0, memory_mb=256, needs_sandbox=True),
    dict(id="z3-deep-nesting", program="(assert " + "(not " * 100_000 + "true" + ")" * 100_000 + ") (check-sat)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-huge-program", program="(assert true) " * 80_000 + "(check-sat)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-many-check-sat", program="(declare-const x Int) " + "(check-sat) " * 1000, input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-push-bomb", program="(push 100000000) (check-sat)", input=None, wall_seconds=2.0, memory_mb=256),
    # -- syntax garbage
    dict(id="z3-binary-garbage", program="\x00\x01\xff\ufffd garbage ((( ]] }", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-unbalanced", program="(declare-const x Int) (assert (> x 0)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-unknown-identifier", program="(declare-const x Int) (assert (> y 0)) (check-sat)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="z3-not-a-command", program="x (check-sat)", input=None, wall_seconds=2.0, memory_mb=256),
]
