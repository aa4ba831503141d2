"""A class in full swing for the bench scripts (page.py, screenshots.py): tests/servers.py's
classroom, in Debian's Chromium, on a throwaway database."""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser

# This checkout's app (not whichever copy the virtualenv installed: from a git worktree that is
# another checkout's), as the other benches import it; the test servers live with the tests (they
# need Playwright, which the app does not).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from servers import Classroom, chromium, classroom  # noqa: E402


@contextmanager
def demo_classroom() -> Iterator[tuple[Browser, Classroom]]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the benches print figures, not a request log
    with (chromium() as browser, tempfile.TemporaryDirectory() as tmp,
          classroom(browser, Path(tmp) / "bench.sqlite") as room):
        yield browser, room
