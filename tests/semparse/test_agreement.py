"""Choosing each question's reading by how consistently its rules explain the other questions.

The data are CLEVR-style yes/no questions comparing two counts ("Are there more red cubes than
balls?"), among counting questions ("How many red cubes are there?"): about half of the small
programs of the right shape give any one yes/no answer, so these are the questions on which a
coincidence is easiest. The question's constants come from the generator's words here (the
lexicon is not what is tested); the candidates come from the real search on each question's
scene, and a kept reading is right when it gives the generator's program's values on a dozen
other scenes.
"""

import pytest

from nesy.benchmarks.clevr.dsl_executor import bound_scene, clevr_dsl
from nesy.benchmarks.clevr.learning import answer_type, tokenize, true_lexicon
from nesy.benchmarks.clevr.programs import to_text
from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
from nesy.errors import NesyError
from nesy.semparse.agreement import Consistency, choose, confirmed, matches
from nesy.semparse.enumerate import consistent_programs
from nesy.semparse.grammar import ROOT, Rule, extract
from nesy.semparse.tree import CONST, Tree, evaluate, from_found
from nesy.solvers.dsl.parser import Call, parse


@pytest.fixture(scope="module")
def candidates():
    dsl = clevr_dsl()
    types = {n: str(c.type) for n, c in dsl.constants.items()}
    returns = {n: str(p.return_type) for n, p in dsl.primitives.items()}
    words = {w: value for w, value in true_lexicon().items() if value in types}
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=400, seed=3, families=("compare_integer", "zero_hop")))
    index = {s["image_index"]: s for s in scenes}
    out, truth, shapes = [], [], []
    for q in questions:
        tokens = tokenize(q.text)
        positions = [i for i, w in enumerate(tokens) if w in words]
        if len(positions) > 5 or (q.family == "zero_hop" and type(q.answer) is bool):
            continue
        found = consistent_programs(dsl, q.answer, max_size=24, constants=[words[tokens[i]] for i in positions],
                                    bind=lambda s=index[q.image_index]: bound_scene(s), ordered=True, every=True,
                                    max_found=300, slack=6, answer_type=answer_type(q.answer))
        out.append([(extract(tokens, positions, from_found(f), types, returns), from_found(f)) for f in found])
        truth.append((q.family, _values(dsl, tree_of(to_text(q.program)), scenes[:12])))
        shapes.append([f"<{types[words[w]]}>" if w in words else w for w in tokens])
    return out, truth, shapes


def tree_of(text):
    def build(node):
        return Tree(node.name, tuple(build(a) for a in node.args)) if isinstance(node, Call) else Tree(node.name, (), CONST)
    return build(parse(text))


def _values(dsl, tree, scenes):
    out = []
    for scene in scenes:
        with bound_scene(scene):
            try:
                out.append(repr(evaluate(dsl, tree)))
            except Exception:
                out.append("undefined")
    return out


def _right(cands, chosen, truth):
    """Share of the questions whose kept reading means what the question means (on a dozen other scenes)."""
    dsl, scenes = clevr_dsl(), generate_questions(GenerationConfig(n_questions=400, seed=3, families=("compare_integer", "zero_hop")))[0][:12]
    right = n = 0
    for pairs, rules, (family, values) in zip(cands, chosen, truth):
        if family == "compare_integer":
            n += 1
            program = next(tree for r, tree in pairs if r is rules)
            right += _values(dsl, program, scenes) == values
    return right / n


def test_yes_no_questions_read_with_confirmed_phrases_mean_what_they_ask(candidates):
    cands, truth, shapes = candidates
    rules = [[r for r, _ in pairs] for pairs in cands]
    yes_no = [f == "compare_integer" for f, _ in truth]
    assert sum(1 for c, q in zip(rules, yes_no) if q and len(c) > 1) > sum(yes_no) // 2  # coincidental readings abound
    by_frequency = _right(cands, choose(rules, Consistency.of([[] for _ in rules]), frequency=1.0), truth)
    table = Consistency.of(rules, questions=shapes)
    kept = confirmed(rules, choose(rules, table, frequency=0.0), [not q for q in yes_no])
    assert all(k and set(map(id, k)) <= set(map(id, c)) for k, c in zip(kept, rules) if c)
    by_consistency = _right(cands, choose(kept, Consistency.of(kept, questions=shapes), frequency=0.0), truth)
    assert by_consistency >= 0.75 and by_consistency >= by_frequency + 0.3


def test_a_frame_matches_only_questions_it_covers():
    question = ["are", "there", "more", "<color>", "things", "than", "<shape>", "?"]
    assert matches(["are", "there", "more", "[]", "things", "than", "[]", "?"], question)
    assert not matches(["are", "there", "more", "[]", "than", "[]", "?"], question)  # a hole ends on a lexicon word
    assert not matches(["are", "there", "more", "[]", "?"], question[:-1])
    assert not matches(["are", "there", "fewer", "[]", "than", "[]", "?"], question)



def test_a_root_is_kept_for_its_whole_top_not_for_fitting_with_any_wrappers():
    """Every question of a frame fits ``less`` with some wrapper pair, only ``same`` with always the same one."""
    hole = lambda j: Tree(kind="hole", index=j)  # noqa: E731
    root = lambda name: Rule(ROOT, ("is", "[w]", "as", "[w]", "?"), Tree(name, (hole(0), hole(1))))  # noqa: E731
    wrap = lambda name: Rule("w", ("[f]",), Tree(name, (hole(0),)))  # noqa: E731
    phrase = Rule("f", ("<c>",), Tree("f"))
    true = [root("same"), wrap("query"), phrase, wrap("query"), phrase]
    odd = ["count", "other", "union", "size"]
    candidates = [[[root("less"), wrap(odd[i]), phrase, wrap(odd[i - 1]), phrase], true] for i in range(4)]
    table = Consistency.of(candidates)
    assert all(rules == true for rules in choose(candidates, table, frequency=0.0))
    assert table.score(true) > table.score(candidates[0][0])


@pytest.fixture(scope="module")
def one_hop():
    """Real candidates of one-hop questions ("Are there any red things that are left of the cube?" among
    "How many red things are left of the cube?"), with the learner's wrappers."""
    dsl = clevr_dsl()
    types = {n: str(c.type) for n, c in dsl.constants.items()}
    returns = {n: str(p.return_type) for n, p in dsl.primitives.items()}
    words = {w: value for w, value in true_lexicon().items() if value in types}
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=1000, seed=5, families=("one_hop",)))
    index = {s["image_index"]: s for s in scenes}
    out = []
    for q in questions:
        tokens = tokenize(q.text)
        positions = [i for i, w in enumerate(tokens) if w in words]
        if len(positions) > 4:
            continue
        found = consistent_programs(dsl, q.answer, max_size=16, constants=[words[tokens[i]] for i in positions],
                                    bind=lambda s=index[q.image_index]: bound_scene(s), ordered=True, every=True,
                                    max_found=300, slack=6, answer_type=answer_type(q.answer), max_steps=100_000)
        pairs = []
        for f in found:
            try:
                pairs.append((extract(tokens, positions, from_found(f), types, returns, wrappers=True), from_found(f)))
            except NesyError:  # not projective
                continue
        if pairs:
            out.append((q, pairs, _values(dsl, tree_of(to_text(q.program)), scenes[:12])))
    return out, scenes[:12]


def test_yes_no_questions_may_join_confirmed_phrases_by_other_connecting_words(one_hop):
    """'<color> things that are [...]' (asked yes/no) is confirmed by '<color> things are [...]' (counted)
    only with ``loose``; without it the yes/no questions keep coincidences built from the bare phrases."""
    questions, scenes = one_hop
    dsl = clevr_dsl()
    rules = [[r for r, _ in pairs] for _, pairs, _ in questions]
    yes_no = [type(q.answer) is bool for q, _, _ in questions]
    chosen = choose(rules, Consistency.of(rules, prior=1.0, base=0.5), frequency=0.0)

    def right(loose):
        kept = confirmed(rules, chosen, [not y for y in yes_no], loose)
        assert all(k == c for k, c, y in zip(kept, rules, yes_no) if not y)  # trusted questions keep every candidate
        again = choose(kept, Consistency.of(kept, prior=1.0, base=0.5), frequency=0.0)
        ok = [_values(dsl, next(t for r, t in pairs if r is pick), scenes) == truth
              for (_, pairs, truth), pick, y in zip(questions, again, yes_no) if y]
        return sum(ok) / len(ok)

    assert sum(yes_no) >= 100
    strict, loose = right(False), right(True)
    assert loose >= 0.6 and loose >= strict + 0.1  # measured: 0.50 strict, 0.66 loose on 115 questions
