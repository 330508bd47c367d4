"""The status board: one row per subject and deployment, one column per claimant, each
cell the claimant's status claims in force on a date, linked to their evidence.

A row is flagged when two of its claims contradict (the canned query ``contradictions``):
``now`` when both claims are on the board, ``earlier`` when the pair was known by the
date but one side is no longer in force.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.projection import CONTRADICTS, _as_date
from graph.store import Store
from graph.views import style
from graph.views.nodelink import name_of, speaker_of, statement_record, text

SUBJECT_ORDER = {"Force": 0, "Body": 1, "Person": 2, "Trial": 3}


def anchor(statement_id: str) -> str:
    """An HTML id for a statement's evidence entry."""
    return "ev-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(statement_id))


@dataclass
class BoardRow:
    subject: str
    subject_name: str
    subject_type: str
    deployment: str
    deployment_name: str
    cells: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # speaker -> claims
    flag: str = ""  # "now" | "earlier" | ""
    pairs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Board:
    as_of: dt.date | None
    rows: list[BoardRow]
    claimants: list[dict[str, str]]  # id, name, type
    evidence: list[dict[str, Any]]  # statement records, with "anchor"


def _known_by(a: dict[str, Any], on: dt.date | None) -> bool:
    start = a.get("valid_from")
    return on is None or start is None or start <= on


def _cell_in_force(edge: dict[str, Any], on: dt.date | None) -> bool:
    start, end = edge.get("valid_from"), edge.get("valid_to")
    if on is None:
        return end is None
    return (start is None or start <= on) and (end is None or end > on)


def build_board(G: nx.MultiDiGraph, *, as_of: dt.date | str | None = None) -> Board:
    """The board of a full graph (with its CONTRADICTS edges)."""
    on = _as_date(as_of)
    rows: dict[tuple[str, str], BoardRow] = {}
    shown: set[str] = set()
    speakers: dict[str, dict[str, str]] = {}
    for s, x, k, edge in G.edges(keys=True, data=True):
        if k != "ABOUT":
            continue
        a = G.nodes[s]
        if a.get("kind") != "status" or not a.get("deployment"):
            continue
        if not _cell_in_force(edge, on):
            continue
        sp = speaker_of(G, s) or a.get("speaker")
        if sp is None:
            continue
        key = (x, a["deployment"])
        row = rows.get(key)
        if row is None:
            row = rows[key] = BoardRow(
                subject=str(x), subject_name=name_of(G, x),
                subject_type=text(G.nodes[x].get("label")), deployment=str(a["deployment"]),
                deployment_name=name_of(G, a["deployment"]))
        row.cells.setdefault(str(sp), []).append({
            "id": str(s), "anchor": anchor(s), "status": text(a.get("status")),
            "stance": a.get("stance"), "color": style.stance_colour(a.get("stance")),
            "date": text(a.get("stated_text") or a.get("stated") or edge.get("valid_from")),
        })
        shown.add(s)
        speakers[str(sp)] = {"id": str(sp), "name": name_of(G, sp),
                             "type": text(G.nodes[sp].get("label")) if sp in G else ""}
    # contradictions: the pairs the canned query found, placed on their row
    for a_id, b_id, edge in G.edges(data=True):
        if edge.get("label") != CONTRADICTS:
            continue
        subject = edge.get("subject")
        deps = {G.nodes[a_id].get("deployment"), G.nodes[b_id].get("deployment")}
        both_shown = a_id in shown and b_id in shown
        known = _known_by(G.nodes[a_id], on) and _known_by(G.nodes[b_id], on)
        for dep in deps:  # a claim on a trial can contradict one on its technology
            row = rows.get((subject, dep))
            if row is None:
                continue
            if both_shown and (_in_row(row, a_id) or _in_row(row, b_id)):
                row.flag = "now"
                row.pairs.append((a_id, b_id))
            elif known and row.flag != "now":
                row.flag = "earlier"
    for row in rows.values():
        for claims in row.cells.values():
            claims.sort(key=lambda c: (c["date"], c["status"]))
    ordered = sorted(rows.values(), key=lambda r: (
        {"now": 0, "earlier": 1}.get(r.flag, 2), SUBJECT_ORDER.get(r.subject_type, 9),
        r.subject_name.casefold(), r.deployment_name.casefold()))
    claimants = sorted(speakers.values(),
                       key=lambda c: (SUBJECT_ORDER.get(c["type"], 9), c["name"].casefold()))
    evidence = []
    for row in ordered:
        for c in claimants:
            for claim in row.cells.get(c["id"], []):
                rec = statement_record(G, claim["id"])
                rec["anchor"] = claim["anchor"]
                if all(e["anchor"] != rec["anchor"] for e in evidence):
                    evidence.append(rec)
    return Board(as_of=on, rows=ordered, claimants=claimants, evidence=evidence)


def _in_row(row: BoardRow, statement_id: str) -> bool:
    return any(c["id"] == statement_id for cl in row.cells.values() for c in cl)


def render_board_graph(G: nx.MultiDiGraph, *, as_of: dt.date | str | None = None,
                       title: str = "statusgraph status board") -> str:
    """`render_board` on a full graph already read."""
    from graph.views.render import _asset, _env

    board = build_board(G, as_of=as_of)
    legend = style.legend()
    return _env().get_template("board.html.j2").render(
        title=title, board=board, page_css=_asset("page.css"), board_js=_asset("board.js"),
        stances=legend["stances"], contradiction=legend["contradiction"],
        contradictions=sum(1 for r in board.rows if r.flag == "now"),
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))


def render_board(store: Store, *, as_of: dt.date | str | None = None) -> str:
    """The status board of a store as one self-contained HTML page.

    Without ``as_of`` each cell holds the claims still in force (not superseded by the
    same claimant); with it, the claims in force on that date.
    """
    from graph.views.render import full_graph

    return render_board_graph(full_graph(store), as_of=as_of)


__all__ = ["Board", "BoardRow", "build_board", "render_board", "render_board_graph",
           "anchor"]
