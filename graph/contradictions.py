"""Contradictions, kept as CONTRADICTS edges: which claims cannot both be true.

The rule (DESIGN.md): two status claims by different speakers about the same subject and
deployment (the same trial or technology, or a trial and its technology) contradict when
one is active and the other undecided or inactive while both are in force on that
subject, or when the other is a denial (`denied`), whatever the dates. Two metric claims
by different speakers about the same subject, metric and period with different values
contradict too.

Finding them at query time joins every pair of claims on a subject (quadratic in the
busiest subject). Instead `refresh` runs in each write transaction, after the in-force
intervals: for every claim the write added or whose interval it changed, it drops the
edges that claim had on that subject and finds its counterparts again among the claims
on the deployments it could conflict with. The claims it reads are kept in a
`ContradictionCache` between writes of one writer (the embedded store). Backend-neutral:
it reads and writes through the store's ``run`` callable; a store may pass ``insert`` to
create the edges in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from graph.intervals import SUBJECT_LABELS, Run

ACTIVE, COUNTER = "active", ("undecided", "inactive")
_MIN, _MAX = dt.date(1, 1, 1), dt.date(9999, 12, 31)

# status claims on some subjects whose deployment is one of some ids
STATUS_ON_DEPLOYMENTS = """
MATCH (s:Statement)-[a:ABOUT]->(x:{label})
WHERE x.id IN $subjects AND s.kind = 'status' AND s.deployment IN $deployments
RETURN x.id AS subject, s.id AS id, s.speaker AS speaker, s.stance AS stance,
       s.status AS status, s.deployment AS deployment, s.concerns AS concerns,
       a.valid_from AS valid_from, a.valid_to AS valid_to
"""

# status claims on some subjects that concern some deployment (a trial of a technology,
# a narrower technology)
STATUS_CONCERNING = """
UNWIND $elements AS e
MATCH (s:Statement)-[a:ABOUT]->(x:{label})
WHERE x.id IN $subjects AND s.kind = 'status' AND e IN s.concerns
RETURN e AS element, x.id AS subject, s.id AS id, s.speaker AS speaker, s.stance AS stance,
       s.status AS status, s.deployment AS deployment, s.concerns AS concerns,
       a.valid_from AS valid_from, a.valid_to AS valid_to
"""

METRICS_ON = """
MATCH (s:Statement)-[:ABOUT]->(x:{label})
WHERE x.id IN $subjects AND s.kind = 'metric' AND s.metric IN $metrics
RETURN x.id AS subject, s.id AS id, s.speaker AS speaker, s.metric AS metric,
       s.value AS value, s.period_from AS period_from, s.period_to AS period_to
"""

DROP_FROM = """
UNWIND $rows AS r
MATCH (a:Statement {id: r.id})-[c:CONTRADICTS]->(:Statement)
WHERE c.subject = r.subject
DELETE c
"""

DROP_TO = """
UNWIND $rows AS r
MATCH (:Statement)-[c:CONTRADICTS]->(b:Statement {id: r.id})
WHERE c.subject = r.subject
DELETE c
"""

CREATE = """
UNWIND $rows AS r
MATCH (a:Statement {id: r.a})
MATCH (b:Statement {id: r.b})
CREATE (a)-[:CONTRADICTS {subject: r.subject}]->(b)
"""


def texts() -> list[str]:
    """Every Cypher text `refresh` can send (for the Neo4j linter)."""
    out = [DROP_FROM, DROP_TO, CREATE]
    for label in SUBJECT_LABELS:
        out += [t.format(label=label) for t in (STATUS_ON_DEPLOYMENTS, STATUS_CONCERNING,
                                                METRICS_ON)]
    return out


class ContradictionCache:
    """The claims read so far, per subject, with the indexes `refresh` looks them up by.

    ``claims[(label, subject)][id]`` is ``[speaker, stance, status, deployment,
    concerns, valid_from, valid_to]`` (the interval on that subject) for a status claim,
    ``[speaker, metric, value, period_from, period_to]`` for a metric. A ``loaded`` entry
    says every stored claim of that index key has been read.
    """

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.claims: dict[tuple[str, str], dict[str, list]] = defaultdict(dict)
        self.by_deployment: dict[tuple, set[str]] = defaultdict(set)
        self.by_concern: dict[tuple, set[str]] = defaultdict(set)
        self.by_metric: dict[tuple, set[str]] = defaultdict(set)
        self.loaded: set[tuple] = set()

    def add_status(self, label, subject, sid, speaker, stance, status, deployment, concerns,
                   valid_from, valid_to) -> None:
        rec = self.claims[(label, subject)].get(sid)
        if rec is not None:
            rec[5], rec[6] = valid_from, valid_to
            return
        concerns = tuple(concerns or ())
        self.claims[(label, subject)][sid] = [speaker, stance, status, deployment, concerns,
                                              valid_from, valid_to]
        self.by_deployment[(label, subject, deployment)].add(sid)
        for e in concerns:
            self.by_concern[(label, subject, e)].add(sid)

    def add_metric(self, label, subject, sid, speaker, metric, value, period_from,
                   period_to) -> None:
        self.claims[(label, subject)].setdefault(sid, [speaker, metric, value, period_from,
                                                       period_to])
        self.by_metric[(label, subject, metric)].add(sid)


def refresh(run: Run, cache: ContradictionCache, status: Iterable[tuple], metrics:
            Iterable[tuple] = (), *, new: set[str] | frozenset = frozenset(),
            insert: Callable[[list[tuple[str, str, str]]], None] | None = None) -> int:
    """Recompute the CONTRADICTS edges of some claims on some subjects; returns how many
    edges were created. Call after the write and the in-force update, in its transaction.

    ``status``: ``(label, subject, id, deployment, valid_from, valid_to, fields)`` for each
    status claim the write added, or whose interval on that subject it changed; ``fields``
    is ``(speaker, stance, status, concerns)`` or None to read them from the store.
    ``metrics``: ``(label, subject, id, (speaker, metric, value, period_from,
    period_to))`` for each metric claim added. Claims in ``new`` were created by this
    write, so have no edges to drop.
    """
    status, metrics = list(status), list(metrics)
    if not status and not metrics:
        return 0
    _load_status(run, cache, "dep", {(lab, x, dep) for lab, x, _, dep, *_ in status})
    dirty = []
    for lab, x, sid, dep, vf, vt, fields in status:
        if fields is not None:
            cache.add_status(lab, x, sid, *fields[:3], dep, fields[3], vf, vt)
        rec = cache.claims[(lab, x)].get(sid)
        if rec is None:
            continue  # no longer stored (dropped by --replace)
        rec[5], rec[6] = vf, vt
        dirty.append((lab, x, sid))
    want_dep, want_con = set(), set()
    for lab, x, sid in dirty:
        rec = cache.claims[(lab, x)][sid]
        want_dep |= {(lab, x, e) for e in rec[4] or (rec[3],)}
        want_con.add((lab, x, rec[3]))
    _load_status(run, cache, "dep", want_dep)
    _load_status(run, cache, "con", want_con)
    _load_metrics(run, cache, {(lab, x, f[1]) for lab, x, _, f in metrics})
    for lab, x, sid, f in metrics:
        cache.add_metric(lab, x, sid, *f)

    pairs: set[tuple[str, str, str]] = set()
    for lab, x, sid in dirty:
        claims = cache.claims[(lab, x)]
        c = claims[sid]
        candidates = set(cache.by_concern.get((lab, x, c[3]), ()))
        for e in c[4] or (c[3],):
            candidates |= cache.by_deployment.get((lab, x, e), set())
        for other in candidates:
            b = claims[other]
            if c[1] == ACTIVE and b[1] in COUNTER:
                if _status_conflict(c, b):
                    pairs.add((sid, other, x))
            elif c[1] in COUNTER and b[1] == ACTIVE:
                if _status_conflict(b, c):
                    pairs.add((other, sid, x))
    for lab, x, sid, _ in metrics:
        claims = cache.claims[(lab, x)]
        c = claims[sid]
        for other in cache.by_metric.get((lab, x, c[1]), ()):
            b = claims[other]
            if b[0] == c[0] or b[2] == c[2]:
                continue
            if (c[3] or _MIN, c[4] or _MAX) != (b[3] or _MIN, b[4] or _MAX):
                continue
            pairs.add((sid, other, x) if c[0] < b[0] else (other, sid, x))

    stale = sorted({(sid, x) for _, x, sid in dirty if sid not in new}
                   | {(sid, x) for _, x, sid, _ in metrics if sid not in new})
    if stale:
        rows = [{"id": sid, "subject": x} for sid, x in stale]
        run(DROP_FROM, {"rows": rows})
        run(DROP_TO, {"rows": rows})
    edges = sorted(pairs)
    if edges:
        if insert is not None:
            insert(edges)
        else:
            run(CREATE, {"rows": [{"a": a, "b": b, "subject": x} for a, b, x in edges]})
    return len(edges)


def _load_status(run: Run, cache: ContradictionCache, how: str, keys: set[tuple]) -> None:
    """Read the status claims of index keys not read yet (``dep``: by deployment,
    ``con``: by a deployment they concern)."""
    todo: dict[str, list] = defaultdict(list)
    for key in keys:
        if (how, *key) not in cache.loaded:
            todo[key[0]].append(key)
    for label, lkeys in sorted(todo.items()):
        subjects = sorted({k[1] for k in lkeys})
        values = sorted({k[2] for k in lkeys})
        if how == "dep":
            text = STATUS_ON_DEPLOYMENTS.format(label=label)
            params = {"subjects": subjects, "deployments": values}
        else:
            text = STATUS_CONCERNING.format(label=label)
            params = {"subjects": subjects, "elements": values}
        for r in run(text, params).dicts():
            cache.add_status(label, r["subject"], r["id"], r["speaker"], r["stance"],
                             r["status"], r["deployment"], r["concerns"], r["valid_from"],
                             r["valid_to"])
        cache.loaded |= {(how, *k) for k in lkeys}


def _load_metrics(run: Run, cache: ContradictionCache, keys: set[tuple]) -> None:
    todo: dict[str, list] = defaultdict(list)
    for key in keys:
        if ("met", *key) not in cache.loaded:
            todo[key[0]].append(key)
    for label, lkeys in sorted(todo.items()):
        params = {"subjects": sorted({k[1] for k in lkeys}),
                  "metrics": sorted({k[2] for k in lkeys})}
        for r in run(METRICS_ON.format(label=label), params).dicts():
            cache.add_metric(label, r["subject"], r["id"], r["speaker"], r["metric"],
                             r["value"], r["period_from"], r["period_to"])
        cache.loaded |= {("met", *k) for k in lkeys}


def _status_conflict(a: list, b: list) -> bool:
    """``a`` active, ``b`` undecided or inactive (see the module docstring)."""
    if a[0] == b[0]:
        return False
    if not (b[3] in a[4] or a[3] in b[4]):
        return False
    if b[2] == "denied":
        return True
    return (a[5] or _MIN) < (b[6] or _MAX) and (b[5] or _MIN) < (a[6] or _MAX)
