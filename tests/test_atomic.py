"""Imports are atomic: a source is in the graph whole or not at all, even after SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from support import GOOD, Cli, db_digest

from graph.embedded import EmbeddedStore
from graph.errors import StatusgraphError
from graph.pipeline import load_files, store_context, write_loaded

N = 2000  # statements in the big source
SPEAKERS = ("Home Office", "Kent Police", "West Midlands Police", "South Wales Police")
STATUSES = ("trialling", "deployed", "not_using", "planned", "considering")

SMALL = GOOD.replace("A test source", "A small source")


def big_sheet(n: int = N, url: str = "https://example.org/big") -> str:
    out = ["format: statusgraph/claims@1",
           f"source: {{title: A big source, publisher: The Observer, url: '{url}', "
           "published: 2020-01-02, kind: news_article}", "statements:"]
    for i in range(n):
        out += [f"  - speaker: {SPEAKERS[i % 4]}",
                "    about: [Kent Police]",
                "    kind: status",
                f"    status: {STATUSES[i % 5]}",
                "    technology: facial recognition",
                f"    stated: {2015 + i % 9}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                f"    evidence: statement number {i} of the big source"]
    return "\n".join(out) + "\n"


def cli_process(db, *args) -> subprocess.CompletedProcess:
    """The real CLI in its own process (a crashed database may take a process down)."""
    return subprocess.run([sys.executable, "-m", "statusgraph", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


COUNTS = ("MATCH (s:Statement) WITH count(s) AS statements "
          "OPTIONAL MATCH (:Statement)-[r:REPORTED_IN]->(:Source {url: 'https://example.org/big'}) "
          "WITH statements, count(r) AS reported "
          "OPTIONAL MATCH (src:Source) RETURN statements, reported, count(src) AS sources")


def counts(db, *, isolated: bool = False) -> dict:
    if isolated:  # in a child process: opening a crashed database may segfault
        r = cli_process(db, "cypher", COUNTS, "--format", "json")
        assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
        return json.loads(r.stdout)[0]
    r = Cli(db)("cypher", COUNTS, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)[0]


@pytest.fixture
def small_db(tmp_path):
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    db = tmp_path / "graph.db"
    assert Cli(db)("import", tmp_path / "small.yaml").exit_code == 0
    big = tmp_path / "big.yaml"
    big.write_text(big_sheet(), encoding="utf-8")
    return db, big


NONE = {"statements": 1, "reported": 0, "sources": 1}
ALL = {"statements": 1 + N, "reported": N, "sources": 2}


def kill_when(proc, ready) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False if it finished first."""
    while proc.poll() is None:
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.0005)
    return False


def start_import(db, path):
    return subprocess.Popen([sys.executable, "-m", "statusgraph", "--db", str(db), "import",
                             str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigkill_while_writing_leaves_all_or_nothing(small_db):
    db, big = small_db
    wal = db.with_name(db.name + ".wal")
    # the small import's commit waits in the WAL (a small write defers the checkpoint)
    start = wal.stat().st_size
    assert start > 0
    proc = start_import(db, big)
    # the write transaction has begun once the WAL grows
    killed = kill_when(proc, lambda: wal.exists() and wal.stat().st_size > start)
    assert killed and proc.returncode == -signal.SIGKILL
    after = counts(db, isolated=True)      # the database opens ...
    assert after in (NONE, ALL)            # ... and holds all of the source or none of it
    r = cli_process(db, "import", big)     # the next import completes it
    assert r.returncode == 0, r.stderr
    assert counts(db, isolated=True) == ALL


def test_sigkill_before_writing_leaves_the_database_untouched(small_db):
    db, big = small_db
    before = db_digest(db)
    proc = start_import(db, big)
    time.sleep(0.5)  # reading and validating the sheet takes seconds; nothing is open to write
    assert proc.poll() is None, "the import finished before it could be killed"
    assert db_digest(db) == before  # data file and WAL both untouched so far
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert db_digest(db) == before
    assert counts(db) == NONE
    r = Cli(db)("import", big)
    assert r.exit_code == 0, r.output
    assert counts(db) == ALL


def test_a_failure_inside_the_transaction_rolls_the_whole_source_back(small_db, monkeypatch):
    """An error after the bulk COPY (while recomputing intervals) leaves nothing behind."""
    import graph.intervals

    db, big = small_db
    with EmbeddedStore(db) as store:
        loaded, failures = load_files([big], store_context(store))
        assert not failures
        everything = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n), count(r)"
        before = store.query(everything).rows

        def boom(run, pending):
            # the nodes and edges are in (inside the transaction) when this fails
            n = run("MATCH (s:Statement) RETURN count(s)", None).rows[0][0]
            assert n == 1 + N
            raise StatusgraphError("simulated failure in the middle of the write")

        monkeypatch.setattr(graph.intervals, "apply", boom)
        with pytest.raises(StatusgraphError, match="simulated failure"):
            write_loaded(store, loaded)
        monkeypatch.undo()
        assert store.query("MATCH (s:Statement) RETURN count(s) AS n").rows == [[1]]
        assert store.query("MATCH (s:Source) RETURN count(s) AS n").rows == [[1]]
        assert store.query(everything).rows == before
        write_loaded(store, loaded)
        assert store.query("MATCH (s:Statement) RETURN count(s) AS n").rows == [[1 + N]]
    assert counts(db) == ALL


def test_reimport_of_a_changed_source_keeps_the_earlier_statements_and_says_so(tmp_path):
    run = Cli(tmp_path / "graph.db")
    v1 = tmp_path / "v1.yaml"
    v1.write_text(big_sheet(2), encoding="utf-8")
    assert run("import", v1).exit_code == 0
    v2 = tmp_path / "v2.yaml"
    v2.write_text(big_sheet(2).replace("statement number 1 of", "statement number one of"),
                  encoding="utf-8")
    r = run("import", v2)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0].endswith(
        "; the source changed since it was last imported: kept 1 statement(s) it no longer "
        "reports (--replace drops them)")
    assert r.stdout.splitlines()[-1] == ("imported 1 source(s): 1 nodes and 5 relationships "
                                         "added, 12 already existed")
    evidence = ("MATCH (s:Statement)-[:REPORTED_IN]->(src:Source) "
                "RETURN s.evidence AS e, src.title AS t ORDER BY e")
    rows = json.loads(run("cypher", evidence, "--format", "json").output)
    assert rows == [{"e": "statement number 0 of the big source", "t": "A big source"},
                    {"e": "statement number 1 of the big source", "t": "A big source"},
                    {"e": "statement number one of the big source", "t": "A big source"}]
    # the same version again is not a change
    r = run("import", v2)
    assert "source changed" not in r.stdout and "the graph already held all of it" in r.stdout
    # --replace drops what the source no longer reports
    r = run("import", v1, "--replace")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0].endswith(
        "; the source changed: dropped 1 statement(s) it no longer reports (1 reported "
        "nowhere else, deleted)")
    rows = json.loads(run("cypher", evidence, "--format", "json").output)
    assert [x["e"] for x in rows] == ["statement number 0 of the big source",
                                      "statement number 1 of the big source"]
    assert json.loads(run("cypher", "MATCH (s:Statement) RETURN count(s) AS n",
                          "--format", "json").output) == [{"n": 2}]
