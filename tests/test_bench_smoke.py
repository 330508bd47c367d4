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
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()
    assert size["measured"]["commit"].split("+")[0] == head
    assert {"corpus", "import", "merge_sample", "queries", "incremental",
            "db_mb_per_million_statements"} <= set(size)
    assert set(size["import"]) == {"library", "copy-csv"}
    lib = size["import"]["library"]
    for variant in ("library", "copy-csv"):
        assert size["import"][variant]["statements_per_s"]["median"] > 0, variant
    (run,) = lib["runs"]
    assert run["complete"] and run["statements_written"] > 0
    assert run["peak_rss_total_mb"] >= run["peak_rss_mb"] > 0
    assert size["merge_sample"]["merge_statements_per_s"]["median"] > 0
    inc = size["incremental"]
    assert "error" not in inc, inc.get("error")
    assert inc["total_s"]["n"] == 2 and inc["total_s"]["median"] > 0
    assert all(r["statements_added"] > 0 for r in inc["runs"])
    cases = size["queries"]["cases"]
    assert cases, "no canned query was timed"
    assert all(c["n"] >= 1 for c in cases.values())
    for c in cases.values():  # the first page, and for scoped cases the whole answer too
        assert c["page"] == 100 and c["rows_median"] <= 101
        if c["params"] == "global":
            assert "all" not in c
        else:
            assert c["all"]["n"] >= 1 and c["all"]["rows_median"] >= c["rows_median"]
    for q in ("claims-about", "status", "self-vs-others", "provenance"):
        draws = {c["draw"] for c in cases.values() if c["query"] == q and c["params"] != "global"}
        assert draws == {"uniform", "busiest"}, q
    assert {t["target"] for t in data["targets"]} >= {
        "import_vs_copy", "import_vs_merge", "peak_memory", "incremental", "entity_queries",
        "contradictions", "cli_startup"}
    md = (out / "results.md").read_text(encoding="utf-8")
    assert md.startswith("# statusgraph benchmark")
    assert "fixed" not in md
    assert "every row: p50" in md


def test_sizes_from_an_earlier_run_are_flagged():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run

    m = run.machine()
    results = {"machine": m, "sizes": {
        "10000": {"machine": m, "measured": {"started": "2026-12-03 07:32 UTC", "commit": "7f511dc"}},
        "1000000": {"machine": m, "measured": {"started": "2026-12-03 12:32 UTC", "commit": "756054b"}},
    }}
    assert run.notes(results) == [
        "10,000: measured in an earlier run (2026-12-03 07:32 UTC, commit 7f511dc); the newest "
        "figures are from commit 756054b (2026-12-03 12:32 UTC)."]
    del results["sizes"]["10000"]["measured"]
    assert run.notes(results) == [
        "10,000: measured in an earlier run (date not recorded, commit not recorded); the newest "
        "figures are from commit 756054b (2026-12-03 12:32 UTC)."]
    results["sizes"].pop("10000")
    assert run.notes(results) == []
