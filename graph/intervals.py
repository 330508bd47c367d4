"""In-force intervals: when each claim starts and stops being the speaker's word.

A claim is in force from its ``valid_from`` (its stated date, else the earliest publication
date of a source reporting it) until the same speaker makes a strictly later status claim
about the same subject and deployment. The interval is stored per subject on the ABOUT edge
(a claim about two forces can be superseded for one only) and summarised on the Statement.

`recompute` is backend-neutral: it runs portable Cypher through the ``run`` callable the
store passes in, inside the store's write transaction.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from graph.store import GraphBatch, Rows

Run = Callable[[str, dict[str, Any]], Rows]

# Statements are looked up with `s.id IN $ids`, which uses the primary key; a pattern
# that binds both ends of an edge from UNWIND rows scanned the edge table instead
# (measured at 100k statements: tens of milliseconds a query).
VALID_FROM = """
MATCH (s:Statement)-[:REPORTED_IN]->(src:Source)
WHERE s.id IN $ids
RETURN s.id AS id, s.stated AS stated, min(src.published) AS first_published
"""

SET_VALID_FROM = """
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.valid_from = date(r.valid_from)
"""

# One text per subject label: Ladybug needs a labelled node for a key lookup. Reads the
# status claims on the touched subjects and deployments (a superset of the touched keys;
# the caller keeps the keys it asked for).
CLAIMS_ON_KEYS = """
MATCH (s:Statement)-[a:ABOUT]->(x:{label})
WHERE x.id IN $subjects AND s.kind = 'status' AND s.deployment IN $deployments
RETURN x.id AS subject, s.deployment AS deployment, s.speaker AS speaker, s.id AS id,
       s.valid_from AS valid_from, a.valid_from AS cur_from, a.valid_to AS cur_to
"""

SET_INTERVAL = """
UNWIND $rows AS r
MATCH (s:Statement {{id: r.id}})-[a:ABOUT]->(x:{label})
WHERE x.id = r.subject
SET a.valid_from = date(r.valid_from), a.valid_to = date(r.valid_to)
"""

STATEMENT_INTERVALS = """
MATCH (s:Statement)-[a:ABOUT]->()
WHERE s.id IN $ids
RETURN s.id AS id, a.valid_to AS valid_to
"""

SET_VALID_TO = """
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.valid_to = date(r.valid_to)
"""

SUBJECT_LABELS = ("Force", "Body", "Person", "Trial")


def texts() -> list[str]:
    """Every Cypher text `recompute` can send (for the Neo4j linter)."""
    out = [VALID_FROM, SET_VALID_FROM, STATEMENT_INTERVALS, SET_VALID_TO]
    for label in SUBJECT_LABELS:
        out += [CLAIMS_ON_KEYS.format(label=label), SET_INTERVAL.format(label=label)]
    return out


def in_force_intervals(claims: Iterable[dict[str, Any]]) -> dict[tuple[str, str], tuple]:
    """Map (statement id, subject id) to (valid_from, valid_to) for claims on some keys.

    ``claims`` are dicts with subject, deployment, speaker, id, valid_from. Each claim
    holds until the same speaker's next strictly later claim on the same key.

    >>> d = dt.date
    >>> sorted(in_force_intervals([
    ...   {"subject": "k", "deployment": "fr", "speaker": "ho", "id": "a", "valid_from": d(2019, 6, 1)},
    ...   {"subject": "k", "deployment": "fr", "speaker": "ho", "id": "b", "valid_from": d(2019, 9, 1)},
    ... ]).items())
    [(('a', 'k'), (datetime.date(2019, 6, 1), datetime.date(2019, 9, 1))), (('b', 'k'), (datetime.date(2019, 9, 1), None))]
    """
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in claims:
        groups[(c["subject"], c["deployment"], c["speaker"])].append(c)
    out: dict[tuple[str, str], tuple] = {}
    for group in groups.values():
        # undated claims sort first and are superseded by any dated one
        dates = sorted({c["valid_from"] for c in group if c["valid_from"] is not None})
        for c in group:
            start = c["valid_from"]
            i = 0 if start is None else bisect.bisect_right(dates, start)
            out[(c["id"], c["subject"])] = (start, dates[i] if i < len(dates) else None)
    return out


def recompute(run: Run, batch: GraphBatch) -> None:
    """Recompute valid_from / valid_to for the statements and keys a batch touched."""
    ids = sorted(batch.statements)
    if not ids:
        return
    rows = []
    for r in run(VALID_FROM, {"ids": ids}).dicts():
        rows.append({"id": r["id"], "valid_from": _iso(r["stated"] or r["first_published"])})
    if rows:
        run(SET_VALID_FROM, {"rows": rows})
    touched: set[str] = set()
    by_label: dict[str, list[dict]] = defaultdict(list)
    for label, subject, deployment in sorted(batch.keys):
        by_label[label].append({"subject": subject, "deployment": deployment})
    for label, keys in by_label.items():
        wanted = {(k["subject"], k["deployment"]) for k in keys}
        params = {"subjects": sorted({k["subject"] for k in keys}),
                  "deployments": sorted({k["deployment"] for k in keys})}
        claims = [c for c in run(CLAIMS_ON_KEYS.format(label=label), params).dicts()
                  if (c["subject"], c["deployment"]) in wanted]
        intervals = in_force_intervals(claims)
        current = {(c["id"], c["subject"]): (c["cur_from"], c["cur_to"]) for c in claims}
        # write only the intervals that changed: on a busy key (one force, one technology,
        # thousands of claims) a new claim changes one or two of them
        changed = {k: v for k, v in intervals.items() if current.get(k) != v}
        rows = [{"id": sid, "subject": subj, "valid_from": _iso(vf), "valid_to": _iso(vt)}
                for (sid, subj), (vf, vt) in sorted(changed.items(), key=_sort_key)]
        if rows:
            run(SET_INTERVAL.format(label=label), {"rows": rows})
        touched |= {sid for sid, _ in changed}
    touched |= set(ids)
    ends: dict[str, list] = defaultdict(list)
    for r in run(STATEMENT_INTERVALS, {"ids": sorted(touched)}).dicts():
        ends[r["id"]].append(r["valid_to"])
    rows = []
    for sid in sorted(touched):
        vts = ends.get(sid)
        if not vts or None in vts:
            vt = None
        else:
            vt = max(vts)
        rows.append({"id": sid, "valid_to": _iso(vt)})
    if rows:
        run(SET_VALID_TO, {"rows": rows})


def _iso(d: dt.date | None) -> str | None:
    # dates travel as ISO text and are cast with date() in the query: a batch whose values
    # are all NULL would otherwise bind as STRING on LadybugDB and fail against DATE
    return d.isoformat() if d is not None else None


def _sort_key(item):
    (sid, subj), _ = item
    return (sid, subj)


__all__ = ["recompute", "in_force_intervals", "texts"]
