"""The learned parser: a lexicon and a grammar of counted rules, read with a chart parser.

Example:
    >>> from nesy.semparse.grammar import Rule
    >>> from nesy.semparse.lexicon import Lexicon
    >>> from nesy.semparse.tree import HOLE, SLOT, Tree
    >>> word = Rule("n", ("<int>",), Tree(kind=SLOT, index=0))
    >>> double = Rule("^", ("twice", "[n]"), Tree("add", (Tree(kind=HOLE, index=0), Tree(kind=HOLE, index=0))))
    >>> parser = SemanticParser(Lexicon({"two": "two"}), {"two": "int"}, {word: 1.0, double: 1.0})
    >>> parser.program(("twice", "two"))
    'add(two, two)'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from .grammar import Rule
from .lexicon import Lexicon
from .parser import ChartParser, Parse, distinct_parses
from .tree import Tree, to_text

#: Most words a hole may leave out before its span when a question is parsed again relaxed (only
#: runs that some rule has right before a hole: :func:`~nesy.semparse.parser.lead_ins`).
RELAXED_SKIP = 8


@dataclass
class SemanticParser:
    """A learned lexicon and grammar.

    Attributes:
        lexicon: Word -> constant.
        constant_types: Constant -> DSL type.
        counts: Rule counts (the grammar).
        k: Parses kept per chart cell.
        relaxed: Whether :meth:`parse` retries unparsed questions with the chart's relaxations.
        retype: The chart's cost of filling a hole with another label of its type (None: only when relaxed).
        bias: Per rule, added to its log-probability (learned from answers, :mod:`~nesy.semparse.rerank`).
        reader: Chooses among the k best parses and its own proposals (:class:`~nesy.semparse.neural_reader.NeuralReader`, step 7;
            None: the best-scoring parse is read).
    """

    lexicon: Lexicon
    constant_types: dict[str, str]
    counts: dict[Rule, float]
    k: int = 4
    relaxed: bool = True
    retype: float | None = None
    bias: dict[Rule, float] = field(default_factory=dict)
    reader: Any = None
    _chart: ChartParser | None = field(default=None, repr=False)
    _relaxed: ChartParser | None = field(default=None, repr=False)

    @property
    def chart(self) -> ChartParser:
        """The chart parser over :attr:`counts` (built once)."""
        if self._chart is None:
            self._chart = ChartParser(self.counts, k=self.k, retype=self.retype, bias=self.bias)
        return self._chart

    def reweigh(self, bias: dict[Rule, float]) -> None:
        """Set the bias of the rules in ``bias`` (the others keep theirs), updating the charts (plain and
        relaxed) in place instead of building them again (see :meth:`ChartParser.reweigh`). A copy made
        with ``dataclasses.replace`` shares them unless it was given ``_chart=None, _relaxed=None``."""
        self.bias = {**self.bias, **bias}
        for chart in (self._chart, self._relaxed):
            if chart is not None:
                chart.reweigh(bias)

    def lexical(self, tokens: Sequence[str]) -> list["tuple[str, str] | None"]:
        """For each word: (constant, type) if it is a lexicon word, else None."""
        out: list[tuple[str, str] | None] = []
        for w in tokens:
            c = self.lexicon.entries.get(w)
            out.append((c, self.constant_types[c]) if c is not None else None)
        return out

    def shape(self, tokens: Sequence[str]) -> list[str]:
        """The words as the rules see them: each lexicon word written ``<type>``."""
        return [f"<{lex[1]}>" if lex else w for w, lex in zip(tokens, self.lexical(tokens))]

    def parses(self, tokens: Sequence[str]):
        """The k best parses (:class:`~nesy.semparse.parser.Parse`), best first."""
        return self.chart.parse(tokens, self.lexical(tokens))

    def parse(self, tokens: Sequence[str]) -> Tree | None:
        """The best program tree, or None when the question does not parse.

        A question that does not parse with the rules as learned is parsed again with the
        chart's relaxations (another label of the hole's type, a lead-in of function words left out
        before a hole).
        """
        found = self.candidates(tokens)
        return found[0] if found else None

    def readings(self, tokens: Sequence[str]):
        """The k best parses, best first; where there is none, those of the chart's relaxations (if
        :attr:`relaxed`): another label of a hole's type, a lead-in of function words left out before a hole."""
        found = self.parses(tokens)
        if not found and self.relaxed:
            if self._relaxed is None:
                self._relaxed = ChartParser(self.counts, k=self.k, backoff=8.0, skip=RELAXED_SKIP, retype=self.retype, bias=self.bias)
            found = self._relaxed.parse(tokens, self.lexical(tokens))
        return found

    def candidates(self, tokens: Sequence[str]) -> list[Tree]:
        """The k best distinct program trees, best first (relaxed as in :meth:`parse`; empty: no parse);
        with a :attr:`reader`, the reader's choice first.

        A caller that can run them on the question's world may take the first one that is defined
        there (:func:`~nesy.semparse.guided.first_defined`).
        """
        return self.candidates_of([tokens])[0]

    def candidates_of(self, questions: Sequence[Sequence[str]]) -> list[list[Tree]]:
        """:meth:`candidates` of each question, the reader's scoring done in one batch."""
        return self.choose(questions, [self.readings(tokens) for tokens in questions])

    def choose(self, questions: Sequence[Sequence[str]], readings: Sequence[Sequence[Parse]]) -> list[list[Tree]]:
        """Each question's distinct programs from its :meth:`readings`, best first: the :attr:`reader`'s order
        if there is one, else the grammar's (so one parse serves both)."""
        if self.reader is not None:
            return self.reader.order(questions, readings)
        return [[parse.program for parse in distinct_parses(parses)] for parses in readings]

    def program(self, tokens: Sequence[str]) -> str | None:
        """The best program in call syntax, or None."""
        tree = self.parse(tokens)
        return to_text(tree) if tree is not None else None
