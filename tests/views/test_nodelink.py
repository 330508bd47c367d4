"""Step one of rendering (graph → node-link dict), and a smoke test of the HTML."""

from __future__ import annotations

import datetime as dt
import json
import re

import networkx as nx
import pytest

from graph.projection import add_contradictions
from graph.views import node_link, render_board, render_graph, render_view, safe_url
from graph.views.nodelink import resolve_record, truncate
from graph.views.render import _vis_assets, json_for_script, physics_options
from graph.views.style import legend, stance_colour


def small_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("ho", label="Body", id="ho", name="Home Office")
    G.add_node("kent", label="Force", id="kent", name="Kent Police", aliases=["Kent"])
    G.add_node("fr", label="Technology", id="fr", name="facial recognition")
    G.add_node("src", label="Source", id="src", title="Pilot announced", publisher="Home Office",
               published=dt.date(2019, 6, 20), url="https://www.gov.uk/x")
    G.add_node("src2", label="Source", id="src2", title="FOI", url="javascript:alert(1)")
    G.add_node("a", label="Statement", id="a", kind="status", status="committed",
               stance="active", speaker="ho", deployment="fr", evidence="are collaborating",
               valid_from=dt.date(2019, 6, 20))
    G.add_node("b", label="Statement", id="b", kind="status", status="not_using",
               stance="inactive", speaker="kent", deployment="fr", quote=True,
               evidence="not currently using", valid_from=dt.date(2019, 8, 8))
    for s, sp, src in (("a", "ho", "src"), ("b", "kent", "src2")):
        G.add_edge(sp, s, key="MADE", label="MADE")
        G.add_edge(s, "kent", key="ABOUT", label="ABOUT", valid_from=G.nodes[s]["valid_from"])
        G.add_edge(s, "fr", key="CONCERNS", label="CONCERNS")
        G.add_edge(s, src, key="REPORTED_IN", label="REPORTED_IN")
    add_contradictions(G, [("a", "b", "kent")])
    return G


def test_node_link_dict_shape():
    G = small_graph()
    d = node_link(G)
    assert len(d["nodes"]) == G.number_of_nodes() and len(d["edges"]) == G.number_of_edges()
    n = {x["id"]: x for x in d["nodes"]}
    assert n["kent"]["label"] == "Force" and n["kent"]["caption"] == "Kent Police"
    assert "kent" in n["kent"]["search"]  # aliases are searchable
    assert n["a"]["text"] == "committed" and n["a"]["stance"] == "active"
    assert n["a"]["techs"] == ["fr"] and n["a"]["valid_from"] == "2019-06-20"
    assert n["src"]["stmts"] == ["a"]
    labels = Counter_of(d["edges"])
    assert labels["CONTRADICTS"] == 1 and labels["MADE"] == 2
    json.dumps(d)  # plain JSON data


def Counter_of(edges):
    from collections import Counter
    return Counter(e["label"] for e in edges)


def test_statement_record_is_the_full_record():
    d = node_link(small_graph())
    rec = d["records"]["b"]
    fields = dict(rec["fields"])
    assert fields["Speaker"] == "Kent Police" and fields["Subject"] == "Kent Police"
    assert fields["Status"] == "not_using (inactive)" and fields["Stated"] == "unknown"
    assert rec["evidence"] == "not currently using" and rec["quote"] is True
    (src,) = rec["sources"]
    assert src["title"] == "FOI" and src["url"] is None  # javascript: never becomes a link
    assert d["records"]["a"]["sources"][0]["url"] == "https://www.gov.uk/x"
    contra = [e for e in d["edges"] if e["label"] == "CONTRADICTS"][0]
    parts = resolve_record(d["records"], contra["id"])["parts"]
    assert [p["evidence"] for p in parts] == ["are collaborating", "not currently using"]


def test_records_come_from_the_full_graph():
    G = small_graph()
    H = G.subgraph(["kent", "b"]).copy()  # the view left the source out
    d = node_link(H, G)
    assert d["records"]["b"]["sources"][0]["title"] == "FOI"


def test_compact_claims_are_edges():
    d = node_link(small_graph(), compact=True)
    assert sorted(n["id"] for n in d["nodes"]) == ["ho", "kent"]
    claims = [e for e in d["edges"] if e["label"] == "CLAIM"]
    assert sorted((e["source"], e["target"], e["text"]) for e in claims) == [
        ("ho", "kent", "committed"), ("kent", "kent", "not_using")]
    (x,) = [e for e in d["edges"] if e["label"] == "CONTRADICTS"]
    assert {x["source"], x["target"]} == {"ho", "kent"}
    assert all(resolve_record(d["records"], e["id"]) for e in d["edges"])
    truncate(d, 1)
    assert all(resolve_record(d["records"], e["id"]) for e in d["edges"])


def test_truncate_keeps_entities_and_says_what_it_left_out():
    d = node_link(small_graph())
    left = truncate(d, 4)
    assert left == {"Statement": 1, "Source": 2}
    kept = {n["id"] for n in d["nodes"]}
    assert kept == {"ho", "kent", "fr", "a"} or kept == {"ho", "kent", "fr", "b"}
    assert all(e["source"] in kept and e["target"] in kept for e in d["edges"])
    assert truncate(d, 100) == {}


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/a?b=<c>", True), ("http://x.test", True),
    ("javascript:alert(1)", False), (" JavaScript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False), ("//evil.test/x", False),
    ("file:///etc/passwd", False), ("vbscript:x", False), (None, False), ("", False),
])
def test_safe_url(url, ok):
    assert (safe_url(url) is not None) is ok


def test_json_for_script_cannot_close_the_script():
    s = json_for_script({"q": "</script><!-- \u2028 & <b>"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"q": "</script><!-- \u2028 & <b>"}


def test_stabilisation_is_bounded():
    for n in (10, 200, 1500):
        st = physics_options(n, 3 * n)["physics"]["stabilization"]
        assert st["enabled"] and 0 < st["iterations"] <= 1000
    assert physics_options(1500, 4000)["layout"]["improvedLayout"] is False


def test_legend_reads_the_vocabulary():
    from graph.model import model
    lg = legend()
    assert [s["stance"] for s in lg["stances"]] == list(model().stances)
    assert sum(len(s["statuses"]) for s in lg["stances"]) == len(model().statuses)
    assert [t["type"] for t in lg["types"]] == list(model().nodes)
    assert stance_colour("active") != stance_colour("inactive")


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_view_html_is_self_contained(store):
    v = render_view(store)
    assert v.nodes == v.total_nodes and v.message is None
    assert "<script src" not in v.html and "<link rel=\"stylesheet\"" not in v.html
    assert not EXTERNAL.search(v.html)
    assert "vis-network" in v.html and "window.statusgraphView" in v.html


def test_view_above_max_nodes_says_how_to_narrow(store):
    v = render_view(store, max_nodes=5)
    assert v.nodes == 5 and v.total_nodes > 5 and sum(v.omitted.values()) == v.total_nodes - 5
    assert "--focus" in v.message and "left out" in v.message
    assert "left out" in v.html


def test_hostile_texts_are_escaped(hostile_store):
    v = render_view(hostile_store)
    board = render_board(hostile_store)
    for html in (v.html, board):
        for bad in ("<script>window.__pwned", "<img src=x", "<svg onload", "<iframe",
                    "<b onmouseover", "href=\"javascript:", "href='javascript:"):
            assert bad not in html, bad
        html = html.replace(_vis_assets()[0], "")  # core-js builds "<script>" in a string
        assert html.count("<script") == html.count("</script>")
    assert "&lt;script&gt;window.__pwned" in board  # shown as text


def test_render_graph_without_a_store():
    v = render_graph(small_graph(), compact=True)
    assert v.nodes == 2 and v.edges == 3


def test_empty_store_renders(tmp_path):
    from graph.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "empty.db") as empty:
        v = render_view(empty)
        assert (v.nodes, v.edges, v.message) == (0, 0, None)
        assert "No status claims in the database" in render_board(empty)


def test_focus_node_is_marked(store):
    v = render_view(store, focus="Kent Police", depth=1)
    data = json.loads(re.search(r'id="sg-data" type="application/json">(.*?)</script>',
                                v.html, re.S).group(1))
    (f,) = [n for n in data["nodes"] if n.get("focus")]
    assert f["id"] == "kent-police" and f["size"] == 26
