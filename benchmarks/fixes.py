"""Prototypes of the library fixes the benchmark recommends, so their effect can be measured.

Nothing here is imported by the library; `run.py` applies them only in the variants whose
names say so ("fixed-*"). Each one is a recommendation for the owners of the library
code (see results.md):

1. `fast_jsonl()`: `loaders.located.parse_json` re-parses every JSON text with the
   pure-Python PyYAML composer only to learn line numbers. For a `.jsonl` line every
   value is on that one line, so the located wrapper can be built straight from
   `json.loads` (and for `.json`, the YAML pass only needs to run when an error is
   reported). This is ~80 % of the parse time.
2. `UnwindStore`: `EmbeddedStore._write_batch` runs one COPY per label and relationship
   type for every source. In LadybugDB 0.22 a COPY costs ~13 ms however few rows it has,
   and each COPY in its own transaction pins ~1.3 MB of buffer pool that neither COMMIT
   nor CHECKPOINT gives back, so after a few hundred sources the import stops with
   "Buffer manager exception: Unable to allocate memory! The buffer pool is full". Small
   batches should go through `UNWIND $rows AS r CREATE ...` (≈0.8 ms a transaction), COPY
   only above a threshold of rows.
3. `write_grouped` (superseded: `graph.pipeline.write_loaded` now groups whole sources
   into transactions of up to `GROUP_STATEMENTS` statements itself, which is what the
   "library" and "fixed-grouped" variants measure). Kept for comparison only.
4. (in run.py, `_apply_fixes`) `Gazetteer._suggest` is stubbed: a trial named under
   `about:` is first tried as an entity, and the failed look-up computes difflib
   suggestions over the whole name index (~60 % of the remaining parse time) only to
   throw them away. The real fix: in `_SheetReader.read_statement` try the sheet's trials
   (or `self.g.lookup`, which does not raise) before `resolve_entity`, or compute the
   hint only when the error is shown.
"""

from __future__ import annotations

import json

from graph.embedded import EmbeddedStore
from graph.model import model
from graph.store import GraphBatch, WriteReport

_CAST = {"DATE": "DATE", "TIMESTAMP": "TIMESTAMP", "DOUBLE": "DOUBLE", "INT64": "INT64",
         "BOOLEAN": "BOOLEAN", "STRING[]": "STRING[]"}


def fast_jsonl() -> None:
    """Patch the JSON reader so it no longer re-parses each text as YAML for line numbers."""
    import inspect

    import loaders.claimsheet as cs
    import loaders.located as located
    from graph.errors import SheetError

    if "one_line" in inspect.signature(located.parse_json).parameters:
        return  # the library has this fix (parse_json(..., one_line=True) for .jsonl)

    def parse_json(text: str, path: str, line_offset: int = 0, **_):
        try:
            data = json.loads(text, object_pairs_hook=located._no_duplicates)
        except ValueError as e:
            raise SheetError(f"malformed JSON: {getattr(e, 'msg', str(e))}", file=path,
                             line=(getattr(e, "lineno", None) or 1) + line_offset,
                             hint="check the brackets, commas and quotes there") from None
        if located._depth(data) > located.MAX_DEPTH:
            raise SheetError(f"nesting deeper than {located.MAX_DEPTH} levels", file=path,
                             line=line_offset + 1)
        return located._wrap(data, line_offset + 1)

    cs.parse_json = parse_json


class UnwindStore(EmbeddedStore):
    """`EmbeddedStore` whose small writes use UNWIND … CREATE instead of COPY."""

    copy_threshold = 5_000

    def _write_batch(self, batch: GraphBatch) -> WriteReport:
        import pyarrow as pa

        from graph.embedded import _arrow_type

        m = model()
        report = WriteReport()
        for label in m.nodes:
            rows = batch.nodes.get(label)
            if not rows:
                continue
            have = self.existing_ids(label, list(rows))
            new = [rows[i] for i in rows if i not in have]
            report.nodes_existing[label] += len(have)
            report.nodes_added[label] += len(new)
            if not new:
                continue
            props = m.nodes[label].properties
            if len(new) >= self.copy_threshold:
                table = pa.table({p: pa.array([r.get(p) for r in new], type=_arrow_type(t))
                                  for p, t in props.items()})
                self._conn.execute(f"COPY {label} FROM $t", {"t": table})
                continue
            sets = ", ".join(f"`{p}`: " + (f"CAST(r.`{p}` AS {_CAST[t]})" if t in _CAST
                                           else f"r.`{p}`") for p, t in props.items())
            self._conn.execute(f"UNWIND $rows AS r CREATE (:{label} {{{sets}}})",
                               {"rows": [{p: _plain(r.get(p), t) for p, t in props.items()}
                                         for r in new]})
        for (rtype, fl, tl), pairs in batch.rels.items():
            if not pairs:
                continue
            have = self.existing_pairs(rtype, fl, tl, list(pairs))
            new = [(k, v) for k, v in pairs.items() if k not in have]
            report.rels_existing[rtype] += len(have)
            report.rels_added[rtype] += len(new)
            if not new:
                continue
            props = m.rels[rtype].properties
            if len(new) >= self.copy_threshold:
                cols = {"from": pa.array([k[0] for k, _ in new], type=pa.string()),
                        "to": pa.array([k[1] for k, _ in new], type=pa.string())}
                for p, t in props.items():
                    cols[p] = pa.array([v.get(p) for _, v in new], type=_arrow_type(t))
                self._conn.execute(f"COPY {rtype} FROM $t (from='{fl}', to='{tl}')",
                                   {"t": pa.table(cols)})
                continue
            sets = ", ".join(f"`{p}`: " + (f"CAST(r.`{p}` AS {_CAST[t]})" if t in _CAST
                                           else f"r.`{p}`") for p, t in props.items())
            text = (f"UNWIND $rows AS r MATCH (a:{fl} {{id: r.f}}) MATCH (b:{tl} {{id: r.t}}) "
                    f"CREATE (a)-[:{rtype}" + (f" {{{sets}}}" if sets else "") + "]->(b)")
            rows = []
            for (f, t), v in new:
                row = {"f": f, "t": t}
                row.update({p: _plain(v.get(p), ty) for p, ty in props.items()})
                rows.append(row)
            self._conn.execute(text, {"rows": rows})
        return report


def _plain(v, typ):
    # dates and timestamps travel as ISO text and are CAST in the query, so that a column
    # that is NULL in every row does not bind as the wrong type
    if v is None:
        return None
    if typ in ("DATE", "TIMESTAMP"):
        return v.isoformat(sep=" ") if typ == "TIMESTAMP" else v.isoformat()
    if typ == "DOUBLE":
        return float(v)
    return v


def write_grouped(store, loaded, group: int = 2_000):
    """Write loaded sheets, up to ``group`` sources per transaction (one merged batch)."""
    from graph.build import batch_for_sheet
    from graph.pipeline import ImportReport

    report = ImportReport()
    pending, count = GraphBatch(), 0
    for _path, sheets in loaded:
        for sheet in sheets:
            pending.merge(batch_for_sheet(sheet))
            count += 1
            if count >= group:
                report.total += store.write(pending)
                pending, count = GraphBatch(), 0
    if count:
        report.total += store.write(pending)
    return report
