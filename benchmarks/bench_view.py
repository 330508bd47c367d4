"""How long a 1,500-node view takes to reach a stable, drawn state in Chromium (issue #4).

Builds a synthetic corpus (deterministic: ``random.Random(42)``) of claim sheets with
forces, bodies, people, trials, sources and ~1,250 statements, imports it into an
embedded database in a temporary folder, renders ``statusgraph view`` with
``render_view``, opens the page from a file in Debian's Chromium with every network
request blocked, and times navigation → layout stabilised (physics off) → first frame
drawn after that. The target is 10 s.

    python benchmarks/bench_view.py            # the 1,500-node view
    python benchmarks/bench_view.py --smoke    # a 150-node view, for CI
    python benchmarks/bench_view.py --nodes 3000 --keep view.html
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.embedded import EmbeddedStore  # noqa: E402
from graph.model import model  # noqa: E402
from graph.pipeline import import_paths  # noqa: E402
from graph.views import render_view  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TARGET_S = 10.0
TECHS = ["facial recognition", "live facial recognition", "retrospective facial recognition"]


def corpus(n_nodes: int, seed: int = 42) -> list[dict]:
    """Claim sheets whose graph has about ``n_nodes`` nodes (5/6 of them statements)."""
    rnd = random.Random(seed)
    n_forces = max(4, n_nodes // 35)
    n_bodies = max(2, n_nodes // 100)
    n_people = max(2, n_nodes // 75)
    n_trials = max(2, n_nodes // 150)
    n_sources = max(3, n_nodes // 10)
    n_statements = n_nodes - (n_forces + n_bodies + n_people + n_trials + n_sources + 3)
    forces = [f"Bench Force {i:03d}" for i in range(n_forces)]
    bodies = [f"Bench Body {i:03d}" for i in range(n_bodies)]
    people = [f"Bench Person {i:03d}" for i in range(n_people)]
    entities = ([{"name": f, "type": "Force"} for f in forces]
                + [{"name": b, "type": "Body"} for b in bodies]
                + [{"name": p, "type": "Person", "member_of": rnd.choice(bodies)}
                   for p in people])
    trials = [{"name": f"Bench trial {i:03d}", "technology": rnd.choice(TECHS),
               "run_by": rnd.choice(forces), "funded_by": rnd.choice(bodies)}
              for i in range(n_trials)]
    statuses = list(model().statuses)
    speakers = forces + bodies + people
    sheets = []
    per_source = max(1, n_statements // n_sources)
    made = 0
    for i in range(n_sources):
        count = per_source if i < n_sources - 1 else n_statements - made
        statements = []
        for j in range(count):
            day = 1 + (i * 7 + j) % 28
            st = {"speaker": rnd.choice(speakers), "about": [rnd.choice(forces)],
                  "kind": "status", "status": rnd.choice(statuses),
                  "stated": f"{2016 + (i + j) % 8}-{1 + j % 12:02d}-{day:02d}",
                  "quote": bool(j % 2),
                  "evidence": f"bench claim {i}-{j}: {rnd.random():.6f}"}
            if rnd.random() < 0.5:
                st["trial"] = rnd.choice(trials)["name"]
            else:
                st["technology"] = rnd.choice(TECHS)
            statements.append(st)
        made += count
        sheets.append({
            "format": "statusgraph/claims@1",
            "source": {"title": f"Bench source {i:04d}", "publisher": rnd.choice(bodies),
                       "author": None, "url": f"https://example.org/bench/{i}",
                       "published": f"{2016 + i % 8}-06-30", "kind": "news_article"},
            "entities": entities if i == 0 else [], "trials": trials if i == 0 else [],
            "statements": statements})
    return sheets


def build_store(folder: Path, n_nodes: int, db: Path | None = None) -> EmbeddedStore:
    sheets = corpus(n_nodes)
    first, rest = folder / "bench-0.json", folder / "bench.jsonl"
    first.write_text(json.dumps(sheets[0]), encoding="utf-8")  # declares the entities
    with open(rest, "w", encoding="utf-8") as f:
        for sheet in sheets[1:]:
            f.write(json.dumps(sheet) + "\n")
    # a 1 GiB buffer pool (the default) fills after ~55 imported sources on ladybug 0.22
    # (reported to graph/embedded.py's owner); the benchmark measures the view, not that
    store = EmbeddedStore(db or folder / "bench.db", buffer_pool_size=4 << 30)
    for path in (first, rest):
        report = import_paths(store, [path])
        if report.failures:
            raise SystemExit(f"bench corpus failed to import: {report.failures[0]}")
    return store


def time_page(html_path: Path, timeout_s: float = 60.0) -> dict:
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else (blocked.append(r.request.url), r.abort()))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        page.goto(html_path.resolve().as_uri())
        page.wait_for_function("window.statusgraphView && window.statusgraphView.drawnAt",
                               timeout=timeout_s * 1000, polling=50)
        wall = time.perf_counter() - t0
        t = page.evaluate("""() => { const v = window.statusgraphView;
            const nav = performance.getEntriesByType('navigation')[0];
            return {stable: v.stableAt / 1000, drawn: v.drawnAt / 1000,
                    loaded: nav ? nav.domContentLoadedEventEnd / 1000 : null,
                    nodes: v.counts().nodes, edges: v.counts().edges}; }""")
        browser.close()
    t["wall"] = wall
    t["blocked"] = blocked
    t["errors"] = errors
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="a 150-node view (quick check)")
    ap.add_argument("--nodes", type=int, default=None, help="graph size (default 1500)")
    ap.add_argument("--keep", type=Path, default=None, help="also write the page here")
    ap.add_argument("--db", type=Path, default=None,
                    help="keep the generated database here and reuse it on later runs")
    args = ap.parse_args(argv)
    n = args.nodes or (150 if args.smoke else 1500)
    if not Path(CHROMIUM).exists():
        print(f"error: {CHROMIUM} is missing — apt-get install -y chromium", file=sys.stderr)
        return 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        if args.db and args.db.exists():
            store = EmbeddedStore(args.db, buffer_pool_size=4 << 30)
        else:
            store = build_store(folder, n, args.db)
        t_import = time.perf_counter() - t0
        t0 = time.perf_counter()
        view = render_view(store, max_nodes=max(1500, n))
        t_render = time.perf_counter() - t0
        store.close()
        page_path = folder / "view.html"
        view.write(page_path)
        if args.keep:
            view.write(args.keep)
        t = time_page(page_path)
    print(f"graph: {view.nodes} nodes, {view.edges} edges drawn "
          f"(page {len(view.html) / 1e6:.1f} MB); import {t_import:.1f} s, "
          f"render_view {t_render:.2f} s")
    print(f"chromium: DOM ready {t['loaded']:.2f} s, layout stable {t['stable']:.2f} s, "
          f"drawn {t['drawn']:.2f} s (wall {t['wall']:.2f} s); target {TARGET_S:.0f} s")
    ok = t["drawn"] <= TARGET_S and not t["blocked"] and not t["errors"] \
        and t["nodes"] == view.nodes
    if t["blocked"] or t["errors"]:
        print(f"blocked requests: {t['blocked']}; console errors: {t['errors']}")
    print("ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
