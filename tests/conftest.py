import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from statusgraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).parent / "fixtures"


class Cli:
    """Runs the real CLI in-process against a real embedded database file."""

    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args, input=None):
        return self.runner.invoke(cli, ["--db", str(self.db), *map(str, args)], input=input,
                                  catch_exceptions=False)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "graph.db"


@pytest.fixture
def run(db_path):
    return Cli(db_path)


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory):
    """A database holding examples/, built once; tests must not write to it."""
    db = tmp_path_factory.mktemp("examples") / "examples.db"
    result = Cli(db)("import", EXAMPLES)
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def examples_run(examples_db):
    return Cli(examples_db)


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
