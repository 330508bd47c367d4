"""The project's errors. Every error a user can cause is a `StatusgraphError`.

The CLI prints ``error: FILE:LINE: what is wrong — what to do`` and exits 2 (bad input) or
3 (`StoreUnavailable`). Anything else that escapes is a bug (exit 1).
"""

from __future__ import annotations


class StatusgraphError(Exception):
    """Base class of every error a user can cause."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint

    def located(self, file: str | None = None, line: int | None = None) -> StatusgraphError:
        """Fill in the location if the raiser did not know it; returns self."""
        if self.file is None:
            self.file = file
        if self.line is None:
            self.line = line
        return self

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" — {self.hint}"
        # one line, whatever the message held
        return " ".join(text.split())


class SchemaError(StatusgraphError):
    """The declared schema, vocabulary or gazetteer is inconsistent."""


class SheetError(StatusgraphError):
    """A claim sheet (or a source a loader reads) is malformed or refers to unknown things."""


class UnknownEntity(SheetError):
    """A name that is neither an id, a name nor an alias of any known entity."""


class QueryError(StatusgraphError):
    """A canned query or Cypher text cannot be run as asked."""


class TooManyRows(QueryError):
    """An answer asked for whole has more rows than the caller will hold in memory."""

    def __init__(self, max_rows: int):
        super().__init__(f"the whole answer has more than {max_rows:,} rows",
                         hint="page it (--limit N --offset K) or narrow it (such as "
                              "-p subject=...)")
        self.max_rows = max_rows


class StoreError(StatusgraphError):
    """The store refused an operation the user asked for."""


class StoreUnavailable(StoreError):
    """The database is locked by another process or the server cannot be reached."""

    exit_code = 3
