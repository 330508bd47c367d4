"""The buffer pool: sized by STATUSGRAPH_BUFFER_POOL, and a query that outgrows it says so."""

import pytest

from graph.embedded import EmbeddedStore

# every triple of statements, sorted: far more room than 16 MiB holds for the examples
HUNGRY = ("MATCH (a:Statement) MATCH (b:Statement) MATCH (c:Statement) "
          "RETURN a.evidence AS x, b.evidence AS y, c.evidence AS z ORDER BY x, y, z")


@pytest.mark.parametrize("raw, size", [("64M", 64 << 20), ("2G", 2 << 30), ("1.5GiB", 3 << 29),
                                       ("536870912", 1 << 29), ("512 mb", 1 << 29)])
def test_the_pool_size_comes_from_the_environment(monkeypatch, examples_db, raw, size):
    monkeypatch.setenv("STATUSGRAPH_BUFFER_POOL", raw)
    with EmbeddedStore(examples_db, read_only=True) as store:
        assert store.buffer_pool_size == size


def test_a_bad_pool_size_is_one_line_with_a_hint(monkeypatch, examples_run):
    for raw in ("lots", "8X", "1M"):
        monkeypatch.setenv("STATUSGRAPH_BUFFER_POOL", raw)
        r = examples_run("query", "claims-about", "-p", "subject=Kent")
        assert r.exit_code == 2
        assert r.stderr == (f"error: STATUSGRAPH_BUFFER_POOL={raw} is not a buffer pool size "
                            "of at least 16M — give a size such as 512M or 8G\n")


def test_a_query_that_outgrows_the_pool_says_what_to_do(monkeypatch, examples_run):
    assert examples_run("cypher", HUNGRY + " LIMIT 1").exit_code == 0  # fits the default pool
    monkeypatch.setenv("STATUSGRAPH_BUFFER_POOL", "16M")
    r = examples_run("cypher", HUNGRY + " LIMIT 1")
    assert r.exit_code == 2
    assert r.stderr == ("error: the database ran out of buffer pool memory (16 MiB) — narrow "
                        "the query (such as -p subject=...) or give it a larger pool with "
                        "STATUSGRAPH_BUFFER_POOL, such as STATUSGRAPH_BUFFER_POOL=12G\n")


def test_an_import_that_outgrows_the_pool_says_so_and_keeps_nothing(monkeypatch, tmp_path):
    from support import EXAMPLES, Cli

    run = Cli(tmp_path / "g.db")
    monkeypatch.setenv("STATUSGRAPH_BUFFER_POOL", "16M")
    r = run("import", EXAMPLES / "foi-responses-2019-08.jsonl")
    assert r.exit_code == 2
    assert r.stderr == ("error: the write ran out of buffer pool memory (16 MiB) — give it a "
                        "larger pool with STATUSGRAPH_BUFFER_POOL, such as "
                        "STATUSGRAPH_BUFFER_POOL=2G\n")
    monkeypatch.delenv("STATUSGRAPH_BUFFER_POOL")
    r = run("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "csv")
    assert r.stdout == "n\n0\n"
    assert run("import", EXAMPLES / "foi-responses-2019-08.jsonl").exit_code == 0
