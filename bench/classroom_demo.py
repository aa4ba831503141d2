"""A class in full swing, for the bench scripts (page.py, screenshots.py): the app on a temporary
database served live, an instructor and a class made with the CLI, and a student who joined in
the browser, marked two hedges and a word that is not one, and checked them."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from playwright.sync_api import Browser, Page

from webapp import create_app
from webapp.catalog import get_catalog
from webapp.testing import live_server

INSTRUCTOR, PASSWORD = "bench@example.org", "bench password"
CLASS_TITLE = "Period 3"
MARKED_EXERCISE = "cz-pardon-hedge"
MARKED_WORDS = ("reportedly", "likely", "Supporters")  # two hedges and a false alarm, one screen apart


@dataclass
class Classroom:
    url: str
    pages: dict[str, tuple[str, str]]  # page name -> (who sees it: "anyone", "student" or "instructor", path)
    sessions: dict[str, dict]  # Playwright storage state (cookies) of "student" and "instructor"

    def new_page(self, browser: Browser, page_name: str, **options) -> Page:
        """A blank page in a new browser context of the user who sees `page_name`."""
        who, _ = self.pages[page_name]
        return browser.new_context(storage_state=self.sessions.get(who), **options).new_page()

    def address(self, page_name: str) -> str:
        return self.url + self.pages[page_name][1]


def cli(app, *args: str, stdin: str | None = None) -> str:
    result = app.test_cli_runner().invoke(args=list(args), input=stdin)
    if result.exit_code != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed: {result.output}")
    return result.output


def join_and_check(page: Page, url: str, code: str) -> int:
    """Join the class as a student, mark MARKED_WORDS and check them; the attempt's id."""
    page.goto(f"{url}/join")
    page.get_by_label("Class code").fill(code)
    page.get_by_label("Your name").fill("Ana")
    page.get_by_role("button", name="Join the class").click()
    page.goto(f"{url}/exercises/{MARKED_EXERCISE}")
    for word in MARKED_WORDS:
        page.get_by_role("option", name=word, exact=True).first.click()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_url("**/attempts/*")
    return int(page.url.rsplit("/", 1)[1])


def log_in(page: Page, url: str) -> int:
    """Log in as the instructor; the id of their class."""
    page.goto(f"{url}/auth/login")
    page.get_by_label("Email").fill(INSTRUCTOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return int(page.get_by_role("link", name=CLASS_TITLE).get_attribute("href").rstrip("/").rsplit("/", 1)[1])


@contextmanager
def classroom(browser: Browser) -> Iterator[Classroom]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the benches print figures, not a request log
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE": f"{tmp}/bench.sqlite", "SECRET_KEY": "bench"})
        cli(app, "create-instructor", INSTRUCTOR, stdin=PASSWORD + "\n")
        code = cli(app, "create-class", "--instructor", INSTRUCTOR, "--title", CLASS_TITLE).split()[-1]
        with app.app_context():
            catalog = get_catalog()
        with live_server(app) as url:
            student, instructor = browser.new_context(), browser.new_context()
            attempt_id = join_and_check(student.new_page(), url, code)
            class_id = log_in(instructor.new_page(), url)
            sessions = {"student": student.storage_state(), "instructor": instructor.storage_state()}
            student.close()
            instructor.close()
            yield Classroom(url, pages(catalog, attempt_id, class_id), sessions)


def pages(catalog, attempt_id: int, class_id: int) -> dict[str, tuple[str, str]]:
    teacher = f"/teacher/classes/{class_id}"
    return {
        "home": ("anyone", "/"),
        "join": ("anyone", "/join"),
        "login": ("anyone", "/auth/login"),
        **{f"lesson {slug}": ("student", f"/lessons/{slug}") for slug in catalog.lessons},
        **{f"exercise {exercise_id}": ("student", f"/exercises/{exercise_id}") for exercise_id in catalog.exercises},
        "checkbox form": ("student", f"/exercises/{MARKED_EXERCISE}/form"),
        "feedback": ("student", f"/attempts/{attempt_id}"),
        "dashboard": ("instructor", teacher),
        "heat map": ("instructor", f"{teacher}/heatmap/{MARKED_EXERCISE}"),
    }
