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

VALID_FROM = """
UNWIND $ids AS i
MATCH (s:Statement {id: i})-[:REPORTED_IN]->(src:Source)
RETURN s.id AS id, s.stated AS stated, min(src.published) AS first_published
"""

SET_VALID_FROM = """
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.valid_from = date(r.valid_from)
"""

# One text per subject label: Ladybug needs a labelled node for a key lookup.
CLAIMS_ON_KEY = """
UNWIND $keys AS k
MATCH (s:Statement)-[a:ABOUT]->(x:{label} {{id: k.subject}})
WHERE s.kind = 'status' AND s.deployment = k.deployment
RETURN x.id AS subject, s.deployment AS deployment, s.speaker AS speaker, s.id AS id,
       s.valid_from AS valid_from, a.valid_from AS cur_from, a.valid_to AS cur_to
"""

# For a subject with many touched keys (a bulk import) one pass over its claims is
# cheaper than one lookup per key.
CLAIMS_ON_SUBJECT = """
UNWIND $subjects AS sid
MATCH (s:Statement)-[a:ABOUT]->(x:{label} {{id: sid}})
WHERE s.kind = 'status'
RETURN x.id AS subject, s.deployment AS deployment, s.speaker AS speaker, s.id AS id,
       s.valid_from AS valid_from, a.valid_from AS cur_from, a.valid_to AS cur_to
"""
KEYS_PER_SUBJECT_SCAN = 16

SET_INTERVAL = """
UNWIND $rows AS r
MATCH (s:Statement {{id: r.id}})-[a:ABOUT]->(x:{label} {{id: r.subject}})
SET a.valid_from = date(r.valid_from), a.valid_to = date(r.valid_to)
"""

STATEMENT_INTERVALS = """
UNWIND $ids AS i
MATCH (s:Statement {id: i})-[a:ABOUT]->()
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
        out += [CLAIMS_ON_KEY.format(label=label), CLAIMS_ON_SUBJECT.format(label=label),
                SET_INTERVAL.format(label=label)]
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
        per_subject: dict[str, set[str]] = defaultdict(set)
        for k in keys:
            per_subject[k["subject"]].add(k["deployment"])
        wide = sorted(s for s, d in per_subject.items() if len(d) > KEYS_PER_SUBJECT_SCAN)
        narrow = [k for k in keys if k["subject"] not in set(wide)]
        claims = []
        if narrow:
            claims += run(CLAIMS_ON_KEY.format(label=label), {"keys": narrow}).dicts()
        if wide:
            claims += [c for c in run(CLAIMS_ON_SUBJECT.format(label=label),
                                      {"subjects": wide}).dicts()
                       if c["deployment"] in per_subject[c["subject"]]]
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


__all__ = ["recompute", "in_force_intervals", "texts", "dt"]
