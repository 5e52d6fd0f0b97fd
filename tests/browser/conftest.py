"""Fixtures for real-browser tests (Playwright sync API + Debian's Chromium).

Every test collected from ``tests/browser/`` is automatically marked
``browser`` (no ``pytestmark = pytest.mark.browser`` needed), so::

    pytest -m browser          # only the browser tests
    pytest -m "not browser"    # everything else

Fixtures:

``chromium_browser`` (session)
    A headless Chromium launched from ``$ILONET_CHROMIUM`` or ``/usr/bin/chromium``.
    Playwright never downloads a browser here (``PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1``;
    ``playwright install`` is never run).  If the binary is missing the test
    fails with the command that installs it (never a silent skip).
``browser_context`` (function)
    A fresh context (own cookies/storage) per test, locale ``en-GB``,
    ``base_url`` = pytest-django's ``live_server.url``.
``page`` (function)
    A page in ``browser_context``; ``page.goto("/accounts/login/")`` is relative
    to the live server.

``live_server`` implies ``transactional_db``: data created in the test is visible
to the server thread, and the database is flushed after each test.

Example::

    def test_login_page(page):
        page.goto("/")
        assert page.title()
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import signin

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

# Must be set before playwright is imported anywhere; harmless otherwise.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

BROWSER_DIR = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOCALE = "en-GB"


def _unavailable(message: str) -> None:
    """A missing browser fails the browser tests (never a silent skip): `make test` installs
    Chromium when it can (scripts/system-deps.sh); the message says how otherwise."""
    pytest.fail(message, pytrace=False)


def _is_browser_test(item: pytest.Item) -> bool:
    try:
        return Path(str(item.path)).resolve().is_relative_to(BROWSER_DIR)
    except (OSError, ValueError):
        return False


def pytest_configure(config: pytest.Config) -> None:
    # Also registered in pyproject.toml; repeated here so --strict-markers never trips.
    config.addinivalue_line("markers", "browser: real headless Chromium tests (Playwright)")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> Iterator[None]:
    # Before the other implementations: mark, so that `-m browser` / `-m "not browser"`
    # (deselection happens in pytest's own hook) sees the marker.
    browser_items = [item for item in items if _is_browser_test(item)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)

    result = yield

    # After the others (including pytest-django's Django-style reordering): run the
    # browser tests last.  While Playwright's sync API is alive the main thread has
    # a "running" asyncio loop, so Django's async-safety check has to be relaxed
    # (DJANGO_ALLOW_ASYNC_UNSAFE, see chromium_browser); running the browser tests
    # last keeps that relaxation away from every other test.  Moving transactional
    # (live_server) tests to the end is always safe for Django's ordering rules.
    selected = {id(item) for item in browser_items}
    if selected:
        items[:] = [i for i in items if id(i) not in selected] + [i for i in items if id(i) in selected]
    return result


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = os.environ.get("ILONET_CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        _unavailable(
            "Chromium not installed: run `make system-deps` (apt-get install chromium); "
            f"looked for {path} (override with ILONET_CHROMIUM)"
        )
    return path


@pytest.fixture(scope="session")
def chromium_browser(chromium_executable: str) -> Iterator[Browser]:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python package `playwright` not installed: run `make test` (dev deps)")

    # Playwright's sync API runs an asyncio loop on this thread; Django would then
    # raise SynchronousOnlyOperation for every ORM call made by the test (or by
    # pytest-django's flush).  This is Django's documented escape hatch; it is only
    # set once a browser test needs the browser (they run last, see above).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=chromium_executable,
                headless=True,
                args=CHROMIUM_ARGS,
                timeout=60_000,
            )
        except PlaywrightError as exc:
            pytest.fail(f"Could not launch Chromium ({chromium_executable}): {exc}", pytrace=False)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context_args(live_server: Any) -> dict[str, Any]:
    """Options for ``browser.new_context()``; override in a test module to change them."""
    return {"locale": LOCALE, "base_url": live_server.url}


@pytest.fixture
def browser_context(
    chromium_browser: Browser, browser_context_args: dict[str, Any]
) -> Iterator[BrowserContext]:
    context = chromium_browser.new_context(**browser_context_args)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    return browser_context.new_page()


@pytest.fixture(autouse=True)
def one_time_codes_start_unused(request: pytest.FixtureRequest) -> None:
    """allauth's marks of used TOTP codes live in the database cache, which the flush after
    a live-server test leaves alone; on SQLite the next test's demo accounts get the same
    ids again, so an earlier test's code would be refused as a replay (see signin.py)."""
    signin.forget_entered_codes()
    if "live_server" in request.fixturenames:
        request.getfixturevalue("live_server")
        from django.core.cache import cache

        cache.clear()
