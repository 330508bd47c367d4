"""Bad input through the real CLI: one clear line, exit 2, no traceback, no write.

Every case is imported into a copy of a database that already holds a source, and the
database files must be byte-for-byte what they were afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import tracemalloc

import pytest
from support import GOOD, Cli, db_digest

from graph.errors import SheetError
from loaders.claimsheet import parse_sheets

OTHER = """\
format: statusgraph/claims@1
source: {title: Another source, publisher: The Guardian, published: 2021-03-04, kind: news_article}
statements:
  - speaker: Kent Police
    about: [Kent Police]
    kind: status
    status: not_using
    technology: facial recognition
    stated: 2021-03-04
    evidence: "EVIDENCE"
"""

GOOD_JSON = json.dumps({
    "format": "statusgraph/claims@1",
    "source": {"title": "A JSON source", "kind": "report", "published": "2020-05-01"},
    "statements": [{"speaker": "Home Office", "about": ["Kent Police"], "kind": "status",
                    "status": "planned", "technology": "facial recognition",
                    "stated": "2020-05", "evidence": "Kent plans it"}]}, indent=2)


def sub(old: str, new: str, base: str = GOOD) -> str:
    assert base.count(old) == 1, old
    return base.replace(old, new)


def billion_laughs() -> str:
    lines = ['lol0: &l0 "lol"']
    for i in range(1, 10):
        lines.append(f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


# (file name, content: str (UTF-8) or bytes, line or None when no line is meaningful, needle)
CASES = [
    # malformed YAML and JSON
    ("unclosed.yaml", sub("[Kent Police]", "[Kent Police"), 6, "malformed YAML"),
    ("tab-indent.yaml", sub("  - speaker", "\t- speaker"), 4,
     "malformed YAML: found character '\\t' that cannot start any token"),
    ("bad-quote.yaml", sub("evidence: Kent is trialling it", 'evidence: "Kent is trialling'),
     11, "malformed YAML"),
    ("trailing-comma.json", GOOD_JSON.replace('"report",', '"report",,'), 5,
     "malformed JSON: Expecting property name enclosed in double quotes (column 22)"),
    ("truncated.json", GOOD_JSON[:-30], 18,
     "malformed JSON: Unterminated string starting at (column 7)"),
    ("second-line.jsonl", json.dumps(json.loads(GOOD_JSON)) + "\n{\"format\": \n", 2,
     "malformed JSON"),
    ("a-list.json", "[1, 2, 3]", 1, "the sheet must be a mapping, not a list"),
    ("a-scalar.yaml", "just some words\n", 1, "the sheet must be a mapping, not text"),
    ("second-doc.yaml", GOOD + "---\n- not a sheet\n", 12,
     "the sheet must be a mapping, not a list"),
    # wrong types
    ("about-mapping.yaml", sub("about: [Kent Police]", "about: {Kent Police: 1}"), 5,
     "statements[0].about must be a list, not a mapping"),
    ("about-number.yaml", sub("about: [Kent Police]", "about: [42]"), 5,
     "statements[0].about[0] must be a name, not a number"),
    ("status-bool.yaml", sub("status: trialling", "status: no"), 7,
     "statements[0].status must be text, not true/false"),
    ("quote-text.yaml", sub("    evidence:", "    quote: perhaps\n    evidence:"), 10,
     "statements[0].quote must be true or false, not text"),
    ("confidence-high.yaml", sub("    evidence:", "    confidence: high\n    evidence:"), 10,
     "statements[0].confidence must be a number from 0 to 1"),
    ("span-backwards.yaml", sub("    evidence:", "    span: [9, 3]\n    evidence:"), 10,
     "statements[0].span must be [start, end], two offsets with start <= end"),
    ("statements-mapping.yaml", GOOD.split("statements:")[0] + "statements: {a: b}\n", 3,
     "the sheet.statements must be a list, not a mapping"),
    ("metric-value.yaml", sub("kind: status\n    status: trialling",
                              "kind: metric\n    metric: arrests\n    value: lots"), 8,
     "statements[0].value must be a number"),
    ("huge-integer.yaml", sub("stated: 2020-01", "stated: " + "9" * 5000), 9,
     "cannot be read as a YAML int"),
    ("huge-integer.json", GOOD_JSON.replace('"2020-05"', "9" * 5000), 1,
     "malformed JSON: a number with more than 4300 digits"),
    # missing fields
    ("no-evidence.yaml", sub("    evidence: Kent is trialling it\n", ""), 4,
     "statements[0] needs `evidence` (text)"),
    ("no-speaker.yaml", sub("  - speaker: Home Office\n    about", "  - about"), 4,
     "statements[0] needs `speaker`"),
    ("no-format.yaml", sub("format: statusgraph/claims@1\n", ""), 1, "missing `format`"),
    ("no-source.yaml", sub(GOOD.splitlines(True)[1], ""), 1, "missing `source`"),
    ("no-statements.yaml", GOOD.split("statements:")[0], 1, "missing `statements`"),
    ("no-status.yaml", sub("    status: trialling\n", ""), 4,
     "statements[0] is kind status but has no `status`"),
    ("no-deployment.yaml", sub("    technology: facial recognition\n", ""), 4,
     "statements[0] is a status claim about no deployment"),
    # unknown kind, status, entity, trial
    ("unknown-kind.yaml", sub("kind: status", "kind: rumour"), 6,
     "unknown kind 'rumour' in statements[0]"),
    ("unknown-status.yaml", sub("status: trialling", "status: piloting"), 7,
     "unknown status 'piloting' in statements[0]"),
    ("unknown-speaker.yaml", sub("speaker: Home Office", "speaker: Ministry of Magic"), 4,
     "unknown entity 'Ministry of Magic'"),
    ("unknown-trial.yaml", sub("    technology: facial recognition\n",
                               "    trial: Operation Nonesuch\n"), 8,
     "unknown trial 'Operation Nonesuch' in statements[0].trial"),
    ("unknown-source-kind.yaml", sub("kind: news_article", "kind: blog"), 2,
     "unknown source kind 'blog'"),
    ("unknown-technology.yaml", sub("technology: facial recognition", "technology: telepathy"),
     8, "telepathy"),
    # impossible dates
    ("feb-30.yaml", sub("stated: 2020-01", "stated: 2019-02-30"), 9,
     "statements[0].stated '2019-02-30' is impossible (day is out of range for month)"),
    ("month-13.yaml", sub("stated: 2020-01", 'stated: "2020-13"'), 9,
     "statements[0].stated '2020-13' is impossible"),
    ("year-0.yaml", sub("stated: 2020-01", "stated: 0000-01-01"), 9,
     "statements[0].stated '0000-01-01': year 0 is out of range"),
    ("published-31-feb.yaml", sub("published: 2020-01-02", "published: 2020-02-31"), 2,
     "source.published '2020-02-31' is impossible"),
    ("hour-25.yaml", sub("stated: 2020-01", "stated: 2019-06-01 25:00:00"), 9,
     "statements[0].stated '2019-06-01 25:00:00' is not a date"),
    ("stated-words.yaml", sub("stated: 2020-01", "stated: last Tuesday"), 9,
     "statements[0].stated 'last Tuesday' is not a date"),
    # format version
    ("format-2.yaml", sub("claims@1", "claims@2"), 1,
     "unsupported format 'statusgraph/claims@2' — this version reads `statusgraph/claims@1`"),
    ("format-number.json", GOOD_JSON.replace('"statusgraph/claims@1"', "1"), 2,
     "unsupported format 1"),
    # empty and binary
    ("empty.yaml", "", 1, "empty file: no claim sheet in it"),
    ("empty.json", "", 1, "empty file: no claim sheet in it"),
    ("only-comments.yaml", "# nothing here\n\n", 1, "empty file: no claim sheet in it"),
    ("binary.yaml", bytes(range(256)) * 64, None, "binary data, not text (NUL bytes)"),
    ("nul-in-text.yaml", GOOD.encode().replace(b"Kent is", b"Kent\x00is"), None,
     "binary data, not text (NUL bytes)"),
    ("program.exe", b"MZ\x90\x00\x03", None, "unsupported file type '.exe'"),
    # data must not be lost silently
    ("duplicate-key.yaml", sub("    status: trialling\n",
                               "    status: trialling\n    status: deployed\n"), 8,
     "duplicate key 'status' — the first is at line 7; keep one"),
    ("duplicate-top.yaml", GOOD + "format: statusgraph/claims@1\n", 11, "duplicate key 'format'"),
    ("duplicate-key.json", GOOD_JSON.replace('"kind": "report",', '"kind": "report", '
                                             '"kind": "court",'), 1,
     "malformed JSON: duplicate key 'kind'"),
    ("typo-statments.yaml", sub("statements:", "statments:"), 3,
     "unknown key 'statments' in the sheet — did you mean 'statements'?"),
    ("typo-evidnce.yaml", sub("evidence:", "evidnce:"), 10,
     "unknown key 'evidnce' in statements[0] — did you mean 'evidence'?"),
    # YAML features a claim sheet never needs
    ("python-object.yaml", "!!python/object:os.system\nformat: x\n", 1,
     "YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"),
    ("python-apply.yaml", sub("evidence: Kent is trialling it",
                              "evidence: !!python/object/apply:os.system ['touch pwned']"), 10,
     "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("local-tag.yaml", sub("evidence: Kent", "evidence: !secret Kent"), 10,
     "YAML tag '!secret' is not allowed"),
    ("merge-key.yaml", sub("  - speaker: Home Office\n",
                           "  - <<: {speaker: Home Office}\n"), 4,
     "YAML merge keys (<<) are not allowed"),
    ("billion-laughs.yaml", billion_laughs(), 2, "YAML aliases (*name) are not allowed"),
    ("deep-flow.yaml", "[" * 100_000, 1, "nesting deeper than 40 levels"),
    ("deep-map.yaml", "a: " + "{b: " * 50_000 + "c" + "}" * 50_000 + "\n", 1,
     "nesting deeper than 40 levels"),
    ("deep-block.yaml", "".join(" " * i + "-\n" for i in range(2000)), 41,
     "nesting deeper than 40 levels"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, 1, "nesting"),
    ("deep.jsonl", json.dumps(json.loads(GOOD_JSON)) + "\n" + "[" * 50_000 + "]" * 50_000,
     2, "nesting"),
    # encodings that are not UTF-8, UTF-16 with a BOM or Windows-1252
    ("raw-escape.yaml", sub("Kent is", "Kent \x1b[31m is"), 10,
     "character 0x001b is not allowed in YAML"),
    ("utf-32.yaml", GOOD.encode("utf-32"), None, "UTF-32 text is not supported"),
    ("utf-16-no-bom.yaml", GOOD.encode("utf-16-le"), None,
     "looks like UTF-16 text without a byte-order mark"),
    ("utf-16-be-no-bom.json", GOOD_JSON.encode("utf-16-be"), None,
     "looks like UTF-16 text without a byte-order mark"),
    ("bad-after-bom.yaml", b"\xef\xbb\xbf" + GOOD.encode().replace(b"Kent is", b"Kent \xff is"),
     10, "it starts with a UTF-8 byte-order mark but not valid UTF-8 text (byte 0xff"),
    ("odd-utf-16.yaml", GOOD.encode("utf-16") + b"\x00", 11,
     "it starts with a UTF-16 byte-order mark but not valid UTF-16 text"),
    ("not-cp1252.yaml", GOOD.encode().replace(b"Kent is", b"Kent \x81\x8d is"), 10,
     "not UTF-8, and not valid Windows-1252 text (byte 0x81"),
    # source fields
    ("javascript-url.yaml", sub("kind: news_article}", "kind: news_article, "
                                "url: 'javascript:alert(1)'}"), 2,
     "source.url 'javascript:alert(1)' is not a URL"),
    # a trial's id is a deployment id, like a technology's: the two must not collide
    ("trial-named-as-technology.yaml",
     sub("statements:", "trials:\n  - {name: Facial Recognition, technology: facial recognition}"
         "\nstatements:"), 4,
     "trial 'Facial Recognition' would have the id 'facial-recognition' of a technology"),
]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    """A database that already holds one source; each test works on a copy."""
    d = tmp_path_factory.mktemp("base")
    (d / "good.yaml").write_text(GOOD, encoding="utf-8")
    r = Cli(d / "base.db")("import", d / "good.yaml")
    assert r.exit_code == 0, r.output
    return d / "base.db"


@pytest.fixture
def db(base_db, db_path):
    for suffix in ("", ".wal"):
        src = base_db.with_name(base_db.name + suffix)
        if src.exists():
            shutil.copyfile(src, db_path.with_name(db_path.name + suffix))
    return db_path


def write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def statements(run) -> list:
    r = run("query", "who-claims", "--format", "json")
    assert r.exit_code == 0, r.output
    return [(x["speaker"], x["status"], x["evidence"]) for x in json.loads(r.output)]


def assert_refused(r, path, line, needle):
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1, r.stderr
    prefix = f"error: {path}:{line}: " if line else f"error: {path}: "
    assert r.stderr.startswith(prefix), r.stderr
    assert needle in r.stderr, r.stderr
    assert "imported 1" not in r.stdout


def test_the_catalogue_is_big_enough():
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name,content,line,needle", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused(run, db, tmp_path, name, content, line, needle):
    before = db_digest(db)
    bad = write(tmp_path / name, content)
    started = time.monotonic()
    r = run("import", bad)
    assert time.monotonic() - started < 5
    assert_refused(r, bad, line, needle)
    assert db_digest(db) == before


def test_a_50_mb_file_is_refused_quickly(run, db, tmp_path):
    before = db_digest(db)
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as f:
        f.write(GOOD)
        chunk = "# " + "x" * 1021 + "\n"
        for _ in range(50 * 1024):
            f.write(chunk)
    assert big.stat().st_size > 50 * 1024 * 1024
    started = time.monotonic()
    r = run("import", big)
    assert time.monotonic() - started < 2
    assert_refused(r, big, None, "file is 50 MB, over the 20 MB limit for one claim sheet")
    assert db_digest(db) == before


def test_missing_path(run, db, tmp_path):
    before = db_digest(db)
    r = run("import", tmp_path / "nowhere.yaml")
    assert r.exit_code == 2
    assert r.stderr == f"error: {tmp_path / 'nowhere.yaml'}: no such file or folder — check " \
        "the path\n"
    assert db_digest(db) == before


def test_a_symlink_to_itself_is_refused(run, db, tmp_path):
    before = db_digest(db)
    loop = tmp_path / "loop.yaml"
    os.symlink(loop, loop)
    r = run("import", loop)
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.output
    assert r.stderr.startswith(f"error: {loop}: symbolic link loops or points nowhere")
    assert db_digest(db) == before


def test_a_folder_with_a_symlink_loop_imports_each_file_once(run, db, tmp_path):
    folder = tmp_path / "sheets"
    (folder / "sub").mkdir(parents=True)
    write(folder / "sub" / "other.yaml", OTHER)
    os.symlink(folder, folder / "sub" / "up")          # a loop back to the top
    os.symlink(folder / "self.yaml", folder / "self.yaml")  # a file link to itself
    r = run("import", folder)
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    assert r.stderr.startswith(f"error: {folder / 'self.yaml'}: cannot read: Too many levels "
                               "of symbolic links")
    assert r.stdout.splitlines()[0].startswith(f"{folder / 'sub' / 'other.yaml'}: Another "
                                               "source: ")
    assert r.stdout.splitlines()[-1].startswith("imported 1 source(s): ")
    assert sorted(statements(run)) == [("Home Office", "trialling", "Kent is trialling it"),
                                       ("Kent Police", "not_using", "EVIDENCE")]


def mixed_folder(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    write(folder / "a-good.yaml", OTHER)
    write(folder / "b-bad.yaml", sub("status: not_using", "status: nope", OTHER))
    write(folder / "c-good.json", GOOD_JSON)
    write(folder / "d-empty.json", "")
    write(folder / "notes.bin", b"\x00\x01")  # not a sheet suffix: not picked up
    return folder


def test_a_mixed_folder_imports_the_good_files(run, db, tmp_path):
    folder = mixed_folder(tmp_path)
    r = run("import", folder)
    assert r.exit_code == 2
    errors = r.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {folder / 'b-bad.yaml'}:7: unknown status 'nope'")
    assert errors[1].startswith(f"error: {folder / 'd-empty.json'}:1: empty file")
    assert r.stdout.splitlines()[-1].startswith("imported 2 source(s): ")
    assert "Traceback" not in r.output
    assert sorted(statements(run)) == [("Home Office", "planned", "Kent plans it"),
                                       ("Home Office", "trialling", "Kent is trialling it"),
                                       ("Kent Police", "not_using", "EVIDENCE")]


def test_all_or_nothing_writes_nothing(run, db, tmp_path):
    folder = mixed_folder(tmp_path)
    before = db_digest(db)
    r = run("import", folder, "--all-or-nothing")
    assert r.exit_code == 2
    errors = r.stderr.splitlines()
    assert errors[0].startswith(f"error: {folder / 'b-bad.yaml'}:7: unknown status 'nope'")
    assert errors[1].startswith(f"error: {folder / 'd-empty.json'}:1: empty file")
    # the CLI may add a closing line saying that nothing was imported
    assert set(errors[2:]) <= {"error: nothing was imported (--all-or-nothing)"}
    assert "Traceback" not in r.output and "imported 2" not in r.stdout
    assert db_digest(db) == before
    # and once the bad files are fixed, the same command imports everything
    (folder / "b-bad.yaml").unlink()
    (folder / "d-empty.json").unlink()
    r = run("import", folder, "--all-or-nothing")
    assert r.exit_code == 0, r.output
    assert len(statements(run)) == 3


TEXT = "Kent’s “trial” of café cameras — €5m, naïve ✓ 😀"
CP1252_TEXT = "Kent’s “trial” of café cameras — €5m, naïve"


@pytest.mark.parametrize("name,encode,expected", [
    ("utf8.yaml", lambda s: s.encode("utf-8"), TEXT),
    ("utf8-bom.yaml", lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), TEXT),
    ("utf8-bom.json", lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), TEXT),
    ("utf16-le-bom.yaml", lambda s: s.encode("utf-16"), TEXT),  # native order, BOM
    ("utf16-be-bom.yaml", lambda s: b"\xfe\xff" + s.encode("utf-16-be"), TEXT),
    ("utf16-le-bom.jsonl", lambda s: b"\xff\xfe" + s.encode("utf-16-le"), TEXT),
    ("cp1252.yaml", lambda s: s.encode("cp1252"), CP1252_TEXT),
    ("cp1252.json", lambda s: s.encode("cp1252"), CP1252_TEXT),
])
def test_encodings_are_read_correctly(run, tmp_path, name, encode, expected):
    if name.endswith(".yaml"):
        text = sub('"EVIDENCE"', json.dumps(expected, ensure_ascii=False), OTHER)
    else:
        sheet = json.loads(GOOD_JSON)
        sheet["statements"][0]["evidence"] = expected
        text = json.dumps(sheet, ensure_ascii=False)
    f = tmp_path / name
    f.write_bytes(encode(text))
    r = run("import", f)
    assert r.exit_code == 0, r.output
    assert [x[2] for x in statements(run)] == [expected]


def test_bombs_are_refused_without_using_memory():
    """Alias bombs and deep nesting fail fast, in little memory, without RecursionError."""
    texts = [(".yaml", billion_laughs()), (".yaml", "[" * 200_000),
             (".yaml", "a: " + "{b: " * 100_000), (".json", "[" * 200_000),
             (".json", '{"a":' * 100_000), (".jsonl", "[" * 200_000 + "\n"),
             (".yaml", "- " * 100_000 + "x\n")]
    for suffix, text in texts:
        tracemalloc.start()
        started = time.monotonic()
        try:
            with pytest.raises(SheetError) as e:
                parse_sheets(text, "bomb" + suffix, suffix)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert time.monotonic() - started < 5, suffix
        assert peak < 200 * 1024 * 1024, (suffix, peak)
        assert "nesting" in e.value.message or "alias" in e.value.message, e.value.message


@pytest.fixture
def alarm():
    """Fail instead of hanging if a read never ends."""
    import signal

    def ring(*_):
        raise TimeoutError("the import did not finish")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("kind", ["dev-zero", "dev-urandom", "fifo"])
def test_devices_and_pipes_are_refused_not_read_forever(run, db, tmp_path, alarm, kind):
    before = db_digest(db)
    path = tmp_path / f"{kind}.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        os.symlink("/dev/" + kind.split("-")[1], path)
    for target in (path, tmp_path):  # named directly, and found in a folder
        r = run("import", target)
        assert r.exit_code == 2
        assert r.stderr == (f"error: {path}: not a regular file (a device, pipe or socket) — "
                            "give a YAML, JSON or JSON Lines claim sheet\n")
    assert db_digest(db) == before
