"""Rules by analogy: wordings never seen whole are read like their minimal pairs' siblings."""

import pytest

from nesy.errors import NesyError
from nesy.semparse.analogy import analogous_rules, substitutions
from nesy.semparse.grammar import Rule
from nesy.semparse.learn_config import LearnConfig
from nesy.semparse.lexicon import Lexicon
from nesy.semparse.semantic_parser import SemanticParser
from nesy.semparse.tree import HOLE, SLOT, Tree

NUMBERS = ("one", "two", "three")
WORD = Rule("n", ("<int>",), Tree(kind=SLOT, index=0))


def _root(text: str, call: str) -> Rule:
    return Rule("^", tuple(text.split()), Tree(call, (Tree(kind=HOLE, index=0),)), "int")


def _kept() -> dict[Rule, float]:
    """Questions about a number: two ways to ask for its double, three endings; one pairing never kept."""
    rules = {WORD: 30.0}
    for start in ("what is twice", "give me twice"):
        for end in ("[n] ?", "[n] please", "[n] now"):
            if (start, end) != ("give me twice", "[n] now"):
                rules[_root(f"{start} {end}", "double")] = 5.0
    rules[_root("what is half [n] ?", "half")] = 5.0
    return rules


def _parser(counts: dict[Rule, float]) -> SemanticParser:
    return SemanticParser(Lexicon({w: w for w in NUMBERS}), {w: "int" for w in NUMBERS}, counts)


def test_substitutions_need_several_minimal_pairs():
    table = substitutions(_kept(), min_evidence=2)
    assert ("give", "me") in table[("what", "is")]  # three pairs ("?", "please", ...) minus the one never kept
    assert ("?",) in table[("please",)]
    # "twice" / "half" differ in their fragments (double / half): never a minimal pair
    assert ("half",) not in table.get(("twice",), [])
    assert substitutions(_kept(), min_evidence=3).get(("what", "is"), []) == []  # only two pairs show it


def test_unseen_wording_is_read_by_analogy():
    kept = _kept()
    question = tuple("give me twice two now".split())
    assert _parser(kept).program(question) is None  # never seen whole
    made = analogous_rules(kept, share=0.05)
    new = _root("give me twice [n] now", "double")
    assert new in made and new not in kept
    assert all(r.label == "^" and r not in kept for r in made)
    assert _parser({**kept, **made}).program(question) == "double(two)"
    # a seen wording still reads as before, and no analogy crosses fragments
    assert _parser({**kept, **made}).program(tuple("what is half two ?".split())) == "half(two)"
    assert _root("give me half [n] now", "half") not in made and _root("give me twice [n] now", "half") not in made


def test_new_rules_weigh_at_most_the_share_of_their_label():
    kept = _kept()
    made = analogous_rules(kept, share=0.05)
    root_weight = sum(n for r, n in kept.items() if r.label == "^")
    assert 0 < sum(made.values()) <= 0.05 * root_weight + 1e-9
    assert max(made.values()) < min(kept.values())
    assert analogous_rules(kept, share=0.05, min_evidence=100) == {}


def test_analogy_settings_are_checked():
    for bad in ({"analogy_share": -0.1}, {"analogy_max_len": 0}, {"analogy_evidence": 0}):
        with pytest.raises(NesyError, match="analogy"):
            LearnConfig(**bad)


def test_only_wordings_whose_pieces_occur_in_the_questions_are_made():
    kept = _kept()
    new = _root("give me twice [n] now", "double")
    assert new in analogous_rules(kept)
    assert new not in analogous_rules(kept, questions=[["what", "is", "twice", "<int>", "now"]])
    made = analogous_rules(kept, questions=[["give", "me", "twice", "<int>", "now"]])
    assert new in made  # both pieces, "give me twice" and "now", occur (a hole's words are read by other rules)
