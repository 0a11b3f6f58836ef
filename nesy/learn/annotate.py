"""Which problems to annotate: the few that show the most different sentence shapes.

Annotated programs are the scarce supervision of :func:`~nesy.learn.textprog.learn_text_programs`,
and they anchor everything self-training learns (:mod:`nesy.learn.anchors`). A sentence shape is
a sentence with its names, numbers and lists as slots (what the writer reads, :mod:`nesy.learn.slots`);
problems that show many shapes no other annotated problem shows teach the most. :func:`choose_for_annotation`
picks them greedily: each pick adds the most shapes not yet covered, weighted by how common each
shape is among all the texts (a shape that half the problems use matters more than one that one
problem uses), ties going to the shorter problem. Only the texts are read: no answers, no programs.

Example:
    >>> texts = [["Ann likes Bob.", "Who likes Bob?"], ["Cy likes Dee.", "Who likes Dee?"],
    ...          ["Eve fears Fay.", "Who likes Eve?"], ["Gus fears Hal.", "Whom does Gus fear?"]]
    >>> choose_for_annotation(texts, 2, SlotCopier.fitted(s for t in texts for s in t))
    [0, 3]
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from nesy.learn.slots import SlotCopier


def sentence_shapes(sentences: Sequence[str], copier: SlotCopier) -> set[str]:
    """The slotted forms of a text's sentences (words that a list in the text names are slots too).

    Example:
        >>> copier = SlotCopier.fitted(["Ann owns the cat.", "The pets are: cat, dog and fish."])
        >>> sorted(sentence_shapes(["The pets are: yak, cat and dog.", "Zoe owns the yak."], copier))
        ['The pets are: ⟨1⟩.', '⟨1⟩ owns the ⟨2⟩.']
    """
    words, plain = copier.list_words(sentences), copier.unlisted_openers(sentences)
    return {copier.abstract(sentence, words=words, plain=plain)[0] for sentence in sentences}


def choose_for_annotation(texts: Sequence[Sequence[str]], n: int, copier: SlotCopier) -> list[int]:
    """Indices of ``n`` texts (each a list of sentences) that cover the most common sentence shapes, in pick order.

    Args:
        texts: The candidate problems' sentences.
        n: How many to pick (all of them when there are fewer).
        copier: Decides what is a slot (fitted on the training texts).
    """
    shapes = [sentence_shapes(sentences, copier) for sentences in texts]
    weight = Counter(shape for found in shapes for shape in found)
    covered: set[str] = set()
    chosen: list[int] = []
    left = set(range(len(texts)))
    while left and len(chosen) < n:
        best = max(left, key=lambda i: (sum(weight[s] for s in shapes[i] - covered), -len(texts[i]), -i))
        chosen.append(best)
        covered |= shapes[best]
        left.remove(best)
    return chosen


__all__ = ["choose_for_annotation", "sentence_shapes"]
