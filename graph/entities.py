"""Listing entities: the graph's, with how many claims they make and are the subject of."""

from __future__ import annotations

from graph.store import Rows, Store

ENTITIES = """
MATCH (n:{label})
RETURN n.id AS id, n.name AS name, COUNT {{ MATCH (n)-[:MADE]->(:Statement) }} AS made,
       COUNT {{ MATCH (:Statement)-[:ABOUT]->(n) }} AS about, n.aliases AS aliases
ORDER BY id
"""


def list_entities(store: Store | None, *, etype: str | None = None,
                  search: str | None = None) -> Rows:
    """Entities of the store (or of the built-in gazetteer when ``store`` is None)."""
    labels = [etype] if etype else ["Force", "Body", "Person"]
    needle = (search or "").strip().lower()
    rows = []
    if store is None:
        from loaders.gazetteer import builtin

        for e in sorted(builtin().entities.values(), key=lambda e: (e.type, e.id)):
            if e.type not in labels:
                continue
            if needle and needle not in e.name.lower() and not any(
                    needle in a.lower() for a in e.aliases):
                continue
            rows.append([e.type, e.id, e.name, e.kind or e.role, list(e.aliases)])
        return Rows(["type", "id", "name", "kind", "aliases"], rows)
    for label in labels:
        # the search is done here: LadybugDB 0.22 asserts on a $parameter inside any()
        for r in store.query(ENTITIES.format(label=label)).rows:
            if needle and needle not in (r[1] or "").lower() and not any(
                    needle in a.lower() for a in r[4] or ()):
                continue
            rows.append([label, *r])
    return Rows(["type", "id", "name", "made", "about", "aliases"], rows)
