"""The pages in Debian's Chromium, offline: every non-file request fails the test, so does
any console error (see the ``offline`` fixture)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from graph.projection import to_networkx
from graph.views import build_board, render_board, render_view
from graph.views.render import full_graph

pytestmark = pytest.mark.browser

# The README's screenshots are refreshed only when asked (`make screenshots`), so that a
# test run leaves the work tree as it was.
IMG = (Path(__file__).resolve().parents[2] / "docs" / "img"
       if os.environ.get("STATUSGRAPH_SCREENSHOTS") else Path(tempfile.gettempdir()) / "statusgraph-img")
NOT_USING = "not currently using or trialling any form of facial recognition technology"
KENT_FOI = "Kent Police FOI response on facial recognition"


def wait_stable(page, timeout: float = 15_000) -> None:
    page.wait_for_function("window.statusgraphView && window.statusgraphView.stable === true",
                           timeout=timeout)


def counts(page) -> tuple[int, int]:
    el = page.locator("#sg-network")
    return int(el.get_attribute("data-nodes")), int(el.get_attribute("data-edges"))


def statement_id(page, status: str) -> str:
    return page.evaluate(
        "s => window.statusgraphView.allNodes.get({filter: n => n.type === 'Statement'"
        " && n.label === s})[0].id", status)


def click_node(page, node_id: str) -> None:
    """Click where the node is drawn, as a user would."""
    box = page.locator("#sg-network").bounding_box()
    pos = page.evaluate("""id => { const n = window.statusgraphView.network;
        n.focus(id, {scale: 1.5, animation: false});
        return n.canvasToDOM(n.getPositions([id])[id]); }""", node_id)
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


@pytest.fixture(scope="module")
def view_file(store, tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "view.html"
    render_view(store).write(path)
    return path


def test_view_draws_the_graph(offline, store, view_file):
    page = offline.open(view_file)
    wait_stable(page)
    G = to_networkx(store)
    assert counts(page) == (G.number_of_nodes(), G.number_of_edges())
    assert page.evaluate("window.statusgraphView.nodes.length") == G.number_of_nodes()
    drawn = page.evaluate("window.statusgraphView.allEdges.get({filter: e => "
                          "e.type === 'CONTRADICTS'}).length")
    assert drawn == sum(a["label"] == "CONTRADICTS" for *_, a in G.edges(data=True)) > 0
    assert page.locator("#sg-legend").inner_text().count("contradicts") == 1


def test_click_a_statement_shows_its_record(offline, view_file):
    page = offline.open(view_file)
    wait_stable(page)
    click_node(page, statement_id(page, "not_using"))
    panel = page.locator("#sg-panel")
    panel.wait_for(state="visible")
    text = panel.inner_text()
    for expected in (NOT_USING, KENT_FOI, "Kent Police", "not_using (inactive)", "2019-08-08"):
        assert expected in text
    link = panel.get_by_role("link", name=KENT_FOI)
    assert link.get_attribute("href") == "https://www.kent.police.uk/foi/2019-08-08-facial-recognition"
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / "view.png"))


def test_a_contradiction_shows_both_claims(offline, view_file):
    page = offline.open(view_file)
    wait_stable(page)
    edge = page.evaluate("window.statusgraphView.allEdges.get({filter: e => "
                         "e.type === 'CONTRADICTS' && e.subject === 'kent-police'})[0].id")
    page.evaluate("id => window.statusgraphView.show(id)", edge)
    panel = page.locator("#sg-panel")
    assert panel.locator("h2").inner_text() == "Contradiction about Kent Police"
    assert panel.locator(".part").count() == 2
    text = panel.inner_text()
    assert NOT_USING in text and "collaborating with the Home Office" in text
    assert "Minister announces facial recognition pilot for missing persons" in text


def test_layout_stops_within_its_budget(offline, store, tmp_path, monkeypatch):
    import graph.views.render as render

    monkeypatch.setattr(render, "LAYOUT_BUDGET_MS", 1)
    path = tmp_path / "budget.html"
    render_view(store).write(path)
    page = offline.open(path)
    wait_stable(page, timeout=3_000)
    assert page.locator("#sg-network").get_attribute("data-state") == "stable"
    assert page.evaluate("window.statusgraphView.network.physics.physicsEnabled") is False


def test_filters_search_and_physics(offline, store, view_file):
    page = offline.open(view_file)
    wait_stable(page)
    n, e = counts(page)
    page.locator("#sg-types input[value=Statement]").uncheck()
    n2, e2 = counts(page)
    assert n2 == n - 4 and e2 < e
    page.locator("#sg-reset").click()
    assert counts(page) == (n, e)
    # in force on 2019-07-01: only the ministers' claim, and the one source reporting it
    page.locator("#sg-from").fill("2019-07-01")
    page.locator("#sg-to").fill("2019-07-01")
    page.locator("#sg-to").dispatch_event("change")
    G = to_networkx(store, as_of="2019-07-01")
    assert counts(page)[0] == G.number_of_nodes()
    page.locator("#sg-reset").click()
    page.locator("#sg-search").fill("kent")
    assert page.locator("#sg-search-result").inner_text() == "3 found"  # force, FOI, claim
    page.locator("#sg-physics").check()
    assert page.evaluate("window.statusgraphView.network.physics.physicsEnabled") is True
    page.locator("#sg-physics").uncheck()
    assert page.evaluate("window.statusgraphView.network.physics.physicsEnabled") is False


def test_compact_view(offline, store, tmp_path):
    path = tmp_path / "compact.html"
    v = render_view(store, compact=True)
    v.write(path)
    page = offline.open(path)
    wait_stable(page)
    assert counts(page) == (v.nodes, v.edges) == (3, 7)  # 5 claims, 2 contradictions


def test_hostile_texts_stay_text(offline, hostile_store, tmp_path):
    path = tmp_path / "hostile.html"
    render_view(hostile_store).write(path)
    page = offline.open(path)
    wait_stable(page)
    ids = page.evaluate("Object.keys(JSON.parse(document.getElementById('sg-data')"
                        ".textContent).records)")
    for i in ids:  # open every record in the panel
        page.evaluate("id => window.statusgraphView.show(id)", i)
        page.wait_for_timeout(20)
    page.evaluate("id => window.statusgraphView.show(id)", statement_id(page, "deployed"))
    panel = page.locator("#sg-panel").inner_text()
    assert "<script>window.__pwned = 'quote'" in panel and "<img src=x onerror" in panel
    assert page.locator("#sg-panel a").count() == 0  # the javascript: URL is not a link
    click_node(page, statement_id(page, "deployed"))
    page.wait_for_timeout(400)  # the hover tooltip holds the evidence: as text only
    tip = page.locator("div.vis-tooltip")
    assert "<img src=x" in tip.inner_text() and tip.locator("*").count() == 0
    page.mouse.move(10, 10)
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert offline.dialogs == []

    board = tmp_path / "hostile-board.html"
    board.write_text(render_board(hostile_store), encoding="utf-8")
    page = offline.open(board)
    page.wait_for_timeout(200)
    assert "<script>window.__pwned = 'quote'" in page.locator(".evidence-list").inner_text()
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert offline.dialogs == []


def test_board_page(offline, store, tmp_path):
    path = tmp_path / "board.html"
    path.write_text(render_board(store), encoding="utf-8")
    board = build_board(full_graph(store))
    page = offline.open(path)
    table = page.locator("#sg-board")
    assert int(table.get_attribute("data-rows")) == len(board.rows)
    assert page.locator("#sg-board tbody tr").count() == len(board.rows)
    assert page.locator("#sg-board thead th[data-claimant]").count() == len(board.claimants)
    page.locator("#sg-board thead th", has_text="Subject").click()
    page.locator("#sg-contradictions-first").click()
    flags = page.locator("#sg-board tbody tr").evaluate_all(
        "rows => rows.map(r => Number(r.dataset.flag))")
    assert flags == sorted(flags, reverse=True) and flags[0] == 2
    page.locator("#sg-board a[href^='#ev-']").first.click()
    assert page.locator("article:target").count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / "board.png"))
