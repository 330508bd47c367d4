"""The embedded store's in-force planner against the reference recompute.

The planner (`graph.intervals.plan` / `apply`) computes in-force data before a batch is
inserted and caches the claims it read between writes; `graph.intervals.recompute`
rereads everything after the write. On a synthetic corpus imported in many small
transactions, in an order that makes later transactions supersede earlier claims,
recomputing every key from scratch afterwards must change nothing.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import Generator  # noqa: E402

import graph.intervals  # noqa: E402
import graph.pipeline  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.intervals import recompute  # noqa: E402
from graph.pipeline import import_paths  # noqa: E402
from graph.store import GraphBatch  # noqa: E402

IN_FORCE = """
MATCH (s:Statement)-[a:ABOUT]->(x)
RETURN s.id AS id, x.id AS subject, s.valid_from AS s_from, s.valid_to AS s_to,
       a.valid_from AS a_from, a.valid_to AS a_to
ORDER BY id, subject
"""


def in_force(store):
    return store.query(IN_FORCE).rows


def everything_recomputed(store) -> None:
    """Run the reference recompute over every statement and status key, in one write."""
    batch = GraphBatch()
    batch.statements = {r[0] for r in store.query("MATCH (s:Statement) RETURN s.id").rows}
    rows = store.query("MATCH (s:Statement)-[:ABOUT]->(x) WHERE s.kind = 'status' "
                       "RETURN labels(x), x.id, s.deployment").rows
    batch.keys = {(lab if isinstance(lab, str) else lab[0], x, d) for lab, x, d in rows}
    store._conn.execute("BEGIN TRANSACTION")
    recompute(lambda t, p: store._run(t, p), batch)
    store._conn.execute("COMMIT")


# line_load_max 0: every key is read whole; 10**9: each (key, speaker) line on its own.
@pytest.mark.parametrize("seed,line_load_max", [(1, 20), (2, 20), (1, 0), (1, 10**9)])
def test_planner_matches_a_full_recompute(tmp_path, monkeypatch, seed, line_load_max):
    monkeypatch.setattr(graph.intervals, "LINE_LOAD_MAX", line_load_max)
    sheets = list(Generator(seed).sheets(1500))
    random.Random(seed).shuffle(sheets)  # later transactions supersede earlier claims
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(3):
        part = sheets[k::3]
        (corpus / f"part-{k}.jsonl").write_text(
            "".join(json.dumps(s) + "\n" for s in part), encoding="utf-8")
    monkeypatch.setattr(graph.pipeline, "GROUP_STATEMENTS", 150)  # many transactions
    with EmbeddedStore(tmp_path / "g.db") as store:
        report = import_paths(store, [corpus])
        assert not report.failures
        assert len(report.sources) > 10
        planned = in_force(store)
        assert sum(1 for r in planned if r[5] is not None) > 20  # some were superseded
        everything_recomputed(store)
        assert in_force(store) == planned


@pytest.mark.parametrize("line_load_max", [0, 10**9])
def test_a_reimport_in_a_new_session_extends_the_cached_keys(tmp_path, monkeypatch,
                                                             line_load_max):
    """A second process (empty cache) adding claims on stored keys updates them."""
    monkeypatch.setattr(graph.intervals, "LINE_LOAD_MAX", line_load_max)
    sheets = list(Generator(3).sheets(200))
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("".join(json.dumps(s) + "\n" for s in sheets[1::2]), encoding="utf-8")
    second.write_text("".join(json.dumps(s) + "\n" for s in sheets[::2]), encoding="utf-8")
    db = tmp_path / "g.db"
    with EmbeddedStore(db) as store:
        assert not import_paths(store, [first]).failures
    with EmbeddedStore(db) as store:
        assert not import_paths(store, [second]).failures
        planned = in_force(store)
        everything_recomputed(store)
        assert in_force(store) == planned
