"""Grammar-constrained decoding: the grammars agree with the real parsers, and tiny random models
(built from transformers configs, nothing downloaded) emit only valid programs when constrained."""

from __future__ import annotations

import operator
import os
import random

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest  # noqa: E402
import torch  # noqa: E402
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: E402
from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast  # noqa: E402

from nesy.errors import NesyError, ProgramRejected  # noqa: E402
from nesy.proposer import CallSyntax, GrammarConstraint, SExpression, TokenConstraint  # noqa: E402
from nesy.proposer.arch import ModelConfig  # noqa: E402
from nesy.proposer.hf_adapter import HFProposer  # noqa: E402
from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer  # noqa: E402
from nesy.proposer.vocab import Vocab  # noqa: E402
from nesy.solvers.dsl import DSL, DSLSolver  # noqa: E402
from nesy.solvers.dsl.parser import Call, parse  # noqa: E402
from nesy.solvers.smtlib import SList, read_sexprs  # noqa: E402
from nesy.verdict import Status  # noqa: E402


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def arith_dsl() -> DSL:
    dsl = DSL("arith")
    dsl.primitive("add", ["int", "int"], "int", operator.add)
    dsl.primitive("mul", ["int", "int"], "int", operator.mul)
    dsl.primitive("neg", ["int"], "int", operator.neg)
    dsl.constant("zero", "int", 0)
    dsl.variable("x", "int")
    return dsl


DSL_ARITH = arith_dsl()
SOLVER = DSLSolver(DSL_ARITH)
CALLS = CallSyntax.from_dsl(DSL_ARITH)
ARITY = {"add": 2, "mul": 2, "neg": 1}


def valid(program: str) -> bool:
    """The real dsl backend's verdict: parsed, names and arities checked, run."""
    return SOLVER.run(program, input={"x": 3}).status is Status.OK


# -- the grammars against the real parsers ------------------------------------------------------------
def random_program(rng: random.Random, depth: int = 0) -> str:
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(["x", "zero", str(rng.randint(-20, 20))])
    name = rng.choice(sorted(ARITY))
    space = rng.choice(["", " "])
    return f"{name}({(',' + space).join(random_program(rng, depth + 1) for _ in range(ARITY[name]))})"


def parses_with_right_arity(text: str) -> bool:
    try:
        tree = parse(text)
    except ProgramRejected:
        return False
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Call):
            if ARITY.get(node.name) != len(node.args):
                return False
            stack.extend(node.args)
        elif hasattr(node, "name") and node.name not in ("x", "zero"):
            return False
    return True


def test_call_syntax_accepts_exactly_what_the_dsl_parser_accepts_with_the_right_arities():
    rng = random.Random(0)
    texts = [random_program(rng) for _ in range(300)]
    alphabet = list("addmulneg(),x -0123") + ["zero", "add(", "neg("]
    mutated = []
    for text in texts[:200]:
        i = rng.randrange(len(text))
        mutated += [text[:i] + text[i + 1 :], text[:i] + rng.choice(alphabet) + text[i:], text[:i]]
    noise = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(500)]
    agree = [(t, CALLS.is_complete(t), parses_with_right_arity(t)) for t in texts + mutated + noise]
    assert all(ours == real for _, ours, real in agree), [a for a in agree if a[1] != a[2]][:5]
    assert sum(real for *_, real in agree) > 300 and sum(not real for *_, real in agree) > 300
    for t in texts:  # every prefix of a valid program is a viable prefix
        assert all(CALLS.is_prefix(t[:i]) for i in range(len(t) + 1))


def random_forms(rng: random.Random, leaves: list[str], count: int = 300) -> list[str]:
    """Well-formed s-expressions over ``leaves``, and each with one character deleted."""

    def form(depth: int = 0) -> str:
        items = [form(depth + 1) if depth < 3 and rng.random() < 0.3 else rng.choice(leaves) for _ in range(rng.randint(0, 3))]
        return "(" + " ".join(items) + ")"

    forms = [" ".join(form() for _ in range(rng.randint(1, 3))) for _ in range(count)]
    return forms + [f[:i] + f[i + 1 :] for f in forms for i in (rng.randrange(len(f)),)]


def balanced_over(text: str, words: set[str]) -> bool:
    depth, forms = 0, 0
    for token in text.replace("(", " ( ").replace(")", " ) ").split():
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            forms += depth == 0
            if depth < 0:
                return False
        elif depth == 0 or not (token in words or token.isdigit()):
            return False
    return depth == 0 and forms > 0


def test_sexpression_is_balanced_parentheses_over_allowed_words():
    words = {"declare-const", "assert", "Int", "<", "+", "a", "b"}
    grammar = SExpression(words)
    rng = random.Random(1)
    pieces = ["(", ")", " ", "assert", "<", "a", "b", "7", "Int", "q"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    texts += random_forms(rng, ["a", "<", "7", "Int"])
    texts += ["(declare-const a Int) (assert (< a (+ b 7)))", "(assert(< a b))", "()"]
    assert all(grammar.is_complete(t) == balanced_over(t, words) for t in texts)
    assert sum(grammar.is_complete(t) for t in texts) > 300
    assert SExpression(words, forms=1).is_complete("(a) (b)") is False


SMT_WORDS = {"declare-const", "assert", "check-sat", "Int", "and", "<", "+", "distinct", "a", "b"}


def smt_valid(text: str) -> bool:
    """The z3 backend's own s-expression reader accepts it: only lists at the top, only allowed words or numerals."""
    try:
        forms = read_sexprs(text)
    except ProgramRejected:
        return False
    stack = list(forms)
    if not forms or not all(isinstance(f, SList) for f in forms):
        return False
    while stack:
        node = stack.pop()
        if isinstance(node, SList):
            stack.extend(node.items)
        elif not (node.text in SMT_WORDS or node.kind in ("numeral", "decimal")):
            return False
    return True


def test_sexpression_agrees_with_the_smtlib_reader():
    grammar = SExpression(SMT_WORDS)
    rng = random.Random(4)
    pieces = ["(", ")", " ", "assert", "<", "a", "b", "0", "7", "1.5", "07", "1.", "Int", "q", ";", "|x|"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    texts += random_forms(rng, ["assert", "<", "a", "0", "7", "1.5", "07", "Int"])
    texts += ["(declare-const a Int) (assert (< a (+ b 7)))\n(check-sat)", "(assert (distinct a b 0.25))"]
    assert all(grammar.is_complete(t) == smt_valid(t) for t in texts), [t for t in texts if grammar.is_complete(t) != smt_valid(t)][:5]
    assert sum(smt_valid(t) for t in texts) >= 100


def test_bad_language_descriptions_are_clear_errors():
    with pytest.raises(NesyError, match="both as a function and as an atom"):
        CallSyntax({"f": 1}, atoms=["f"])
    with pytest.raises(NesyError, match="arity"):
        CallSyntax({"f": -1})
    with pytest.raises(NesyError, match="atom must be"):
        CallSyntax({"f": 1}, atoms=["not a name"])
    with pytest.raises(NesyError, match="s-expression word"):
        SExpression(["a b"])


# -- tiny random models ----------------------------------------------------------------------------
WORDS = ["add", "mul", "neg", "x", "zero", "(", ")", ",", "1", "2", "-3", "jump", "=>", "walk", "twice"]
INPUTS = ["walk twice", "jump", "twice jump walk", "walk", "jump jump"]


def word_tokenizer(words: list[str], *, fuse: bool = False) -> PreTrainedTokenizerFast:
    vocab = {tok: i for i, tok in enumerate(["<pad>", "</s>", "<unk>", *words])}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    if fuse:  # decoding concatenates pieces, like byte-level BPE
        core.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")


def tiny_gpt2(vocab_size: int, seed: int = 0) -> GPT2LMHeadModel:
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=vocab_size, n_embd=32, n_layer=1, n_head=2, n_positions=64, bos_token_id=1, eos_token_id=1)
    return GPT2LMHeadModel(config).train(False)


def programs_of(results) -> list[str]:
    return [c.program for candidates in results for c in candidates]


def mostly_invalid_then_all_valid(proposer) -> list[str]:
    """Sample without, then with the grammar: most free programs fail the dsl backend, no constrained one does."""
    proposer.grammar = None
    free = programs_of(proposer.propose(INPUTS, 8, seed=0))
    assert len(free) >= 20 and sum(not valid(p) for p in free) >= 0.8 * len(free)
    proposer.grammar = CALLS
    constrained = programs_of(proposer.propose(INPUTS, 8, seed=0, rounds=3))
    assert len(constrained) >= 20 and all(valid(p) for p in constrained)
    return constrained


def causal(tokenizer: PreTrainedTokenizerFast, seed: int, **options) -> HFProposer:
    return HFProposer(tiny_gpt2(len(tokenizer), seed), tokenizer, device="cpu", prompt_template="{input} =>",
                      max_new_tokens=24, **options)


def test_unconstrained_sampling_emits_invalid_programs_and_constrained_sampling_only_valid_ones():
    proposer = causal(word_tokenizer(WORDS), seed=0)
    constrained = mostly_invalid_then_all_valid(proposer)
    assert any("(" in p for p in constrained) and isinstance(proposer.constraint(), TokenConstraint)

    beams = proposer.propose(INPUTS, 4, sample=False)
    assert all(cs for cs in beams) and all(valid(p) for p in programs_of(beams))  # beams cut off are dropped


def test_constrained_scores_are_the_models_own_teacher_forced_log_probabilities():
    proposer = causal(word_tokenizer(WORDS), seed=3, grammar=CALLS)
    candidates = proposer.propose(["walk"], 4, seed=1)[0]
    scores = proposer.score(["walk"] * len(candidates), [c.program for c in candidates])
    assert [c.logprob for c in candidates] == pytest.approx(scores, abs=1e-4)


def test_pieces_that_span_several_lexemes_are_constrained_character_by_character():
    pieces = ["add(", "ad", "d", "neg(", "x", "x,", ",", ")", "),", "1", "-", "2", "zer", "o", "jump", "=>", "walk"]
    constrained = mostly_invalid_then_all_valid(causal(word_tokenizer(pieces, fuse=True), seed=1))
    assert any("-" in p for p in constrained) or any("zero" in p for p in constrained)


def subword_tokenizer(kind: str) -> PreTrainedTokenizerFast:
    """A BPE tokenizer trained here on programs: byte-level (GPT-2 style) or metaspace (SentencePiece style)."""
    rng = random.Random(2)
    texts = [random_program(rng) for _ in range(500)] + [" ".join(INPUTS) + " =>"] * 20
    core = Tokenizer(models.BPE())
    if kind == "bytelevel":
        core.pre_tokenizer, core.decoder = pre_tokenizers.ByteLevel(add_prefix_space=False), decoders.ByteLevel()
        alphabet = pre_tokenizers.ByteLevel.alphabet()
    else:
        core.pre_tokenizer, core.decoder = pre_tokenizers.Metaspace(), decoders.Metaspace()
        alphabet = []
    trainer = trainers.BpeTrainer(vocab_size=200, special_tokens=["<pad>", "</s>"], initial_alphabet=alphabet,
                                  show_progress=False)
    core.train_from_iterator(texts, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="</s>")


@pytest.mark.parametrize("kind", ["bytelevel", "metaspace"])
def test_subword_tokenizers_are_constrained_through_their_decoded_pieces(kind):
    mostly_invalid_then_all_valid(causal(subword_tokenizer(kind), seed=2))


def test_seq2seq_proposer_constrained_by_its_word_vocabulary():
    vocab = Vocab(WORDS)
    config = Seq2SeqConfig(model=ModelConfig(d_model=32, layers=1, heads=2, ffn_dim=64), max_new_tokens=24)
    proposer = Seq2SeqProposer(config, vocab=vocab, device="cpu")
    mostly_invalid_then_all_valid(proposer)
    first = proposer.constraint()
    proposer.fit([("walk", "mul ( x , 2 )"), ("jump", "neg ( 2 )")], steps=1)
    assert proposer.constraint() is first  # no new word: the constraint is kept
    proposer.fit([("walk", "add ( x , 17 )")], steps=1)  # a new word grows the vocabulary: rebuilt for it
    assert proposer.constraint() is not first and 17 in [int(t) for t in proposer.vocab.tokens if t.isdigit()]


def test_a_constraint_ends_sequences_it_cannot_continue():
    pieces = [None, None, "neg", "(", "x"]  # no ')': no call can be closed
    constraint = GrammarConstraint(CALLS, pieces, eos_id=1, joiner=" ")
    assert constraint.allowed([]) == (2, 4) and constraint.allowed([2, 3]) == (2, 4)
    assert constraint.allowed([2, 3, 4]) == (1,) and not constraint.complete([2, 3, 4, 1])
    assert constraint.allowed([4]) == (1,) and constraint.complete([4, 1])


def test_smtlib_shaped_programs_from_a_tiny_model_all_read_back():
    tokenizer = word_tokenizer(["(", ")", *sorted(SMT_WORDS), "0", "7", "1.5", "q", *WORDS[-4:]])
    proposer = causal(tokenizer, seed=5)
    free = programs_of(proposer.propose(INPUTS, 8, seed=0))
    assert sum(not smt_valid(p) for p in free) >= 0.8 * len(free)
    proposer.grammar = SExpression(SMT_WORDS, forms=2, max_depth=4)
    constrained = programs_of(proposer.propose(INPUTS, 8, seed=0, rounds=3))
    assert len(constrained) >= 10 and all(smt_valid(p) for p in constrained)
    assert all(len(read_sexprs(p)) <= 2 and max_depth(p) <= 4 for p in constrained)
    assert any("(" in p.strip("( )") for p in constrained)  # nested lists, not only flat ones


def max_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    return deepest
