"""Closing the embedded store: a small write leaves its WAL for later opens to replay,
a bulk import folds it into the data file; either way every later open sees the data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import graph.embedded
import graph.memory
from graph.embedded import EmbeddedStore
from graph.memory import release_free_memory
from graph.pipeline import import_paths

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import Generator  # noqa: E402

COUNT = "MATCH (s:Statement) RETURN count(s) AS n"


def wal(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def corpus(tmp_path: Path, n: int, seed: int) -> Path:
    path = tmp_path / f"c{seed}.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in Generator(seed).sheets(n)),
                    encoding="utf-8")
    return path


def statements(db: Path, *, read_only: bool) -> int:
    with EmbeddedStore(db, read_only=read_only) as store:
        return store.query(COUNT).rows[0][0]


def test_a_small_write_defers_the_checkpoint_and_every_open_replays_it(tmp_path):
    db = tmp_path / "g.db"
    with EmbeddedStore(db) as store:  # a new database: the schema alone outgrows the limit
        assert not import_paths(store, [corpus(tmp_path, 40, 1)]).failures
    assert not wal(db).exists()
    with EmbeddedStore(db) as store:
        assert not import_paths(store, [corpus(tmp_path, 5, 2)]).failures
        first = store.query(COUNT).rows[0][0]
    assert first == 45
    assert wal(db).stat().st_size > 0  # committed, not yet checkpointed
    # a read-only open (a query) and a writer both replay it
    assert statements(db, read_only=True) == first
    with EmbeddedStore(db) as store:
        assert store.query(COUNT).rows[0][0] == first
        assert not import_paths(store, [corpus(tmp_path, 5, 3)]).failures
        both = store.query(COUNT).rows[0][0]
    assert both == 50
    # and a fresh process, as the next `statusgraph query` is
    out = subprocess.run([sys.executable, "-m", "statusgraph", "--db", str(db), "cypher", COUNT,
                          "--format", "json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [{"n": both}]


def test_a_bulk_import_checkpoints_on_close(tmp_path, monkeypatch):
    monkeypatch.setattr(graph.embedded, "COPY_MIN_ROWS", 1)
    db = tmp_path / "g.db"
    with EmbeddedStore(db) as store:
        assert not import_paths(store, [corpus(tmp_path, 40, 1)]).failures
        n = store.query(COUNT).rows[0][0]
    assert not wal(db).exists()
    assert statements(db, read_only=True) == n


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.mark.skipif(graph.memory._trim() is None, reason="not glibc: nothing to release")
def test_release_free_memory_gives_freed_heap_back():
    # 300 MB in malloc'd blocks (1 kB objects), freed; one block allocated after them pins
    # the top of the heap, so glibc keeps all of it until told otherwise
    blocks = [bytes(1000) for _ in range(300_000)]
    pin = bytes(1000)
    del blocks
    before = _rss_mb()
    release_free_memory()
    assert before - _rss_mb() > 200, (before, _rss_mb())
    assert len(pin) == 1000
