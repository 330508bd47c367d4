"""The benchmarks still run (smoke size only; the figures come from `make bench`)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_bench(name, *args):
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / name), "--smoke", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_extraction_benchmark_smoke():
    r = run_bench("bench_extract.py")
    assert r.returncode == 0, r.stderr
    assert "articles/s" in r.stdout


@pytest.mark.browser
def test_view_benchmark_smoke():
    r = run_bench("bench_view.py")
    assert r.returncode == 0, r.stderr
    assert "stable" in r.stdout
