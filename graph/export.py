"""Export the graph as claim sheets, one per source, in a stable order.

The sheets are format 1 and re-importable: exporting, importing the export into an
empty database and exporting again gives the same bytes. Import-time data
(``imported_at``) is not part of a sheet and is not exported.
"""

from __future__ import annotations

import json
from collections import defaultdict

from graph.model import model
from graph.store import Store

SOURCES = """
MATCH (src:Source)
RETURN src.id AS id, src.title AS title, src.publisher AS publisher, src.author AS author,
       src.url AS url, src.published AS published, src.published_text AS published_text,
       src.kind AS kind
ORDER BY id
"""
CITES = """
MATCH (a:Source)-[:CITES]->(b:Source)
RETURN a.id AS source, b.url AS url, b.title AS title
ORDER BY source, url, title
"""
REPORTS = """
MATCH (s:Statement)-[r:REPORTED_IN]->(src:Source)
RETURN src.id AS source, s.id AS id, r.start AS start, r.`end` AS `end`
ORDER BY source, id
"""
STATEMENTS = """
MATCH (sp)-[:MADE]->(s:Statement)
RETURN s.id AS id, sp.id AS speaker, s.kind AS kind, s.status AS status,
       s.deployment AS deployment, s.technology AS technology, s.stated_text AS stated,
       s.quote AS quote, s.evidence AS evidence, s.confidence AS confidence,
       s.method AS method, s.metric AS metric, s.value AS value, s.unit AS unit,
       s.period_from AS period_from, s.period_to AS period_to
ORDER BY id
"""
ABOUTS = """
MATCH (s:Statement)-[:ABOUT]->(x)
RETURN s.id AS id, x.id AS about, labels(x) AS label
ORDER BY id, about
"""
TRIALS = """
MATCH (t:Trial)
OPTIONAL MATCH (t)-[:USES]->(x:Technology)
OPTIONAL MATCH (t)-[:RUN_BY]->(r)
OPTIONAL MATCH (t)-[:FUNDED_BY]->(f:Body)
RETURN t.id AS id, t.name AS name, x.id AS technology, r.id AS run_by, f.id AS funded_by,
       t.description AS description
ORDER BY id
"""
ENTITIES = """
MATCH (n:{label})
RETURN n.id AS id, n.name AS name, n.aliases AS aliases, {extra}
ORDER BY id
"""
MEMBERS = """
MATCH (p:Person)-[m:MEMBER_OF]->(o)
RETURN p.id AS id, o.id AS org, m.role AS role
ORDER BY id, org
"""


def texts() -> list[str]:
    return [SOURCES, CITES, REPORTS, STATEMENTS, ABOUTS, TRIALS, MEMBERS,
            *(_entity_text(label) for label in ("Force", "Body", "Person"))]


def _entity_text(label: str) -> str:
    extra = ("n.kind AS kind, n.nation AS nation" if label != "Person" else "n.role AS role")
    return ENTITIES.format(label=label, extra=extra)


def claim_sheets(store: Store) -> list[dict]:
    """Every source as a claim-sheet dict, sources and statements in a stable order."""
    from loaders.gazetteer import builtin

    g = builtin()
    fmt = model().format
    statements = {r["id"]: r for r in store.query(STATEMENTS).dicts()}
    about: dict[str, list[str]] = defaultdict(list)
    for r in store.query(ABOUTS).dicts():
        about[r["id"]].append(r["about"])
    trials = {r["id"]: r for r in store.query(TRIALS).dicts()}
    entities = {}
    for label in ("Force", "Body", "Person"):
        for r in store.query(_entity_text(label)).dicts():
            entities[r["id"]] = {"type": label, **r}
    members = {r["id"]: r for r in store.query(MEMBERS).dicts()}
    reports: dict[str, list[dict]] = defaultdict(list)
    for r in store.query(REPORTS).dicts():
        reports[r["source"]].append(r)
    cites: dict[str, list[str]] = defaultdict(list)
    for r in store.query(CITES).dicts():
        cites[r["source"]].append(r["url"] or r["title"])
    sheets = []
    for src in store.query(SOURCES).dicts():
        if not reports.get(src["id"]):
            continue  # a cited source we know only by its address
        stmts, used_entities, used_trials = [], set(), set()
        for rep in reports[src["id"]]:
            s = statements[rep["id"]]
            st: dict = {"speaker": s["speaker"], "about": about.get(s["id"], []),
                        "kind": s["kind"]}
            used_entities.add(s["speaker"])
            for a in st["about"]:
                (used_trials if a in trials else used_entities).add(a)
            if s["status"]:
                st["status"] = s["status"]
            if s["kind"] == "metric":
                st.update(metric=s["metric"], value=_num(s["value"]), unit=s["unit"],
                          period=[_iso(s["period_from"]), _iso(s["period_to"])])
            if s["deployment"] in trials:
                st["trial"] = s["deployment"]
                used_trials.add(s["deployment"])
            if s["technology"]:
                st["technology"] = s["technology"]
            st.update(stated=s["stated"], quote=bool(s["quote"]), evidence=s["evidence"])
            if rep["start"] is not None:
                st["span"] = [rep["start"], rep["end"]]
            if s["confidence"] is not None:
                st["confidence"] = s["confidence"]
            st["method"] = s["method"]
            stmts.append((s["stated"] or "", s["id"], st))
        for t in used_trials:
            for ref in (trials[t]["run_by"], trials[t]["funded_by"]):
                if ref:
                    used_entities.add(ref)
        declared = []
        todo = sorted(used_entities)
        while todo:
            eid = todo.pop(0)
            e = entities.get(eid)
            if e is None or eid in g.entities or any(d["id"] == eid for d in declared):
                continue
            d = {"id": eid, "name": e["name"], "type": e["type"], "aliases": e["aliases"] or []}
            if e["type"] == "Person":
                m = members.get(eid)
                d["role"] = e.get("role")
                if m:
                    d["member_of"] = m["org"]
                    todo.append(m["org"])
            else:
                d.update(kind=e.get("kind"), nation=e.get("nation"))
            declared.append(d)
        sheet = {
            "format": fmt,
            "source": {"title": src["title"], "publisher": src["publisher"],
                       "author": src["author"], "url": src["url"],
                       "published": src["published_text"] or _iso(src["published"]),
                       "kind": src["kind"]},
            "entities": sorted(declared, key=lambda d: d["id"]),
            "trials": [{"id": t, "name": trials[t]["name"],
                        "technology": trials[t]["technology"], "run_by": trials[t]["run_by"],
                        "funded_by": trials[t]["funded_by"],
                        "description": trials[t]["description"]} for t in sorted(used_trials)],
            "statements": [st for _, _, st in sorted(stmts, key=lambda x: (x[0], x[1]))],
        }
        if cites.get(src["id"]):
            sheet["source"]["cites"] = cites[src["id"]]
        sheets.append(((src["published_text"] or "", src["id"]), sheet))
    return [s for _, s in sorted(sheets, key=lambda x: x[0])]


def _iso(d):
    return d.isoformat() if d is not None else None


def _num(v):
    return int(v) if v is not None and float(v).is_integer() else v


def to_jsonl(sheets: list[dict]) -> str:
    return "".join(json.dumps(s, ensure_ascii=False, sort_keys=False) + "\n" for s in sheets)


def to_yaml(sheets: list[dict]) -> str:
    import yaml

    return yaml.safe_dump_all(sheets, allow_unicode=True, sort_keys=False, width=100,
                              explicit_start=True)
