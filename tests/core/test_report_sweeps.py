"""`nesy report` draws results that sweep one field (for example ``digits``) on one plot."""

import json

from nesy.report import sweeps, write_report


def _result(path, digits, accuracy, seconds, sweep="digits"):
    data = {"suite": "digits-add", "split": "default", "seed": 0, "accuracy": accuracy, "ceiling": 0.99,
            "n_train": 10, "n_test": 10, "train_seconds": seconds, "eval_seconds": 1.0, "digits": digits, "sweep": sweep}
    path.write_text(json.dumps(data))
    return path


def test_sweep_groups_by_suite_and_field_sorted_along_the_field(tmp_path):
    files = [_result(tmp_path / f"d{n}.json", n, 0.9, 10.0 * n) for n in (4, 1, 2)]
    results = [json.loads(f.read_text()) for f in files]
    groups = sweeps(results)
    assert list(groups) == [("digits-add", "digits")]
    assert [r["digits"] for r in groups[("digits-add", "digits")]] == [1, 2, 4]


def test_a_single_result_or_one_without_the_field_makes_no_sweep(tmp_path):
    lone = json.loads(_result(tmp_path / "a.json", 1, 0.9, 1.0).read_text())
    other = json.loads(_result(tmp_path / "b.json", 2, 0.9, 1.0, sweep="rounds").read_text())
    assert sweeps([lone, other]) == {}


def test_report_writes_the_sweep_plot(tmp_path):
    for n in (1, 2, 4):
        _result(tmp_path / f"d{n}.json", n, 0.98, 50.0 * n)
    _, images = write_report([tmp_path], tmp_path / "out")
    plot = tmp_path / "out" / "digits-add-sweep-digits.png"
    assert plot in images and plot.stat().st_size > 1000
