"""The benchmark still runs: `benchmarks/run.py --smoke` at its smallest size (CI)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_smoke(tmp_path):
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke",
                        "--out", str(out), "--work", str(tmp_path / "work")],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert {"machine", "sizes", "cli_startup", "targets", "smoke"} <= set(data)
    assert data["smoke"] is True
    assert {"nproc", "ram_gib", "cpu"} <= set(data["machine"])
    assert data["cli_startup"]["seconds"]["median"] > 0
    (size,) = data["sizes"].values()
    assert {"corpus", "import", "merge_sample", "queries", "incremental",
            "db_mb_per_million_statements"} <= set(size)
    assert {"library", "fixed-grouped", "copy-csv"} <= set(size["import"])
    for variant in ("library", "copy-csv"):
        assert size["import"][variant]["statements_per_s"]["median"] > 0, variant
    assert size["merge_sample"]["merge_statements_per_s"]["median"] > 0
    assert size["queries"]["cases"], "no canned query was timed"
    assert all(c["n"] >= 1 for c in size["queries"]["cases"].values())
    assert {t["target"] for t in data["targets"]} >= {"import_vs_copy", "cli_startup"}
    assert (out / "results.md").read_text(encoding="utf-8").startswith("# statusgraph benchmark")
