"""How many ~1,000-word articles a second the extractor reads and turns into claim sheets.

    python benchmarks/bench_extract.py [--smoke] [--articles N] [--words W]

Articles are built deterministically from the fixture articles in
``tests/fixtures/articles`` (paragraphs rotated and concatenated to about W words),
written to a temporary folder with a sidecar ``.meta.yaml`` each, then read with
`read_article` and extracted with `extract_claims` in this one process (one core, no
network). The gazetteer is loaded once before the clock starts. The rate is given per
second of this process's CPU time (one core, whatever else the machine runs) and per
second of wall clock. The last line starts ``bench_extract:``; the target (issue 3) is 20/s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders.article import read_article  # noqa: E402
from loaders.extract import extract_claims  # noqa: E402
from loaders.extract.mentions import default_lexicon  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "articles"
TARGET = 20.0


def paragraphs() -> list[str]:
    out = []
    for p in sorted(FIXTURES.glob("*")):
        if p.suffix in (".txt", ".md", ".html"):
            out.extend(x for x in read_article(p).text.split("\n\n") if len(x.split()) > 8)
    return out


def build(folder: Path, n: int, words: int) -> list[Path]:
    paras = paragraphs()
    paths = []
    for i in range(n):
        body, count, j = [f"Benchmark article {i}"], 0, i
        while count < words:
            para = paras[j % len(paras)]
            body.append(para)
            count += len(para.split())
            j += 7  # rotate so that articles differ
        path = folder / f"article-{i:04d}.txt"
        path.write_text("\n\n".join(body) + "\n", encoding="utf-8")
        (folder / f"article-{i:04d}.meta.yaml").write_text(
            f"title: Benchmark article {i}\npublisher: The Observer\npublished: 2019-08-17\n"
            "kind: news_article\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="a quick run (20 articles)")
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--words", type=int, default=1000)
    a = ap.parse_args(argv)
    n = 20 if a.smoke else a.articles
    default_lexicon()
    with tempfile.TemporaryDirectory() as tmp:
        paths = build(Path(tmp), n, a.words)
        total_words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
        statements = 0
        t0, c0 = time.perf_counter(), time.process_time()
        for p in paths:
            statements += len(extract_claims(read_article(p))["statements"])
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate = n / wall if wall else float("inf")
    cpu_rate = n / cpu if cpu else float("inf")
    # One core: the CPU time of this single-threaded process; wall time also counts
    # whatever else the machine is doing.
    verdict = "meets" if cpu_rate >= TARGET else "BELOW"
    print(f"bench_extract: {n} articles, {total_words / n:.0f} words each, {statements} statements; "
          f"{cpu_rate:.1f} articles/s of CPU on one core ({verdict} the {TARGET:.0f}/s target), "
          f"{rate:.1f} articles/s wall clock")
    return 0


if __name__ == "__main__":
    sys.exit(main())
