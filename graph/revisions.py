"""A source imported again with other content: keep what it said before, or replace it.

By default nothing is lost: statements the new version no longer reports stay reported
by the source, and the report says how many. With ``batch.replace`` (``import
--replace``) they are unlinked from the source, and deleted when no other source
reports them. Backend-neutral: runs portable Cypher through the store's ``run``.
"""

from __future__ import annotations

from graph.intervals import Run
from graph.store import GraphBatch, WriteReport

STORED_HASH = """
UNWIND $ids AS i
MATCH (src:Source {id: i})
RETURN src.id AS id, src.content_hash AS hash
"""
REPORTED = """
MATCH (s:Statement)-[:REPORTED_IN]->(src:Source {id: $source})
RETURN s.id AS id
"""
STALE_KEYS = """
UNWIND $ids AS i
MATCH (s:Statement {id: i})-[:ABOUT]->(x)
WHERE s.kind = 'status'
RETURN labels(x) AS label, x.id AS subject, s.deployment AS deployment
"""
DROP_REPORTS = """
UNWIND $ids AS i
MATCH (s:Statement {id: i})-[r:REPORTED_IN]->(src:Source {id: $source})
DELETE r
"""
ORPHANS = """
UNWIND $ids AS i
MATCH (s:Statement {id: i})
WHERE NOT EXISTS { MATCH (s)-[:REPORTED_IN]->(:Source) }
RETURN s.id AS id
"""
DELETE_STATEMENTS = """
UNWIND $ids AS i
MATCH (s:Statement {id: i})
DETACH DELETE s
"""
SET_HASH = """
UNWIND $rows AS r
MATCH (src:Source {id: r.id})
SET src.content_hash = r.hash
"""


def texts() -> list[str]:
    return [STORED_HASH, REPORTED, STALE_KEYS, DROP_REPORTS, ORPHANS, DELETE_STATEMENTS,
            SET_HASH]


def stored_hashes(run: Run, batch: GraphBatch) -> dict[str, str | None]:
    """The content hash each of the batch's sources had before this write (if it existed)."""
    if not batch.sources:
        return {}
    rows = run(STORED_HASH, {"ids": sorted(batch.sources)}).dicts()
    return {r["id"]: r["hash"] for r in rows}


def revise_sources(run: Run, batch: GraphBatch, before: dict[str, str | None],
                   report: WriteReport) -> None:
    """After the batch is written: handle sources whose content changed; update hashes."""
    changed = [sid for sid, (h, _) in sorted(batch.sources.items())
               if sid in before and before[sid] != h]
    for sid in changed:
        report.changed_sources += 1
        _, now = batch.sources[sid]
        stale = sorted({r["id"] for r in run(REPORTED, {"source": sid}).dicts()} - now)
        if not stale:
            continue
        if not batch.replace:
            report.kept += len(stale)
            continue
        for r in run(STALE_KEYS, {"ids": stale}).dicts():
            label = r["label"] if isinstance(r["label"], str) else sorted(r["label"])[0]
            batch.keys.add((label, r["subject"], r["deployment"]))
        run(DROP_REPORTS, {"ids": stale, "source": sid})
        orphans = [r["id"] for r in run(ORPHANS, {"ids": stale}).dicts()]
        if orphans:
            run(DELETE_STATEMENTS, {"ids": orphans})
        report.dropped += len(stale)
        report.deleted += len(orphans)
        # statements still reported elsewhere may start later now
        batch.statements |= set(stale) - set(orphans)
    if changed:
        run(SET_HASH, {"rows": [{"id": sid, "hash": batch.sources[sid][0]} for sid in changed]})
