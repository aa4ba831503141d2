"""An in-memory rate-limit store without a background thread, for Flask-Limiter's fixed windows.

The `limits` package's own memory storage re-arms a 10 ms timer thread to expire counters while
requests arrive; under a class's load that thread took about a tenth of a gunicorn worker's CPU
(py-spy). Here a counter simply knows when its window ends and is replaced on the next hit after
that; expired counters are swept now and then, inline, so memory stays bounded.
Registered as `spotcheck-memory://` and used by webapp.web.security.
"""

from __future__ import annotations

import threading
import time

from limits.storage import Storage

SWEEP_EVERY = 1000  # new windows between sweeps of expired counters


class LazyExpiryMemoryStorage(Storage):
    STORAGE_SCHEME = ["spotcheck-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._windows: dict[str, list] = {}  # key -> [window end (epoch seconds), count]
        self._lock = threading.Lock()
        self._new_windows = 0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            window = self._windows.get(key)
            if window is None or window[0] <= now:
                window = self._windows[key] = [now + expiry, 0]
                self._new_windows += 1
                if self._new_windows % SWEEP_EVERY == 0:
                    self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
                    self._windows[key] = window
            window[1] += amount
            return window[1]

    def get(self, key: str) -> int:
        window = self._windows.get(key)
        return window[1] if window and window[0] > time.time() else 0

    def get_expiry(self, key: str) -> float:
        window = self._windows.get(key)
        return window[0] if window else time.time()

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            count, self._windows = len(self._windows), {}
        return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)
