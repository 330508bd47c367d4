"""The statusgraph command line: parse arguments, call the library, format the output.

Errors a user can cause print one line (``error: FILE:LINE: what — what to do``) and exit
2, or 3 when the store is unavailable; anything else is a bug and exits 1.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from graph.errors import QueryError, StatusgraphError, StoreUnavailable
from statusgraph.output import FORMATS

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEFAULT_DB = "statusgraph.db"
PAGE_ROWS = 100  # rows per page of `query`: a screenful or two, and fast on any subject


class Settings:
    """Where the graph lives: the embedded file at --db, or a Neo4j server."""

    def __init__(self, db: str, wait: float, debug: bool, backend: str = "embedded",
                 neo4j: dict | None = None):
        self.db, self.wait, self.debug = db, wait, debug
        self.backend = backend
        self.neo4j = neo4j or {}

    def open_store(self, *, write: bool, backend: str | None = None):
        """The configured store; embedded read-only opens take no lock (a snapshot)."""
        if (backend or self.backend) == "neo4j":
            return self.open_neo4j()
        return self.open_embedded(write=write)

    def open_embedded(self, *, write: bool):
        from graph.embedded import EmbeddedStore

        read_only = not write and Path(self.db).exists()
        deadline = time.monotonic() + self.wait
        while True:
            try:
                return EmbeddedStore(self.db, read_only=read_only)
            except StoreUnavailable:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)

    def open_neo4j(self):
        from graph.neo4j_store import Neo4jStore

        n = self.neo4j
        if not n.get("uri"):
            raise StoreUnavailable("no Neo4j server configured",
                                   hint="set NEO4J_URI or pass --neo4j-uri neo4j://host:7687")
        return Neo4jStore(n["uri"], n.get("user") or "neo4j", n.get("password"),
                          n.get("database") or None)

    def has_graph(self) -> bool:
        return self.backend == "neo4j" or Path(self.db).exists()


class App(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StatusgraphError as e:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            click.echo(f"error: {e}", err=True)
            ctx.exit(e.exit_code)
        except BrokenPipeError:
            # the reader went away (| head): leave quietly
            sys.stderr.close()
            ctx.exit(0)


def default_format() -> str:
    return "table" if sys.stdout.isatty() else "json"


# the one output option of every command that prints rows
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS),
    help="Output format [default: table on a terminal, json when piped].")


def echo_rows(columns: list[str], rows: list[list], fmt: str | None) -> None:
    from statusgraph.output import render

    click.echo(render(columns, rows, fmt or default_format()), nl=False)


@click.group(cls=App, context_settings=CONTEXT_SETTINGS)
@click.option("--db", envvar="STATUSGRAPH_DB", default=DEFAULT_DB, show_default=True,
              metavar="PATH", help="Embedded database file (env STATUSGRAPH_DB).")
@click.option("--wait", type=click.FloatRange(min=0), default=0, metavar="SECONDS",
              help="Wait this long for a database locked by another process.")
@click.option("--backend", envvar="STATUSGRAPH_BACKEND", type=click.Choice(["embedded", "neo4j"]),
              default="embedded", show_default=True,
              help="Where the graph lives (env STATUSGRAPH_BACKEND).")
@click.option("--neo4j-uri", envvar="NEO4J_URI", metavar="URI",
              help="Neo4j server, e.g. neo4j://localhost:7687 (env NEO4J_URI).")
@click.option("--neo4j-user", envvar="NEO4J_USERNAME", metavar="NAME",
              help="Neo4j user (env NEO4J_USERNAME).")
@click.option("--neo4j-password", envvar="NEO4J_PASSWORD", metavar="SECRET",
              help="Neo4j password (env NEO4J_PASSWORD; never printed).")
@click.option("--neo4j-database", envvar="NEO4J_DATABASE", metavar="NAME",
              help="Neo4j database (env NEO4J_DATABASE; default: the server's).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="statusgraph")
@click.pass_context
def cli(ctx, db, wait, backend, neo4j_uri, neo4j_user, neo4j_password, neo4j_database, debug):
    """Who claims what about whom: a deployment-status knowledge graph.

    Import claim sheets (or articles), run canned Cypher queries, export the graph.

    \b
    Example:
        statusgraph import examples/
        statusgraph query contradictions
    """
    ctx.obj = Settings(db, wait, debug, backend,
                       {"uri": neo4j_uri, "user": neo4j_user, "password": neo4j_password,
                        "database": neo4j_database})


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for p in pairs:
        key, sep, value = p.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{p!r} is not key=value", param_hint="-p")
        if value == "-":
            value = sys.stdin.read().strip()
        out[key.strip()] = value
    return out


# -- import ----------------------------------------------------------------------------
@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--all-or-nothing", is_flag=True,
              help="Validate every file first; import nothing if any is bad.")
@click.option("--replace", is_flag=True,
              help="A source imported before with other content loses the statements it "
                   "no longer reports (default: keep them).")
@click.pass_obj
def import_cmd(settings, paths, all_or_nothing, replace):
    """Import claim sheets (.yaml .yml .json .jsonl) and articles (.txt .md .html).

    Folders are searched recursively. A source is written whole or not at all;
    importing the same source again adds nothing. A source whose content changed keeps
    its earlier statements unless --replace.

    \b
    Example:
        statusgraph import examples/
        statusgraph --db news.db import sheet.yaml feed.jsonl
    """
    from contextlib import ExitStack

    from graph.pipeline import (
        ImportReport,
        copy_context,
        find_files,
        import_files,
        load_files,
        store_context,
        write_loaded,
    )
    from loaders.claimsheet import Context

    files = find_files(paths)
    if settings.has_graph():
        with settings.open_store(write=False) as snapshot:
            context = store_context(snapshot)
    else:
        context = Context()
    show_bar = sys.stderr.isatty() and len(files) > 1
    with ExitStack() as stack:
        bar = stack.enter_context(click.progressbar(length=len(files), label="importing",
                                                    file=sys.stderr, hidden=not show_bar))
        if all_or_nothing:
            # validate every file before the database is opened for writing, holding no
            # more than one file's sheets at a time; the files are read again to write
            start = copy_context(context)
            loaded, failures = load_files(files, context, keep=False)
            report = ImportReport(failures=failures)
            if loaded and not failures:
                store = stack.enter_context(settings.open_store(write=True))
                write_loaded(store, loaded, report, progress=lambda _p: bar.update(1),
                             replace=replace, context=start)
        else:
            # file by file: the database is opened for writing only once a file is good,
            # so bad input alone leaves it byte-for-byte as it was
            report = import_files(
                lambda: stack.enter_context(settings.open_store(write=True)), files,
                context, replace=replace, progress=lambda _p: bar.update(1))
    for s in report.sources:
        r = s.report
        existing = sum(r.nodes_existing.values()) + sum(r.rels_existing.values())
        added_n, added_r = sum(r.nodes_added.values()), sum(r.rels_added.values())
        what = f"{added_n} nodes and {added_r} relationships added" if r.added else "nothing new"
        line = f"{s.path}: {s.title or s.source_id}: {what}, {existing} already there"
        if r.kept:
            line += (f"; the source changed since it was last imported: kept {r.kept} "
                     "statement(s) it no longer reports (--replace drops them)")
        elif r.dropped:
            line += (f"; the source changed: dropped {r.dropped} statement(s) it no longer "
                     f"reports ({r.deleted} reported nowhere else, deleted)")
        elif r.changed_sources:
            line += "; the source changed since it was last imported"
        click.echo(line)
    t = report.total
    if not report.sources and report.failures:
        for e in report.failures:
            click.echo(f"error: {e}", err=True)
        sys.exit(2)
    n_new, r_new = sum(t.nodes_added.values()), sum(t.rels_added.values())
    existing = sum(t.nodes_existing.values()) + sum(t.rels_existing.values())
    click.echo(f"imported {sum(s.count for s in report.sources)} source(s): {n_new} nodes and {r_new} "
               f"relationships added, {existing} already existed"
               + (" (the graph already held all of it)" if report.sources and not t.added else ""))
    for e in report.failures:
        click.echo(f"error: {e}", err=True)
    if report.failures:
        if all_or_nothing:
            click.echo("error: nothing was imported (--all-or-nothing)", err=True)
        sys.exit(2)


# -- query -----------------------------------------------------------------------------
@cli.command("query")
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable); VALUE '-' reads stdin.")
@format_option
@click.option("--limit", type=click.IntRange(min=1), default=PAGE_ROWS, show_default=True,
              metavar="N", help="Show at most N rows.")
@click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N",
              help="Skip the first N rows (the next page starts at --offset N).")
@click.option("--all", "all_rows", is_flag=True, help="Show every row (no --limit).")
@click.option("--list", "list_", is_flag=True, help="List the canned queries.")
@click.pass_obj
def query_cmd(settings, name, params, fmt, limit, offset, all_rows, list_):
    """Run a canned query (queries/NAME.cypher).

    Entity parameters take an id, a name or an alias. Answers come a page at a time
    (--limit rows from --offset, in the query's order); when more rows follow, a note on
    stderr gives the next --offset.

    \b
    Example:
        statusgraph query --list
        statusgraph query contradictions -p subject=Kent --format json
        statusgraph query claims-about -p subject=Met --offset 100
    """
    from queries import canned_queries, run_page

    if list_ or not name:
        rows = []
        for q in canned_queries().values():
            ps = " ".join(f"{p.name}{'' if p.required else '?'}" for p in q.params)
            rows.append([q.name, ps, q.title])
        echo_rows(["query", "parameters", "answers"], rows, fmt)
        return
    values = parse_params(params)
    with settings.open_store(write=False) as store:
        page = run_page(store, name, values, limit=None if all_rows else limit, offset=offset)
    echo_rows(page.rows.columns, page.rows.rows, fmt)
    if page.more:
        shown = len(page.rows.rows)
        click.echo(f"note: rows {offset + 1}-{offset + shown} shown, more follow: --offset "
                   f"{offset + shown} for the next page, --all for every row", err=True)


# -- cypher ----------------------------------------------------------------------------
@cli.command("cypher")
@click.argument("text")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter passed as $KEY (text).")
@click.option("--write", is_flag=True, help="Allow clauses that change the graph.")
@format_option
@click.pass_obj
def cypher_cmd(settings, text, params, write, fmt):
    """Run one Cypher statement (TEXT, or - to read it from stdin); read-only unless --write.

    \b
    Example:
        statusgraph cypher "MATCH (f:Force) RETURN f.name AS force ORDER BY force LIMIT 5"
    """
    from graph.readonly import check_read_only

    if text == "-":
        text = sys.stdin.read()
    if not write:
        check_read_only(text)
    with settings.open_store(write=write) as store:
        rows = store.query(text, parse_params(params), write=write)
    echo_rows(rows.columns, rows.rows, fmt)


# -- entities --------------------------------------------------------------------------
@cli.command("entities")
@click.option("--type", "etype", type=click.Choice(["Force", "Body", "Person"]),
              help="Only this type.")
@click.option("--search", metavar="TEXT", help="Only names or aliases containing TEXT.")
@click.option("--gazetteer", is_flag=True, help="List the built-in gazetteer, not the graph.")
@format_option
@click.pass_obj
def entities_cmd(settings, etype, search, gazetteer, fmt):
    """List the forces, bodies and people in the graph (or the gazetteer).

    \b
    Example:
        statusgraph entities --type Force --search west
    """
    from graph.entities import list_entities

    if gazetteer:
        rows = list_entities(None, etype=etype, search=search)
    else:
        with settings.open_store(write=False) as store:
            rows = list_entities(store, etype=etype, search=search)
    echo_rows(rows.columns, rows.rows, fmt)


# -- export ----------------------------------------------------------------------------
@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "claims", "graphml", "gexf"]),
              default="jsonl", show_default=True,
              help="jsonl: one claim sheet per line; claims: YAML claim sheets; graphml, "
                   "gexf: the graph for Gephi and friends.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default="-",
              help="Output file (default: stdout).")
@click.pass_obj
def export_cmd(settings, fmt, output):
    """Export the graph: claim sheets (re-importable) or GraphML / GEXF.

    Claim sheets come one per source, in a stable order; both sheet formats re-import
    with `statusgraph import`.

    \b
    Example:
        statusgraph export --format jsonl -o backup.jsonl
        statusgraph export --format gexf -o graph.gexf
    """
    if fmt in ("graphml", "gexf"):
        import io

        from graph.projection import to_networkx, write_gexf, write_graphml

        with settings.open_store(write=False) as store:
            G = to_networkx(store)
        buf = io.BytesIO()
        (write_graphml if fmt == "graphml" else write_gexf)(G, buf)
        if str(output) == "-":
            sys.stdout.buffer.write(buf.getvalue())
        else:
            output.write_bytes(buf.getvalue())
            click.echo(f"wrote {G.number_of_nodes()} nodes and {G.number_of_edges()} edges "
                       f"to {output}", err=True)
        return
    from graph.export import claim_sheets, to_jsonl, to_yaml

    with settings.open_store(write=False) as store:
        sheets = claim_sheets(store)
    text = to_jsonl(sheets) if fmt == "jsonl" else to_yaml(sheets)
    if str(output) == "-":
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(sheets)} source(s) to {output}", err=True)


# -- demo ------------------------------------------------------------------------------
@cli.command("demo")
@click.option("--out", type=click.Path(path_type=Path), default="demo", show_default=True,
              help="Folder for the demo database (made anew).")
@click.option("--examples", type=click.Path(exists=True, path_type=Path), default=None,
              help="Claim sheets to import [default: ./examples].")
@click.pass_obj
def demo_cmd(settings, out, examples):
    """Build a fresh database from examples/ and show who claims what, and the conflicts.

    \b
    Example:
        statusgraph demo --out demo
    """
    from graph.embedded import EmbeddedStore
    from graph.pipeline import import_paths
    from queries import run_canned
    from statusgraph.output import render

    examples = examples or Path("examples")
    if not examples.exists():
        raise QueryError(f"no examples folder at {examples}", hint="pass --examples DIR")
    db = out / "statusgraph.db"
    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink()
    out.mkdir(parents=True, exist_ok=True)
    with EmbeddedStore(db) as store:
        report = import_paths(store, [examples], all_or_nothing=True)
        if report.failures:
            raise report.failures[0]
        click.echo(f"imported {sum(s.count for s in report.sources)} sources from {examples}\n")
        rows = run_canned(store, "who-claims")
        cols = ["date", "speaker", "about", "status", "deployment", "evidence", "sources"]
        click.echo("who claims what about whom")
        click.echo(render(cols, [[r[c] for c in cols] for r in rows.dicts()], "table"))
        rows = run_canned(store, "contradictions")
        cols = ["subject", "claimant", "claim", "claim_from", "counter_claimant",
                "counter_claim", "counter_from", "reason"]
        click.echo("contradictions")
        click.echo(render(cols, [[r[c] for c in cols] for r in rows.dicts()], "table"))
        from graph.views import render_board, render_view

        view = render_view(store)
        view.write(out / "view.html")
        (out / "board.html").write_text(render_board(store), encoding="utf-8")
    click.echo(f"database: {db}")
    click.echo(f"view:     {out / 'view.html'}")
    click.echo(f"board:    {out / 'board.html'}")
    click.echo(f"try: statusgraph --db {db} query contradictions -p subject=Kent")


# -- view / board ------------------------------------------------------------------------
def _open_file(path: Path) -> None:
    import webbrowser

    webbrowser.open(path.resolve().as_uri())


@cli.command("view")
@click.option("--focus", metavar="ENTITY", help="Centre on this force, body, person or trial.")
@click.option("--depth", type=click.IntRange(min=1, max=6), default=2, show_default=True,
              help="Hops around --focus.")
@click.option("--as-of", metavar="DATE", help="Only claims in force on this date.")
@click.option("--technology", metavar="NAME", help="Only claims about this technology.")
@click.option("--max-nodes", type=click.IntRange(min=10), default=1500, show_default=True,
              help="Leave out the least central nodes above this many.")
@click.option("--compact", is_flag=True,
              help="Speakers and subjects only, claims as labelled edges.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default="view.html",
              show_default=True, help="HTML file to write.")
@click.option("--open", "open_", is_flag=True, help="Open it in a browser.")
@click.pass_obj
def view_cmd(settings, focus, depth, as_of, technology, max_nodes, compact, output, open_):
    """Write an interactive network of who claims what about whom (one offline HTML file).

    Click a node for its full record: speaker, subject, status, dates, evidence and
    every source. Contradictions are drawn as their own red edges.

    \b
    Example:
        statusgraph view --focus Kent --depth 2 -o kent.html --open
    """
    from graph.views import render_view

    with settings.open_store(write=False) as store:
        result = render_view(store, focus=focus, depth=depth, as_of=as_of,
                             technology=technology, max_nodes=max_nodes, compact=compact)
    if result.message:
        click.echo(f"warning: {result.message}", err=True)
    result.write(output)
    click.echo(f"wrote {output}: {result.nodes} nodes, {result.edges} edges")
    if open_:
        _open_file(output)


@cli.command("board")
@click.option("--as-of", metavar="DATE", help="The status in force on this date.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default="board.html",
              show_default=True, help="HTML file to write.")
@click.option("--open", "open_", is_flag=True, help="Open it in a browser.")
@click.pass_obj
def board_cmd(settings, as_of, output, open_):
    """Write the status board: one row per subject and deployment, one column per claimant.

    Rows with a contradiction are flagged and can be sorted to the top.

    \b
    Example:
        statusgraph board --as-of 2019-08-31 -o board.html
    """
    from graph.views import render_board

    with settings.open_store(write=False) as store:
        html = render_board(store, as_of=as_of)
    output.write_text(html, encoding="utf-8")
    click.echo(f"wrote {output}")
    if open_:
        _open_file(output)


# -- extract ---------------------------------------------------------------------------
@cli.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD).")
@click.option("--publisher", metavar="NAME", help="Publisher of the source.")
@click.option("--url", metavar="URL", help="Address of the source.")
@click.option("--title", metavar="TEXT", help="Title of the source.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default="-",
              help="Claim sheet to write (default: stdout).")
@click.pass_obj
def extract_cmd(settings, file, published, publisher, url, title, output):
    """Extract a reviewable claim sheet from an article (.txt, .md or .html).

    Source metadata comes from these options, else from FILE.meta.yaml beside the file,
    else from the page itself. Statements to check are listed under `review:`.

    \b
    Example:
        statusgraph extract article.html -o article.yaml
    """
    from loaders.article import read_article
    from loaders.extract import dump_sheet, extract_claims

    article = read_article(file, published=published, publisher=publisher, url=url,
                           title=title)
    sheet = extract_claims(article)
    text = dump_sheet(sheet)
    n, review = len(sheet.get("statements") or []), len(sheet.get("review") or [])
    if str(output) == "-":
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}: {n} statements, {review} to review", err=True)


# -- push / pull -------------------------------------------------------------------------
def _copy(settings, src, dst, batch_size, what):
    from graph.transfer import copy_graph

    show = sys.stderr.isatty()
    with click.progressbar(length=1, label=what, file=sys.stderr, hidden=not show) as bar:
        def progress(done, total):
            bar.length = max(total, 1)
            bar.update(done - bar.pos)
        report = copy_graph(src, dst, batch_size=batch_size, progress=progress)
    existing = sum(report.nodes_existing.values()) + sum(report.rels_existing.values())
    click.echo(f"{what}: {sum(report.nodes_added.values())} nodes and "
               f"{sum(report.rels_added.values())} relationships added, {existing} already there")


@cli.command("push")
@click.option("--to", "target", type=click.Choice(["neo4j"]), required=True,
              help="Where to copy the embedded database.")
@click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True)
@click.pass_obj
def push_cmd(settings, target, batch_size):
    """Copy the embedded database (--db) into Neo4j, idempotently.

    \b
    Example:
        NEO4J_URI=neo4j://localhost:7687 NEO4J_PASSWORD=... statusgraph push --to neo4j
    """
    with settings.open_embedded(write=False) as src, settings.open_neo4j() as dst:
        _copy(settings, src, dst, batch_size, "push to neo4j")


@cli.command("pull")
@click.option("--from", "origin", type=click.Choice(["neo4j"]), default="neo4j",
              show_default=True, help="Where to copy from.")
@click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True)
@click.pass_obj
def pull_cmd(settings, origin, batch_size):
    """Copy a Neo4j graph into the embedded database (--db), idempotently.

    \b
    Example:
        NEO4J_URI=neo4j://localhost:7687 NEO4J_PASSWORD=... statusgraph --db copy.db pull
    """
    with settings.open_neo4j() as src, settings.open_embedded(write=True) as dst:
        _copy(settings, src, dst, batch_size, "pull from neo4j")


def main():
    cli(prog_name="statusgraph")


if __name__ == "__main__":
    main()
