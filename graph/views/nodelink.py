"""Step one of rendering (style.md §12): a projected graph → a node-link dict.

The dict is plain JSON data: ``nodes`` (``id``, ``label`` = node type, ``caption``, plus
what the page filters and draws on), ``edges`` (``id``, ``source``, ``target``, ``label``
= relationship type) and ``records`` (the side-panel record of each node or clickable
edge, keyed by its id). Every value is text or numbers; the page inserts them as text
only, never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import networkx as nx

from graph.model import model
from graph.projection import CONTRADICTS, ENTITY_LABELS

SPEAKER_LABELS = ("Force", "Body", "Person")
SUBJECT_LABELS = ("Force", "Body", "Person", "Trial")
CAPTION_MAX = 60


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (no javascript:, data:, ...)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


def text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ", timespec="seconds")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, list | tuple | set):
        return ", ".join(text(x) for x in v)
    return str(v)


def iso(v: Any) -> str | None:
    return v.isoformat() if isinstance(v, dt.date) else None


def shorten(s: str, n: int = CAPTION_MAX) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def name_of(G: nx.MultiDiGraph, key: str | None) -> str:
    if key is None or key not in G:
        return text(key)
    a = G.nodes[key]
    return text(a.get("name") or a.get("title") or a.get("id") or key)


def caption(G: nx.MultiDiGraph, key: str) -> str:
    """The full caption of a node: the property schema.yaml names, else its id."""
    a = G.nodes[key]
    nt = model().nodes.get(a.get("label"))
    value = a.get(nt.caption) if nt else None
    return text(value) if value not in (None, "") else text(a.get("id", key))


def statement_label(a: dict[str, Any]) -> str:
    """What a statement node shows on the canvas: its status, metric or kind."""
    if a.get("kind") == "metric" and a.get("metric"):
        unit = f" {a['unit']}" if a.get("unit") else ""
        return f"{a['metric']} = {text(a.get('value'))}{unit}"
    return text(a.get("status") or a.get("kind") or "statement")


def _out(G, key, rtype):
    return [v for _, v, k in G.out_edges(key, keys=True) if k == rtype]


def _in(G, key, rtype):
    return [u for u, _, k in G.in_edges(key, keys=True) if k == rtype]


def speaker_of(G: nx.MultiDiGraph, key: str) -> str | None:
    made = _in(G, key, "MADE")
    if made:
        return made[0]
    sp = G.nodes[key].get("speaker")
    return sp if sp in G else None


def technologies_of(G: nx.MultiDiGraph, key: str) -> list[str]:
    return sorted(v for v in _out(G, key, "CONCERNS") if G.nodes[v].get("label") == "Technology")


def source_entry(G: nx.MultiDiGraph, key: str) -> dict[str, Any]:
    a = G.nodes[key]
    url = a.get("url")
    return {"id": text(key), "title": text(a.get("title") or a.get("id")),
            "publisher": text(a.get("publisher")), "author": text(a.get("author")),
            "published": text(a.get("published")), "kind": text(a.get("kind")),
            "url": safe_url(url), "url_text": text(url)}


def statement_record(G: nx.MultiDiGraph, key: str) -> dict[str, Any]:
    """The side-panel record of one statement, read from the full graph."""
    a = G.nodes[key]
    speaker = speaker_of(G, key)
    subjects = _out(G, key, "ABOUT")
    deployment = a.get("deployment")
    fields = [
        ["Speaker", name_of(G, speaker) if speaker else text(a.get("speaker"))],
        ["Subject", ", ".join(sorted(name_of(G, s) for s in subjects)) or "—"],
        ["Kind", text(a.get("kind"))],
    ]
    if a.get("status"):
        fields.append(["Status", f"{a['status']} ({text(a.get('stance'))})"])
    if a.get("metric"):
        value = text(a.get("value")) + (f" {a['unit']}" if a.get("unit") else "")
        fields.append(["Metric", f"{a['metric']}: {value}"])
        if a.get("period_from") or a.get("period_to"):
            fields.append(["Period", f"{text(a.get('period_from'))} – {text(a.get('period_to'))}"])
    if deployment:
        fields.append(["Deployment", name_of(G, deployment)])
    techs = technologies_of(G, key)
    if techs:
        fields.append(["Technologies", ", ".join(name_of(G, t) for t in techs)])
    fields.append(["Stated", text(a.get("stated_text") or a.get("stated")) or "unknown"])
    if a.get("valid_from") or a.get("valid_to"):
        fields.append(["In force", f"{text(a.get('valid_from')) or '?'} – "
                                   f"{text(a.get('valid_to')) or 'still'}"])
    if a.get("confidence") is not None:
        fields.append(["Confidence", text(a.get("confidence"))])
    if a.get("method"):
        fields.append(["Method", text(a.get("method"))])
    fields.append(["Id", text(a.get("id", key))])
    sources = sorted((source_entry(G, s) for s in _out(G, key, "REPORTED_IN")),
                     key=lambda s: (s["published"], s["title"]))
    return {"type": "Statement", "heading": f"{fields[0][1]}: {statement_label(a)}",
            "fields": fields,
            "evidence": text(a.get("evidence")), "quote": bool(a.get("quote")),
            "sources": sources}


def node_record(G: nx.MultiDiGraph, key: str) -> dict[str, Any]:
    """The side-panel record of any node."""
    a = G.nodes[key]
    label = a.get("label")
    if label == "Statement":
        return statement_record(G, key)
    fields = [["Type", text(label)]]
    skip = {"id", "name", "title", "url", "content_hash"}
    for prop in model().nodes.get(label, model().nodes["Force"]).properties:
        if prop not in skip and a.get(prop) not in (None, "", []):
            fields.append([prop.replace("_", " ").capitalize(), text(a[prop])])
    rec: dict[str, Any] = {"type": text(label), "heading": caption(G, key), "fields": fields,
                           "evidence": "", "quote": False, "sources": []}
    if label == "Source":
        rec["sources"] = [source_entry(G, key)]
        fields.append(["Reports", f"{len(_in(G, key, 'REPORTED_IN'))} statement(s)"])
    else:
        made, about = len(_out(G, key, "MADE")), len(_in(G, key, "ABOUT"))
        if label in SPEAKER_LABELS:
            fields.append(["Claims made", str(made)])
        if label in SUBJECT_LABELS:
            fields.append(["Claims about", str(about)])
        for rtype, title in (("MEMBER_OF", "Member of"), ("RUN_BY", "Run by"),
                             ("FUNDED_BY", "Funded by"), ("USES", "Uses"),
                             ("BROADER", "Broader")):
            targets = _out(G, key, rtype)
            if targets:
                fields.append([title, ", ".join(sorted(name_of(G, t) for t in targets))])
    fields.append(["Id", text(a.get("id", key))])
    return rec


def contradiction_record(G: nx.MultiDiGraph, a: str, b: str, subject: str | None
                         ) -> dict[str, Any]:
    """A contradiction's record: its two statements, by reference (``parts`` are ids of
    statement records in the same ``records`` dict)."""
    return {"type": "Contradiction",
            "heading": f"Contradiction about {name_of(G, subject)}" if subject
            else "Contradiction",
            "fields": [], "evidence": "", "quote": False, "sources": [],
            "parts": [str(a), str(b)]}


def _statement_node_data(G: nx.MultiDiGraph, key: str) -> dict[str, Any]:
    a = G.nodes[key]
    return {"stance": a.get("stance"), "techs": technologies_of(G, key),
            "valid_from": iso(a.get("valid_from")), "valid_to": iso(a.get("valid_to"))}


def node_link(H: nx.MultiDiGraph, full: nx.MultiDiGraph | None = None, *,
              compact: bool = False) -> dict[str, Any]:
    """The node-link dict of a projected graph ``H``.

    ``full`` is the graph records are read from (default ``H``), so that a statement's
    side panel lists all its sources even when the view leaves the Source nodes out.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kent", label="Force", id="kent", name="Kent Police")
    >>> G.add_node("s1", label="Statement", id="s1", status="not_using", stance="inactive")
    >>> G.add_edge("kent", "s1", key="MADE", label="MADE")
    'MADE'
    >>> d = node_link(G)
    >>> [(n["id"], n["label"], n["caption"]) for n in d["nodes"]]
    [('kent', 'Force', 'Kent Police'), ('s1', 'Statement', 's1')]
    >>> [(e["source"], e["target"], e["label"]) for e in d["edges"]]
    [('kent', 's1', 'MADE')]
    """
    full = H if full is None else full
    return _compact(H, full) if compact else _full(H, full)


def _base_node(full: nx.MultiDiGraph, key: str) -> dict[str, Any]:
    a = full.nodes[key]
    cap = caption(full, key)
    names = [cap, text(a.get("id", key)), *[text(x) for x in a.get("aliases") or []]]
    if a.get("label") == "Statement":
        names.append(text(a.get("status")))
    return {"id": str(key), "label": text(a.get("label")), "caption": cap,
            "text": statement_label(a) if a.get("label") == "Statement" else shorten(cap, 40),
            "search": " ".join(n for n in names if n).casefold()}


def _full(H: nx.MultiDiGraph, full: nx.MultiDiGraph) -> dict[str, Any]:
    nodes, edges, records = [], [], {}
    for key, a in H.nodes(data=True):
        n = _base_node(full, key)
        if a.get("label") == "Statement":
            n.update(_statement_node_data(full, key))
        elif a.get("label") == "Source":
            n["stmts"] = sorted(str(s) for s in _in(H, key, "REPORTED_IN"))
        nodes.append(n)
        records[str(key)] = node_record(full, key)
    for i, (u, v, k, a) in enumerate(H.edges(keys=True, data=True)):
        e = {"id": f"e{i}", "source": str(u), "target": str(v), "label": a.get("label", k)}
        if e["label"] == CONTRADICTS:
            e["subject"] = a.get("subject")
            records[e["id"]] = contradiction_record(full, u, v, a.get("subject"))
        edges.append(e)
    return {"compact": False, "nodes": nodes, "edges": edges, "records": records}


def resolve_record(records: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The record of ``key`` with references followed (as the page does)."""
    rec = records.get(key)
    if rec is None:
        return None
    if "ref" in rec:
        return resolve_record(records, rec["ref"])
    if rec.get("parts"):
        rec = dict(rec, parts=[resolve_record(records, p) for p in rec["parts"]])
    return rec


def _compact(H: nx.MultiDiGraph, full: nx.MultiDiGraph) -> dict[str, Any]:
    """Speakers and subjects only; each (statement, subject) is one labelled edge."""
    keep: set[str] = set()
    edges, records = [], {}
    statements = [k for k, a in H.nodes(data=True) if a.get("label") == "Statement"]
    without_subject = 0
    for s in statements:
        sp = speaker_of(H, s)
        subjects = [x for x in _out(H, s, "ABOUT") if x in H]
        if sp is None or not subjects:
            without_subject += 1
            continue
        records[str(s)] = statement_record(full, s)
        for x in subjects:
            eid = f"c{len(edges)}"
            edges.append({"id": eid, "source": str(sp), "target": str(x), "label": "CLAIM",
                          "statement": str(s), "text": statement_label(H.nodes[s]),
                          **_statement_node_data(full, s)})
            records[eid] = {"ref": str(s)}
            keep |= {sp, x}
    # one contradiction edge per pair of speakers, however many claims conflict
    pairs: dict[frozenset, dict[str, Any]] = {}
    for u, v, a in H.edges(data=True):
        if a.get("label") != CONTRADICTS:
            continue
        su, sv = speaker_of(H, u), speaker_of(H, v)
        if su is None or sv is None:
            continue
        p = pairs.setdefault(frozenset((su, sv)), {"source": su, "target": sv, "claims": [],
                                                   "subjects": set()})
        p["claims"] += [str(x) for x in (u, v) if str(x) not in p["claims"]]
        p["subjects"].add(a.get("subject"))
        for x in (u, v):
            records.setdefault(str(x), statement_record(full, x))
    for p in pairs.values():
        eid = f"x{len(edges)}"
        n = len(p["subjects"])
        edges.append({"id": eid, "source": str(p["source"]), "target": str(p["target"]),
                      "label": CONTRADICTS, "statements": p["claims"],
                      "subject": sorted(str(x) for x in p["subjects"])[0]})
        about = ", ".join(sorted(name_of(full, x) for x in p["subjects"]))
        records[eid] = {"type": "Contradiction",
                        "heading": f"{name_of(full, p['source'])} and "
                                   f"{name_of(full, p['target'])} contradict each other "
                                   f"about {about}" if n else "Contradiction",
                        "fields": [], "evidence": "", "quote": False, "sources": [],
                        "parts": p["claims"]}
        keep |= {p["source"], p["target"]}
    nodes = []
    for key in H:
        if key in keep:
            nodes.append(_base_node(full, key))
            records[str(key)] = node_record(full, key)
    return {"compact": True, "nodes": nodes, "edges": edges, "records": records,
            "claims_without_subject": without_subject}


TYPE_RANK = {"Force": 0, "Body": 0, "Person": 0, "Trial": 1, "Technology": 1,
             "Statement": 2, "Source": 4}


def truncate(data: dict[str, Any], max_nodes: int) -> Counter:
    """Keep at most ``max_nodes`` nodes in ``data`` (in place); return what was left out
    per node type. Entities go first, then contradicting statements, statements, sources.
    """
    nodes = data["nodes"]
    if max_nodes < 0 or len(nodes) <= max_nodes:
        return Counter()
    degree: Counter = Counter()
    contradicting: set[str] = set()
    for e in data["edges"]:
        degree[e["source"]] += 1
        degree[e["target"]] += 1
        if e["label"] == CONTRADICTS:
            contradicting |= {e["source"], e["target"]}

    def rank(n):
        r = TYPE_RANK.get(n["label"], 3)
        if n["label"] == "Statement" and n["id"] in contradicting:
            r = 1.5
        return (r, -degree[n["id"]], n["id"])

    ranked = sorted(nodes, key=rank)
    kept, left = ranked[:max_nodes], ranked[max_nodes:]
    ids = {n["id"] for n in kept}
    order = {n["id"]: i for i, n in enumerate(nodes)}
    data["nodes"] = sorted(kept, key=lambda n: order[n["id"]])
    data["edges"] = [e for e in data["edges"] if e["source"] in ids and e["target"] in ids]
    used = ids | {e["id"] for e in data["edges"]}
    used |= {e["statement"] for e in data["edges"] if "statement" in e}
    used |= {s for e in data["edges"] for s in e.get("statements", [])}
    data["records"] = {k: v for k, v in data["records"].items() if k in used}
    for n in data["nodes"]:
        if "stmts" in n:
            n["stmts"] = [s for s in n["stmts"] if s in ids]
    return Counter(n["label"] for n in left)


__all__ = ["node_link", "truncate", "safe_url", "node_record", "statement_record",
           "resolve_record",
           "ENTITY_LABELS"]
