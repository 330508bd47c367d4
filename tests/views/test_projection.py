"""The networkx projection, read from a real embedded database."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from graph.errors import QueryError
from graph.model import model
from graph.projection import (
    CONTRADICTS,
    contradiction_pairs,
    exportable,
    read_graph,
    texts,
    to_networkx,
    write_gexf,
    write_graphml,
)


def db_counts(store) -> tuple[Counter, Counter]:
    nodes, rels = Counter(), Counter()
    for label in model().nodes:
        nodes[label] = store.query(f"MATCH (n:{label}) RETURN count(n) AS c").rows[0][0]
    for rtype in model().rels:
        rels[rtype] = store.query(f"MATCH ()-[r:{rtype}]->() RETURN count(r) AS c").rows[0][0]
    return +nodes, +rels


def test_read_graph_holds_every_node_and_relationship(store):
    G = read_graph(store)
    nodes, rels = db_counts(store)
    assert Counter(a["label"] for _, a in G.nodes(data=True)) == nodes
    assert Counter(k for *_, k in G.edges(keys=True)) == rels
    assert nodes["Statement"] == 4 and nodes["Source"] == 3


def test_nodes_carry_type_and_properties(store):
    G = read_graph(store)
    kent = G.nodes["kent-police"]
    assert kent["label"] == "Force" and kent["name"] == "Kent Police"
    st = [a for _, a in G.nodes(data=True) if a.get("status") == "not_using"][0]
    assert st["label"] == "Statement" and st["stance"] == "inactive"
    assert st["stated"] == dt.date(2019, 8, 8) and st["quote"] is True
    assert all(v is not None for _, a in G.nodes(data=True) for v in a.values())
    # relationship properties: the span and import time sit on REPORTED_IN
    imported = [a for *_, k, a in G.edges(keys=True, data=True) if k == "REPORTED_IN"]
    assert imported and all("imported_at" in a for a in imported)


def test_contradictions_come_from_the_canned_query(store):
    pairs = contradiction_pairs(store)
    subjects = sorted(s for *_, s in pairs)
    assert subjects == ["kent-police", "west-midlands-police"]
    G = to_networkx(store)
    drawn = [(u, v, a["subject"]) for u, v, a in G.edges(data=True)
             if a["label"] == CONTRADICTS]
    assert sorted(drawn) == sorted(pairs)
    for u, v, _ in drawn:
        assert {G.nodes[u]["stance"], G.nodes[v]["stance"]} in ({"active", "inactive"},
                                                                   {"active", "undecided"})


def test_focus_and_depth(store):
    G = to_networkx(store, focus="Kent Police", depth=1)
    labels = Counter(a["label"] for _, a in G.nodes(data=True))
    assert labels == {"Force": 1, "Statement": 2}  # the claims about and by Kent
    G2 = to_networkx(store, focus="kent-police", depth=2)
    assert "home-office" in G2 and G2.number_of_nodes() > G.number_of_nodes()
    assert "west-midlands-police" in G2  # the ministers' claim is about both forces
    # a source that reports nothing about Kent is out
    titles = {a.get("title") for _, a in G2.nodes(data=True)}
    assert "West Midlands Police FOI response on facial recognition" not in titles


def test_unknown_focus_suggests_names(store):
    with pytest.raises(QueryError) as e:
        to_networkx(store, focus="Kent Polise")
    assert "Kent Police" in str(e.value)


def test_as_of_keeps_claims_in_force(store):
    before = to_networkx(store, as_of="2019-07-01")
    statuses = sorted(a["status"] for _, a in before.nodes(data=True)
                      if a["label"] == "Statement")
    assert statuses == ["committed"]
    # sources that report no remaining claim go too; entities stay
    assert Counter(a["label"] for _, a in before.nodes(data=True))["Source"] == 1
    assert "kent-police" in before
    later = to_networkx(store, as_of=dt.date(2019, 8, 10))
    assert {a.get("status") for _, a in later.nodes(data=True)} >= {"committed", "not_using"}
    with pytest.raises(QueryError):
        to_networkx(store, as_of="August")


def test_technology_filter(store):
    G = to_networkx(store, technology="facial recognition")
    assert sum(a["label"] == "Statement" for _, a in G.nodes(data=True)) == 4
    with pytest.raises(QueryError) as e:
        to_networkx(store, technology="iris scanning")
    assert "technology" in str(e.value)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trips(store, tmp_path, fmt):
    G = to_networkx(store)
    path = tmp_path / f"g.{fmt}"
    (write_graphml if fmt == "graphml" else write_gexf)(G, path)
    H = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    kent = H.nodes["kent-police"]
    if fmt == "graphml":
        assert kent["label"] == "Force"
    else:
        assert kent["label"] == "Kent Police" and kent["node_type"] == "Force"
    st = next(a for _, a in H.nodes(data=True) if a.get("status") == "not_using")
    assert st["stated"] == "2019-08-08"


def test_exportable_flattens_lists_and_dates():
    G = nx.MultiDiGraph()
    G.add_node("t", label="Technology", id="t", name="fr", aliases=["FR", "AFR"])
    G.add_node("s", label="Statement", id="s", stated=dt.date(2019, 1, 1))
    G.add_edge("s", "t", key="REPORTED_IN", label="REPORTED_IN", start=1, end=5,
               imported_at=dt.datetime(2020, 1, 2, 3, 4, 5))
    E = exportable(G)
    assert E.nodes["t"]["aliases"] == "FR; AFR" and E.nodes["s"]["stated"] == "2019-01-01"
    (a,) = [a for *_, a in E.edges(data=True)]
    assert a["imported_at"] == "2020-01-02T03:04:05" and a["end"] == 5
    (g,) = [a for *_, a in exportable(G, gexf=True).edges(data=True)]
    assert g["span_start"] == 1 and "start" not in g


def test_projection_cypher_passes_neo4j_lint():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import cypherlint

    try:
        results = cypherlint.lint([(f"projection-{i}", t) for i, t in enumerate(texts())])
    except cypherlint.LintUnavailable as e:
        pytest.skip(str(e))
    bad = [(r.name, r.text, r.errors, [w for w in r.warnings
                                       if cypherlint.SCHEMA_WARNING_RE.search(w.message)])
           for r in results]
    assert [b for b in bad if b[2] or b[3]] == []
