"""The domain model, read once from `schema.yaml` and `vocabulary.yaml`.

Everything that needs a label, a property, a status or a stance asks this module, so the
schema and the vocabularies are declared in one place only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from graph.errors import SchemaError

HERE = Path(__file__).parent

PROPERTY_TYPES = {"STRING", "STRING[]", "DATE", "TIMESTAMP", "DOUBLE", "INT64", "BOOLEAN"}


@dataclass(frozen=True)
class NodeType:
    label: str
    properties: dict[str, str]  # name -> type, in declaration order; "id" first
    caption: str


@dataclass(frozen=True)
class RelType:
    type: str
    pairs: tuple[tuple[str, str], ...]
    properties: dict[str, str]


@dataclass(frozen=True)
class Model:
    nodes: dict[str, NodeType]
    rels: dict[str, RelType]
    statuses: dict[str, dict]
    stances: dict[str, dict]
    statement_kinds: tuple[str, ...]
    source_kinds: tuple[str, ...]
    entity_types: tuple[str, ...]
    body_kinds: tuple[str, ...]
    force_kinds: tuple[str, ...]
    metrics: tuple[str, ...]
    methods: tuple[str, ...]
    format: str

    def stance(self, status: str | None) -> str | None:
        return self.statuses[status]["stance"] if status else None

    def statuses_with_stance(self, stance: str) -> list[str]:
        return [s for s, d in self.statuses.items() if d["stance"] == stance]

    @property
    def property_keys(self) -> list[str]:
        keys = {p for n in self.nodes.values() for p in n.properties}
        keys |= {p for r in self.rels.values() for p in r.properties}
        return sorted(keys)


def load_yaml(stream):
    """Our own data files (schema, vocabulary, gazetteer): safe YAML, through libyaml when
    PyYAML has it (the pure-Python parser took 0.12 s of a one-source import)."""
    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _load_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return load_yaml(f)


@functools.cache
def model() -> Model:
    """The model, loaded and checked once per process."""
    schema = _load_yaml(HERE / "schema.yaml")
    vocab = _load_yaml(HERE / "vocabulary.yaml")
    nodes = {}
    for label, spec in schema["nodes"].items():
        props = dict(spec["properties"])
        if next(iter(props), None) != "id":
            raise SchemaError(f"node label {label} must declare id first", file="schema.yaml")
        for name, typ in props.items():
            if typ not in PROPERTY_TYPES:
                raise SchemaError(f"{label}.{name} has unknown type {typ}", file="schema.yaml")
        nodes[label] = NodeType(label, props, spec.get("caption", "id"))
    rels = {}
    for rtype, spec in schema["relationships"].items():
        pairs = tuple(tuple(p) for p in spec["pairs"])
        for f, t in pairs:
            for end in (f, t):
                if end not in nodes:
                    raise SchemaError(f"relationship {rtype} names unknown label {end}",
                                      file="schema.yaml")
        rels[rtype] = RelType(rtype, pairs, dict(spec.get("properties") or {}))
    statuses = vocab["statuses"]
    stances = vocab["stances"]
    for s, d in statuses.items():
        if d["stance"] not in stances:
            raise SchemaError(f"status {s} has unknown stance {d['stance']}",
                              file="vocabulary.yaml")
    return Model(
        nodes=nodes, rels=rels, statuses=statuses, stances=stances,
        statement_kinds=tuple(vocab["statement_kinds"]),
        source_kinds=tuple(vocab["source_kinds"]),
        entity_types=tuple(vocab["entity_types"]),
        body_kinds=tuple(vocab["body_kinds"]),
        force_kinds=tuple(vocab["force_kinds"]),
        metrics=tuple(vocab["metrics"]),
        methods=tuple(vocab["methods"]),
        format=vocab["format"],
    )
