"""The embedded store: LadybugDB (the maintained fork of Kùzu) in one file at a path.

Schema tables are created from `graph/schema.yaml` on first open. A source is written in
one transaction: ids that already exist are filtered out with batched key lookups, new
nodes and edges go in through COPY from Arrow tables (the bulk path, ~100× faster than
per-row MERGE here), then the in-force intervals of the touched keys are recomputed.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graph import intervals
from graph.errors import QueryError, StoreError, StoreUnavailable, TooManyRows
from graph.intervals import ClaimCache, recompute
from graph.memory import release_free_memory
from graph.model import model
from graph.revisions import revise_sources, stored_hashes
from graph.store import GraphBatch, Rows, WriteReport, normalise_value

_ARROW_TYPES = None


def _arrow_type(typ: str):
    global _ARROW_TYPES
    import pyarrow as pa

    if _ARROW_TYPES is None:
        _ARROW_TYPES = {"STRING": pa.string(), "STRING[]": pa.list_(pa.string()),
                        "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"),
                        "DOUBLE": pa.float64(), "INT64": pa.int64(), "BOOLEAN": pa.bool_()}
    return _ARROW_TYPES[typ]


def _ddl() -> list[str]:
    m = model()
    out = []
    for label, nt in m.nodes.items():
        cols = ", ".join(f"`{p}` {t}" + (" PRIMARY KEY" if p == "id" else "")
                         for p, t in nt.properties.items())
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({cols})")
    for rtype, rt in m.rels.items():
        pairs = ", ".join(f"FROM {f} TO {t}" for f, t in rt.pairs)
        # quoted: `end` is a keyword (REPORTED_IN.end must be written r.`end` in queries)
        props = "".join(f", `{p}` {t}" for p, t in rt.properties.items())
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rtype}({pairs}{props})")
    return out


LOOKUP_CHUNK = 20_000


class EmbeddedStore:
    """A `Store` on a LadybugDB file. ``read_only`` opens a snapshot that takes no lock."""

    backend = "embedded"

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False,
                 buffer_pool_size: int | None = None):
        import ladybug

        if buffer_pool_size is None:
            buffer_pool_size = _pool_from_env() or _default_pool(read_only)
        self.buffer_pool_size = buffer_pool_size

        self.path = Path(path)
        self.read_only = read_only
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder", file=str(self.path),
                             hint="--db takes a file path such as ./statusgraph.db")
        if read_only and not self.path.exists():
            raise StoreError("no database here yet", file=str(self.path),
                             hint="run `statusgraph import` first, or check --db")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # A process killed in the middle of a write leaves a torn WAL tail; skipping it
            # on replay keeps every committed transaction and drops the interrupted one.
            self._db = ladybug.Database(str(self.path), read_only=read_only,
                                        buffer_pool_size=buffer_pool_size,
                                        throw_on_wal_replay_failure=False)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as e:
            raise _unavailable(e, self.path) from None
        self._lock = threading.Lock()
        self._claims = ClaimCache()  # the claims on keys read so far (this writer's)
        self._copied = False  # whether this session wrote through COPY (a bulk import)
        self._writing = False  # inside `write`: an engine error is the write's, not a query's
        if not read_only:
            self._create_schema()

    # -- schema ----------------------------------------------------------------------
    def _create_schema(self) -> None:
        existing = {r[1] for r in self._conn.execute("CALL show_tables() RETURN *").get_all()}
        m = model()
        missing = [label for label in (*m.nodes, *m.rels) if label not in existing]
        if not missing:
            self._add_missing_columns()
            return
        self._conn.execute("BEGIN TRANSACTION")
        try:
            for text in _ddl():
                self._conn.execute(text)
            self._conn.execute("COMMIT")
        except RuntimeError:
            self._rollback()
            raise

    def _add_missing_columns(self) -> None:
        """A database made by an older version gains the properties added to the schema."""
        m = model()
        alters = []
        for label, nt in m.nodes.items():
            have = {r[1] for r in self._conn.execute(f"CALL table_info('{label}') RETURN *")
                    .get_all()}
            alters += [f"ALTER TABLE {label} ADD `{p}` {t}" for p, t in nt.properties.items()
                       if p not in have]
        for rtype, rt in m.rels.items():
            have = {r[1] for r in self._conn.execute(f"CALL table_info('{rtype}') RETURN *")
                    .get_all()}
            alters += [f"ALTER TABLE {rtype} ADD `{p}` {t}" for p, t in rt.properties.items()
                       if p not in have]
        for text in alters:
            self._conn.execute(text)

    # -- Store protocol ----------------------------------------------------------------
    def query(self, text: str, params: Mapping[str, Any] | None = None, *,
              write: bool = False, max_rows: int | None = None) -> Rows:
        text = text.strip().rstrip(";")
        with self._lock:
            if not write:
                self._conn.execute("BEGIN TRANSACTION READ ONLY")
                try:
                    rows = self._run(text, params, max_rows)
                finally:
                    self._rollback()
                return rows
            if self.read_only:
                raise StoreError("this database was opened read-only", file=str(self.path))
            self._claims.clear()  # a raw write may change any claim
            return self._run(text, params, max_rows)

    def _run(self, text: str, params: Mapping[str, Any] | None,
             max_rows: int | None = None) -> Rows:
        try:
            result = self._conn.execute(text, dict(params or {}))
        except RuntimeError as e:
            raise _query_error(e, self.buffer_pool_size, writing=self._writing) from None
        if isinstance(result, list):
            raise QueryError("several statements in one text", hint="send one statement")
        columns = result.get_column_names()
        if max_rows is None:
            rows = [[normalise_value(v) for v in row] for row in result.get_all()]
        else:
            rows = []
            while result.has_next():
                if len(rows) == max_rows:
                    raise TooManyRows(max_rows)
                rows.append([normalise_value(v) for v in result.get_next()])
        return Rows(columns, rows)

    def write(self, batch: GraphBatch) -> WriteReport:
        if self.read_only:
            raise StoreError("this database was opened read-only", file=str(self.path))
        with self._lock:
            self._conn.execute("BEGIN TRANSACTION")
            self._writing = True
            try:
                run = lambda t, p: self._run(t, p)  # noqa: E731
                before = stored_hashes(run, batch)
                # in-force data is computed before the insert, so new rows go in final
                pending = intervals.plan(run, batch, self._claims)
                report = self._write_batch(batch)
                revise_sources(run, batch, before, report)
                intervals.apply(run, pending)
                if report.dropped:
                    # --replace removed claims: recompute their keys from what is stored
                    self._claims.clear()
                    recompute(run, batch)
                self._conn.execute("COMMIT")
            except BaseException as e:
                self._claims.clear()  # it may hold what the rolled-back batch added
                self._rollback()
                if isinstance(e, RuntimeError):  # a COPY or the COMMIT, in the engine's words
                    raise _query_error(e, self.buffer_pool_size, writing=True) from None
                raise
            finally:
                self._writing = False
                if self._copied:
                    release_free_memory()  # a bulk transaction's buffers, freed by now
        return report

    def close(self) -> None:
        conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
        self._conn = self._db = None
        if conn is not None:
            if not self.read_only and not self._copied and _wal_bytes(self.path) <= DEFERRED_WAL_MAX:
                _defer_checkpoint(conn)
            conn.close()
        if db is not None:
            db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- internals ---------------------------------------------------------------------
    def _rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError:
            pass  # the failed statement already rolled the transaction back

    def existing_ids(self, label: str, ids: list[str]) -> set[str]:
        have: set[str] = set()
        text = f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id"
        for k in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[k:k + LOOKUP_CHUNK]
            have |= {r[0] for r in self._conn.execute(text, {"ids": chunk}).get_all()}
        return have

    def existing_pairs(self, rtype: str, fl: str, tl: str, pairs: list[tuple[str, str]]):
        """The (from, to) pairs already joined by a ``rtype`` edge.

        Keyed on one end's id list (``a.id IN $ids``), which uses the primary key:
        matching both endpoints from UNWIND rows scanned the edge table (measured at 100k
        statements: 73 ms for 5 rows, 17.5 s for 20,000).
        """
        have: set[tuple[str, str]] = set()
        wanted = set(pairs)
        # key on the low-degree end: a Statement, not the speaker who made 50,000 of them
        end = "b" if tl == "Statement" else "a"
        keys = sorted({(t if end == "b" else f) for f, t in pairs})
        text = (f"MATCH (a:{fl})-[:{rtype}]->(b:{tl}) WHERE {end}.id IN $ids "
                "RETURN a.id, b.id")
        for k in range(0, len(keys), LOOKUP_CHUNK):
            rows = self._conn.execute(text, {"ids": keys[k:k + LOOKUP_CHUNK]}).get_all()
            have |= {(r[0], r[1]) for r in rows if (r[0], r[1]) in wanted}
        return have

    def _write_batch(self, batch: GraphBatch) -> WriteReport:

        m = model()
        report = WriteReport()
        created: dict[str, set[str]] = {}
        for label in m.nodes:  # schema order: entities before statements
            rows = batch.nodes.get(label)
            if not rows:
                continue
            have = self.existing_ids(label, list(rows))
            new = [rows[i] for i in rows if i not in have]
            report.nodes_existing[label] += len(have)
            report.nodes_added[label] += len(new)
            created[label] = {r["id"] for r in new}
            if new:
                self._insert_nodes(label, new)
        for (rtype, fl, tl), pairs in batch.rels.items():
            if not pairs:
                continue
            # an edge with an endpoint created in this transaction cannot exist yet
            new_f, new_t = created.get(fl, set()), created.get(tl, set())
            maybe = [k for k in pairs if k[0] not in new_f and k[1] not in new_t]
            have = self.existing_pairs(rtype, fl, tl, maybe) if maybe else set()
            new = [(k, v) for k, v in pairs.items() if k not in have]
            report.rels_existing[rtype] += len(have)
            report.rels_added[rtype] += len(new)
            if new:
                self._insert_rels(rtype, fl, tl, new)
        return report


    def _copy(self, table_name: str, table, options: str = "") -> None:
        """COPY rows in through a temporary Parquet file.

        Not from the Arrow table itself: LadybugDB 0.22 keeps about 1.3 MB of buffer pool
        per COPY from an in-memory table until the database is closed, so a long import
        filled the pool ("buffer pool is full" after ~500 COPYs with 1 GiB; measured:
        400 COPYs of 5,000 rows from Parquet in a 128 MB pool, where Arrow failed after
        47). Both ran at the same speed.
        """
        import tempfile

        import pyarrow.parquet as pq

        with tempfile.TemporaryDirectory(prefix="statusgraph-copy-") as tmp:
            path = Path(tmp) / f"{table_name}.parquet"
            pq.write_table(table, path)
            quoted = str(path).replace("\\", "\\\\").replace("'", "\\'")
            self._conn.execute(f"COPY {table_name} FROM '{quoted}'{options}")
        self._copied = True

    def _insert_nodes(self, label: str, rows: list[dict]) -> None:
        """COPY for big batches; UNWIND … CREATE for small ones (a COPY costs ~13 ms)."""
        import pyarrow as pa

        props = model().nodes[label].properties
        if len(rows) >= COPY_MIN_ROWS:
            # an empty list is stored as NULL, as the UNWIND path below stores it
            table = pa.table({p: pa.array([r.get(p) or None for r in rows] if t.endswith("[]")
                                          else [r.get(p) for r in rows], type=_arrow_type(t))
                              for p, t in props.items()})
            self._copy(label, table)
            return
        # only columns with a value in this batch: an all-NULL column binds as the wrong type
        cols = [p for p in props if any(r.get(p) not in (None, []) for r in rows)]
        sets = []
        for p in cols:
            value = f"date(r.`{p}`)" if props[p] == "DATE" else f"r.`{p}`"
            sets.append(f"`{p}`: {value}")
        payload = []
        for r in rows:
            item = {}
            for p in cols:
                v = r.get(p)
                if props[p] == "DATE" and v is not None:
                    v = v.isoformat()
                if props[p] == "DOUBLE" and v is not None:
                    v = float(v)
                if props[p].endswith("[]") and not v:
                    v = None  # an empty list is stored as NULL, whatever the batch
                item[p] = v
            payload.append(item)
        self._conn.execute(f"UNWIND $rows AS r CREATE (:{label} {{{', '.join(sets)}}})",
                           {"rows": payload})


    def _insert_rels(self, rtype: str, fl: str, tl: str, new: list) -> None:
        import pyarrow as pa

        props = model().rels[rtype].properties
        if len(new) >= COPY_MIN_ROWS:
            cols = {"from": pa.array([k[0] for k, _ in new], type=pa.string()),
                    "to": pa.array([k[1] for k, _ in new], type=pa.string())}
            for p, t in props.items():
                cols[p] = pa.array([v.get(p) for _, v in new], type=_arrow_type(t))
            self._copy(rtype, pa.table(cols), f" (from='{fl}', to='{tl}')")
            return
        cols = [p for p in props if any(v.get(p) is not None for _, v in new)]
        sets = ", ".join(f"`{p}`: " + (f"date(r.`{p}`)" if props[p] == "DATE" else f"r.`{p}`")
                         for p in cols)
        payload = []
        for (f, t), v in new:
            item = {"f": f, "t": t}
            for p in cols:
                x = v.get(p)
                item[p] = x.isoformat() if props[p] == "DATE" and x is not None else x
            payload.append(item)
        self._conn.execute(
            f"UNWIND $rows AS r MATCH (a:{fl} {{id: r.f}}) MATCH (b:{tl} {{id: r.t}}) "
            f"CREATE (a)-[:{rtype} {{{sets}}}]->(b)", {"rows": payload})


# COPY is ~5x faster than UNWIND … CREATE for big batches (3,000 statements: ~0.05 s
# against 0.37 s) but not crash-safe on LadybugDB 0.22: a SIGKILL during the checkpoint
# after the commit of a transaction that COPYed loses the COPYed rows and keeps the rest
# (reproduced: a Source without its statements). Small writes (a single new source)
# never COPY; a bulk import interrupted that way is completed by importing it again.
COPY_MIN_ROWS = 5000


# A small write leaves its WAL for the next opens to replay until the WAL holds this much
# (about eight one-article sources at 1M statements); the close that finds it bigger
# checkpoints. See `_defer_checkpoint`.
DEFERRED_WAL_MAX = 96 << 10


def _wal_bytes(path: Path) -> int:
    try:
        return os.path.getsize(f"{path}.wal")
    except OSError:
        return 0


def _defer_checkpoint(conn) -> None:
    """Close without the checkpoint LadybugDB otherwise runs on every close.

    A committed transaction is already durable in the WAL, which every later open (read-only
    ones too) replays. The checkpoint folds the WAL into the data file; after one new source
    at 1M statements it rewrote the CSR of the node group that holds all forces (the hub of
    the graph) and took 0.4-0.6 s of the ~1.1 s the source cost. Replaying costs each open
    ~12 ms per deferred source there, so the WAL is kept small (`DEFERRED_WAL_MAX`): one
    close in several pays the checkpoint for the writes before it. A bulk import (one that
    COPYed) always checkpoints on close.
    """
    try:
        conn.execute("CALL force_checkpoint_on_close=false")
    except RuntimeError:
        pass  # an engine without the setting checkpoints, as before


def _default_pool(read_only: bool) -> int:
    """Buffer pool: 1 GiB for writes (bounded import memory; with 512 MiB the 1M-statement
    import failed in a post-commit checkpoint with "buffer pool is full"); a quarter of RAM, at most
    8 GiB, for reads, since a global query such as `contradictions` on a large graph
    needs room for its joins (measured: 1.9 GB RSS for 133k rows over 10k statements).
    Pages are only taken when used, so a small query costs no more."""
    if not read_only:
        return 1 << 30
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        ram = 8 << 30
    return max(1 << 30, min(8 << 30, ram // 4))


POOL_ENV = "STATUSGRAPH_BUFFER_POOL"
_SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def _pool_from_env() -> int | None:
    """The buffer pool ``STATUSGRAPH_BUFFER_POOL`` asks for (bytes, or 512M, 8G ...)."""
    raw = os.environ.get(POOL_ENV, "").strip()
    if not raw:
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?", raw.upper())
    size = int(float(m[1]) * _SIZE_UNITS[m[2]]) if m else 0
    if size < 16 << 20:
        raise StoreError(f"{POOL_ENV}={raw} is not a buffer pool size of at least 16M",
                         hint="give a size such as 512M or 8G")
    return size


def _size_text(n: int) -> str:
    return f"{n / (1 << 30):.1f} GiB" if n >= 1 << 30 else f"{n >> 20} MiB"


def _unavailable(e: RuntimeError, path: Path) -> Exception:
    msg = str(e)
    if "Could not set lock" in msg:
        return StoreUnavailable("database is locked by another statusgraph process",
                                file=str(path),
                                hint="wait for that import to finish, or pass --wait SECONDS")
    if "Cannot create an empty database under READ ONLY" in msg:
        return StoreError("no database here yet", file=str(path),
                          hint="run `statusgraph import` first, or check --db")
    return StoreUnavailable(f"cannot open the database: {' '.join(msg.split())}",
                            file=str(path), hint="check the path and that it is a statusgraph "
                            "database")


def _query_error(e: RuntimeError, pool: int | None = None, *,
                 writing: bool = False) -> Exception:
    msg = " ".join(str(e).split())
    if "read-only" in msg or "read only" in msg:
        return QueryError(f"refused: {msg}", hint="pass --write to change the graph")
    if "buffer pool is full" in msg or "Unable to allocate memory" in msg:
        # the engine's own words say nothing of what to do; a query over a large graph can
        # need more room for its joins than the pool has
        size = f" ({_size_text(pool)})" if pool else ""
        if writing:
            # measured: 1 GiB (the default) imported 1M statements; 768 MiB ran out
            return StoreError(f"the write ran out of buffer pool memory{size}",
                              hint=f"give it a larger pool with {POOL_ENV}, such as "
                              f"{POOL_ENV}=2G")
        return QueryError(f"the database ran out of buffer pool memory{size}",
                          hint="narrow the query (such as -p subject=...) or give it a larger "
                          f"pool with {POOL_ENV}, such as {POOL_ENV}=12G")
    if msg.rstrip(".") == "Interrupted":
        return QueryError("the query was interrupted before it finished",
                          hint="it ran past its time limit; narrow it (such as -p subject=...)")
    return QueryError(msg, hint="check the Cypher text against the schema (statusgraph cypher"
                      " --help)")
