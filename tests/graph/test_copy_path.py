"""Big batches go in through COPY (from a Parquet file), small ones through UNWIND …
CREATE; both must store the same graph, every property and list included."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import graph.embedded
from graph.embedded import EmbeddedStore
from graph.model import model
from graph.pipeline import import_paths

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import Generator  # noqa: E402


def dump(store) -> dict:
    m = model()
    out = {}
    for label, nt in m.nodes.items():
        cols = ", ".join(f"n.`{p}` AS `{p}`" for p in nt.properties)
        out[label] = store.query(f"MATCH (n:{label}) RETURN {cols} ORDER BY n.id").rows
    for rtype, rt in m.rels.items():
        for f, t in rt.pairs:
            cols = "".join(f", r.`{p}` AS `{p}`" for p in rt.properties
                           if p != "imported_at")
            out[(rtype, f, t)] = store.query(
                f"MATCH (a:{f})-[r:{rtype}]->(b:{t}) RETURN a.id, b.id{cols} "
                "ORDER BY a.id, b.id").rows
    return out


def test_copy_and_unwind_store_the_same_graph(tmp_path, monkeypatch):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(s) + "\n" for s in Generator(6).sheets(300)),
                      encoding="utf-8")
    dumps = {}
    copies = []
    real = EmbeddedStore._copy

    def counted(self, *a, **kw):
        copies.append(a[0])
        return real(self, *a, **kw)

    monkeypatch.setattr(EmbeddedStore, "_copy", counted)
    for name, threshold in (("copy", 1), ("unwind", 10**9)):
        monkeypatch.setattr(graph.embedded, "COPY_MIN_ROWS", threshold)
        with EmbeddedStore(tmp_path / f"{name}.db") as store:
            assert not import_paths(store, [corpus]).failures
            dumps[name] = dump(store)
    assert {"Statement", "Source", "Person", "ABOUT", "REPORTED_IN"} <= set(copies)
    assert sum(len(v) for v in dumps["copy"].values()) > 1000
    assert any(r[-1] for r in dumps["copy"]["Statement"])  # lists (concerns) survived
    for k in dumps["copy"]:
        for a, b in zip(dumps["copy"][k], dumps["unwind"][k], strict=True):
            assert a == b, (k, a, b)
    assert dumps["copy"] == dumps["unwind"]
