"""Every Cypher text the Neo4j backend can send passes Neo4j's own front end.

No Neo4j server can be installed where this runs, so `lintCypherQuery` from
`@neo4j-cypher/language-support` (tools/cypher-lint) checks: syntax, Neo4j's semantic
analysis (undefined variables, type errors, clause order), undefined parameters, functions
outside Neo4j 5's built-ins (Ladybug-only `label`, `date_part`, `cast`, …), and labels,
relationship types, property keys and adjacencies outside graph/schema.yaml.

The texts: the backend's schema statements and every write text for every label and
relationship pair (`Neo4jStore.cypher_texts()`), `graph.intervals.texts()`,
`graph.transfer.texts()`, and every canned query in queries/ (its Neo4j variant where it
has one). If node or the npm package is missing this FAILS: run
`npm ci --prefix tools/cypher-lint`.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cypherlint  # noqa: E402

from graph import export, intervals, revisions, transfer  # noqa: E402
from graph.neo4j_store import Neo4jStore  # noqa: E402
from queries.runner import SCOPED  # noqa: E402  (queries/scoped/: every optional param given)

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries"
NEO4J = Neo4jStore.backend  # "neo4j": the runner picks queries/<backend>/NAME.cypher


def canned_query_files() -> list[tuple[str, Path]]:
    """(query name, the file the Neo4j backend sends) for every queries/**/*.cypher.

    ``queries/neo4j/NAME.cypher`` overrides ``queries/NAME.cypher`` (docs/cypher-portability
    §7). ``queries/scoped/NAME.cypher`` is the portable form sent when every optional
    parameter is given (named ``scoped/NAME``). Files in any other subfolder are another
    backend's variants (``embedded/``, ``ladybug/``) and are never sent to Neo4j.
    """
    out: dict[str, Path] = {}
    for path in sorted(QUERIES.rglob("*.cypher")):
        parts = path.relative_to(QUERIES).parts
        if len(parts) == 1:
            out.setdefault(path.stem, path)
        elif parts[0] == NEO4J:
            out["/".join(parts[1:])[:-len(".cypher")]] = path
        elif parts[0] == SCOPED:
            out[f"{SCOPED}/{path.stem}"] = path
    return sorted(out.items())


def backend_texts() -> list[tuple[str, str]]:
    texts = list(Neo4jStore.cypher_texts())
    texts += [(f"intervals {i}", t) for i, t in enumerate(intervals.texts())]
    texts += transfer.texts()
    texts += [(f"revisions {i}", t) for i, t in enumerate(revisions.texts())]
    texts += [(f"export {i}", t) for i, t in enumerate(export.texts())]
    return texts


def canned_texts() -> list[tuple[str, str]]:
    return [(f"queries/{path.relative_to(QUERIES)}", path.read_text(encoding="utf-8"))
            for _, path in canned_query_files()]


BAD = {
    # name: (text, declared parameters, expected error)
    "syntax error": ("MATCH (n:Force RETURN n.id", None, "Invalid input"),
    "undefined variable": ("MATCH (n:Force) RETURN m.id", None, "Variable `m` not defined"),
    "unknown function": ("MATCH (n:Force) RETURN label(n) AS kind", None,
                         "Function label is not present"),
    "undefined parameter": ("MATCH (n:Force) WHERE n.id = $id RETURN n.id", [],
                            "Parameter $id is not defined"),
}

SCHEMA_MISTAKES = {
    "unknown label": "MATCH (n:Forse) RETURN n.id",
    "unknown type": "MATCH (s:Statement)-[:SAID]->(n:Force) RETURN n.id",
    "unknown property": "MATCH (n:Force) RETURN n.nickname",
    "impossible direction": "MATCH (s:Statement)-[:MADE]->(n:Force) RETURN n.id",
}


@functools.cache
def _lint_all() -> dict[str, list]:
    """Lint everything in one node run: backend texts, canned queries, negative cases."""
    groups = {
        "backend": backend_texts(),
        "canned": canned_texts(),
        "bad": [(k, t) if p is None else (k, t, p) for k, (t, p, _) in sorted(BAD.items())],
        "schema": sorted(SCHEMA_MISTAKES.items()),
    }
    flat = [item for items in groups.values() for item in items]
    try:
        results = cypherlint.lint(flat)
    except cypherlint.LintUnavailable as e:
        pytest.fail(str(e), pytrace=False)
    out, i = {}, 0
    for key, items in groups.items():
        out[key] = results[i:i + len(items)]
        i += len(items)
    return out


def _failures(results, *, all_warnings: bool) -> list[str]:
    out = []
    for r in results:
        bad = list(r.errors) + [w for w in r.warnings
                                if all_warnings or w in r.schema_warnings
                                or "deprecated" in w.message.lower()]
        if bad:
            out.append(r.describe(bad))
    return out


def test_linter_is_installed():
    try:
        cypherlint.check_available()
    except cypherlint.LintUnavailable as e:
        pytest.fail(str(e), pytrace=False)


def test_backend_texts_are_collected():
    names = [n for n, _ in backend_texts()]
    assert len(names) == len(set(names))
    from graph.model import model
    m = model()
    for label in m.nodes:
        assert f"node merge {label}" in names
    for rtype, rel in m.rels.items():
        for f, t in rel.pairs:
            assert f"rel merge {rtype} {f}->{t}" in names
    assert any(t.startswith("CREATE CONSTRAINT") for _, t in backend_texts())


def test_backend_texts_lint_clean():
    """Schema, write, in-force and transfer texts: no error and no warning at all."""
    backend = _lint_all()["backend"]
    assert len(backend) == len(backend_texts())
    failures = _failures(backend, all_warnings=True)
    assert not failures, "\n".join(failures)


def test_canned_queries_lint_clean():
    """queries/**/*.cypher: no error, no unknown label/type/property, no deprecation."""
    canned = _lint_all()["canned"]
    failures = _failures(canned, all_warnings=False)
    assert not failures, "\n".join(failures)


def test_canned_query_variants_resolve(tmp_path, monkeypatch):
    """A queries/neo4j/ file replaces the portable one; other backends' never linted."""
    for sub in ("neo4j", "ladybug", "embedded", "scoped"):
        (tmp_path / sub).mkdir()
    for rel in ("a.cypher", "b.cypher", "neo4j/b.cypher", "ladybug/b.cypher",
                "ladybug/c.cypher", "embedded/a.cypher", "scoped/a.cypher"):
        (tmp_path / rel).write_text("RETURN 1 AS one\n")
    monkeypatch.setattr(sys.modules[__name__], "QUERIES", tmp_path)
    got = {name: str(p.relative_to(tmp_path)) for name, p in canned_query_files()}
    assert got == {"a": "a.cypher", "b": "neo4j/b.cypher", "scoped/a": "scoped/a.cypher"}


@pytest.mark.parametrize("case", sorted(BAD))
def test_linter_catches(case):
    """The lint test cannot pass vacuously: each kind of mistake is an error."""
    result = {r.name: r for r in _lint_all()["bad"]}[case]
    expected = BAD[case][2]
    assert any(expected in e.message for e in result.errors), \
        f"{case}: {[str(e) for e in result.errors]}"


@pytest.mark.parametrize("case", sorted(SCHEMA_MISTAKES))
def test_linter_flags_schema_mistakes(case):
    """Unknown labels, types, properties and impossible directions are caught too."""
    result = {r.name: r for r in _lint_all()["schema"]}[case]
    assert result.schema_warnings, f"{case}: {[str(w) for w in result.warnings]}"


def test_lint_matches_the_runner():
    """The text linted for each canned query is the one the runner sends to Neo4j."""
    from queries import canned_queries

    linted = dict(canned_query_files())
    for name, cq in canned_queries().items():
        assert name in linted, f"{name} is not linted"
        assert linted[name].read_text(encoding="utf-8") == cq.text_for("neo4j"), name
        if cq.scoped is not None:
            scoped = linted[f"{SCOPED}/{name}"].read_text(encoding="utf-8")
            assert scoped == cq.text_for("neo4j", scoped=True), name
    assert {n for n in linted if n.startswith(SCOPED + "/")} == {
        f"{SCOPED}/{n}" for n, cq in canned_queries().items() if cq.scoped is not None}


def test_row_fields_and_parameters():
    text = ("// $ignored in a comment\nUNWIND $rows AS r MATCH (n:Force {id: r.id}) "
            "SET n.name = r.`name`, n.kind = $kind")
    assert cypherlint.parameters(text) == ["kind", "rows"]
    assert cypherlint.row_fields(text) == ["id", "name"]


def test_lint_count_report(capsys):
    results = _lint_all()
    backend, canned = results["backend"], results["canned"]
    with capsys.disabled():
        print(f"\n[cypher-lint] {len(backend)} backend texts, {len(canned)} canned queries "
              f"linted", end="")
