"""Servers for tests, benches and screenshots, always on a free loopback port:
`live_server` runs the app in a thread (browser tests); `Gunicorn` runs the production server
in a subprocess on a fresh database (load bench, crash test)."""

from __future__ import annotations

import os
import socket
import subprocess  # nosec B404
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

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
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


ROOT = Path(__file__).resolve().parent.parent
# As `make serve`: threaded workers keep connections alive, so a class's browsers do not
# reconnect for every request.
SERVE_OPTIONS = ["--worker-class", "gthread", "--threads", "4"]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def make_class(db_path: Path, title: str = "Bench class") -> str:
    """An instructor and a class; returns the class's join code."""
    flask(db_path, "create-instructor", "bench@example.org", stdin="bench password 123\n")
    output = flask(db_path, "create-class", "--instructor", "bench@example.org", "--title", title)
    return output.strip().splitlines()[-1]


class Gunicorn:
    def __init__(self, db_path: Path, workers: int = 2, port: int | None = None):
        self.db_path, self.workers, self.port = db_path, workers, port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        # Our own server with fixed arguments (bandit B603 reviewed).
        self.process = subprocess.Popen(  # noqa: S603  # nosec B603
            [BIN / "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             *SERVE_OPTIONS, "--log-level", "warning", "webapp:create_app()"],
            env=environment(self.db_path), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                # A loopback http URL we built ourselves (bandit B310 reviewed).
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:  # noqa: S310  # nosec B310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

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
