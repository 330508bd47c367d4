"""Fixtures for the views: real embedded databases built from the claim sheets in
``data/`` (the Kent / West Midlands case) and ``hostile/`` (markup in every text), and one
headless Chromium per session for the browser tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.pipeline import import_paths

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("STATUSGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]
HOSTILE_URL = "javascript:window.__pwned='url'"


def _import(path: Path, folder: Path) -> EmbeddedStore:
    store = EmbeddedStore(path)
    report = import_paths(store, [folder])
    assert not report.failures, report.failures
    return store


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    s = _import(tmp_path_factory.mktemp("views") / "kent.db", HERE / "data")
    yield s
    s.close()


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory):
    s = _import(tmp_path_factory.mktemp("hostile") / "hostile.db", HERE / "hostile")
    # the loaders refuse a javascript: URL; a store filled some other way may hold one
    s.query("MATCH (src:Source) SET src.url = $u", {"u": HOSTILE_URL}, write=True)
    yield s
    s.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class OfflinePage:
    """A page that aborts every non-file request and records it, console errors,
    uncaught exceptions and dialogs."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def _console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri())
        return self.page

    def check(self):
        assert self.requests == [], f"requests to other hosts: {self.requests}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture
def offline(browser):
    p = OfflinePage(browser)
    yield p
    try:
        p.check()
    finally:
        p.context.close()

