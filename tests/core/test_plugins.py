"""Entry-point discovery: built-ins, a real third-party plugin package, broken plugins."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nesy.errors import NesyError, UnknownBackend
from nesy.registry import get_solver, load_solvers, register_solver, solver_names
from nesy.testing import EchoSolver

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "examples" / "solver-plugin"


def nesy_cli(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nesy.cli.main", *args], capture_output=True, text=True, env=env, input=stdin, timeout=120
    )


def test_builtin_backends_are_registered_through_entry_points():
    assert {"dsl", "sympy", "z3", "clingo"} <= set(solver_names())
    for name in ("dsl", "sympy", "z3", "clingo"):
        solver = get_solver(name)
        assert solver.name == name and solver.languages and solver.version


def test_unknown_backend_names_the_installed_ones():
    with pytest.raises(UnknownBackend, match=r"unknown backend 'nope' \(installed: .*z3"):
        get_solver("nope")


def test_runtime_registration():
    register_solver("echo-test", EchoSolver)
    assert get_solver("echo-test").run("hi").value == "hi"


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    """Install examples/solver-plugin with pip into a private directory (no network needed)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(target), str(PLUGIN)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def test_installing_the_example_plugin_adds_a_backend(plugin_site):
    env = dict(os.environ, PYTHONPATH=str(plugin_site))
    before = json.loads(nesy_cli("solvers", "--json").stdout)
    after = json.loads(nesy_cli("solvers", "--json", env=env).stdout)
    assert "dimacs" not in {row["name"] for row in before}
    row = next(row for row in after if row["name"] == "dimacs")
    assert row["languages"] == ["dimacs"] and row["distribution"] == "nesy-dimacs" and row["status"] == "ok"

    sat = nesy_cli("run", "--backend", "dimacs", "--json", "-", env=env, stdin="p cnf 2 2\n1 2 0\n-1 0\n")
    assert sat.returncode == 0, sat.stderr
    verdict = json.loads(sat.stdout)
    assert verdict["status"] == "sat" and verdict["value"] == {"1": False, "2": True}
    unsat = nesy_cli("run", "--backend", "dimacs", "--json", "-", env=env, stdin="p cnf 1 2\n1 0\n-1 0\n")
    assert json.loads(unsat.stdout)["status"] == "unsat"


def test_a_broken_plugin_only_logs_a_warning(tmp_path, caplog):
    dist = tmp_path / "broken_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[nesy.solvers]\nbroken = broken_plugin_missing_module:Solver\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with caplog.at_level(logging.WARNING):
            solvers, failures = load_solvers()
        assert "broken" in solver_names()
        assert {s.name for s in solvers} >= {"dsl", "sympy", "z3", "clingo"}
        assert [name for name, _ in failures] == ["broken"]
        assert "failed to load" in caplog.text
        with pytest.raises(NesyError, match="installed but failed to load"):
            get_solver("broken")
    finally:
        sys.path.remove(str(tmp_path))
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    listing = nesy_cli("solvers", env=env)
    assert listing.returncode == 0 and "Traceback" not in listing.stderr
    assert "z3" in listing.stdout and "broken" in listing.stdout
