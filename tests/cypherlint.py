"""Check Cypher texts with Neo4j's own front end (tools/cypher-lint, `lintCypherQuery`).

``lint([(name, text), …])`` returns one `LintResult` per text. The dbSchema comes from
`graph.model.model()`: labels, relationship types, property keys and the (from, to) pairs;
the parameters of each text are the ``$name``s it uses, and the fields of its ``UNWIND``
rows (``r.id``, ``k.subject``) are added to that text's property keys only. Functions are
Neo4j 5's built-ins (no APOC), so a Ladybug-only function such as ``label(n)`` is an error.

Needs ``node`` and ``npm ci --prefix tools/cypher-lint``; `LintUnavailable` says so.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from graph.model import model

ROOT = Path(__file__).resolve().parent.parent
LINT_DIR = ROOT / "tools" / "cypher-lint"
SCRIPT = LINT_DIR / "lint.mjs"
PACKAGE = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support"
INSTALL = "run `npm ci --prefix tools/cypher-lint` (needs Node 20+)"

PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
UNWIND_RE = re.compile(r"\bUNWIND\s+.+?\s+AS\s+([A-Za-z_][A-Za-z0-9_]*)", re.I | re.S)
COMMENT_RE = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)

# Warnings that mean "not in our schema" (unknown label, type or property, impossible
# adjacency) — tests treat these as failures too.
SCHEMA_WARNING_RE = re.compile(
    r"is not present in the database|has no (incoming|outgoing)|"
    r"not possible to have|does not exist in the database", re.I)


class LintUnavailable(RuntimeError):
    """node or the npm package is missing."""


@dataclass
class Diagnostic:
    message: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.message}"


@dataclass
class LintResult:
    name: str
    text: str
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def schema_warnings(self) -> list[Diagnostic]:
        return [w for w in self.warnings if SCHEMA_WARNING_RE.search(w.message)]

    def describe(self, diagnostics: list[Diagnostic] | None = None) -> str:
        diags = self.errors if diagnostics is None else diagnostics
        lines = self.text.splitlines()
        out = [f"{self.name}:"]
        for d in diags:
            src = lines[d.line - 1] if 0 < d.line <= len(lines) else ""
            out.append(f"  {d}\n    {src.strip()}")
        return "\n".join(out)


def parameters(text: str) -> list[str]:
    return sorted(set(PARAM_RE.findall(COMMENT_RE.sub("", text))))


def row_fields(text: str) -> list[str]:
    """The fields read from UNWIND row variables: ``UNWIND $rows AS r … r.id`` gives id."""
    body = COMMENT_RE.sub("", text)
    out: set[str] = set()
    for var in UNWIND_RE.findall(body):
        out |= set(re.findall(rf"(?<![\w.]){re.escape(var)}\.`?([A-Za-z_][A-Za-z0-9_]*)`?",
                              body))
    return sorted(out)


def db_schema() -> dict:
    m = model()
    return {
        "labels": list(m.nodes),
        "relationshipTypes": list(m.rels),
        "propertyKeys": m.property_keys,
        "graphSchema": [{"from": f, "to": t, "relType": r}
                        for r, rel in m.rels.items() for f, t in rel.pairs],
    }


def check_available() -> None:
    if shutil.which("node") is None:
        raise LintUnavailable(f"node is not on PATH: install Node.js, then {INSTALL}")
    if not PACKAGE.is_dir():
        raise LintUnavailable(f"{PACKAGE.relative_to(ROOT)} is missing: {INSTALL}")


def lint(texts: list[tuple[str, str]] | list[tuple[str, str, list[str]]]) -> list[LintResult]:
    """Lint each (name, text) with Neo4j's front end; one result per text, in order.

    The parameters declared for a text are the ``$name``s it uses, unless the item is a
    (name, text, parameter names) triple.
    """
    check_available()
    schema = db_schema()
    base_keys = set(schema["propertyKeys"])
    queries = []
    for item in texts:
        name, text = item[0], item[1]
        params = list(item[2]) if len(item) > 2 else parameters(text)
        extra = sorted(set(row_fields(text)) - base_keys)
        queries.append({"name": name, "text": text, "parameters": params,
                        "propertyKeys": extra})
    proc = subprocess.run(["node", str(SCRIPT)], cwd=LINT_DIR,
                          input=json.dumps({"schema": schema, "queries": queries}),
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise LintUnavailable(f"lint.mjs failed ({proc.returncode}): {proc.stderr.strip()} "
                              f"— {INSTALL}")
    raw = json.loads(proc.stdout)
    results = []
    for item, r in zip(texts, raw, strict=True):
        name, text = item[0], item[1]
        results.append(LintResult(
            name, text,
            [Diagnostic(d["message"], d["line"], d["col"]) for d in r["errors"]],
            [Diagnostic(d["message"], d["line"], d["col"]) for d in r["warnings"]]))
    return results
