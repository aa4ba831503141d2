"""Browser-test fixtures: Debian's Chromium driven by Playwright against the app served live on a
free loopback port, each site on its own temporary database.

Two sites: `demo_site` (per test) serves the small demo lesson of tests/conftest.py, so the flows
can state exact scores; `case_study` (once per session) is tests/servers.py's classroom, the real
case study with a class, an instructor and a student who has checked an exercise, so the
accessibility and layout tests see every page type as a class sees it. Without Chromium every test
here is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from servers import (
    CHROMIUM,
    Classroom,
    Site,
    chromium,
    classroom,
    live_server,
    make_app,
    open_context,
    page_types,
)

CHROMIUM_MISSING = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"


def chromium_missing() -> bool:
    return not os.access(CHROMIUM, os.X_OK)


def pytest_terminal_summary(terminalreporter):
    # Skip reasons are hidden without -rs; say once, at the end, why the browser tests did not run.
    if chromium_missing():
        terminalreporter.write_line(f"browser tests skipped: {CHROMIUM_MISSING}", yellow=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if chromium_missing():
        pytest.skip(CHROMIUM_MISSING)
    with chromium() as browser:
        yield browser


@pytest.fixture
def new_context(browser) -> Iterator:
    """A factory of browser contexts (one per user in a test), all closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        contexts.append(open_context(browser, **options))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


@pytest.fixture
def app(tmp_path):
    """Overrides tests/conftest.py's `app` (which turns CSRF off), so `demo_content` uses this one."""
    return make_app(tmp_path / "spotcheck.sqlite")


@pytest.fixture
def demo_site(app, demo_content) -> Iterator[Site]:
    with live_server(app) as url:
        yield Site(app, url)


# --- the case study, as a class sees it ----------------------------------------------------------

def pytest_generate_tests(metafunc):
    if "page_name" in metafunc.fixturenames:
        metafunc.parametrize("page_name", list(page_types()))


@pytest.fixture(scope="session")
def case_study(browser, tmp_path_factory) -> Iterator[Classroom]:
    with classroom(browser, tmp_path_factory.mktemp("case-study") / "spotcheck.sqlite") as room:
        yield room


@pytest.fixture
def user_page(case_study, new_context):
    """A blank page in a new browser context of the user who sees a case-study page (a name in page_types())."""
    return partial(case_study.new_page, new_context)


@pytest.fixture
def visit(case_study, user_page):
    """The case-study page `page_name`, open in a new browser context of its user."""
    def open_page(page_name: str, **options) -> Page:
        page = user_page(page_name, **options)
        page.goto(case_study.url(page_name))
        return page

    return open_page
