"""Interactive HTML views (issue #4): the network view and the status board.

Rendering goes graph → node-link dict (`nodelink`) → page (`render`, `board`), with the
Jinja templates, the page's script and style in ``templates/`` (package data). Both pages
are single self-contained files that make no request to any host.
"""

from graph.views.board import build_board, render_board, render_board_graph
from graph.views.nodelink import node_link, safe_url
from graph.views.render import ViewResult, render_graph, render_view

__all__ = ["ViewResult", "build_board", "node_link", "render_board", "render_board_graph",
           "render_graph", "render_view", "safe_url"]
