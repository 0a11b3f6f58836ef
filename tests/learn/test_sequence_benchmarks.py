"""The SCAN and seq suites through the command line, as a user runs them (small, CI-sized)."""

from __future__ import annotations

import json
import subprocess
import sys


def nesy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nesy.cli.main", *args], capture_output=True, text=True, timeout=900)


def test_quick_scan_learns_far_above_the_plain_seq2seq_baseline(tmp_path):
    out = tmp_path / "scan.json"
    result = nesy("bench", "scan", "--quick", "--split", "addprim_jump", "--permute-vocab", "1", "--json", str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["n_train"] == 3000 and data["n_test"] == 500 and data["program_annotations"] == 0
    assert data["accuracy"] >= 0.99
    assert data["accuracy"] >= data["baseline"]["accuracy"] + 0.5


def test_seq_bench_learns_a_language_invented_for_this_test(invented_language, tmp_path):
    train, test = invented_language
    train_file, test_file = tmp_path / "train.txt", tmp_path / "test.jsonl"
    train_file.write_text("".join(f"IN: {s} OUT: {t}\n" for s, t in train))
    test_file.write_text("".join(json.dumps({"input": s, "output": t}) + "\n" for s, t in test))
    out = tmp_path / "seq.json"
    result = nesy("bench", "seq", "--train", str(train_file), "--test", str(test_file), "--set", "baseline=false",
                  "--json", str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["accuracy"] == 1.0 and data["n_test"] == len(test)
    assert any("fep" in rule for rule in data["grammar"])


def test_seq_bench_without_files_says_what_it_needs():
    result = nesy("bench", "seq")
    assert result.returncode == 2 and "needs --train and --test FILE" in result.stderr


def test_malformed_sequence_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("IN: walk OUT: WALK\nthis is not a pair\n")
    result = nesy("bench", "seq", "--train", str(bad), "--test", str(bad))
    assert result.returncode == 2 and "bad.txt:2" in result.stderr and "Traceback" not in result.stderr


def test_proposer_throughput_bench_reports_batch_one_and_sixty_four(tmp_path):
    out = tmp_path / "proposer.json"
    result = nesy("bench", "proposer", "--quick", "--set", "steps=5", "--json", str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert set(data["sampling_per_s"]) == {"1", "64"} and data["sampling_per_s"]["64"] > 0
    assert data["device"] in ("cpu", "cuda", "cuda:0", "mps")
