"""Big imports read in a helper process beside the writer; the result must not differ."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from support import EXAMPLES, GOOD, Cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import Generator  # noqa: E402

GRAPH = ("MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
         "RETURN n.id AS nid, labels(n) AS l, n.valid_from AS vf, n.valid_to AS vt, "
         "label(r) AS rel, m.id AS mid, r.valid_from AS rf, r.valid_to AS rt "
         "ORDER BY nid, l, rel, mid, rf, rt")


def dump(cli: Cli) -> list:
    r = cli("cypher", GRAPH, "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert len(rows) > 100
    return rows


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    sheets = list(Generator(5).sheets(600))
    for k in range(2):
        (folder / f"part-{k}.jsonl").write_text(
            "".join(json.dumps(s) + "\n" for s in sheets[k::2]), encoding="utf-8")
    (folder / "bad.yaml").write_text(GOOD.replace("kind: status", "kind: rumour"),
                                     encoding="utf-8")
    return folder


def test_the_reader_process_imports_what_the_inline_reader_imports(tmp_path, corpus,
                                                                    monkeypatch):
    import subprocess

    started = []
    real = subprocess.Popen

    def spy(args, **kw):
        started.append(args)
        return real(args, **kw)

    monkeypatch.setattr(subprocess, "Popen", spy)
    out = {}
    for mode in ("inline", "process"):
        monkeypatch.setenv("STATUSGRAPH_READER", mode)
        cli = Cli(tmp_path / f"{mode}.db")
        r = cli("import", EXAMPLES, corpus)
        assert r.exit_code == 2  # the bad file is reported, the others import
        assert "bad.yaml:6: unknown kind 'rumour'" in r.output
        assert "imported " in r.output
        out[mode] = (r.output.replace(str(tmp_path / mode), "DB"), dump(cli))
    assert [a[-1] for a in started] == ["graph.reader_process"]  # once, in process mode
    assert out["process"] == out["inline"]


def test_a_bad_file_alone_does_not_open_the_database_for_writing(tmp_path, corpus,
                                                                 monkeypatch):
    monkeypatch.setenv("STATUSGRAPH_READER", "process")
    cli = Cli(tmp_path / "g.db")
    r = cli("import", corpus / "bad.yaml")
    assert r.exit_code == 2
    assert not (tmp_path / "g.db").exists()


def test_the_reader_process_reads_relative_paths_from_the_callers_folder(tmp_path, corpus,
                                                                         monkeypatch):
    # the reader process runs in the project's folder; the user's paths are relative to
    # theirs (this import once failed with "cannot read: No such file or directory")
    monkeypatch.setenv("STATUSGRAPH_READER", "process")
    monkeypatch.chdir(corpus.parent)
    (corpus / "bad.yaml").unlink()
    cli = Cli(tmp_path / "g.db")
    r = cli("import", "corpus")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("corpus/part-0.jsonl: 135 sources: ")
    assert "imported 270 source(s)" in r.output
    assert cli("query", "claims-about", "-p", "subject=kent-police").exit_code == 0
