"""The `Store` protocol: what every backend (embedded LadybugDB, Neo4j) provides.

Loaders produce claim sheets; `graph.build` turns a resolved sheet into a `GraphBatch`;
a store writes one batch in one transaction and answers Cypher. Stores never see raw
sources.
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

RelKey = tuple[str, str, str]  # (type, from label, to label)


def _merge_tables(mine: dict, theirs: dict) -> None:
    """Add ``theirs`` (table -> key -> row) to ``mine``; a row already in ``mine`` stays."""
    for table, rows in theirs.items():
        have = mine.get(table)
        if have is None:
            mine[table] = rows
            continue
        for key, row in rows.items():
            have.setdefault(key, row)


@dataclass
class GraphBatch:
    """Everything one source adds to the graph.

    ``nodes[label][id]`` is the node's property dict (``id`` included);
    ``rels[(type, from_label, to_label)][(from_id, to_id)]`` is the edge's property dict.
    ``statements`` are the Statement ids whose in-force data must be recomputed, and
    ``keys`` the (subject label, subject id, deployment) keys they touch.
    """

    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rels: dict[RelKey, dict[tuple[str, str], dict[str, Any]]] = field(default_factory=dict)
    statements: set[str] = field(default_factory=set)
    keys: set[tuple[str, str, str]] = field(default_factory=set)
    source_id: str | None = None
    # every source in the batch: id -> (content hash, the statement ids it reports)
    sources: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    replace: bool = False  # drop what a changed source no longer reports

    def add_node(self, label: str, props: dict[str, Any]) -> None:
        self.nodes.setdefault(label, {}).setdefault(props["id"], props)

    def add_rel(self, rtype: str, from_label: str, from_id: str, to_label: str, to_id: str,
                props: dict[str, Any] | None = None) -> None:
        pairs = self.rels.get((rtype, from_label, to_label))
        if pairs is None:
            pairs = self.rels[(rtype, from_label, to_label)] = {}
        if (from_id, to_id) not in pairs:
            pairs[(from_id, to_id)] = dict(props) if props else {}

    def merge(self, other: GraphBatch) -> None:
        """Add ``other``'s rows; ``other`` is used up (its property dicts are shared)."""
        _merge_tables(self.nodes, other.nodes)
        _merge_tables(self.rels, other.rels)
        self.statements |= other.statements
        self.keys |= other.keys
        self.sources.update(other.sources)


@dataclass
class WriteReport:
    """What a write added and what was already there, per node label and relationship type."""

    nodes_added: Counter = field(default_factory=Counter)
    nodes_existing: Counter = field(default_factory=Counter)
    rels_added: Counter = field(default_factory=Counter)
    rels_existing: Counter = field(default_factory=Counter)
    changed_sources: int = 0  # sources imported before with other content
    kept: int = 0  # statements a changed source no longer reports, kept (no --replace)
    dropped: int = 0  # such statements unlinked from the source (--replace)
    deleted: int = 0  # of those, statements no other source reports, deleted

    def __iadd__(self, other: WriteReport) -> WriteReport:
        self.nodes_added += other.nodes_added
        self.nodes_existing += other.nodes_existing
        self.rels_added += other.rels_added
        self.rels_existing += other.rels_existing
        self.changed_sources += other.changed_sources
        self.kept += other.kept
        self.dropped += other.dropped
        self.deleted += other.deleted
        return self

    @property
    def added(self) -> int:
        return sum(self.nodes_added.values()) + sum(self.rels_added.values())


@dataclass
class Rows:
    """A query result: named columns and rows of plain Python values."""

    columns: list[str]
    rows: list[list[Any]]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]

    def __iter__(self) -> Iterator[list[Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@runtime_checkable
class Store(Protocol):
    """A graph database holding statusgraph's schema."""

    backend: str

    def write(self, batch: GraphBatch) -> WriteReport:
        """Write one source's batch and recompute in-force data, in one transaction."""

    def query(self, text: str, params: Mapping[str, Any] | None = None, *,
              write: bool = False, max_rows: int | None = None) -> Rows:
        """Run one Cypher statement; read-only unless ``write``.

        The rows are held in memory whole: with ``max_rows``, an answer that has more rows
        raises `TooManyRows` once it has fetched that many, instead of filling memory.
        """

    def close(self) -> None:
        """Release the database (the embedded store checkpoints here)."""


def normalise_value(v: Any) -> Any:
    """Turn a backend's value into plain Python (see docs/cypher-portability.md §7)."""
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if hasattr(v, "to_native") and not isinstance(v, (_dt.date, _dt.datetime)):
        return v.to_native()
    if isinstance(v, (list, tuple, frozenset)):
        return [normalise_value(x) for x in v]
    if isinstance(v, dict):
        return {k: normalise_value(x) for k, x in v.items() if not str(k).startswith("_")}
    return v
