"""The status board's rows, cells and contradiction flags."""

from __future__ import annotations

from graph.views import build_board, render_board
from graph.views.render import full_graph

TRIAL = "Home Office facial recognition pilot for missing and vulnerable persons"


def cells(board):
    return {(r.subject_name, r.deployment_name, c): [x["status"] for x in claims]
            for r in board.rows for c, claims in r.cells.items()}


def test_rows_columns_and_cells(store):
    board = build_board(full_graph(store))
    got = cells(board)
    assert got[("Kent Police", TRIAL, "home-office")] == ["committed"]
    assert got[("West Midlands Police", TRIAL, "home-office")] == ["committed"]
    assert got[("West Midlands Police", TRIAL, "west-midlands-police")] == ["approached"]
    assert got[("Kent Police", "facial recognition", "kent-police")] == ["not_using"]
    assert len(board.rows) == 3  # metric claims are not status cells
    assert {c["name"] for c in board.claimants} == {"Home Office", "Kent Police",
                                                    "West Midlands Police"}


def test_contradiction_rows_come_first(store):
    board = build_board(full_graph(store))
    flags = [r.flag for r in board.rows]
    assert flags == sorted(flags, key=lambda f: {"now": 0, "earlier": 1}.get(f, 2))
    assert {(r.subject_name, r.flag) for r in board.rows if r.flag} == {
        ("Kent Police", "now"), ("West Midlands Police", "now")}
    kent_fr = [r for r in board.rows if r.deployment_name == "facial recognition"][0]
    assert kent_fr.flag == "now"  # a trial claim contradicts one on its technology


def test_as_of(store):
    board = build_board(full_graph(store), as_of="2019-07-01")
    assert cells(board) and all(v == ["committed"] for v in cells(board).values())
    assert all(not r.flag for r in board.rows)  # nothing contradicted the ministers yet
    empty = build_board(full_graph(store), as_of="2019-01-01")
    assert empty.rows == []
    assert "No status claims in force on 2019-01-01" in render_board(store, as_of="2019-01-01")


def test_board_html_links_cells_to_evidence(store):
    html = render_board(store)
    board = build_board(full_graph(store))
    for r in board.rows:
        for claims in r.cells.values():
            for c in claims:
                assert f'href="#{c["anchor"]}"' in html and f'id="{c["anchor"]}"' in html
    assert 'href="https://www.kent.police.uk/foi/2019-08-08-facial-recognition"' in html
    assert "<script src" not in html and "//cdn" not in html
