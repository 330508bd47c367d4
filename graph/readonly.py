"""A lexical guard for `statusgraph cypher` without --write.

The embedded store also runs such text in a READ ONLY transaction; this check refuses
write and schema clauses up front, on every backend, with a clear message. Comments and
string literals are removed first so a keyword hidden in them neither passes nor trips.
"""

from __future__ import annotations

import re

from graph.errors import QueryError

WRITE_WORDS = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER",
               "COPY", "LOAD", "INSTALL", "ATTACH", "DETACH", "IMPORT", "EXPORT", "CHECKPOINT",
               "BEGIN", "COMMIT", "ROLLBACK", "FOREACH", "FINISH", "GRANT", "REVOKE", "DENY",
               "USE", "TERMINATE", "START", "STOP")
READ_PROCEDURES = {"show_tables", "table_info", "show_connection", "show_functions",
                   "db.labels", "db.relationshiptypes", "db.propertykeys",
                   "db.schema.visualization", "db.schema.nodetypeproperties",
                   "db.schema.reltypeproperties"}

_TOKEN = re.compile(r"""
    (?P<comment>//[^\n]*|/\*.*?(\*/|$))
  | (?P<string>'(?:[^'\\]|\\.)*('|$)|"(?:[^"\\]|\\.)*("|$))
  | (?P<quoted>`(?:[^`]|``)*(`|$))
""", re.S | re.X)


def strip_literals(text: str) -> str:
    """The text with comments and strings blanked; backquoted names kept as names."""
    def repl(m):
        if m.group("quoted"):
            return " name "
        return " "
    return _TOKEN.sub(repl, text)


def _identifier_at(bare: str, m: re.Match, previous: str | None) -> bool:
    """True where a word can only be a name: ``$start``, ``AS start``, ``{start: …}``."""
    if m.start() > 0 and bare[m.start() - 1] == "$":
        return True
    if previous is not None and previous.upper() == "AS":
        return True
    rest = bare[m.end():].lstrip()
    return rest.startswith(":")


def check_read_only(text: str) -> None:
    """Raise `QueryError` if ``text`` holds a clause that writes or changes the schema."""
    bare = strip_literals(text)
    matches = list(re.finditer(r"[A-Za-z_][A-Za-z0-9_.]*", bare))
    words = [m.group() for m in matches]
    upper = [w.upper() for w in words]
    for i, w in enumerate(upper):
        if w in WRITE_WORDS and not _identifier_at(bare, matches[i], words[i - 1] if i else None):
            raise QueryError(f"refused: {w} changes the graph",
                             hint="this command is read-only; pass --write to allow it")
        if w == "CALL":
            if bare[matches[i].end():].lstrip()[:1] in ("{", "("):
                continue  # a subquery, CALL { ... }: its clauses are checked like the rest
            proc = words[i + 1].lower() if i + 1 < len(words) else ""
            if proc not in READ_PROCEDURES:
                raise QueryError(f"refused: CALL {words[i + 1] if i + 1 < len(words) else ''}"
                                 " may change the graph",
                                 hint="only read-only procedures run without --write")
