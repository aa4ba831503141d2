"""Servers for tests, benches and screenshots, always on a free loopback port:
`live_server` runs the app in a thread (browser tests); `Gunicorn` runs the production server
in a subprocess on a fresh database (load bench, crash test); `classroom` is a class in full swing
in Chromium, whose every page type the browser tests check and the page bench and screenshots load."""

from __future__ import annotations

import os
import re
import socket
import subprocess  # nosec B404
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from classroom_support import INSTRUCTOR_EMAIL, PASSWORD, create_instructor_with
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import make_server

from webapp import CONTENT_ROOT, create_app
from webapp.domain.content import load_catalog

CHROMIUM = "/usr/bin/chromium"
# Flags for Debian's Chromium on a machine without a network or a display (and as root).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@contextmanager
def live_server(app) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 at a free port; yield its base URL; stop on exit."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll: shutdown() waits for the loop to notice, up to this long (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


ROOT = Path(__file__).resolve().parent.parent  # the repository
BIN = Path(sys.executable).parent


def environment(db_path: Path) -> dict:
    # A fixed key for a throwaway bench database: every worker must sign sessions alike.
    return {**os.environ, "SPOTCHECK_DB": str(db_path), "SPOTCHECK_SECRET_KEY": "bench-secret"}  # nosec B105


def flask(db_path: Path, *args: str, stdin: str = "") -> str:
    """Run `flask --app webapp ARGS` against the database; return its standard output."""
    command = [BIN / "flask", "--app", "webapp", *args]
    # Our own CLI with fixed arguments (bandit B603 reviewed).
    done = subprocess.run(command, input=stdin, capture_output=True, text=True,  # noqa: S603  # nosec B603
                          env=environment(db_path), cwd=ROOT, check=True)
    return done.stdout


def create_class_with(run_cli: Callable[..., str], title: str, *options: str) -> str:
    """The instructor's account and a class, made with the CLI; the class's join code."""
    create_instructor_with(run_cli)
    return run_cli("create-class", "--instructor", INSTRUCTOR_EMAIL, "--title", title,
                   *options).strip().splitlines()[-1]


def make_class(db_path: Path, title: str = "Bench class") -> str:
    """An instructor and a class in the database at `db_path`, through the real CLI; the join code."""
    return create_class_with(partial(flask, db_path), title)


class Gunicorn:
    """`make serve` on a database of its own. The listening socket is bound here and handed to
    gunicorn, so the port is ours from the start: with a port merely chosen free, another server
    started meanwhile on this shared machine could take it and answer our requests."""

    def __init__(self, db_path: Path, workers: int = 4, port: int | None = None, threads: int = 1,
                 root: Path = ROOT):
        """`root`: the checkout whose app to serve (bench/load.py also serves the first version's)."""
        self.db_path, self.workers, self.threads, self.root = db_path, workers, threads, root
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart on the same port
        deadline = time.monotonic() + 10
        while True:
            try:
                self.listener.bind(("127.0.0.1", port or 0))
                break
            except OSError:
                # After a SIGKILL, a dying worker of the last server may hold the port a moment longer.
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.listener.listen(2048)
        self.port = self.listener.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        fd = self.listener.fileno()
        # Our own server with fixed arguments (bandit B603 reviewed).
        self.process = subprocess.Popen(  # noqa: S603  # nosec B603
            [BIN / "gunicorn", "--bind", f"fd://{fd}", "--workers", str(self.workers),
             "--worker-class", "gthread", "--threads", str(self.threads), "--log-level", "warning",
             "webapp:create_app()"],
            env=environment(self.db_path), cwd=self.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(fd,),
        )
        self.listener.close()  # gunicorn has its own copy; a SIGKILL of gunicorn closes the port
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                # A loopback http URL we built ourselves (bandit B310 reviewed).
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:  # noqa: S310  # nosec B310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within 30 s (exit status {self.process.poll()})")

    def kill(self) -> None:
        """SIGKILL the master and its workers: a power cut, not a shutdown."""
        if self.process:
            # A fixed program and our own child's pid (bandit B603 reviewed).
            subprocess.run(["/usr/bin/pkill", "-KILL", "-P", str(self.process.pid)], check=False)  # noqa: S603  # nosec B603
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- a class in full swing, in Chromium ----------------------------------------------------------

CLASS_TITLE = "Period 3"
MARKED_EXERCISE = "cz-pardon-hedge"
MARKED_WORDS = ("reportedly", "likely", "Supporters")  # two hedges and a false alarm, one screen apart
# Playwright waits 30 s by default; on a loopback server anything slower than this is a failure.
TIMEOUT_MS = 5000


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_context(browser: Browser, **options) -> BrowserContext:
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def make_app(database: Path) -> Flask:
    # CSRF protection and rate limits stay on, as in production: the pages must send the tokens.
    # A fixed key for a throwaway database (bandit B105 reviewed).
    return create_app({"DATABASE": str(database), "SECRET_KEY": "browser-tests"})  # nosec B105


@dataclass
class Site:
    """The app served at `url`, and the steps of its users, as a browser takes them."""

    app: Flask
    url: str

    def cli(self, *args: str, stdin: str | None = None) -> str:
        result = self.app.test_cli_runner().invoke(args=list(args), input=stdin)
        if result.exit_code != 0:
            # Not `assert`, which bandit refuses in the package; a failed step fails the test all the same.
            raise AssertionError(f"flask {' '.join(args)} failed: {result.output}")
        return result.output

    def create_instructor(self) -> None:
        create_instructor_with(self.cli)

    def create_class(self, title: str, *options: str) -> str:
        return create_class_with(self.cli, title, *options)

    def join(self, page: Page, code: str, name: str) -> None:
        page.goto(f"{self.url}/join")
        page.get_by_label("Class code").fill(code)
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Join the class").click()
        # A student lands on the class's first lesson; the steps that follow start from their work page.
        expect(page.get_by_role("status").filter(has_text=f"Welcome, {name}!")).to_be_visible()
        expect(page).to_have_url(re.compile(r"/lessons/"))
        page.goto(f"{self.url}/my-work")
        expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()

    def log_in(self, page: Page) -> None:
        page.goto(f"{self.url}/auth/login")
        page.get_by_label("Email").fill(INSTRUCTOR_EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Your classes")).to_be_visible()

    def check_marked_words(self, page: Page) -> int:
        """Mark MARKED_WORDS in MARKED_EXERCISE and check them, as the student on `page`; the attempt's id."""
        page.goto(f"{self.url}/exercises/{MARKED_EXERCISE}")
        for word in MARKED_WORDS:
            page.get_by_role("option", name=word, exact=True).first.click()
        expect(page.locator("#mark-count")).to_have_text(f"{len(MARKED_WORDS)} marked, saved")
        page.get_by_role("button", name="Check my answers").click()
        page.wait_for_url("**/attempts/*")
        return int(page.url.rsplit("/", 1)[1])


@cache
def page_types() -> dict[str, tuple[str, str]]:
    """Every page type of the case study, by who sees it: "anyone" (a fresh browser), "student" or
    "instructor". Paths with {class_id} or {attempt_id} are filled in by `Classroom.url`."""
    catalog = load_catalog(CONTENT_ROOT)
    return {
        "home": ("anyone", "/"),
        "join": ("anyone", "/join"),
        "login": ("anyone", "/auth/login"),
        **{f"lesson {slug}": ("student", f"/lessons/{slug}") for slug in catalog.lessons},
        **{f"exercise {exercise_id}": ("student", f"/exercises/{exercise_id}") for exercise_id in catalog.exercises},
        "checkbox form": ("student", f"/exercises/{MARKED_EXERCISE}/form"),
        "feedback": ("student", "/attempts/{attempt_id}"),
        "solution": ("student", f"/exercises/{MARKED_EXERCISE}/solution"),
        "my work": ("student", "/my-work"),
        "dashboard": ("instructor", "/teacher/"),
        "class": ("instructor", "/teacher/classes/{class_id}"),
        "heat map": ("instructor", f"/teacher/classes/{{class_id}}/heatmap/{MARKED_EXERCISE}"),
        "exercise statistics": ("instructor", f"/teacher/classes/{{class_id}}/exercises/{MARKED_EXERCISE}"),
    }


@dataclass
class Classroom:
    site: Site
    class_id: int
    attempt_id: int
    sessions: dict[str, dict]  # Playwright storage state (cookies) of "student" and "instructor"

    def url(self, page_name: str) -> str:
        return self.site.url + page_types()[page_name][1].format(class_id=self.class_id, attempt_id=self.attempt_id)

    def new_page(self, new_context: Callable[..., BrowserContext], page_name: str, **options) -> Page:
        """A blank page in a browser context from `new_context`, of the user who sees `page_name`."""
        who, _ = page_types()[page_name]
        return new_context(storage_state=self.sessions.get(who), **options).new_page()


@contextmanager
def classroom(browser: Browser, database: Path) -> Iterator[Classroom]:
    """The case study served live on a new database: an instructor's class made with the CLI, a student,
    Ana, who joined it in the browser and checked MARKED_WORDS, and the instructor logged in, who
    released that exercise's solution (so its feedback shows the missed items and the solution opens)."""
    app = make_app(database)
    with live_server(app) as url:
        site = Site(app, url)
        code = site.create_class(CLASS_TITLE, "--solutions", "when-released")
        student, instructor = open_context(browser), open_context(browser)
        page = student.new_page()
        site.join(page, code, "Ana")
        attempt_id = site.check_marked_words(page)
        page = instructor.new_page()
        site.log_in(page)
        page.get_by_role("link", name=CLASS_TITLE).click()
        class_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        page.get_by_role("button", name="Release the solution of “Spot the hedge words”").click()
        expect(page.get_by_text("Released the solution")).to_be_visible()
        sessions = {"student": student.storage_state(), "instructor": instructor.storage_state()}
        student.close()
        instructor.close()
        yield Classroom(site, class_id, attempt_id, sessions)
