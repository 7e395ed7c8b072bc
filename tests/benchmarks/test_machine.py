"""The machine reference every bench prints beside its figures (``bench.machine``)."""

import subprocess
import sys

import pytest

from bench.machine import Reference, load_average, reference
from tests.ops.conftest import ROOT


@pytest.mark.django_db
def test_the_reference_times_the_fixed_work_in_python_and_in_the_database():
    found = reference()
    assert found.python_ms > 0
    assert found.database_ms is not None and found.database_ms > 0
    assert str(found).startswith(f"Python {found.python_ms:.0f} ms, database ")


def test_without_a_database_only_python_is_timed():
    found = reference(database=False)
    assert found.database_ms is None
    assert str(found) == f"Python {found.python_ms:.0f} ms (best of 5; lower is a faster machine)"


def test_the_load_average_has_three_figures():
    assert len(load_average().split(" / ")) == 3


def test_python_m_bench_machine_prints_the_reference(tmp_path):
    """The load test runs it before starting the server, on the load database."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.machine"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DANVAN_DATA_DIR": str(tmp_path), "DANVAN_ENV": "test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Python ") and ", database " in done.stdout


def test_a_reference_reads_as_its_figures():
    assert str(Reference(python_ms=91.6, database_ms=74.2)) == (
        "Python 92 ms, database 74 ms (best of 5; lower is a faster machine)"
    )
