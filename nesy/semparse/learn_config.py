"""The learner's inputs and settings: one training question (:class:`Example`) and :class:`LearnConfig`.

Example:
    >>> LearnConfig().compose_searched
    4000
    >>> LearnConfig(k=0)
    Traceback (most recent call last):
    ...
    nesy.errors.NesyError: LearnConfig: sizes and counts must be >= 1
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, ContextManager

from nesy.errors import NesyError


@dataclass(frozen=True)
class Example:
    """One training question.

    Attributes:
        tokens: Its words.
        answer: The answer (compared with ``==`` and the same Python type).
        bind: Called around in-process runs to make the question's world visible to the DSL.
        answer_type: The DSL type of the answer, if the caller knows it (a count ``2`` is an
            ``int``, not an object that happens to have index 2); None accepts any type.
    """

    tokens: tuple[str, ...]
    answer: Any
    bind: Callable[[], ContextManager[Any]]
    answer_type: str | None = None


@dataclass(frozen=True)
class LearnConfig:
    """Search and EM settings.

    Attributes:
        lexicon_examples: Shortest questions used to learn the lexicon.
        lexicon_max_size: Largest program searched for them.
        lexicon_yes_no: Whether questions with a yes/no (``bool``) answer count for the lexicon
            (one bit each: most small programs give the same yes or no by coincidence).
        probes: Other worlds on which a lexicon candidate program is also run: one whose value is
            the answer on every one of them (``equal(red, red)``, ``red`` for "what color...")
            does not read its world and explains nothing. A program is undefined on many worlds
            (``unique`` of "the blue cube"), so these are many.
        extend_probes: Probe worlds of the search for words of missing constants (a wildcard
            fill must read its world on one of them). Fewer than ``probes``: with 64 the fills of
            coincidences also pass, and at hops 10k "behind" was no longer learned.
        extend_examples: Questions used to find words for constants the lexicon lacks.
        extend_known: Most lexicon words such a question may have.
        extend_max_size: Largest program searched for them.
        extend_rounds: Rounds of that search (each round's words open longer questions to the next).
        familiar_share: A word in at least this share of the lexicon questions (relative to the most
            common word) is familiar: a question searched for new constants needs an unfamiliar word.
        max_constants: Questions with more lexicon words are not searched (only parsed, step 4).
        max_searched: Most questions searched in step 2 (the first eligible ones; the rest are only parsed).
        max_size: Largest program searched in step 2.
        search_steps: Budget of one question's search, in calls run
            (``max_steps`` of :func:`~nesy.semparse.enumerate.consistent_programs`): the same on any
            machine, so what is learned does not depend on its speed or load.
        search_seconds: Wall-clock safety cap of one search (logged when hit; far above what
            ``search_steps`` takes, it only bounds a pathological search).
        max_candidates: Most candidate programs kept per question.
        slack: Candidates may be this many nodes larger than the smallest consistent program.
        em_iterations: Hard-EM iterations in step 3.
        rounds: Parse-and-verify rounds in step 4.
        k: Parses tried per question in step 4 (and kept per chart cell).
        selection: How step 3 keeps one candidate per question and step 4 one verified parse:
            ``consistency`` (rules scored by the share of questions they explain, see
            :mod:`~nesy.semparse.agreement`) or ``frequency`` (hard EM over rule counts, first verified parse).
        frequency: With ``consistency``: weight of the rules' relative frequency beside their consistency.
        match_roots: With ``consistency``: a rule's frame counts as applicable to every question it
            matches (:func:`~nesy.semparse.agreement.matches`), not only to those with a candidate of that frame.
        confirm: With ``consistency``: yes/no questions keep only candidates whose parts below the
            root were read in other questions' kept readings (:func:`~nesy.semparse.agreement.confirmed`).
        prior: With ``consistency``: pseudo-count of a rule's share (:class:`~nesy.semparse.agreement.Consistency`).
        base: With ``consistency``: the share a rule is taken to explain before it is seen.
        probe_worlds: Other questions' worlds on which step 2's search also runs each program, so
            that programs equal on the question's world by coincidence stay apart (0: none).
        compose: Whether step 5 runs: candidates searched over the phrases the grammar reads
            (:mod:`~nesy.semparse.compose`), then steps 3 and 4 again with them.
        compose_constants: Most lexicon words of a question searched in step 5.
        compose_searched: Most questions searched in step 5.
        compose_unread_share: Most share of step 5's ``compose_searched`` picks that go to questions
            the grammar does not read yet: step 5 picks among the first training questions only, up
            to where their unread ones would pass this share (None: among all). Unread questions go
            first, so with many more training questions they would take every pick (the yes/no
            ones first, whose answers say least) and leave none to the read ones, whose second
            readings step 5 also weighs; the share keeps that mix whatever the number of questions.
        compose_size: Largest program searched in step 5 (a phrase counts as one node).
        compose_per_span: Phrase readings offered per span and type (distinct values, best first).
        compose_split_slack: Step 5 also searches each question with ``distinct_splits`` (states
            with another call structure are kept even when their values coincide on the question's
            world, see :func:`~nesy.semparse.enumerate.consistent_programs`) and this ``slack``, and
            adds what it finds (None: not). At CLEVR iid 10k the true reading of a "both ... and ..."
            question was among the candidates of 639 training questions instead of 328 (a
            diagnostic count), for about 2.4 times the compose time.
        compose_split_heads: That second search also tells states apart by the call heading each
            argument at their split (``split_heads``).
        retype: The learned parser's cost of filling a hole with another label of its type
            (:class:`~nesy.semparse.parser.ChartParser`; None: only when nothing else parses).
        wrappers: Read calls without constants of their own around a description as rules of
            their own (``wrappers`` of :func:`~nesy.semparse.grammar.extract`).
        tops: With ``consistency``: the wrappers right below a whole question's rule are scored
            with it (``tops`` of :class:`~nesy.semparse.agreement.Consistency`).
        inner_wrappers: With ``consistency``: the wrappers right below every other rule are scored
            with it too (``inner``: a phrase around ``same_shape(unique(...))`` is not the same rule
            around the bare description).
        drop_idle: Steps 2 and 5 leave out candidates in which some words change nothing
            (:func:`~nesy.semparse.idle.idle_words`: ``union(scene(), X)`` soaking up ``X``'s words).
        blind_probes: Steps 2 and 5 leave out candidates with a call blind to its world, judged on
            this many other questions' worlds (:class:`~nesy.semparse.blind.BlindCalls`: the metal
            things among the rubber things are none on every world; 0: not checked).
        blind_min_defined: Fewest of those worlds on which a call must be defined to be judged.
        rerank_epochs: Passes of step 6 over the training questions: rule weights learned from
            the answers (:mod:`~nesy.semparse.rerank`; 0: not run).
        rerank_k: Parses of each question run in step 6.
        rerank_step: Step 6's change of a rule's log-weight per wrong best parse.
        rerank_features: Step 6's change per update of the weight of each (word, call) pair the two
            parses' rules differ in (:func:`~nesy.semparse.rerank.word_features`; a rule's bias
            is its own weight plus its pairs'), so what one wording teaches reaches the others (0: none).
        rerank_margin: Step 6 also updates where the best parse gives the answer but a parse that misses
            it scores within this many nats of it (toward the best; 0: only where the best parse is wrong).
        rerank_relaxed: Step 6 also reads a question with no parse with the chart's relaxations (as
            :meth:`~nesy.semparse.semantic_parser.SemanticParser.parse` does) and updates on it
            (False: such questions are passed over).
        rerank_questions: Most questions one pass of step 6 visits (a different random sample in
            each pass when there are more): its updates come from the few questions whose best
            parse is wrong, and a pass over many more only adds time.
        workers: Processes of the per-question passes: the searches of steps 1, 2 and 5 and the
            parse-and-verify passes of step 4 (forked, see :mod:`~nesy.semparse.fork_map`; the
            result does not depend on it, only the time).
        analogy_share: Before step 6, rules for wordings never seen whole, made from the kept ones
            by the substitutions their minimal pairs show (:mod:`~nesy.semparse.analogy`), weigh
            at most this share of each label's kept weight (0: none are made).
        analogy_max_len: Longest run of words such a substitution replaces.
        analogy_evidence: Minimal pairs of kept rules needed for a substitution.
        neural_epochs: Epochs of step 7's training: a sequence model trained on the answer-verified
            parses chooses among the grammar's (:mod:`~nesy.semparse.neural_reader`; 0: not run).
        neural_k: Parses per question that step 7 verifies in training and chooses among when reading.
        neural_relabel: Rounds in which each question's label becomes the verified parse the model
            scores highest, followed by half as many epochs again.
        neural_d_model: The model's hidden size (4 heads, feed-forward 4 times as wide).
        neural_layers: Its encoder and decoder layers.
        neural_grammar_weight: Weight of a parse's grammar score beside the model's log-probability.
        neural_seed: Seeds the model's initialisation and training.
        neural_beam: Programs the model itself proposes per question (beam search; 0: it only chooses
            among the grammar's parses). In training, proposals that give the question's answer join its
            verified programs; when reading, they join the grammar's parses as candidates.
        loose_confirm: With ``confirm``: a question that has candidates made of confirmed parts also
            keeps those whose other parts match a confirmed part up to its connecting words
            (``loose`` of :func:`~nesy.semparse.agreement.confirmed`).
    """

    lexicon_examples: int = 1000
    lexicon_max_size: int = 8
    lexicon_yes_no: bool = False
    probes: int = 64
    extend_probes: int = 16
    extend_examples: int = 250
    extend_known: int = 4
    extend_max_size: int = 10
    extend_rounds: int = 3
    familiar_share: float = 0.05
    max_constants: int = 6
    max_searched: int = 4000
    max_size: int = 24
    search_steps: int = 500_000
    search_seconds: float = 60.0
    max_candidates: int = 300
    slack: int = 6
    em_iterations: int = 5
    rounds: int = 2
    k: int = 4
    selection: str = "consistency"
    frequency: float = 0.0
    match_roots: bool = False
    confirm: bool = True
    prior: float = 1.0
    base: float = 0.5
    probe_worlds: int = 0
    compose: bool = True
    compose_constants: int = 14
    compose_searched: int = 4000
    compose_unread_share: float | None = 0.8
    compose_size: int = 14
    compose_per_span: int = 1
    compose_split_slack: int | None = 2
    compose_split_heads: bool = False
    retype: float | None = None
    wrappers: bool = True
    tops: bool = True
    inner_wrappers: bool = False
    drop_idle: bool = True
    loose_confirm: bool = True
    blind_probes: int = 0
    blind_min_defined: int = 8
    rerank_epochs: int = 2
    rerank_k: int = 8
    rerank_step: float = 1.0
    rerank_features: float = 0.0
    rerank_margin: float = 0.0
    rerank_relaxed: bool = False
    rerank_questions: int = 10_000
    workers: int = 1
    analogy_share: float = 0.002
    analogy_max_len: int = 4
    analogy_evidence: int = 2
    neural_epochs: int = 0
    neural_k: int = 8
    neural_relabel: int = 1
    neural_d_model: int = 64
    neural_layers: int = 2
    neural_grammar_weight: float = 1.0
    neural_seed: int = 0
    neural_beam: int = 8

    def limits(self, divide: int = 1) -> dict[str, Any]:
        """One search's budget as keyword arguments of :func:`~nesy.semparse.enumerate.consistent_programs`:
        ``search_steps`` calls (divided by ``divide``) and the wall-clock safety cap, starting now."""
        return {"max_steps": self.search_steps // divide, "deadline": time.monotonic() + self.search_seconds / divide}

    def __post_init__(self) -> None:
        if min(self.lexicon_examples, self.lexicon_max_size, self.max_size, self.max_candidates, self.k, self.rerank_k, self.rerank_questions, self.workers) < 1:
            raise NesyError("LearnConfig: sizes and counts must be >= 1")
        if self.compose_unread_share is not None and not 0 < self.compose_unread_share <= 1:
            raise NesyError(f"LearnConfig: compose_unread_share must be None or in (0, 1], got {self.compose_unread_share}")
        if self.analogy_share < 0 or min(self.analogy_max_len, self.analogy_evidence) < 1:
            raise NesyError("LearnConfig: analogy_share must be >= 0, analogy_max_len and analogy_evidence >= 1")
        if self.rerank_epochs < 0 or self.rerank_step <= 0 or min(self.rerank_features, self.rerank_margin) < 0:
            raise NesyError("LearnConfig: rerank_epochs must be >= 0, rerank_step > 0, rerank_features and rerank_margin >= 0")
        if min(self.neural_epochs, self.neural_relabel, self.neural_grammar_weight, self.neural_beam) < 0 or min(self.neural_k, self.neural_d_model, self.neural_layers) < 1:
            raise NesyError("LearnConfig: neural_epochs, neural_relabel, neural_grammar_weight and neural_beam must be >= 0, neural_k, "
                            "neural_d_model and neural_layers >= 1")
        if self.neural_d_model % 4:
            raise NesyError(f"LearnConfig: neural_d_model must be a multiple of 4 (the heads), got {self.neural_d_model}")
        if self.selection not in ("consistency", "frequency"):
            raise NesyError(f"LearnConfig: selection must be 'consistency' or 'frequency', got {self.selection!r}")
