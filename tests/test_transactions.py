"""In a bulk import consecutive files share a transaction: whole sources, committed before
progress says so; a small import writes each file on its own."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
from support import EXAMPLES, Cli

import graph.pipeline
from graph.embedded import EmbeddedStore
from graph.errors import StoreError
from graph.pipeline import import_files, store_context

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import Generator  # noqa: E402

SOURCES = "MATCH (s:Source) WHERE s.content_hash IS NOT NULL RETURN count(*) AS n"


@pytest.fixture
def parts(tmp_path, monkeypatch):
    monkeypatch.setattr(graph.pipeline, "BULK_BYTES", 0)  # these few KB count as bulk
    sheets = list(Generator(4).sheets(300))
    files = []
    for k in range(3):
        path = tmp_path / f"part-{k}.jsonl"
        path.write_text("".join(json.dumps(s) + "\n" for s in sheets[k::3]), encoding="utf-8")
        files.append(path)
    return files, len(sheets)


@pytest.mark.parametrize("reader", ["inline", "process"])
def test_three_files_go_in_one_transaction_and_progress_follows_the_commit(
        tmp_path, parts, monkeypatch, reader):
    monkeypatch.setenv("STATUSGRAPH_READER", reader)
    files, n_sheets = parts
    store = EmbeddedStore(tmp_path / "g.db")
    seen = []

    def progress(path):
        # the file is reported once its sources are committed: all of them, here
        seen.append((path.name, store.query(SOURCES).rows[0][0]))

    try:
        report = import_files(lambda: store, files, store_context(store), progress=progress)
        stored = store.query(SOURCES).rows[0][0]
    finally:
        store.close()
    assert not report.failures
    assert len(report.sources) == 1  # one transaction
    (only,) = report.sources
    assert only.count == n_sheets == stored
    assert only.path == f"{files[0]} … {files[2]} (3 files)"
    assert seen == [("part-0.jsonl", stored), ("part-1.jsonl", stored),
                    ("part-2.jsonl", stored)]


def test_a_transaction_ends_once_it_holds_enough_statements(tmp_path, parts, monkeypatch):
    monkeypatch.setenv("STATUSGRAPH_READER", "inline")
    monkeypatch.setattr(graph.pipeline, "GROUP_STATEMENTS", 60)
    files, n_sheets = parts
    sizes = []
    with EmbeddedStore(tmp_path / "g.db") as store:
        real = store.write
        monkeypatch.setattr(store, "write",
                            lambda batch: sizes.append(len(batch.statements)) or real(batch))
        report = import_files(lambda: store, files, store_context(store))
        stored = store.query(SOURCES).rows[0][0]
    assert len(report.sources) == len(sizes) > 3
    assert sum(s.count for s in report.sources) == n_sheets == stored
    # whole sources: a transaction passes 60 by at most one source, and two in a row
    # would have passed it together
    assert all(n < 60 + 20 for n in sizes), sizes
    assert all(a + b > 60 for a, b in zip(sizes, sizes[1:], strict=False)), sizes


@pytest.mark.parametrize("reader", ["inline", "process"])
def test_a_failed_write_loses_every_file_of_its_transaction_and_stops_the_reader(
        tmp_path, parts, monkeypatch, reader):
    monkeypatch.setenv("STATUSGRAPH_READER", reader)
    monkeypatch.setattr(graph.pipeline, "READ_AHEAD_FILES", 1)
    files, _ = parts
    store = EmbeddedStore(tmp_path / "g.db")
    real = store._write_batch
    calls = []

    def failing(batch):
        calls.append(len(batch.sources))
        real(batch)  # the rows go in, then the transaction fails: all of it rolls back
        raise StoreError("the disk is full")

    monkeypatch.setattr(store, "_write_batch", failing)
    done = []
    try:
        with pytest.raises(StoreError, match="the disk is full"):
            import_files(lambda: store, files, store_context(store), progress=done.append)
        stored = store.query(SOURCES).rows[0][0]
    finally:
        store.close()
    assert len(calls) == 1 and calls[0] > 100  # the three files' sources, together
    assert done == []
    assert stored == 0
    assert not [t for t in threading.enumerate() if t.name == "statusgraph-reader-relay"]


def test_a_small_import_writes_and_reports_each_file_on_its_own(tmp_path):
    cli = Cli(tmp_path / "g.db")
    r = cli("import", EXAMPLES)
    assert r.exit_code == 0, r.output
    lines = [line.split(":")[0] for line in r.output.splitlines()]
    assert lines == [str(EXAMPLES / "foi-responses-2019-08.jsonl"),
                     str(EXAMPLES / "kent-police-foi-2019-08-08.yaml"),
                     str(EXAMPLES / "observer-2019-08-17-police-halt-fr-trials.yaml"),
                     "imported 4 source(s)"]
