"""How node types, stances and contradictions look, shared by the view, the board and the
legend. The stance list comes from graph/vocabulary.yaml; only the colours live here.
"""

from __future__ import annotations

from graph.model import model

# vis-network shapes whose label sits outside the shape, so long names stay cheap to draw
NODE_TYPES: dict[str, dict[str, str]] = {
    "Force": {"shape": "hexagon", "color": "#1f4e79", "css": "hexagon"},
    "Body": {"shape": "square", "color": "#6a3d9a", "css": "square"},
    "Person": {"shape": "triangle", "color": "#b15928", "css": "triangle"},
    "Trial": {"shape": "diamond", "color": "#2b8a8a", "css": "diamond"},
    "Technology": {"shape": "star", "color": "#555555", "css": "star"},
    "Source": {"shape": "triangleDown", "color": "#8c8c8c", "css": "triangle-down"},
    "Statement": {"shape": "dot", "color": "#ffffff", "css": "dot"},
}
OTHER_TYPE = {"shape": "ellipse", "color": "#bbbbbb", "css": "dot"}

# colour-blind-safe (Okabe-Ito) colours for the stances the vocabulary declares today;
# a stance added to the vocabulary later gets one of FALLBACK in declaration order
STANCE_COLOURS = {
    "active": "#009e73",
    "undecided": "#e69f00",
    "inactive": "#0072b2",
    "unknown": "#999999",
}
FALLBACK = ["#cc79a7", "#56b4e9", "#f0e442", "#d55e00", "#000000"]
NO_STANCE = "#ffffff"  # position, action and metric claims

CONTRADICTION = {"color": "#e6007e", "width": 4, "label": "contradicts"}


def node_style(node_type: str) -> dict[str, str]:
    return NODE_TYPES.get(node_type, OTHER_TYPE)


def stance_colours() -> dict[str, str]:
    """Stance -> colour for every stance in the vocabulary, in its order."""
    out, spare = {}, iter(FALLBACK)
    for stance in model().stances:
        out[stance] = STANCE_COLOURS.get(stance) or next(spare, "#777777")
    return out


def stance_colour(stance: str | None) -> str:
    return stance_colours().get(stance, NO_STANCE) if stance else NO_STANCE


def legend() -> dict:
    """What the legend shows: node types, stances with their statuses, contradictions."""
    m = model()
    colours = stance_colours()
    return {
        "types": [{"type": t, **node_style(t)} for t in m.nodes],
        "stances": [{"stance": s, "color": colours[s],
                     "statuses": m.statuses_with_stance(s)} for s in m.stances],
        "no_stance": NO_STANCE,
        "contradiction": CONTRADICTION,
    }
