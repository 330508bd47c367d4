"""The networkx projection of a store, and GraphML / GEXF export (issue #4).

`read_graph` reads every node and relationship with portable Cypher (one label per
pattern, scalar columns, see docs/cypher-portability.md §0); `project` narrows the result
in Python (focus neighbourhood, in force on a date, one technology); `to_networkx` does
both. Nodes are keyed by their ``id``; the node attribute ``label`` is the node type and
the other attributes are the node's properties (nulls left out). Edges are keyed by the
relationship type and carry ``label`` (the type) plus the relationship's properties.
Contradictions, which are derived rather than stored, are added as ``CONTRADICTS`` edges
between the two Statements with ``subject`` and ``derived=True``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import QueryError
from graph.model import model
from graph.store import Store, normalise_value

CONTRADICTS = "CONTRADICTS"
ENTITY_LABELS = ("Force", "Body", "Person", "Trial", "Technology")


def _q(name: str) -> str:
    # backticks: `end` and friends are keywords; both backends accept quoted names
    return f"`{name}`"


def node_query(label: str) -> str:
    """The Cypher text that reads every node of one label as scalar columns."""
    props = model().nodes[label].properties
    cols = ", ".join(f"n.{_q(p)} AS {_q(p)}" for p in props)
    return f"MATCH (n:{label}) RETURN {cols}"


def rel_query(rtype: str, from_label: str, to_label: str) -> str:
    """The Cypher text that reads every relationship of one type between two labels."""
    props = model().rels[rtype].properties
    cols = "".join(f", r.{_q(p)} AS {_q('p_' + p)}" for p in props)
    return (f"MATCH (a:{from_label})-[r:{rtype}]->(b:{to_label}) "
            f"RETURN a.id AS source, b.id AS target{cols}")


def texts() -> list[str]:
    """Every Cypher text this module sends (for the Neo4j linter)."""
    m = model()
    out = [node_query(label) for label in m.nodes]
    for rtype, rel in m.rels.items():
        out += [rel_query(rtype, f, t) for f, t in rel.pairs]
    return out


def read_graph(store: Store) -> nx.MultiDiGraph:
    """Read the whole store into a MultiDiGraph (no contradiction edges)."""
    m = model()
    G = nx.MultiDiGraph()
    keys: dict[tuple[str, str], str] = {}
    for label in m.nodes:
        for row in store.query(node_query(label), {}).dicts():
            attrs = {k: normalise_value(v) for k, v in row.items() if v is not None}
            nid = attrs["id"]
            key = nid if nid not in G else f"{label}:{nid}"  # ids are unique per label only
            keys[(label, nid)] = key
            G.add_node(key, label=label, **attrs)
    for rtype, rel in m.rels.items():
        for f, t in rel.pairs:
            for row in store.query(rel_query(rtype, f, t), {}).dicts():
                a = keys.get((f, row.pop("source")))
                b = keys.get((t, row.pop("target")))
                if a is None or b is None:
                    continue
                props = {k[2:]: normalise_value(v) for k, v in row.items() if v is not None}
                G.add_edge(a, b, key=rtype, label=rtype, **props)
    return G


def contradiction_pairs(store: Store) -> list[tuple[str, str, str]]:
    """(statement a id, statement b id, subject id) for every contradiction the store holds.

    Runs the canned query ``contradictions``; each unordered pair is returned once per
    subject.
    """
    from queries import run_canned  # queries import graph: imported when needed

    rows = run_canned(store, "contradictions", {}).dicts()
    seen: set[tuple[frozenset, str]] = set()
    out = []
    for r in rows:
        a, b, subject = r["claim_id"], r["counter_id"], r["subject_id"]
        key = (frozenset((a, b)), subject)
        if a == b or key in seen:
            continue
        seen.add(key)
        out.append((a, b, subject))
    return out


def add_contradictions(G: nx.MultiDiGraph, pairs: Iterable[tuple[str, str, str]]) -> None:
    """Add a CONTRADICTS edge per pair whose two statements are in ``G``."""
    for a, b, subject in pairs:
        if a in G and b in G and not G.has_edge(a, b, key=f"{CONTRADICTS}:{subject}"):
            G.add_edge(a, b, key=f"{CONTRADICTS}:{subject}", label=CONTRADICTS,
                       subject=subject, derived=True)


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise QueryError(f"as-of date {value!r} is not YYYY-MM-DD",
                         hint="give a date such as 2019-08-01") from None


def in_force(attrs: dict[str, Any], on: dt.date) -> bool:
    """Whether a Statement (or ABOUT edge) with ``valid_from``/``valid_to`` holds on a date.

    An unknown start counts as in force; ``valid_to`` is exclusive.
    """
    start, end = attrs.get("valid_from"), attrs.get("valid_to")
    return (start is None or start <= on) and (end is None or end > on)


def _names(attrs: dict[str, Any]) -> list[str]:
    out = [attrs.get("id"), attrs.get("name"), attrs.get("title")]
    out += list(attrs.get("aliases") or [])
    return [str(x) for x in out if x]


def resolve(G: nx.MultiDiGraph, name: str, labels: Iterable[str] | None = None,
            what: str = "entity") -> str:
    """The node key whose id, name, title or alias is ``name`` (case-insensitive).

    Raises `QueryError` suggesting the nearest names when there is none.
    """
    labels = set(labels) if labels is not None else None
    wanted = str(name).strip().casefold()
    choices: dict[str, str] = {}
    for key, attrs in G.nodes(data=True):
        if labels is not None and attrs.get("label") not in labels:
            continue
        if attrs.get("label") == "Statement" and labels is None:
            if str(key).casefold() == wanted:
                return key
            continue
        for n in _names(attrs):
            if n.casefold() == wanted:
                return key
            choices.setdefault(n.casefold(), n)
    near = difflib.get_close_matches(wanted, list(choices), n=3, cutoff=0.5)
    hint = ("did you mean " + ", ".join(repr(choices[c]) for c in near) + "?") if near else (
        "give an id, name or alias that is in the database")
    raise QueryError(f"unknown {what} {name!r}", hint=hint)


def project(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2,
            as_of: dt.date | str | None = None, technology: str | None = None
            ) -> nx.MultiDiGraph:
    """Narrow a full graph: statements in force on ``as_of`` and concerning ``technology``,
    then the nodes within ``depth`` hops (in either direction) of ``focus``.

    Sources that no remaining statement reports are dropped with their statements.
    """
    on = _as_date(as_of)
    drop: set[str] = set()
    statement_filter = on is not None or technology is not None
    tech = resolve(G, technology, ("Technology",), "technology") if technology else None
    for key, attrs in G.nodes(data=True):
        if attrs.get("label") != "Statement":
            continue
        if on is not None and not in_force(attrs, on):
            drop.add(key)
        elif tech is not None and not G.has_edge(key, tech, key="CONCERNS"):
            drop.add(key)
    if statement_filter:
        for key, attrs in G.nodes(data=True):
            if attrs.get("label") == "Source":
                reporters = [s for s, _, k in G.in_edges(key, keys=True) if k == "REPORTED_IN"]
                if reporters and all(s in drop for s in reporters):
                    drop.add(key)
    H = G.subgraph(n for n in G if n not in drop)
    if focus is not None:
        start = resolve(G, focus)
        if start not in H:
            raise QueryError(f"{focus!r} is not in the view",
                             hint="drop --as-of or --technology, or focus on an entity")
        if depth < 0:
            raise QueryError(f"depth {depth} is negative", hint="give --depth 0 or more")
        near = nx.single_source_shortest_path_length(H.to_undirected(as_view=True), start,
                                                     cutoff=depth)
        H = H.subgraph(near)
    return nx.MultiDiGraph(H)


def to_networkx(store: Store, *, focus: str | None = None, depth: int = 2,
                as_of: dt.date | str | None = None, technology: str | None = None,
                contradictions: bool = True) -> nx.MultiDiGraph:
    """The store (or the part of it asked for) as a MultiDiGraph; see the module docstring."""
    G = read_graph(store)
    if contradictions:
        add_contradictions(G, contradiction_pairs(store))
    return project(G, focus=focus, depth=depth, as_of=as_of, technology=technology)


# ---- export -------------------------------------------------------------------------

def _flat(v: Any) -> Any:
    if isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, dt.date | dt.datetime | dt.time):
        return v.isoformat()
    if isinstance(v, list | tuple | set | frozenset):
        return "; ".join(str(_flat(x)) for x in v)
    return str(v)


def exportable(G: nx.MultiDiGraph, *, gexf: bool = False) -> nx.MultiDiGraph:
    """A copy whose attribute values GraphML and GEXF can hold (dates and lists as text).

    For GEXF, whose ``label``, ``type``, ``start`` and ``end`` attributes are reserved,
    the node label becomes the caption and the node type is ``node_type``; edge offsets
    become ``span_start``/``span_end``.
    """
    m = model()
    out = nx.MultiDiGraph()
    for key, attrs in G.nodes(data=True):
        a = {k: _flat(v) for k, v in attrs.items() if v is not None}
        if gexf:
            node_type = a.pop("label", "")
            nt = m.nodes.get(node_type)
            caption = attrs.get(nt.caption) if nt else None
            a = {("node_" + k if k in ("type", "start", "end", "pid") else k): v
                 for k, v in a.items()}
            a["node_type"] = node_type
            a["label"] = _flat(caption) if caption else str(key)
        out.add_node(str(key), **a)
    for i, (u, v, k, attrs) in enumerate(G.edges(keys=True, data=True)):
        a = {n: _flat(x) for n, x in attrs.items() if x is not None}
        if gexf:
            a = {("span_" + n if n in ("start", "end") else n): x for n, x in a.items()}
            a.pop("type", None)
            a.pop("id", None)
        # GraphML edge ids must be unique in the document; the type stays in `label`
        out.add_edge(str(u), str(v), key=str(k) if gexf else f"e{i}", **a)
    return out


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``G`` as GraphML (for Gephi, yEd, Cytoscape)."""
    nx.write_graphml(exportable(G), path)


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``G`` as GEXF 1.2 (Gephi's own format)."""
    nx.write_gexf(exportable(G, gexf=True), path)
