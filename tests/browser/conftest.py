"""Browser-test fixtures: Debian's Chromium driven by Playwright against the app served live on a
free loopback port, each site on its own temporary database.

Two sites: `demo_site` (per test) serves the small demo lesson of tests/conftest.py, so the flows
can state exact scores; `case_study` (once per session) serves the real case study with a class,
an instructor and a student who has checked an exercise, so the accessibility and layout tests
see every page type as a class sees it. Without Chromium every test here is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from webapp import CONTENT_ROOT, create_app
from webapp.content import load_catalog
from webapp.testing import CHROMIUM, CHROMIUM_ARGS, live_server

CHROMIUM_MISSING = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
INSTRUCTOR_EMAIL = "teacher@example.org"
INSTRUCTOR_PASSWORD = "correct horse battery"
CLASS_TITLE = "Period 3"
# Playwright waits 30 s by default; on a loopback server anything slower than this is a failure.
TIMEOUT_MS = 5000


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
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_context(browser: Browser, **options) -> BrowserContext:
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


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


def make_app(database: Path) -> Flask:
    # CSRF protection and rate limits stay on, as in production: the pages must send the tokens.
    return create_app({"DATABASE": str(database), "SECRET_KEY": "browser-tests"})


@dataclass
class Site:
    """The app served at `url`, and the steps of its users, as a browser takes them."""

    app: Flask
    url: str

    def cli(self, *args: str, stdin: str | None = None) -> str:
        result = self.app.test_cli_runner().invoke(args=list(args), input=stdin)
        assert result.exit_code == 0, result.output
        return result.output

    def create_instructor(self) -> None:
        """The instructor's account, made with the CLI as an administrator would."""
        self.cli("create-instructor", INSTRUCTOR_EMAIL, stdin=INSTRUCTOR_PASSWORD + "\n")

    def create_class(self, title: str) -> str:
        """The instructor's account and a class, made with the CLI; the class's join code."""
        self.create_instructor()
        return self.cli("create-class", "--instructor", INSTRUCTOR_EMAIL, "--title", title).strip().splitlines()[-1]

    def join(self, page: Page, code: str, name: str) -> None:
        page.goto(f"{self.url}/join")
        page.get_by_label("Class code").fill(code)
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Join the class").click()
        expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()

    def log_in(self, page: Page) -> None:
        page.goto(f"{self.url}/auth/login")
        page.get_by_label("Email").fill(INSTRUCTOR_EMAIL)
        page.get_by_label("Password").fill(INSTRUCTOR_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Your classes")).to_be_visible()


@pytest.fixture
def app(tmp_path):
    """Overrides tests/conftest.py's `app` (which turns CSRF off), so `demo_content` uses this one."""
    return make_app(tmp_path / "spotcheck.sqlite")


@pytest.fixture
def demo_site(app, demo_content) -> Iterator[Site]:
    with live_server(app) as url:
        yield Site(app, url)


# --- the case study, as a class sees it ----------------------------------------------------------

CASE_STUDY = load_catalog(CONTENT_ROOT)
MARKED_EXERCISE = "cz-pardon-hedge"
# Every page type, by who sees it: "anyone" (a fresh browser), "student" or "instructor".
# Paths with {class_id} or {attempt_id} are filled in once the case study has them.
PAGES = {
    "home": ("anyone", "/"),
    "join": ("anyone", "/join"),
    "login": ("anyone", "/auth/login"),
    **{f"lesson {slug}": ("student", f"/lessons/{slug}") for slug in CASE_STUDY.lessons},
    **{f"exercise {exercise_id}": ("student", f"/exercises/{exercise_id}") for exercise_id in CASE_STUDY.exercises},
    "checkbox form": ("student", f"/exercises/{MARKED_EXERCISE}/form"),
    "feedback": ("student", "/attempts/{attempt_id}"),
    "solution": ("student", f"/exercises/{MARKED_EXERCISE}/solution"),
    "my work": ("student", "/my-work"),
    "dashboard": ("instructor", "/teacher/"),
    "class": ("instructor", "/teacher/classes/{class_id}"),
    "heat map": ("instructor", f"/teacher/classes/{{class_id}}/heatmap/{MARKED_EXERCISE}"),
    "exercise statistics": ("instructor", f"/teacher/classes/{{class_id}}/exercises/{MARKED_EXERCISE}"),
}


def pytest_generate_tests(metafunc):
    if "page_name" in metafunc.fixturenames:
        metafunc.parametrize("page_name", list(PAGES))


@dataclass
class CaseStudy:
    site: Site
    class_id: int
    attempt_id: int
    sessions: dict[str, dict]  # Playwright storage state (cookies) per user

    def url(self, page_name: str) -> str:
        return self.site.url + PAGES[page_name][1].format(class_id=self.class_id, attempt_id=self.attempt_id)


def mark_key_and_a_false_alarm(page: Page, exercise) -> None:
    """Click the first unit of each of the first two required items, and the first unit on no key item."""
    units = exercise.article.units(exercise.unit)

    def first_unit(accepts) -> int:
        return next(index for index, unit in enumerate(units) if accepts(unit))

    def overlap(unit, item) -> bool:
        return unit.start < item.end and item.start < unit.end

    required = [item for item in exercise.items if item.required][:2]
    chosen = [first_unit(lambda unit, item=item: overlap(unit, item)) for item in required]
    chosen.append(first_unit(lambda unit: not any(overlap(unit, item) for item in exercise.items)))
    for index in chosen:  # the options are the units, in order
        page.locator("[role=option]").nth(index).click()
    expect(page.locator("#mark-count")).to_have_text("3 marked, saved")


@pytest.fixture(scope="session")
def case_study(browser, tmp_path_factory) -> Iterator[CaseStudy]:
    app = make_app(tmp_path_factory.mktemp("case-study") / "spotcheck.sqlite")
    with live_server(app) as url:
        site = Site(app, url)
        code = site.create_class(CLASS_TITLE)
        student = open_context(browser)
        page = student.new_page()
        site.join(page, code, "Ana")
        page.goto(f"{url}/exercises/{MARKED_EXERCISE}")
        mark_key_and_a_false_alarm(page, CASE_STUDY.exercises[MARKED_EXERCISE])
        page.get_by_role("button", name="Check my answers").click()
        page.wait_for_url("**/attempts/*")
        attempt_id = int(page.url.rsplit("/", 1)[1])
        instructor = open_context(browser)
        page = instructor.new_page()
        site.log_in(page)
        class_id = int(page.get_by_role("link", name=CLASS_TITLE).get_attribute("href").rstrip("/").rsplit("/", 1)[1])
        sessions = {"student": student.storage_state(), "instructor": instructor.storage_state()}
        student.close()
        instructor.close()
        yield CaseStudy(site, class_id, attempt_id, sessions)


@pytest.fixture
def user_page(case_study, new_context):
    """A blank page in a new browser context of the user who sees a case-study page (a name in PAGES)."""
    def open_page(page_name: str, **options) -> Page:
        who, _ = PAGES[page_name]
        return new_context(storage_state=case_study.sessions.get(who), **options).new_page()

    return open_page


@pytest.fixture
def visit(case_study, user_page):
    """The case-study page `page_name`, open in a new browser context of its user."""
    def open_page(page_name: str, **options) -> Page:
        page = user_page(page_name, **options)
        page.goto(case_study.url(page_name))
        return page

    return open_page
