"""Import: files → claim sheets → batches → the store, one transaction per source.

This is the library behind ``statusgraph import``; the CLI only formats its report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graph.build import batch_for_sheet
from graph.errors import SheetError, StatusgraphError
from graph.store import Store, WriteReport

SHEET_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass
class SourceResult:
    """One transaction's worth: a source, or a group of sources of one file."""

    path: str
    title: str | None
    source_id: str
    report: WriteReport
    count: int = 1


@dataclass
class ImportReport:
    sources: list[SourceResult] = field(default_factory=list)
    failures: list[StatusgraphError] = field(default_factory=list)
    total: WriteReport = field(default_factory=WriteReport)


def find_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The importable files under ``paths`` (folders are walked, sorted, no symlink loops)."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        path = Path(p)
        if not path.exists():
            if path.is_symlink():
                raise SheetError("symbolic link loops or points nowhere", file=str(path),
                                 hint="fix the link or give the file it should point to")
            raise SheetError("no such file or folder", file=str(path),
                             hint="check the path")
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=True):
                real = Path(root).resolve()
                if real in seen:
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    fp = Path(root) / f
                    if fp.suffix.lower() in SHEET_SUFFIXES + ARTICLE_SUFFIXES \
                            and not f.endswith(".meta.yaml") and f.lower() != "readme.md":
                        out.append(fp)
        else:
            out.append(path)
    return out


def store_context(store: Store):
    """What the store already knows, for resolving names in new sheets."""
    from loaders.claimsheet import Context, TrialInfo
    from loaders.gazetteer import Entity

    entities = []
    for label in ("Force", "Body", "Person"):
        extra = "n.kind AS kind, n.nation AS nation, NULL AS role" if label != "Person" \
            else "NULL AS kind, NULL AS nation, n.role AS role"
        text = (f"MATCH (n:{label}) RETURN n.id AS id, n.name AS name, n.aliases AS aliases, "
                f"{extra}")
        for r in store.query(text).dicts():
            entities.append(Entity(r["id"], r["name"], label, r["kind"], r["nation"], r["role"],
                                   None, tuple(r["aliases"] or ()), builtin=False))
    trials = {}
    rows = store.query("MATCH (t:Trial) OPTIONAL MATCH (t)-[:USES]->(x:Technology) "
                       "RETURN t.id AS id, t.name AS name, t.description AS description, "
                       "x.id AS technology").dicts()
    for r in rows:
        trials[r["id"]] = TrialInfo(r["id"], r["name"], r["technology"], None, None,
                                    r["description"])
    return Context(entities=entities, trials=trials)


def read_file(path: Path, context) -> list:
    """Claim sheets from a sheet file, or from an article through automatic extraction."""
    from loaders.claimsheet import load_sheets, parse_sheets

    if path.suffix.lower() in ARTICLE_SUFFIXES:
        from loaders.article import read_article
        from loaders.extract import dump_sheet, extract_claims

        sheet = extract_claims(read_article(path))
        return parse_sheets(dump_sheet(sheet), str(path), ".yaml", context)
    return load_sheets(path, context)


def load_files(files: Iterable[Path], context, *,
               keep: bool = True) -> tuple[list[tuple[Path, list | None]], list]:
    """Read and resolve every file; returns (loaded, failures). Touches no database.

    ``keep=False`` validates only: ``loaded`` holds ``(path, None)`` and `write_loaded`
    reads each file again when it writes it, so an import holds one file at a time.
    """
    loaded, failures = [], []
    for f in files:
        try:
            sheets = read_file(f, context)
        except StatusgraphError as e:
            failures.append(e.located(str(f)))
            continue
        _learn(context, sheets)
        loaded.append((f, sheets if keep else None))
    return loaded, failures


def copy_context(context):
    """An independent copy, to replay the same resolution in a second pass."""
    from loaders.claimsheet import Context

    return Context(entities=list(context.entities), trials=dict(context.trials),
                   default_method=context.default_method)


def write_loaded(store: Store, loaded: list[tuple[Path, list | None]],
                 report: ImportReport | None = None,
                 progress: Callable[[Path], None] | None = None, *,
                 replace: bool = False, context=None) -> ImportReport:
    """Write loaded sheets; a transaction always holds whole sources.

    ``replace``: a source imported before with other content loses the statements its
    new version no longer reports (without it they are kept, and counted). Files loaded
    with ``keep=False`` are read again here, resolved with ``context`` (a copy of the
    one `load_files` started from).
    """
    report = report or ImportReport()
    for f, sheets in loaded:
        if sheets is None:
            sheets = read_file(f, context)
            _learn(context, sheets)
        _write_file(store, f, sheets, report, progress, replace)
    return report


def import_paths(store: Store, paths: Iterable[str | os.PathLike], *,
                 all_or_nothing: bool = False, replace: bool = False,
                 progress: Callable[[Path], None] | None = None) -> ImportReport:
    """Import every file under ``paths``; a transaction always holds whole sources.

    Every file is read and validated before anything is written. A file that fails is
    reported in ``failures`` and the others still import, unless ``all_or_nothing``:
    then nothing is written if any file fails.
    """
    loaded, failures = load_files(find_files(paths), store_context(store))
    report = ImportReport(failures=failures)
    if all_or_nothing and failures:
        return report
    return write_loaded(store, loaded, report, progress, replace=replace)


def _learn(context, sheets) -> None:
    # later files may name the people and trials earlier ones declared
    for sheet in sheets:
        context.entities.extend(e for e in sheet.entities if not e.builtin)
        context.trials.update(sheet.trials)


# A transaction costs a commit (~0.2 s on LadybugDB) plus one COPY per table, so many small
# sources are grouped into one transaction. A transaction always holds whole sources, so a
# source is still never half-written.
GROUP_STATEMENTS = 20_000


def _write_file(store, path, sheets, report, progress, replace=False):
    group, size = None, 0
    members: list[tuple] = []

    def flush():
        nonlocal group, size, members
        if group is None:
            return
        group.replace = replace
        wr = store.write(group)
        report.total += wr
        if len(members) == 1:
            report.sources.append(SourceResult(str(path), *members[0], wr))
        else:
            report.sources.append(SourceResult(str(path), f"{len(members)} sources",
                                               members[0][1], wr, count=len(members)))
        group, size, members = None, 0, []

    for sheet in sheets:
        batch = batch_for_sheet(sheet)
        if group is None:
            group = batch
        else:
            group.merge(batch)
        members.append((sheet.source.title, batch.source_id))
        size += len(batch.statements)
        if size >= GROUP_STATEMENTS:
            flush()
    flush()
    if progress:
        progress(path)
