"""A phrase read around a word-less call (``same_shape(unique(x))``) is not the same rule as around the bare ``x``.

"How many metal things have the same shape as the rubber cube?" has two readings that share every
rule with words: ``count(filter_material(same_shape(unique(D)), metal))`` and, where the counts
happen to agree, ``count(filter_material(D, metal))``. Only the word-less wrapper
``same_shape(unique(@0))`` tells them apart; scored without it they tie, and the first found (the
smaller) is kept. With ``inner`` the wrapper joins the phrase's key, and the reading that explains
every question wins.
"""

from nesy.semparse.agreement import Consistency, choose, keys_of
from nesy.semparse.grammar import ROOT, Rule
from nesy.semparse.tree import HOLE, SLOT, Tree

HOLE0 = Tree(kind=HOLE, index=0)
ROOT_RULE = Rule(ROOT, ("how", "many", "[filter_material]", "?"), Tree("count", (HOLE0,)))
DESCRIPTION = Rule("filter_shape", ("<material>", "<shape>"), Tree("filter_shape", (Tree("scene"), Tree(kind=SLOT, index=0))))
WRAPPER = Rule("same_shape.unique", ("[filter_shape]",), Tree("same_shape", (Tree("unique", (HOLE0,)),)))


def _phrase(hole: str) -> Rule:
    return Rule("filter_material", ("<material>", "things", "that", "have", "the", "same", "shape", "as", f"[{hole}]"),
                Tree("filter_material", (HOLE0, Tree(kind=SLOT, index=0))))


TRUE = [ROOT_RULE, _phrase("same_shape.unique"), WRAPPER, DESCRIPTION]
CHAIN = [ROOT_RULE, _phrase("filter_shape"), DESCRIPTION]


def _questions():
    """Ten questions with the true reading; on four of them the chain gives the answer too (found first)."""
    return [[CHAIN, TRUE] if i % 10 < 4 else [TRUE] for i in range(10)]


def test_without_inner_the_two_readings_have_the_same_keys_and_the_chain_is_kept_where_it_fits():
    assert keys_of(TRUE) == keys_of(CHAIN)
    candidates = _questions()
    chosen = choose(candidates, Consistency.of(candidates, prior=1.0, base=0.5), frequency=0.0)  # (the learner's default)
    assert sum(rules == CHAIN for rules in chosen) == 4


def test_with_inner_the_wrapper_joins_the_phrase_and_the_reading_that_explains_every_question_wins():
    assert keys_of(TRUE, inner=True) != keys_of(CHAIN, inner=True)
    candidates = _questions()
    chosen = choose(candidates, Consistency.of(candidates, prior=1.0, base=0.5, inner=True), frequency=0.0)
    assert all(rules == TRUE for rules in chosen)
