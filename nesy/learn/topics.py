"""Topic words: a word a text repeats in most of its sentences but few texts use, read as one marker.

A story about apples says "apples" in nearly every sentence ("Tom has 5 apples.", "Tom buys 3 more
apples.", "How many apples does Tom have?"); the next story says "stickers". The word names what the
story is about and its program never mentions it, yet it makes "⟨1⟩ buys ⟨2⟩ more apples." and
"⟨1⟩ buys ⟨2⟩ more stickers." two sentence shapes, each learned (and verified) on its own. A writer
that reads both as "⟨1⟩ buys ⟨2⟩ more ⟨t⟩." pools what every story teaches about the sentence.

A word of a text is a topic word when, found by counts alone (no word lists):

* it is a lower-case word that occurs in at least ``min_sentences`` sentences of the text and in at
  least ``min_text_share`` of them,
* it is as dense wherever it occurs: in the training texts that contain it, it occurs on average in
  at least ``min_text_share`` of their sentences ("plus" in a text that says "plus" four times is no
  topic: most texts say it once); a new word counts as dense,
* at most ``max_share`` of the training texts contain it (a new word counts as rare), and
* no annotated program uses it (program words are never hidden).

Example:
    >>> stories = [["Tom has 5 apples.", "Tom buys 3 more apples.", "Tom eats 2 apples.", "How many apples?"],
    ...            ["Ann has 2 pears.", "Ann buys 1 more pears.", "Ann eats 1 pears.", "How many pears?"]]
    >>> topics = TopicWords.fitted(stories + [["x"]] * 30)
    >>> words = topics.of(["Zoe has 4 plums.", "Zoe eats 1 plums.", "Zoe sells 2 plums.", "How many plums?"])
    >>> sorted(words), topics.mark("Zoe has 4 plums.", words)
    (['plums'], 'Zoe has 4 ⟨t⟩.')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

MARK = "⟨t⟩"  #: what a topic word reads as (no slot: programs never copy it)
_WORD = re.compile(r"[^\W\d_]+")


def _words(sentence: str) -> set[str]:
    return {w for w in _WORD.findall(sentence) if w.islower()}


@dataclass
class TopicWords:
    """Counts that decide which words of a text are its topic words.

    Attributes:
        texts: Training texts counted.
        frequency: Lower-case word -> how many training texts contain it.
        density: Lower-case word -> the sum, over the training texts that contain it, of the share of
            their sentences it occurs in.
        program_words: Identifier parts seen in annotated programs (never topic words).
        max_share: Most training texts a topic word may occur in, as a share.
        min_sentences: Fewest sentences of a text a topic word occurs in.
        min_text_share: Least share of a text's sentences a topic word occurs in.
    """

    texts: int = 0
    frequency: Counter = field(default_factory=Counter)
    density: Counter = field(default_factory=Counter)
    program_words: set[str] = field(default_factory=set)
    max_share: float = 0.2
    min_sentences: int = 3
    min_text_share: float = 0.75

    @classmethod
    def fitted(cls, texts: Iterable[Sequence[str]], programs: Iterable[str] = (), **options: float) -> "TopicWords":
        """Counts over training ``texts`` (each a list of sentences) and the annotated ``programs``' words."""
        topics = cls(**options)  # type: ignore[arg-type]
        for sentences in texts:
            topics.texts += 1
            counts = Counter(w for sentence in sentences for w in _words(sentence))
            topics.frequency.update(counts.keys())
            topics.density.update({w: n / len(sentences) for w, n in counts.items()})
        for program in programs:
            topics.program_words.update(part.lower() for part in re.findall(r"[A-Za-z]+", program))
        return topics

    def of(self, sentences: Sequence[str]) -> frozenset[str]:
        """The topic words of one text."""
        counts = Counter(w for sentence in sentences for w in _words(sentence))
        least = max(self.min_sentences, self.min_text_share * len(sentences))
        return frozenset(
            w for w, n in counts.items()
            if n >= least and w not in self.program_words and self.frequency[w] <= self.max_share * max(1, self.texts)
            and self.density[w] >= self.min_text_share * self.frequency[w]
        )

    @staticmethod
    def mark(sentence: str, words: frozenset[str]) -> str:
        """``sentence`` with each of ``words`` (whole words) replaced by :data:`MARK`."""
        if not words:
            return sentence
        pattern = r"(?<![\w⟨])(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?![\w⟩])"
        return re.sub(pattern, MARK, sentence)


__all__ = ["MARK", "TopicWords"]
