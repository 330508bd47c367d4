"""Copy a whole statusgraph graph from one store to another (``push --to neo4j``, ``pull``).

Reads every node label and every (type, from label, to label) pair of the schema from the
source store with portable Cypher (scalar properties only, keyset-paged by id), and writes
them to the destination in `GraphBatch` chunks. Writes merge on ids, so copying twice adds
nothing. In-force data (stance, valid_from, valid_to) is copied as stored, not recomputed.
"""

from __future__ import annotations

from collections.abc import Callable

from graph.model import model
from graph.store import GraphBatch, Store, WriteReport

Progress = Callable[[int, int], None]

DEFAULT_BATCH_SIZE = 5000

# Column aliases are prefixed so that no property name (end, value, kind…) is ever used as
# an alias: some are keywords that Ladybug's parser rejects after AS.
ALIAS = "p_"


def q(name: str) -> str:
    """A property name as Cypher text, backticked (``end`` is a keyword to Ladybug)."""
    return "`" + name.replace("`", "``") + "`"


def _props(row: dict) -> dict:
    return {k[len(ALIAS):]: v for k, v in row.items() if k.startswith(ALIAS)}


def count_nodes_text(label: str) -> str:
    return f"MATCH (n:{label}) RETURN count(n) AS n"


def count_rels_text(rtype: str, from_label: str, to_label: str) -> str:
    return f"MATCH (a:{from_label})-[e:{rtype}]->(b:{to_label}) RETURN count(e) AS n"


def read_nodes_text(label: str) -> str:
    props = model().nodes[label].properties
    cols = ", ".join(f"n.{q(p)} AS {ALIAS}{p}" for p in props)
    return (f"MATCH (n:{label}) WHERE n.id > $after "
            f"RETURN {cols} ORDER BY {ALIAS}id LIMIT $limit")


def read_rels_text(rtype: str, from_label: str, to_label: str) -> str:
    props = model().rels[rtype].properties
    cols = "".join(f", e.{q(p)} AS {ALIAS}{p}" for p in props)
    return (f"MATCH (a:{from_label})-[e:{rtype}]->(b:{to_label}) "
            f"WHERE a.id > $after_f OR (a.id = $after_f AND b.id > $after_t) "
            f"RETURN a.id AS from_id, b.id AS to_id{cols} ORDER BY from_id, to_id LIMIT $limit")


def texts() -> list[tuple[str, str]]:
    """Every Cypher text `copy_graph` sends to the source store, as (name, text)."""
    m = model()
    out = []
    for label in m.nodes:
        out.append((f"transfer count {label}", count_nodes_text(label)))
        out.append((f"transfer read {label}", read_nodes_text(label)))
    for rtype, rel in m.rels.items():
        for f, t in rel.pairs:
            out.append((f"transfer count {rtype} {f}->{t}", count_rels_text(rtype, f, t)))
            out.append((f"transfer read {rtype} {f}->{t}", read_rels_text(rtype, f, t)))
    return out


def _count(src: Store, text: str) -> int:
    rows = src.query(text).rows
    return int(rows[0][0]) if rows else 0


def copy_graph(src: Store, dst: Store, *, batch_size: int = DEFAULT_BATCH_SIZE,
               progress: Progress | None = None) -> WriteReport:
    """Copy every node and relationship of the schema from ``src`` to ``dst``.

    Nodes go first (all labels), then relationships, each written in batches of at most
    ``batch_size`` items, one destination transaction per batch. ``progress(done, total)``
    is called after each batch (and once at the start with ``done = 0``).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    m = model()
    pairs = [(rtype, f, t) for rtype, rel in m.rels.items() for f, t in rel.pairs]
    total = sum(_count(src, count_nodes_text(label)) for label in m.nodes)
    total += sum(_count(src, count_rels_text(*key)) for key in pairs)
    done = 0
    report = WriteReport()
    if progress:
        progress(done, total)

    for label in m.nodes:
        text = read_nodes_text(label)
        after = ""
        while True:
            rows = src.query(text, {"after": after, "limit": batch_size}).dicts()
            if not rows:
                break
            batch = GraphBatch()
            for row in rows:
                batch.add_node(label, _props(row))
            report += dst.write(batch)
            done += len(rows)
            if progress:
                progress(done, total)
            after = rows[-1][ALIAS + "id"]
            if len(rows) < batch_size:
                break

    for rtype, f, t in pairs:
        text = read_rels_text(rtype, f, t)
        after_f, after_t = "", ""
        while True:
            rows = src.query(text, {"after_f": after_f, "after_t": after_t,
                                    "limit": batch_size}).dicts()
            if not rows:
                break
            batch = GraphBatch()
            for row in rows:
                batch.add_rel(rtype, f, row["from_id"], t, row["to_id"], _props(row))
            report += dst.write(batch)
            done += len(rows)
            if progress:
                progress(done, total)
            after_f, after_t = rows[-1]["from_id"], rows[-1]["to_id"]
            if len(rows) < batch_size:
                break
    return report


__all__ = ["copy_graph", "texts"]
