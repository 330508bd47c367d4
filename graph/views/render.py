"""Step two of rendering: node-link dict → pyvis network → one self-contained HTML file.

pyvis assembles the vis-network nodes, edges and options; our Jinja template (package
data, autoescaped) replaces pyvis's own, which loads Bootstrap and vis-network from CDNs.
vis-network's script and style are inlined from the copy pyvis ships, so the page makes
no request to any host. Source texts travel as JSON inside a non-executed
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped, and the page
inserts them with ``textContent`` only.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from pyvis.network import Network

from graph.model import model
from graph.projection import (
    CONTRADICTS,
    add_contradictions,
    contradiction_pairs,
    project,
    read_graph,
    resolve,
)
from graph.store import Store
from graph.views import style
from graph.views.nodelink import node_link, truncate

TEMPLATES = Path(__file__).parent / "templates"
VIS_VERSION = "9.1.2"
BIG = 300  # above this many nodes: no improvedLayout, straight edges, fewer iterations
LAYOUT_BUDGET_MS = 4000  # the page stops the layout after this long, whatever is left


@dataclass
class ViewResult:
    """A rendered view and what it holds."""

    html: str
    nodes: int  # drawn
    edges: int  # drawn
    total_nodes: int  # in the projection, before --max-nodes
    total_edges: int
    omitted: dict[str, int] = field(default_factory=dict)  # node type -> left out
    message: str | None = None  # what was left out and how to narrow the view

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path


@functools.cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@functools.cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the pyvis package (no CDN)."""
    lib = resources.files("pyvis") / "templates" / "lib" / f"vis-{VIS_VERSION}"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # would end the inline block
        raise RuntimeError("vis-network asset cannot be inlined")
    return js, css


def json_for_script(data: Any) -> str:
    """JSON that is inert inside ``<script type="application/json">``.

    >>> json_for_script({"q": "</script><img src=x onerror=alert(1)>"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    s = json.dumps(data, ensure_ascii=False, default=str)
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def physics_options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    """vis-network options: bounded stabilisation, then physics off (the page's toggle
    turns it back on)."""
    big = n_nodes > BIG
    iterations = (1000 if n_nodes <= 100 else 400 if not big else
                  200 if n_nodes <= 1000 else 150)
    return {
        "autoResize": True,
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "navigationButtons": False, "multiselect": True},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 80,
                                 "springConstant": 0.08, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": iterations,
                              "updateInterval": 10 if big else 25, "fit": True},
            "minVelocity": 1.0,
            "timestep": 0.5,
        },
        "edges": {"smooth": False if big or n_edges > 1500 else
                  {"enabled": True, "type": "continuous", "roundness": 0.3},
                  "font": {"size": 10, "align": "middle"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "color": {"color": "#b0b0b0", "highlight": "#333333"}},
        "nodes": {"font": {"size": 12}, "borderWidth": 1, "size": 14},
    }


def to_pyvis(data: dict[str, Any]) -> Network:
    """The vis-network nodes and edges of a node-link dict, as a pyvis Network."""
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    big = len(data["nodes"]) > BIG
    for n in data["nodes"]:
        st = style.node_style(n["label"])
        extra: dict[str, Any] = {}
        if n["label"] == "Statement":
            fill = style.stance_colour(n.get("stance"))
            extra["color"] = {"background": fill, "border": "#444444",
                              "highlight": {"background": fill, "border": "#000000"}}
            extra["size"] = 9
        else:
            extra["color"] = st["color"]
        if n.get("focus"):
            extra.update(size=26, borderWidth=4, font={"size": 16, "bold": True})
        net.add_node(n["id"], label=n["text"], shape=st["shape"], title=n["caption"],
                     type=n["label"], **{k: v for k, v in n.items()
                                         if k not in ("id", "label", "text", "caption")},
                     **extra)
    for e in data["edges"]:
        extra = {}
        if e["label"] == CONTRADICTS:
            c = style.CONTRADICTION
            extra = {"color": {"color": c["color"], "highlight": c["color"]},
                     "width": c["width"], "dashes": [10, 6], "label": c["label"],
                     "font": {"color": c["color"], "size": 12, "strokeWidth": 3},
                     "arrows": {"to": {"enabled": False}},
                     "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.35}}
        elif e["label"] == "CLAIM":
            col = style.stance_colour(e.get("stance"))
            extra = {"label": e.get("text", ""), "width": 2,
                     "color": {"color": col if col != style.NO_STANCE else "#777777"}}
        elif not big:
            extra = {"title": e["label"]}
        net.add_edge(e["source"], e["target"], id=e["id"], type=e["label"],
                     **{k: v for k, v in e.items()
                        if k not in ("id", "source", "target", "label", "text")},
                     **extra)
    net.options = physics_options(len(data["nodes"]), len(data["edges"]))
    return net


def _filters(G: nx.MultiDiGraph, data: dict[str, Any]) -> dict[str, Any]:
    techs = sorted({t for n in data["nodes"] for t in n.get("techs", [])}
                   | {t for e in data["edges"] for t in e.get("techs", [])})
    dates = sorted({d for item in data["nodes"] + data["edges"]
                    for d in (item.get("valid_from"), item.get("valid_to")) if d})
    return {
        "types": sorted({n["label"] for n in data["nodes"]},
                        key=lambda t: list(model().nodes).index(t)
                        if t in model().nodes else 99),
        "technologies": [{"id": t, "name": str(G.nodes[t].get("name", t)) if t in G else t}
                         for t in techs],
        "min_date": dates[0] if dates else "", "max_date": dates[-1] if dates else "",
    }


def _narrow_hint() -> str:
    return ("narrow the view with --focus ENTITY (and --depth N), --technology T or "
            "--as-of DATE, or raise --max-nodes")


def render_graph(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2,
                 as_of: dt.date | str | None = None, technology: str | None = None,
                 max_nodes: int = 1500, compact: bool = False,
                 title: str = "statusgraph view") -> ViewResult:
    """`render_view` on a full graph already read (contradiction edges included)."""
    H = project(G, focus=focus, depth=depth, as_of=as_of, technology=technology)
    data = node_link(H, G, compact=compact)
    if focus is not None:
        start = str(resolve(G, focus))
        for n in data["nodes"]:
            n["focus"] = n["id"] == start
    total_nodes, total_edges = len(data["nodes"]), len(data["edges"])
    omitted = truncate(data, max_nodes)
    message = None
    if omitted:
        left = ", ".join(f"{n} {t}" for t, n in sorted(omitted.items()))
        message = (f"the view holds {total_nodes} nodes, more than --max-nodes {max_nodes}: "
                   f"left out {left}; {_narrow_hint()}")
    net = to_pyvis(data)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    vis_js, vis_css = _vis_assets()
    payload = {"nodes": nodes, "edges": edges, "records": data["records"],
               "options": json.loads(options) if isinstance(options, str) else options,
               "compact": compact, "total_nodes": total_nodes, "total_edges": total_edges,
               "layout_budget_ms": LAYOUT_BUDGET_MS}
    on = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
    html = _env().get_template("view.html.j2").render(
        title=title, vis_js=vis_js, vis_css=vis_css, page_css=_asset("page.css"),
        view_js=_asset("view.js"), data_json=json_for_script(payload),
        legend=style.legend(), filters=_filters(G, data), message=message,
        compact=compact, counts={"nodes": len(nodes), "edges": len(edges),
                                 "total_nodes": total_nodes, "total_edges": total_edges},
        scope={"focus": focus, "depth": depth if focus else None, "as_of": on,
               "technology": technology},
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return ViewResult(html=html, nodes=len(nodes), edges=len(edges),
                      total_nodes=total_nodes, total_edges=total_edges,
                      omitted=dict(omitted), message=message)


def full_graph(store: Store) -> nx.MultiDiGraph:
    """The whole store with its contradiction edges."""
    G = read_graph(store)
    add_contradictions(G, contradiction_pairs(store))
    return G


def render_view(store: Store, *, focus: str | None = None, depth: int = 2,
                as_of: dt.date | str | None = None, technology: str | None = None,
                max_nodes: int = 1500, compact: bool = False) -> ViewResult:
    """The interactive network view of a store as one self-contained HTML page.

    Above ``max_nodes`` nodes the page holds the ``max_nodes`` most central ones
    (entities, then contradicting statements, statements, sources) and
    ``ViewResult.message`` says what was left out and how to narrow the view.
    """
    return render_graph(full_graph(store), focus=focus, depth=depth, as_of=as_of,
                        technology=technology, max_nodes=max_nodes, compact=compact)
