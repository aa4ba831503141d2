"""Crash safety: SIGKILL gunicorn in the middle of a class's submissions, restart it, and find
every acknowledged submission still there and the database intact."""

from __future__ import annotations

import http.client
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.cookiejar import CookieJar

from servers import Gunicorn, make_class

STUDENTS = 6


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.token = ""

    def call(self, method: str, path: str, body=None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Content-Type": "application/json", "X-CSRFToken": self.token})
        with self.opener.open(request, timeout=5) as response:
            return json.loads(response.read())


def student_loop(base: str, code: str, index: int, stop: threading.Event, acknowledged: list, lock) -> None:
    browser = Browser(base)
    try:
        browser.token = browser.call("GET", "/api/csrf-token")["csrf_token"]
        student = browser.call("POST", "/api/join", {"code": code, "name": f"Student {index}"})["student"]
        while not stop.is_set():
            submission_id = uuid.uuid4().hex
            body = {"exercise_id": "cz-pardon-unsourced", "spans": [[0, 40]], "submission_id": submission_id}
            browser.call("POST", "/api/submissions", body)
            with lock:
                acknowledged.append((student["id"], submission_id))
    except (OSError, urllib.error.URLError, http.client.HTTPException):
        return  # the server died: what was not acknowledged is the client's to retry


def test_sigkill_during_load_loses_no_acknowledged_submission(tmp_path):
    db_path = tmp_path / "crash.sqlite"
    code = make_class(db_path)
    server = Gunicorn(db_path, workers=2).start()
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    threads = [threading.Thread(target=student_loop, args=(server.base, code, i, stop, acknowledged, lock))
               for i in range(STUDENTS)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while len(acknowledged) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # mid-load: requests are in flight
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        server.stop()
    assert len(acknowledged) >= 60, "the load did not get going"

    restarted = Gunicorn(db_path, workers=1, port=server.port).start()
    try:
        with urllib.request.urlopen(f"{restarted.base}/healthz", timeout=5) as response:  # noqa: S310
            assert response.status == 200
    finally:
        restarted.stop()
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = set(db.execute("select student_id, submission_id from attempts"))
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged submissions were lost"
