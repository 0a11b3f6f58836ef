"""Lists as one slot (any length, invented words), edits of fragments, and the unused-slot ranking."""

from __future__ import annotations

import random

import torch

from nesy.learn.edits import edits, unused_slots
from nesy.learn.fragments import FragmentWriter, WriterConfig
from nesy.learn.lists import find_lists
from nesy.learn.slots import SlotCopier
from nesy.proposer import ModelConfig, Seq2SeqConfig
from nesy.proposer.training import TrainConfig
from nesy.solvers.z3_solver import Z3Solver

NAMES = ["Zor", "Mip", "Tav", "Quel", "Brix", "Snod", "Vek", "Yul", "Dach", "Wemp", "Fosk", "Grell"]
UNSEEN = ["Plon", "Krat", "Ibbo", "Nuzz", "Oskel", "Rimf", "Tuvo"]


def tokens(text: str) -> list[str]:
    return text.replace(",", " ,").replace(".", " .").split()


def test_a_list_is_found_by_its_shape_in_any_words():
    assert find_lists(tokens("blor sind Zor, Mip und Tav."), str.istitle) == [(2, 7, ("Zor", "Mip", "Tav"))]
    assert find_lists(tokens("Sna ist ko zib, ko dap, ko fum ve ko lop."), str.istitle) == [
        (2, 13, ("zib", "dap", "fum", "lop"))]
    assert find_lists(tokens("Zor und Mip gleb."), str.istitle) == []  # two items
    assert find_lists(tokens("Zor, Mip und tav gleb."), str.istitle) == []  # names and a word mixed


def test_a_list_is_one_slot_and_its_repeated_program_part_comes_back_for_any_length():
    copier = SlotCopier.fitted(["ka blor sind Zor, Mip und Tav.", "Zor gleb Mip."])
    abstract, slots = copier.abstract(f"ka blor sind {', '.join(UNSEEN[:-1])} und {UNSEEN[-1]}.")
    assert abstract == "ka blor sind ⟨1⟩."
    _, three = copier.abstract("ka blor sind Zor, Mip und Tav.")
    target = copier.abstract_target("(declare-datatype Blor ((zor) (mip) (tav)))", three)
    assert target == "(declare-datatype Blor ((⟨1el⟩) (⟨1z⟩)))"
    restored = copier.restore(target, slots)
    assert restored == "(declare-datatype Blor (" + " ".join(f"({n.lower()})" for n in UNSEEN) + "))"
    assert copier.restore("(assert (= ⟨1l⟩ ⟨1l⟩))", slots) is None  # a list is no single name


def test_a_number_said_twice_takes_its_slots_in_order():
    copier = SlotCopier.fitted(["Zor has 3 blics."])
    _, slots = copier.abstract("Zor gets 3 fleps of 3 blics.")
    assert copier.abstract_target("zor = zor + 3*3", slots) == "⟨1l⟩ = ⟨1l⟩ + ⟨2⟩*⟨3⟩"


def test_edits_fill_unused_slots_and_swap_operators_the_programs_use():
    found = edits("⟨1⟩ plims ⟨2⟩ of ⟨3⟩.", "⟨1l⟩ = ⟨1l⟩ + ⟨2⟩*⟨2⟩", set(), {"+", "-", "*"})
    assert "⟨1l⟩ = ⟨1l⟩ + ⟨2⟩*⟨3⟩" in found and "⟨1l⟩ = ⟨1l⟩ - ⟨2⟩*⟨2⟩" in found
    assert "⟨1l⟩ = ⟨1l⟩ / ⟨2⟩*⟨2⟩" not in found  # no operator the programs never used
    assert unused_slots("⟨1⟩ plims ⟨2⟩ of ⟨3⟩.", "⟨1l⟩ = ⟨1l⟩ + ⟨2⟩*⟨3⟩") == 0


def test_a_writer_trained_on_lists_of_three_writes_a_list_of_seven_that_z3_accepts():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        check_a_list_of_seven()
    finally:
        torch.set_num_threads(threads)


def check_a_list_of_seven() -> None:
    rng = random.Random(0)
    train = []
    for _ in range(12):
        people = rng.sample(NAMES, 3)
        a, b = rng.sample(people, 2)
        text = f"ka blor sind {people[0]}, {people[1]} und {people[2]}.\n{a} gleb {b}."
        fragments = ["(declare-datatype Blor (" + " ".join(f"({p.lower()})" for p in people) + "))",
                     f"(declare-fun g (Blor Blor) Bool)\n(assert (g {a.lower()} {b.lower()}))"]
        train.append((text, fragments))
    copier = SlotCopier.fitted(s for text, _ in train for s in text.split("\n"))
    model = Seq2SeqConfig(model=ModelConfig(d_model=64, layers=2, heads=4, ffn_dim=128, seed=0),
                          train=TrainConfig(batch_size=16, warmup_steps=10, seed=0))
    writer = FragmentWriter(copier, model, WriterConfig(per_sentence=2, epochs=100, min_steps=300))
    writer.fit([(text, writer.remember(text, fragments)) for text, fragments in train])
    text = f"ka blor sind {', '.join(UNSEEN[:-1])} und {UNSEEN[-1]}.\nOskel gleb Krat."
    program = writer.propose([text], 1)[0][0].program
    assert program.startswith("(declare-datatype Blor (" + " ".join(f"({n.lower()})" for n in UNSEEN) + "))")
    verdict = Z3Solver().run(program + "\n(assert (not (g oskel krat)))\n(check-sat)")
    assert verdict.status.value == "unsat", (program, verdict.message)
