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


# The contradiction rule as one join over every pair of claims on a subject: what the
# canned query did before the pairs were kept as CONTRADICTS edges. The reference.
ALL_PAIRS = """
MATCH (a:Statement)-[ra:ABOUT]->(x)<-[rb:ABOUT]-(b:Statement)
WHERE b.speaker <> a.speaker
  AND (
    (a.stance = 'active' AND b.stance IN ['undecided', 'inactive']
      AND (b.deployment IN a.concerns OR a.deployment IN b.concerns)
      AND (b.status = 'denied'
           OR (coalesce(ra.valid_from, date('0001-01-01')) < coalesce(rb.valid_to, date('9999-12-31'))
               AND coalesce(rb.valid_from, date('0001-01-01')) < coalesce(ra.valid_to, date('9999-12-31')))))
    OR (a.kind = 'metric' AND b.kind = 'metric' AND a.metric = b.metric
      AND a.speaker < b.speaker AND a.value <> b.value
      AND coalesce(a.period_from, date('0001-01-01')) = coalesce(b.period_from, date('0001-01-01'))
      AND coalesce(a.period_to, date('9999-12-31')) = coalesce(b.period_to, date('9999-12-31')))
  )
RETURN a.id, b.id, x.id ORDER BY a.id, b.id, x.id
"""
STORED_PAIRS = """
MATCH (a:Statement)-[c:CONTRADICTS]->(b:Statement)
RETURN a.id, b.id, c.subject ORDER BY a.id, b.id, c.subject
"""


def in_force(store):
    return store.query(IN_FORCE).rows


def contradictions_match(store) -> int:
    stored = store.query(STORED_PAIRS).rows
    assert stored == store.query(ALL_PAIRS).rows
    return len(stored)


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


@pytest.mark.parametrize("seed", [1, 2])
def test_planner_matches_a_full_recompute(tmp_path, monkeypatch, seed):
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
        assert contradictions_match(store) > 20
        everything_recomputed(store)
        assert in_force(store) == planned


def test_a_reimport_in_a_new_session_extends_the_cached_keys(tmp_path):
    """A second process (empty cache) adding claims on stored keys updates them."""
    sheets = list(Generator(3).sheets(200))
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("".join(json.dumps(s) + "\n" for s in sheets[1::2]), encoding="utf-8")
    second.write_text("".join(json.dumps(s) + "\n" for s in sheets[::2]), encoding="utf-8")
    db = tmp_path / "g.db"
    with EmbeddedStore(db) as store:
        assert not import_paths(store, [first]).failures
    with EmbeddedStore(db) as store:
        assert not import_paths(store, [second]).failures
        assert contradictions_match(store) > 0
        planned = in_force(store)
        everything_recomputed(store)
        assert in_force(store) == planned


def test_replace_keeps_the_contradictions_right(tmp_path):
    """--replace drops claims: their edges go, and the survivors' are found again."""
    sheets = list(Generator(4).sheets(300))
    folder = tmp_path / "c"
    folder.mkdir()
    path = folder / "a.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in sheets), encoding="utf-8")
    with EmbeddedStore(tmp_path / "g.db") as store:
        assert not import_paths(store, [path]).failures
        before = contradictions_match(store)
        # every source now reports only its first statement
        for s in sheets:
            s["statements"] = s["statements"][:1]
        path.write_text("".join(json.dumps(s) + "\n" for s in sheets), encoding="utf-8")
        report = import_paths(store, [path], replace=True)
        assert report.total.dropped > 0
        after = contradictions_match(store)
        assert after < before
