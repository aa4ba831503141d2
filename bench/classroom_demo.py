"""A class in full swing for the bench scripts (page.py, screenshots.py): webapp/testing.py's
classroom, in Debian's Chromium, on a throwaway database."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser

from webapp.testing import Classroom, chromium, classroom


@contextmanager
def demo_classroom() -> Iterator[tuple[Browser, Classroom]]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the benches print figures, not a request log
    with (chromium() as browser, tempfile.TemporaryDirectory() as tmp,
          classroom(browser, Path(tmp) / "bench.sqlite") as room):
        yield browser, room
