"""Import: files → claim sheets → batches → the store, one transaction per source.

This is the library behind ``statusgraph import``; the CLI only formats its report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.build import batch_for_sheet
from graph.errors import SheetError, StatusgraphError
from graph.memory import release_free_memory
from graph.store import GraphBatch, Store, WriteReport

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
        for group in groups_for_sheets(sheets, path=f):
            write_group(store, group, report, replace)
        if progress:
            progress(f)
    return report


def import_paths(store: Store, paths: Iterable[str | os.PathLike], *,
                 all_or_nothing: bool = False, replace: bool = False,
                 progress: Callable[[Path], None] | None = None) -> ImportReport:
    """Import every file under ``paths``; a transaction always holds whole sources.

    A file that fails is reported in ``failures`` and the others still import, unless
    ``all_or_nothing``: then every file is read and validated first, and nothing is
    written if any fails.
    """
    files = find_files(paths)
    context = store_context(store)
    if all_or_nothing:
        start = copy_context(context)
        loaded, failures = load_files(files, context, keep=False)
        report = ImportReport(failures=failures)
        if failures:
            return report
        return write_loaded(store, loaded, report, progress, replace=replace, context=start)
    return import_files(lambda: store, files, context, replace=replace, progress=progress)


def import_files(open_store: Callable[[], Store], files: list[Path], context, *,
                 replace: bool = False, progress: Callable[[Path], None] | None = None,
                 report: ImportReport | None = None) -> ImportReport:
    """Read and write file by file; the good files import, the bad ones are reported.

    ``open_store`` is called once, when the first good file is ready, so an import of
    bad files only never opens the database for writing. Big imports read in a helper
    process while this one writes (see `read_groups`). In a bulk import (`BULK_BYTES`)
    consecutive files share a transaction up to `GROUP_STATEMENTS`; ``progress`` is
    called for a file once the transaction that holds the last of it has committed, and
    a write that fails loses (rolls back) every file of its transaction, never part of a
    source. A smaller import writes (and reports) each file on its own.
    """
    report = report or ImportReport()
    across_files = _total_bytes(files) >= BULK_BYTES
    store = None
    pending: Group | None = None
    done: list[Path] = []  # files whose every group is in ``pending``

    def report_done() -> None:
        if progress:
            for p in done:
                progress(p)
        done.clear()

    def commit() -> None:
        nonlocal pending
        write_group(store, pending, report, replace)
        pending = None
        report_done()

    for path, result in read_groups(files, context):
        if isinstance(result, StatusgraphError):
            report.failures.append(result)
            continue
        if store is None:
            store = open_store()
        result.reverse()
        for group in _drain(result):  # a written group is let go
            if pending is not None and (len(pending.batch.statements)
                                        + len(group.batch.statements) > GROUP_STATEMENTS):
                commit()
            if pending is None:
                pending = group
            else:
                pending.absorb(group)
            if len(pending.batch.statements) >= GROUP_STATEMENTS:
                commit()
        done.append(path)
        if not across_files and pending is not None:
            commit()
    if pending is not None:
        commit()
    report_done()  # files whose last transaction committed inside the loop
    return report


@dataclass
class Group:
    """The batch of one transaction and the sources in it: [(file, title, source id)]."""

    batch: GraphBatch
    members: list[tuple[Path | None, str | None, str]]

    def absorb(self, other: Group) -> None:
        """Take in ``other``'s sources (``other`` is used up)."""
        self.batch.merge(other.batch)
        self.members += other.members


# an import of at least this much input is a bulk import: its files share transactions,
# and a helper process reads them (see `read_groups`)
BULK_BYTES = 4 << 20

# A transaction costs a commit and a checkpoint, which at 1M statements rewrite the busy
# forces' adjacency whatever the transaction's size, plus one COPY per table and the
# updates of the stored claims it supersedes; so sources are grouped into transactions of
# up to this many statements, across files. A transaction always holds whole sources, so
# a source is still never half-written. Measured on the 1M corpus (CLI import, 2 cores,
# wall / writer's peak RSS / with the reader's): one file per transaction (before) 595 s,
# 2,424 / 2,725 MB; 20,000 across files 452 s, 2,557 / 2,755 MB; 30,000 541 s, 2,667 /
# 2,888 MB; 60,000 (two files read ahead) 516 s, 2,901 / 3,119 MB.
GROUP_STATEMENTS = 20_000


def groups_for_sheets(sheets, limit: int | None = None,
                      path: Path | None = None) -> Iterator[Group]:
    """The sheets' batches, merged into groups of whole sources (`GROUP_STATEMENTS`)."""
    limit = limit or GROUP_STATEMENTS
    group = None
    for sheet in sheets:
        batch = batch_for_sheet(sheet)
        if group is None:
            group = Group(batch, [])
        else:
            group.batch.merge(batch)
        group.members.append((path, sheet.source.title, batch.source_id))
        if len(group.batch.statements) >= limit:
            yield group
            group = None
    if group is not None:
        yield group


def write_group(store: Store, group: Group, report: ImportReport,
                replace: bool = False) -> None:
    """Write one group in one transaction and add what it did to ``report``."""
    group.batch.replace = replace
    wr = store.write(group.batch)
    report.total += wr
    members = group.members
    paths = list(dict.fromkeys(str(p) for p, _, _ in members))
    where = paths[0] if len(paths) == 1 else f"{paths[0]} … {paths[-1]} ({len(paths)} files)"
    if len(members) == 1:
        report.sources.append(SourceResult(where, *members[0][1:], wr))
    else:
        report.sources.append(SourceResult(where, f"{len(members)} sources",
                                           members[0][2], wr, count=len(members)))


# -- reading beside the writer ---------------------------------------------------------
# Reading (parse, validate, resolve, build) and writing each take about half of a big
# import's time, and this machine class has two cores: in a bulk import (`BULK_BYTES`) a
# helper process reads the files in order (so each sees what earlier ones declared) and
# hands each file's built groups to the writer. STATUSGRAPH_READER=process|inline
# overrides.


def read_groups(files: list[Path], context) -> Iterator[tuple[Path, list[Group] |
                                                              StatusgraphError]]:
    """Each file's transaction groups, in order, or the error that made it fail."""
    mode = os.environ.get("STATUSGRAPH_READER", "")
    if mode != "process" and (mode == "inline" or (os.cpu_count() or 1) < 2
                              or _total_bytes(files) < BULK_BYTES):
        yield from _read_inline(files, context)
        return
    yield from _read_in_process(files, context)


def _read_inline(files, context, limit=None):
    for f in files:
        try:
            sheets = read_file(f, context)
        except StatusgraphError as e:
            yield f, e.located(str(f))
            continue
        _learn(context, sheets)
        # each sheet is let go once its batch is built: a 16 MB file's sheets and its
        # batches are not both held whole
        sheets.reverse()
        groups = list(groups_for_sheets(_drain(sheets), limit, f))
        yield f, groups
        del sheets, groups
        release_free_memory()  # the file's sheets and batches, written or sent by now


def _drain(items: list):
    while items:
        yield items.pop()


def _total_bytes(files) -> int:
    total = 0
    for f in files:
        try:
            total += f.stat().st_size
        except OSError:
            pass
    return total


# files read ahead of the writer: while a transaction commits the reader reads on (each
# file waiting is ~20 MB of groups in the writer)
READ_AHEAD_FILES = 1


def _read_in_process(files, context):
    """Run `_read_inline` in ``python -m graph.reader_process`` and relay what it sends.

    A plain subprocess, not multiprocessing: a spawned worker re-imports the caller's
    main script, which breaks any script that imports without a ``__main__`` guard. A
    thread takes the reader's files off the pipe as they come (LadybugDB lets go of the
    GIL while it runs a query), so the reader keeps reading while a transaction is
    written, at most `READ_AHEAD_FILES` files ahead of the writer.
    """
    import pickle
    import queue
    import subprocess
    import sys
    import tempfile
    import threading

    root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [root, *filter(None, [os.environ.get("PYTHONPATH")])]))
    ready: queue.Queue = queue.Queue(maxsize=READ_AHEAD_FILES)
    stop = threading.Event()

    def relay(stream) -> None:
        for _ in files:
            try:
                item = pickle.load(stream)
            except EOFError:
                item = ("eof", None, None)
            except Exception as e:  # noqa: BLE001 - a torn pipe after a kill, say
                item = ("eof", None, repr(e))
            while not stop.is_set():
                try:
                    ready.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if stop.is_set() or item[0] != "file":
                return

    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "graph.reader_process"], cwd=root, env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        thread = threading.Thread(target=relay, args=(proc.stdout,), daemon=True,
                                  name="statusgraph-reader-relay")
        try:
            # the reader runs in the project's folder (so that it imports this code, not a
            # `graph` package of the user's), but reads paths as given from the caller's
            pickle.dump((files, context, GROUP_STATEMENTS, os.getcwd()), proc.stdin,
                        protocol=pickle.HIGHEST_PROTOCOL)
            proc.stdin.close()
            thread.start()
            for _ in files:
                kind, path, payload = ready.get()
                if kind == "eof":
                    proc.wait()
                    err.seek(0)
                    detail = err.read().decode("utf-8", "replace").strip() or payload or ""
                    raise RuntimeError(f"the reader process stopped (exit code "
                                       f"{proc.returncode}): {detail}")
                if kind == "crash":
                    raise RuntimeError(f"the reader process failed:\n{payload}")
                yield Path(path), payload
        finally:
            stop.set()
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if thread.is_alive():
                thread.join()
            proc.stdout.close()


def _reader_main() -> None:
    """The reader process: files and context in on stdin, results out on stdout."""
    import pickle
    import sys
    import traceback

    out = sys.stdout.buffer
    files, context, limit, cwd = pickle.load(sys.stdin.buffer)
    os.chdir(cwd)
    try:
        for path, result in _read_inline(files, context, limit):
            pickle.dump(("file", str(path), result), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    except BaseException:
        pickle.dump(("crash", None, traceback.format_exc()), out)
        out.flush()


def _learn(context, sheets) -> None:
    # later files may name the people and trials earlier ones declared; each is kept
    # once (every sheet declares the people it names: at 1M statements the list held
    # 1.6M copies of 5,000 people, and every file's gazetteer layer was built from it)
    seen = context.__dict__.get("_learned")
    if seen is None or seen[0] is not context.entities:
        seen = context.__dict__["_learned"] = (context.entities, set(context.entities))
    known = seen[1]
    for sheet in sheets:
        for e in sheet.entities:
            if not e.builtin and e not in known:
                known.add(e)
                context.entities.append(e)
        context.trials.update(sheet.trials)
