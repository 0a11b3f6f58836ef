"""Discriminating verification and one-sentence repair, on real z3 ordering puzzles checked by the puzzle checker.

"Ann is immediately to the left of Bob." read as plain ``<`` verifies on a small puzzle where the
weaker clue still fixes everyone, as does the right reading ``(= (+ a 1) b)``; on a larger puzzle only
the right reading verifies. By votes the weak reading wins (it verified twice); counted only where
no rival verifies in its place, the right one does.
"""

from __future__ import annotations

from nesy.benchmarks.puzzles.checker import PuzzleChecker
from nesy.learn.fragments import FragmentWriter, WriterConfig
from nesy.learn.slots import SlotCopier
from nesy.proposer import ModelConfig, Seq2SeqConfig
from nesy.proposer.training import TrainConfig

CHECKER = PuzzleChecker()
WEAK, STRONG = "(assert (< (pos {a}) (pos {b})))", "(assert (= (+ (pos {a}) 1) (pos {b})))"
FAR_LEFT_Q = "(declare-const answer Entity)\n(assert (= (pos answer) 1))"


def header(names: list[str]) -> str:
    entities = " ".join(f"({x.lower()})" for x in names)
    return f"(declare-datatype Entity ({entities}))\n(define-const n Int {len(names)})\n(declare-fun pos (Entity) Int)"


def puzzle(names: list[str], clues: list[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """(text, fragments): the intro, the clues, and the question 'Who is at the far left?'."""
    intro = f"There are {len(names)} friends in a row: {', '.join(names[:-1])} and {names[-1]}."
    sentences = [intro] + [s for s, _ in clues] + ["Who is at the far left?"]
    return "\n".join(sentences), (header(names), *(f for _, f in clues), FAR_LEFT_Q)


def adjacent(a: str, b: str, reading: str) -> tuple[str, str]:
    return f"{a} is immediately to the left of {b}.", reading.format(a=a.lower(), b=b.lower())


def far(x: str, side: str) -> tuple[str, str]:
    return f"{x} is at the far {side}.", f"(assert (= (pos {x.lower()}) {'1' if side == 'left' else 'n'}))"


def answers_by_text(texts: dict[str, str]):
    def verifies(pairs: list[tuple[str, str]]) -> list[bool]:
        return [CHECKER.check(program, None, texts[text]).status.value == "ok" for text, program in pairs]
    return verifies


def writer_for(texts: list[str], **options) -> FragmentWriter:
    small = Seq2SeqConfig(model=ModelConfig(d_model=32, layers=1, heads=2, ffn_dim=64), train=TrainConfig(batch_size=8))
    return FragmentWriter(SlotCopier.fitted(s for t in texts for s in t.split("\n")), small,
                          WriterConfig(min_steps=150, max_steps=150, **options))


def test_a_weaker_reading_that_verifies_by_chance_loses_to_the_one_that_discriminates():
    # the annotated puzzle shows every sentence shape but the adjacent one
    gold = puzzle(["Dee", "Eve", "Fay"], [far("Dee", "left"), far("Fay", "right")])
    # small puzzles: with Cy at the far right, "Ann < Bob" fixes the rest as well as "Ann + 1 = Bob" does
    small = [puzzle([a, b, c], [adjacent(a, b, WEAK), far(c, "right")]) for a, b, c in (("Ann", "Bob", "Cy"),
                                                                                          ("Gus", "Hal", "Ivo"))]
    # a larger one: Bob at the far right, Cy at the far left; only adjacency puts Ann third (Dan second)
    large = puzzle(["Ann", "Bob", "Cy", "Dan"], [adjacent("Ann", "Bob", STRONG), far("Bob", "right"),
                                                 far("Cy", "left")])
    answers = {gold[0]: "dee", small[0][0]: "ann", small[1][0]: "gus", large[0]: "cy"}
    for text, fragments in [gold, *small, large]:
        assert CHECKER.check("\n".join(fragments), None, answers[text]).status.value == "ok"
    weak_large = large[1][:1] + (WEAK.format(a="ann", b="bob"),) + large[1][2:]
    assert CHECKER.check("\n".join(weak_large), None, "cy").status.value != "ok"  # the weak reading leaves Dan open

    chosen = {}
    for rivals in (0, 4):
        writer = writer_for(list(answers), rivals=rivals)
        writer.ablation = answers_by_text(answers)
        pairs = [(gold[0], writer.remember(*gold))]
        pairs += [(text, writer.remember(text, fragments, gold=False)) for text, fragments in [*small, large]]
        chosen[rivals] = dict(writer.training_pairs(pairs))
    shape = "⟨1⟩ is immediately to the left of ⟨2⟩."
    assert chosen[0][shape] == "(assert (< (pos ⟨1l⟩) (pos ⟨2l⟩)))"  # by votes: two against one
    assert chosen[4][shape] == "(assert (= (+ (pos ⟨1l⟩) 1) (pos ⟨2l⟩)))"
    assert chosen[4]["⟨1⟩ is at the far right."] == "(assert (= (pos ⟨1l⟩) n))"  # what no rival disputes stays


def test_a_failed_program_is_repaired_in_its_one_wrong_sentence(one_thread):
    won = lambda x, place: (f"{x} won the race.", f"(assert (= (pos {x.lower()}) {place}))")  # noqa: E731
    not_left = lambda x: (f"{x} is not at the far left.", f"(assert (not (= (pos {x.lower()}) 1)))")  # noqa: E731
    # a lucky reading: "won" as place 2 verifies here (whoever won, Cy is last)
    lucky = puzzle(["Ann", "Bob", "Cy"], [won("Bob", 2), far("Cy", "right")])
    lucky = (lucky[0].replace("Who is at the far left?", "Who is at the far right?"),
             lucky[1][:-1] + ("(declare-const answer Entity)\n(assert (= (pos answer) n))",))
    known = puzzle(["Gus", "Hal", "Ivo"], [far("Gus", "left"), not_left("Hal"), far("Ivo", "right")])
    # read with "won" as place 2 this one is contradictory
    failing = puzzle(["Dee", "Eve", "Fay"], [won("Eve", 1), not_left("Dee"), far("Fay", "right")])
    texts = {lucky[0]: "cy", known[0]: "gus", failing[0]: "eve"}
    for text, fragments in (lucky, known, failing):
        assert CHECKER.check("\n".join(fragments), None, texts[text]).status.value == "ok"

    writer = writer_for(list(texts), repair=48)
    writer.fit([(text, writer.remember(text, fragments, gold=False)) for text, fragments in (lucky, known)])
    assert writer.known["⟨1⟩ won the race."] == "(assert (= (pos ⟨1l⟩) 2))"  # it learned "won" as place 2
    writer.ablation = answers_by_text(texts)
    proposed = writer.propose([failing[0]], 8)[0]
    assert not any(writer.ablation([(failing[0], c.program) for c in proposed]))  # nothing the writer proposes verifies
    repaired = writer.repair([(failing[0], "eve"), (lucky[0], "cy")], k=8)
    assert list(repaired) == [failing[0]]  # the lucky text's best program verifies: nothing to repair
    assert writer.ablation([(failing[0], repaired[failing[0]])]) == [True]
    before = writer._fragments_of(failing[0], proposed[0].program)
    after = writer._fragments_of(failing[0], repaired[failing[0]])
    assert sum(a != b for a, b in zip(before, after)) == 1  # one sentence written another way


def number_from_right(names: list[str], k: int) -> tuple[str, tuple[str, ...]]:
    """A puzzle fixed by its two ends, asking 'Who is number k from the right?' (place n + 1 - k)."""
    clues = [far(names[0], "left"), far(names[-1], "right")]
    question = f"(declare-const answer Entity)\n(assert (= (pos answer) (- (+ n 1) {k})))"
    sentences = [f"There are {len(names)} friends in a row: {', '.join(names[:-1])} and {names[-1]}.",
                 *(s for s, _ in clues), f"Who is number {k} from the right?"]
    return "\n".join(sentences), (header(names), *(f for _, f in clues), question)


def test_a_reading_that_writes_the_same_program_in_a_text_is_a_rival_that_verifies_there():
    # where k is 1, "(- (+ n 1) 1)" reads back as (- (+ n ⟨1⟩) ⟨1⟩) (the literal 1 looks like the slot): in that
    # text both readings are the same program, so it vouches for neither; the text with k = 2 tells them apart
    gold = puzzle(["Dee", "Eve", "Fay"], [far("Dee", "left"), far("Fay", "right")])
    ones = [number_from_right(names, 1) for names in (["Ann", "Bob", "Cy"], ["Gus", "Hal", "Ivo"])]
    two = number_from_right(["Jo", "Kim", "Lee"], 2)
    answers = {gold[0]: "dee", ones[0][0]: "cy", ones[1][0]: "ivo", two[0]: "kim"}
    for text, fragments in [gold, *ones, two]:
        assert CHECKER.check("\n".join(fragments), None, answers[text]).status.value == "ok"
    writer = writer_for(list(answers), rivals=4)
    writer.ablation = answers_by_text(answers)
    pairs = [(gold[0], writer.remember(*gold))]
    pairs += [(text, writer.remember(text, fragments, gold=False)) for text, fragments in [*ones, two]]
    shape = "Who is number ⟨1⟩ from the right?"
    right, alike = ("(declare-const answer Entity)\n(assert (= (pos answer) (- (+ n 1) ⟨1⟩)))",
                    "(declare-const answer Entity)\n(assert (= (pos answer) (- (+ n ⟨1⟩) ⟨1⟩)))")
    assert {writer.copier.abstract_target(p.split("\n")[-1], ("1",)) for _, p in pairs[1:3]} == {alike.split("\n")[1]}
    chosen = writer.training_pairs(pairs)
    assert [target for source, target in chosen if source == shape] == [right]  # not two votes against one
