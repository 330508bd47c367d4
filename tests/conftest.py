import pytest
from support import EXAMPLES, Cli, copy_examples, db_digest, file_digest  # noqa: F401


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
