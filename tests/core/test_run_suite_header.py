"""The common header of a suite's results: the commit is the one the run started from."""

import nesy.suites as suites
from nesy.progress import NullProgress
from nesy.suites import BenchConfig, run_suite


class _CommitsDuringRun:
    name, description, splits = "toy", "a suite whose run outlives a commit", ("iid",)

    def __init__(self, commits):
        self.commits = commits

    def run(self, config, progress):
        self.commits[0] = "later"  # someone commits while the run goes on
        return {"accuracy": 1.0, "n_train": 1, "n_test": 1, "train_seconds": 0.0, "eval_seconds": 0.0}


def test_results_record_the_commit_the_run_started_from(monkeypatch):
    commits = ["first"]
    monkeypatch.setattr(suites, "git_hash", lambda: commits[0])
    results = run_suite(_CommitsDuringRun(commits), BenchConfig(), NullProgress())
    assert results["git_hash"] == "first" and results["split"] == "iid" and results["accuracy"] == 1.0
