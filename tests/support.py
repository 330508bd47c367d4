"""Helpers shared by the tests (import as `from support import ...`)."""

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from statusgraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).parent / "fixtures"

# A small valid claim sheet; tests derive bad ones from it line by line.
GOOD = """\
format: statusgraph/claims@1
source: {title: A test source, publisher: The Observer, published: 2020-01-02, kind: news_article}
statements:
  - speaker: Home Office
    about: [Kent Police]
    kind: status
    status: trialling
    technology: facial recognition
    stated: 2020-01
    evidence: Kent is trialling it
"""


class Cli:
    """Runs the real CLI in-process against a real embedded database file."""

    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args, input=None):
        return self.runner.invoke(cli, ["--db", str(self.db), *map(str, args)], input=input,
                                  catch_exceptions=False)



def file_digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.exists() else b"<absent>")
    return h.hexdigest()


def db_digest(db: Path) -> str:
    return file_digest(db, Path(str(db) + ".wal"))


def copy_examples(dest: Path) -> Path:
    shutil.copytree(EXAMPLES, dest)
    return dest
