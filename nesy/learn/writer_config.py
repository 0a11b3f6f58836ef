"""The options of :class:`~nesy.learn.fragments.FragmentWriter`.

Example:
    >>> WriterConfig().separator == chr(10), WriterConfig().context
    (True, 0)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WriterConfig:
    """How the writer reads, proposes and trains.

    Attributes:
        per_sentence: Fragments beam-searched per sentence.
        context: Previous sentences shown before each sentence (0: each sentence alone).
        max_gap: Programs more than this many nats below the best one are not proposed.
        epochs: Training epochs per ``fit`` (over the distinct sentence pairs), kept between
            ``min_steps`` and ``max_steps`` optimiser steps: reproducing the pairs is not enough,
            the alternatives must also fall well below them, or short wrong fragments outscore long
            right ones.
        min_steps: Fewest optimiser steps per ``fit``.
        max_steps: Most optimiser steps per ``fit``.
        separator: Between sentences in an input text and between fragments in a program.
        edits: Also propose edits of each sentence's best fragment (slot swaps, word substitutions).
        edit_penalty: How far below the best fragment an edit is scored, in nats.
        neighbours: Distinct fragments of the most similar trained sentences an unseen sentence also gets (with their edits).
        score_edits: An edit (or borrowed fragment) is scored by the better of ``edit_penalty`` below its
            origin and the model's own log-probability of it, so the edits the model finds likely come first.
        unused_slot_penalty: While searching (``k`` > 1), nats off a fragment per slot of its sentence it
            does not mention, applied when at least ``covering_share`` of the training fragments mention
            every slot of theirs (the best single program, ``k`` = 1, is the model's own).
        covering_share: See ``unused_slot_penalty``.
        known_penalty: While searching (``k`` > 1), nats off every fragment of a sentence trained on other
            than the one it was fitted on (0: none), so that the search spends its ``k`` programs on the
            sentences the writer has not learned yet. With it, a trained fragment that leaves slots of its
            sentence unused (where training fragments mention every slot) is doubted instead: no penalty,
            and the sentence gets its neighbours' fragments like an unseen one ("⟨1⟩ receives ⟨2⟩ from
            ⟨3⟩." fitted on ``⟨1l⟩ = ⟨1l⟩ + ⟨2⟩``, which verifies when only ⟨1⟩'s count is asked); and when
            fragments are chosen, a sampled program's fragment that leaves slots unused does not vouch
            where another verified program's fragment for the same sentence mentions them all.
        list_words: Copy a word that a list of words in the same text names (``SlotCopier.list_words``)
            as a slot, like a name; and read an opener that a text listing its names neither lists
            nor says again as a word (``SlotCopier.unlisted_openers``: "Nobody is taller than ...").
        anchored: Choose each sentence's training fragment by how anchored its programs are
            (:mod:`nesy.learn.anchors`: trust spreads from the annotated programs), not by votes alone.
        recall: A sentence trained on gets the fragment it was fitted on as its best one (a small model
            does not always reproduce every training pair).
        rivals: With an ``ablation`` check, each needed fragment of a sampled verified program is also
            checked with its sentence's rival fragments in its place (the other fragments verified programs
            gave the sentence, and the writer's ``rivals`` best alternatives for it): it vouches only where
            none verifies, for a sentence some program vouches for so (:mod:`nesy.learn.rivals`; 0: off).
        repair: With an ``ablation`` check, :meth:`FragmentWriter.repair` (the self-training loop's abducer)
            tries up to this many programs per failed text that differ from its best one in one sentence
            shape's fragment (:mod:`nesy.learn.repair`; 0: off).
        analogies: A sentence shape not trained on also gets up to this many fragments by analogy
            (:mod:`nesy.learn.analogy`: a known sentence that differs from it in a short span of words,
            changed as known pairs of sentences differing in that span change their fragments), the
            best supported ``analogy_bonus`` nats above the model's best fragment for it (or a fair
            guess), the others by their support relative to it; trained shapes get them as alternatives,
            like edits, and where the checker cannot tell a trained shape's readings apart
            (:mod:`nesy.learn.rivals`), the analogy's first one is vouched for (0: off).
        analogy_bonus: See ``analogies``.
    """

    per_sentence: int = 3
    context: int = 0
    max_gap: float = 12.0
    epochs: int = 30
    min_steps: int = 150
    max_steps: int = 600
    separator: str = "\n"
    edits: bool = True
    edit_penalty: float = 4.0
    neighbours: int = 6
    score_edits: bool = True
    unused_slot_penalty: float = 6.0
    covering_share: float = 0.95
    known_penalty: float = 0.0
    list_words: bool = True
    anchored: bool = True
    recall: bool = True
    rivals: int = 0
    repair: int = 0
    analogies: int = 0
    analogy_bonus: float = 1.0
