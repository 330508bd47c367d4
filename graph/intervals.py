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
from dataclasses import dataclass, field
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

# The edge through OPTIONAL MATCH from the statement found by its key: LadybugDB then
# follows the statement's few edges; with MATCH, in one pattern or two, it hash-joined
# the whole ABOUT table (PROFILE at 1M statements: 1.07M edges scanned and built, 0.8 s
# of look-up for 4,500 rows; 0.19 s this way). The edge is always there (the rows come
# from it); the WHERE keeps a NULL edge out of the SET all the same.
_SET_ABOUT = """
UNWIND $rows AS r
MATCH (s:Statement {{id: r.id}})
OPTIONAL MATCH (s)-[a:ABOUT]->(x:{label})
WHERE x.id = r.subject
WITH a, r WHERE a IS NOT NULL
SET $sets
"""  # $sets: filled in below; {label}: by the caller
SET_INTERVAL = _SET_ABOUT.replace(
    "$sets", "a.valid_from = date(r.valid_from), a.valid_to = date(r.valid_to)")

# A new claim mostly moves only the end of its speaker's earlier claim, and each edge
# property set costs about 0.2 ms a row (4,500 rows at 1M: 1.1 s for valid_to alone,
# 2.0 s for both)
SET_INTERVAL_END = _SET_ABOUT.replace("$sets", "a.valid_to = date(r.valid_to)")

# Every ABOUT interval of some statements. OPTIONAL MATCH, as in SET_INTERVAL (4,500 ids
# at 1M statements: 150 ms, against 350-450 ms with MATCH in one pattern and 8.8 s by
# `WHERE s.id IN $ids`)
TOUCHED_INTERVALS = """
UNWIND $ids AS i
MATCH (s:Statement {id: i})
OPTIONAL MATCH (s)-[a:ABOUT]->()
WITH s, a WHERE a IS NOT NULL
RETURN s.id AS id, a.valid_to AS valid_to
"""

SET_VALID_TO = """
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.valid_to = date(r.valid_to)
"""

SUBJECT_LABELS = ("Force", "Body", "Person", "Trial")


def texts() -> list[str]:
    """Every Cypher text `recompute` and the planner can send (for the Neo4j linter)."""
    out = [VALID_FROM, SET_VALID_FROM, TOUCHED_INTERVALS, SET_VALID_TO, EXISTING_STATEMENTS]
    for label in SUBJECT_LABELS:
        out += [CLAIMS_ON_KEYS.format(label=label), SET_INTERVAL.format(label=label),
                SET_INTERVAL_END.format(label=label)]
        out += [CLAIMS_ON_LINE.format(label=label, speaker_label=sl) for sl in SPEAKER_LABELS]
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
    _summarise_valid_to(run, touched)


def _summarise_valid_to(run: Run, ids: set[str]) -> None:
    """Set each statement's valid_to from its ABOUT edges: the latest, or NULL (in force)
    if any of them is still in force or it has none."""
    ends: dict[str, list] = defaultdict(list)
    touched = sorted(ids)
    for r in run(TOUCHED_INTERVALS, {"ids": touched}).dicts():
        ends[r["id"]].append(r["valid_to"])
    rows = []
    for sid in touched:
        vts = ends.get(sid)
        rows.append({"id": sid, "valid_to": _iso(None if not vts or None in vts else max(vts))})
    run(SET_VALID_TO, {"rows": rows})


# -- the incremental planner (embedded store) -------------------------------------------
# `recompute` rereads every claim on every touched key after each write; in a bulk import
# the busy keys (one force, one technology) are touched by every transaction, so it reread
# and rewrote most of the graph each time (66 of 180 s at 100k statements). The planner
# keeps the claims of the keys it has read in a `ClaimCache` held by the store between
# writes, computes the in-force data of a batch *before* it is inserted (so new nodes and
# edges go in with their final values), and afterwards updates only the stored claims
# whose interval the batch changed.

# a key look-up per id: `WHERE s.id IN $ids` on the node table scanned it (measured at
# 100k statements: 0.8 s for 20,000 ids, against 12 ms this way)
EXISTING_STATEMENTS = """
UNWIND $ids AS i
MATCH (s:Statement {id: i})
RETURN s.id AS id, s.valid_from AS valid_from
"""

# One speaker's status claims on one key, from the speaker's MADE edges, one query per
# (key, speaker) line: on the 1M-statement corpus `CLAIMS_ON_KEYS` reads the busiest
# subject's 238k ABOUT edges (1.4-2.5 s), this 20-130 ms a line. Not UNWIND over the
# lines: LadybugDB then joins whole tables (0.9 s for one line).
CLAIMS_ON_LINE = """
MATCH (sp:{speaker_label})-[:MADE]->(s:Statement)-[a:ABOUT]->(x:{label})
WHERE sp.id = $speaker AND x.id = $subject AND s.kind = 'status'
  AND s.deployment = $deployment
RETURN s.id AS id, s.valid_from AS valid_from, a.valid_from AS cur_from, a.valid_to AS cur_to
"""

SPEAKER_LABELS = ("Force", "Body", "Person")

# a batch that needs more (key, speaker) lines than this, on keys not yet read whole,
# reads those keys whole: a bulk import meets most speakers of a busy key anyway
LINE_LOAD_MAX = 20

class ClaimCache:
    """The status claims of every key read so far, by speaker.

    ``keys[key][speaker][statement id]`` is ``[valid_from, stored valid_from, stored
    valid_to]`` (the stored pair is what the ABOUT edge holds). Valid only while one
    writer holds the database: the store clears it when a transaction fails or a raw
    write query runs.
    """

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str, str], dict[str, dict[str, list]]] = {}
        # keys read whole; of the others only the speakers in ``keys[key]`` are known
        self.complete: set[tuple[str, str, str]] = set()
        # one object per distinct date: a million claims share a few thousand dates, and
        # three date objects a claim were a third of the cache (32 bytes each)
        self._dates: dict[dt.date, dt.date] = {}

    def clear(self) -> None:
        self.keys.clear()
        self.complete.clear()
        self._dates.clear()

    def date(self, d: dt.date | None) -> dt.date | None:
        """The cache's one object for this date."""
        return None if d is None else self._dates.setdefault(d, d)

    def record(self, valid_from, cur_from, cur_to) -> list:
        """A stored claim's entry: [valid_from, stored valid_from, stored valid_to]."""
        return [self.date(valid_from), self.date(cur_from), self.date(cur_to)]

    def missing(self, key: tuple[str, str, str], speaker: str) -> bool:
        return key not in self.complete and speaker not in self.keys.get(key, ())


@dataclass
class Pending:
    """What `plan` decided and `apply` writes once the batch is inserted."""

    valid_from: list[dict] = field(default_factory=list)     # existing statements
    # label -> ABOUT rows: id, subject, valid_to, and valid_from only where it changed
    intervals: dict[str, list[dict]] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)  # existing statements to re-summarise


def plan(run: Run, batch: GraphBatch, cache: ClaimCache) -> Pending:
    """Fill in the batch's in-force data and return the updates stored claims need.

    Same result as `recompute` after the write, for a batch whose sources are new or
    unchanged (a changed source under ``--replace`` removes claims: the store runs
    `recompute` for that case).
    """
    pending = Pending()
    stmts = batch.nodes.get("Statement", {})
    if not stmts:
        return pending
    ids = sorted(stmts)
    stored_from = {}
    for r in run(EXISTING_STATEMENTS, {"ids": ids}).dicts():
        stored_from[r["id"]] = r["valid_from"]
    # valid_from: the stated date, else the earliest publication of a reporting source;
    # a new statement's sources are all in the batch, a stored one's may also be earlier
    sources = batch.nodes.get("Source", {})
    first: dict[str, dt.date] = {}
    for (sid, src), _ in batch.rels.get(("REPORTED_IN", "Statement", "Source"), {}).items():
        pub = sources.get(src, {}).get("published")
        if pub is not None and (sid not in first or pub < first[sid]):
            first[sid] = pub
    valid_from = {}
    for sid in ids:
        node = stmts[sid]
        vf = node.get("stated") or first.get(sid)
        if sid in stored_from:
            old = stored_from[sid]
            if node.get("stated") is None and old is not None and (vf is None or old < vf):
                vf = old
            if vf != old:
                pending.valid_from.append({"id": sid, "valid_from": _iso(vf)})
                pending.touched.add(sid)
        else:
            node["valid_from"] = vf
        valid_from[sid] = vf
    # the status claims of the batch, per key
    mine: dict[tuple, list[tuple[str, str]]] = defaultdict(list)  # key -> [(sid, subject)]
    for (rtype, _fl, tl), pairs in batch.rels.items():
        if rtype != "ABOUT":
            continue
        for (sid, subject) in pairs:
            node = stmts.get(sid)
            if node is not None and node["kind"] == "status":
                mine[(tl, subject, node["deployment"])].append((sid, subject))
    speaker_label = {sp: fl for (rtype, fl, _tl), pairs in batch.rels.items()
                     if rtype == "MADE" for (sp, _sid) in pairs}
    lines = sorted({(key, stmts[sid]["speaker"]) for key, edges in mine.items()
                    for sid, _ in edges if cache.missing(key, stmts[sid]["speaker"])})
    if len(lines) <= LINE_LOAD_MAX and all(sp in speaker_label for _, sp in lines):
        _load_lines(run, cache, lines, speaker_label)
    else:
        _load(run, cache, sorted({key for key, _ in lines}))
    about_vt: dict[str, list] = defaultdict(list)
    for key, edges in mine.items():
        speakers = cache.keys[key]
        touched_speakers = set()
        for sid, _subject in edges:
            speaker = stmts[sid]["speaker"]
            claims = speakers.setdefault(speaker, {})
            rec = claims.get(sid)
            if rec is None:
                claims[sid] = [cache.date(valid_from[sid]), None, None, True]
            else:
                rec[0] = cache.date(valid_from[sid])
            touched_speakers.add(speaker)
        label, subject, _ = key
        rows = pending.intervals.setdefault(label, [])
        new_pairs = batch.rels[("ABOUT", "Statement", label)]
        # a claim is superseded only by its own speaker's: the others' are unchanged
        for speaker in touched_speakers:
            claims = speakers[speaker]
            for sid, (vf, vt) in _speaker_intervals(claims).items():
                rec = claims[sid]
                if len(rec) == 4:  # inserted by this batch: the edge goes in with its values
                    props = new_pairs[(sid, subject)]
                    props["valid_from"], props["valid_to"] = vf, vt
                    about_vt[sid].append(vt)
                    del rec[3]
                elif (rec[1], rec[2]) != (vf, vt):
                    row = {"id": sid, "subject": subject, "valid_to": _iso(vt)}
                    if rec[1] != vf:
                        row["valid_from"] = _iso(vf)
                    rows.append(row)
                    pending.touched.add(sid)
                rec[1], rec[2] = vf, vt
    for sid in ids:
        if sid not in stored_from:
            vts = about_vt.get(sid)
            stmts[sid]["valid_to"] = None if not vts or None in vts else max(vts)
    return pending


def apply(run: Run, pending: Pending) -> None:
    """Write the updates `plan` decided for claims stored before the batch."""
    if pending.valid_from:
        run(SET_VALID_FROM, {"rows": pending.valid_from})
    for label, rows in sorted(pending.intervals.items()):
        rows.sort(key=lambda r: (r["id"], r["subject"]))
        both = [r for r in rows if "valid_from" in r]
        end_only = [r for r in rows if "valid_from" not in r]
        if both:
            run(SET_INTERVAL.format(label=label), {"rows": both})
        if end_only:
            run(SET_INTERVAL_END.format(label=label), {"rows": end_only})
    if pending.touched:
        _summarise_valid_to(run, pending.touched)


def _load(run: Run, cache: ClaimCache, keys: list[tuple[str, str, str]]) -> None:
    """Read every status claim on ``keys`` into the cache."""
    by_label: dict[str, list] = defaultdict(list)
    for key in keys:
        cache.keys[key] = {}  # the lines of a partly read key are read again with the rest
        cache.complete.add(key)
        by_label[key[0]].append(key)
    for label, lkeys in sorted(by_label.items()):
        params = {"subjects": sorted({k[1] for k in lkeys}),
                  "deployments": sorted({k[2] for k in lkeys})}
        for c in run(CLAIMS_ON_KEYS.format(label=label), params).dicts():
            speakers = cache.keys.get((label, c["subject"], c["deployment"]))
            if speakers is not None:
                speakers.setdefault(c["speaker"], {})[c["id"]] = cache.record(
                    c["valid_from"], c["cur_from"], c["cur_to"])


def _load_lines(run: Run, cache: ClaimCache, lines: list[tuple[tuple[str, str, str], str]],
                speaker_label: dict[str, str]) -> None:
    """Read one speaker's status claims on one key, for each (key, speaker) line."""
    for key, speaker in lines:
        label, subject, deployment = key
        claims = cache.keys.setdefault(key, {})[speaker] = {}
        text = CLAIMS_ON_LINE.format(label=label, speaker_label=speaker_label[speaker])
        params = {"speaker": speaker, "subject": subject, "deployment": deployment}
        for c in run(text, params).dicts():
            claims[c["id"]] = cache.record(c["valid_from"], c["cur_from"], c["cur_to"])


def _speaker_intervals(claims: dict[str, list]) -> dict[str, tuple]:
    """In-force interval of each of one speaker's claims on one key (see
    `in_force_intervals`)."""
    if len(claims) == 1:
        (sid, rec), = claims.items()
        return {sid: (rec[0], None)}
    dates = sorted({rec[0] for rec in claims.values() if rec[0] is not None})
    out = {}
    for sid, rec in claims.items():
        start = rec[0]
        i = 0 if start is None else bisect.bisect_right(dates, start)
        out[sid] = (start, dates[i] if i < len(dates) else None)
    return out


def _iso(d: dt.date | None) -> str | None:
    # dates travel as ISO text and are cast with date() in the query: a batch whose values
    # are all NULL would otherwise bind as STRING on LadybugDB and fail against DATE
    return d.isoformat() if d is not None else None


def _sort_key(item):
    (sid, subj), _ = item
    return (sid, subj)


__all__ = ["recompute", "in_force_intervals", "texts", "plan", "apply", "ClaimCache"]
