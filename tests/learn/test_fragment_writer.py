"""The sentence-by-sentence writer on a toy language checked by clingo: copy, self-training, longer texts."""

from __future__ import annotations

import random

from nesy.learn.fragments import FragmentWriter, WriterConfig
from nesy.learn.slots import SlotCopier
from nesy.learn.textprog import TextProblem, TextProgramConfig, learn_text_programs
from nesy.proposer import ModelConfig, Seq2SeqConfig
from nesy.proposer.training import TrainConfig
from nesy.solvers.clingo_solver import ClingoSolver

TRAIN_NAMES = ["Ann", "Bob", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivo", "Jan"]
TEST_NAMES = ["Kim", "Lou", "Max", "Ned", "Ola", "Pia", "Quin", "Rex", "Sam", "Tod"]  # never seen in training


def story(rng: random.Random, names: list[str], n_facts: int, passive: bool) -> tuple[list[str], list[str], list]:
    """A chain 'a likes b, b likes c, ...' told in shuffled order, a distractor, a question about one link."""
    people = rng.sample(names, n_facts + 1)
    sentences, fragments = [], []
    for a, b in zip(people, people[1:]):
        if passive and rng.random() < 0.5:
            sentences.append(f"{b} is liked by {a}.")
        else:
            sentences.append(f"{a} likes {b}.")
        fragments.append(f"likes({a.lower()},{b.lower()}).")
    order = list(range(len(sentences)))
    rng.shuffle(order)
    sentences, fragments = [sentences[i] for i in order], [fragments[i] for i in order]
    sentences.insert(1, f"{rng.choice(people)} sings.")
    fragments.insert(1, "")
    i = rng.randrange(n_facts)
    sentences.append(f"Whom does {people[i]} like?")
    fragments.append(f"q(X) :- likes({people[i].lower()},X). #show q/1.")
    return sentences, fragments, [f"q({people[i + 1].lower()})"]


def problems(seed: int, n: int, names: list[str], sizes: tuple[int, int], *, passive: bool = True, annotated: int = 0):
    rng = random.Random(seed)
    out = []
    for j in range(n):
        sentences, fragments, answer = story(rng, names, rng.randint(*sizes), passive and j >= annotated)
        out.append(TextProblem(f"p{seed}-{j}", tuple(sentences), answer, tuple(fragments) if j < annotated else None))
    return out


def small_config(**overrides) -> TextProgramConfig:
    options = dict(
        rounds=3, k=16, start_fraction=0.5, writer=WriterConfig(per_sentence=4),
        model=ModelConfig(d_model=64, layers=2, heads=4, ffn_dim=128, seed=0),
        train=TrainConfig(batch_size=16, warmup_steps=10, seed=0),
        direct_steps=20,
    )
    options.update(overrides)
    return TextProgramConfig(**options)


def test_the_gold_program_checks_and_the_copier_abstracts_unseen_names():
    sentences, fragments, answer = story(random.Random(0), TEST_NAMES, 3, True)
    program = "\n".join(f for f in fragments if f)
    assert ClingoSolver().check(program, None, answer).status.value == "ok"
    copier = SlotCopier.fitted(s for p in problems(1, 20, TRAIN_NAMES, (2, 3)) for s in p.sentences)
    abstract, slots = copier.abstract("Whom does Kim like?")
    assert abstract == "Whom does ⟨1⟩ like?" and slots == ("Kim",)
    assert copier.restore("q(X) :- likes(⟨1l⟩,X).", slots) == "q(X) :- likes(kim,X)."
    assert copier.restore("likes(⟨1l⟩,⟨2l⟩).", slots) is None  # a slot the sentence does not have


def test_self_training_learns_a_template_no_annotation_shows_and_copies_unseen_names_into_longer_texts(tmp_path, one_thread):
    train = problems(1, 40, TRAIN_NAMES, (2, 3), annotated=4)  # annotated ones never use the passive
    test = problems(2, 20, TEST_NAMES, (5, 7))  # longer chains, unseen names
    results = learn_text_programs(train, test, ClingoSolver(), tmp_path / "run", small_config(), workers=2)
    assert results["annotated_programs"] == 4
    assert results["accuracy"] >= 0.9
    assert results["accuracy"] > results["annotated_only"]["accuracy"] + 0.3  # the passive was learned from answers
    assert results["baseline"]["accuracy"] <= 0.5  # answers of unseen names cannot be guessed
    rounds = results["rounds"]
    assert rounds[-1]["pass_at_k"] >= 0.9 and sum(rounds[-1]["statuses"].values()) > 0
    assert results["train_verified"] >= 0.9
    assert (tmp_path / "run" / "fragments.jsonl").exists()


def test_proposals_are_distinct_programs_best_first_and_remember_their_fragments(one_thread):
    train = problems(3, 10, TRAIN_NAMES, (2, 2), passive=False, annotated=10)
    copier = SlotCopier.fitted(s for p in train for s in p.sentences)
    model = Seq2SeqConfig(model=small_config().model, train=small_config().train)
    writer = FragmentWriter(copier, model, WriterConfig(per_sentence=3))
    writer.fit([(p.text, writer.remember(p.text, p.fragments)) for p in train])
    text = "\n".join(["Kim likes Lou.", "Kim sings.", "Whom does Kim like?"])
    candidates = writer.propose([text], 5)[0]
    programs = [c.program for c in candidates]
    assert len(set(programs)) == len(programs) >= 2
    assert [c.logprob for c in candidates] == sorted((c.logprob for c in candidates), reverse=True)
    assert programs[0] == "likes(kim,lou).\nq(X) :- likes(kim,X). #show q/1."
    assert writer.training_pairs([(text, programs[0])])[0] == ("⟨1⟩ likes ⟨2⟩.", "likes(⟨1l⟩,⟨2l⟩).")
