"""Fragments by analogy: an unknown sentence shape is written as a known one, changed as known sentence pairs change.

The sentences and fragments here are invented (no suite is read), as the learner sees them: slotted.
"""

from __future__ import annotations

from nesy.learn.analogy import Analogies, Change, apply, change
from nesy.learn.anchors import Vouch
from nesy.learn.fragments import FragmentWriter, WriterConfig
from nesy.learn.rivals import prefer_discriminating
from nesy.learn.slots import SlotCopier
from nesy.proposer import ModelConfig, Seq2SeqConfig
from nesy.proposer.training import TrainConfig

KNOWN = {
    "⟨1⟩ is number ⟨2⟩ from the left.": "(assert (= (pos ⟨1l⟩) ⟨2⟩))",
    "⟨1⟩ is number ⟨2⟩ from the right.": "(assert (= (pos ⟨1l⟩) (- (+ n 1) ⟨2⟩)))",
    "⟨1⟩ is second from the left.": "(assert (= (pos ⟨1l⟩) 2))",
    "⟨1⟩ is second from the right.": "(assert (= (pos ⟨1l⟩) (- (+ n 1) 2)))",
    "⟨1⟩ is at the far left.": "(assert (= (pos ⟨1l⟩) 1))",
    "⟨1⟩ is at the far right.": "(assert (= (pos ⟨1l⟩) n))",
    "Who is number ⟨1⟩ from the left?": "(assert (= (pos answer) ⟨1⟩))",
    "Who is second from the left?": "(assert (= (pos answer) 2))",
}


def test_a_word_swap_that_wraps_a_number_in_known_pairs_wraps_the_known_sentences_number():
    found = Analogies(KNOWN).of("Who is number ⟨1⟩ from the right?")
    assert found[0] == ("(assert (= (pos answer) (- (+ n 1) ⟨1⟩)))", 2)  # two known pairs show left -> right so
    assert Analogies(KNOWN).of("Who is second from the right?")[0][0] == "(assert (= (pos answer) (- (+ n 1) 2)))"


def test_a_phrase_put_in_front_changes_a_question_as_it_changes_a_statement_whatever_the_capitals():
    known = {"⟨1⟩ finished number ⟨2⟩.": "(= (pos ⟨1l⟩) ⟨2⟩)",
             "Counting from the end, ⟨1⟩ finished number ⟨2⟩.": "(= (pos ⟨1l⟩) (- (+ n 1) ⟨2⟩))",
             "Who finished number ⟨1⟩?": "(= (pos answer) ⟨1⟩)"}
    # "Who" -> "Counting from the end, who": a phrase standing for one word, the same phrase the statements add
    found = Analogies(known).of("Counting from the end, who finished number ⟨1⟩?")
    assert found == [("(= (pos answer) (- (+ n 1) ⟨1⟩))", 1)]
    assert Analogies(known, phrase=2).of("Counting from the end, who finished number ⟨1⟩?") == []  # phrases off
    # a phrase stands for at most one word: four words for two is no change, so only the x -> y pair supports (g 2)
    assert Analogies({"a b x.": "(f 1)", "c d e f x.": "(g 1)", "a b y.": "(f 2)"}).of("c d e f y.") == [("(g 2)", 1)]
    assert Analogies({"a x.": "(f 1)", "c d e f x.": "(g 1)", "a y.": "(f 2)"}).of("c d e f y.") == [("(g 2)", 2)]


def test_changes_that_do_not_apply_give_nothing_and_unrelated_sentences_get_nothing():
    assert apply("(assert (= (pos answer) ⟨1⟩))", Change(("1",), "n")) == []  # no literal 1 to replace
    assert Analogies(KNOWN).of("⟨1⟩ likes ⟨2⟩ a lot.") == []


def test_unwrapping_generalises_over_the_number_and_insertions_or_no_difference_are_no_change():
    assert apply("(= x (- (+ n 1) 3))", change("(= y (- (+ n 1) 2))", "(= y 2)")) == ["(= x 3)"]
    assert change("(a b c)", "(a b c)") is None and change("(a c)", "(a b c)") is None
    assert change("(a b c)", "(x b y)") == Change(("a", "b", "c"), "x b y")  # one span from first to last difference


def test_the_same_vocabulary_renamed_gives_the_same_analogies():
    def rename(text: str) -> str:
        return " ".join(("q" + word[::-1] + "x") if word.isalpha() and word.islower() else word for word in text.split(" "))
    renamed = {rename(source): target for source, target in KNOWN.items()}
    assert Analogies(renamed).of(rename("Who is number ⟨1⟩ from the right?")) == \
        Analogies(KNOWN).of("Who is number ⟨1⟩ from the right?")


def test_where_the_checker_cannot_tell_two_readings_apart_the_preferred_one_is_vouched_for():
    weak, right = "(= (pos answer) ⟨1⟩)", "(= (pos answer) (- (+ n 1) ⟨1⟩))"
    records = [Vouch((("intro", "decl"), ("who from the right", weak))), Vouch((("intro", "decl"), ("other", "x")))]
    ambiguous = {(0, "who from the right"): {right}}
    out = prefer_discriminating(records, ambiguous, preferred={"who from the right": right})
    assert dict(out[0].pairs)["who from the right"] == right
    # a preferred reading that did not verify in its place is not vouched for
    out = prefer_discriminating(records, {(0, "who from the right"): {"other"}}, preferred={"who from the right": right})
    assert dict(out[0].pairs)["who from the right"] == weak


def test_the_writer_ranks_the_analogy_first_for_a_sentence_it_never_trained_on():
    small = Seq2SeqConfig(model=ModelConfig(d_model=32, layers=1, heads=2, ffn_dim=64), train=TrainConfig(batch_size=8))
    names = iter(["Ann", "Bob", "Cy", "Dee", "Eve", "Fay"])  # each said once: names, not sentence openers
    pairs = []
    for source, target in KNOWN.items():
        if source.startswith("Who"):
            pairs.append((source.replace("⟨1⟩", "4"), target.replace("⟨1⟩", "4")))
        else:
            name = next(names)
            pairs.append((source.replace("⟨1⟩", name).replace("⟨2⟩", "3"),
                          target.replace("⟨1l⟩", name.lower()).replace("⟨2⟩", "3")))
    for analogies in (0, 4):
        writer = FragmentWriter(SlotCopier.fitted([text for text, _ in pairs] + ["Who is it?"] * 3), small,
                                WriterConfig(analogies=analogies, min_steps=60, max_steps=60))
        writer.fit([(text, writer.remember(text, [program])) for text, program in pairs])
        assert (writer.analogies is not None) == bool(analogies)
        assert writer.reading(["Who is number 5 from the right?"])[0][0] == "Who is number ⟨1⟩ from the right?"
        [found] = writer.propose(["Who is number 5 from the right?"], 4)
        if analogies:
            assert found[0].program == "(assert (= (pos answer) (- (+ n 1) 5)))"

