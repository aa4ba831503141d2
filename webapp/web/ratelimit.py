"""Rate limits: fixed windows, counted in each worker's memory (security.py declares the limits).

Written here instead of using Flask-Limiter, with the rules it applied to these limits. Flask-Limiter
works out on every request which of its kinds of limits apply (default, application, blueprint,
decorated, meta, exemptions, conditional deductions), and re-reads the decorated limits' text: about
0.9 million instructions of each request (cachegrind), a fifth of a practice check, for six fixed
limits. Here each view carries its own limits, read once when it is decorated, and a request costs
a counter per limit and the headers.

The rules:
- A view's own limits apply to the methods they name (every method when they name none). A request
  that none of them applies to (every view without limits of its own, and GET of the login page)
  meets the default limit, counted per address and per view.
- A shared limit (`shared_limit`) keeps one count for every view it decorates; a view's own limit
  (`limit`) counts for that view alone.
- A limit with `deduct_when` is only looked at before the view (refused once full) and counted after
  the response when `deduct_when(response)` is true: failed code guesses.
- Limits are checked from the shortest window on; the first that is full refuses the request with a
  429 whose message is the limit ("300 per 1 minute"). The limits checked before it have counted it.
- Every limited response carries X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset (when
  the window ends, Unix time) and Retry-After (seconds until then) of the limit that refused it, or
  else of the first limit checked that is not shared, or else of the first.
- Static files and requests that match no view are not limited. `RATELIMIT_ENABLED = False` in the
  config (the tests' default) turns all of it off.

A counter knows when its window ends and is replaced on the next hit after that; expired counters
are swept now and then, inline, so memory stays bounded. (The `limits` package's memory storage
re-armed a 10 ms timer thread to expire counters while requests arrived: under a class's load about a
tenth of a gunicorn worker's CPU, py-spy.)
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import request
from werkzeug.exceptions import TooManyRequests

SWEEP_EVERY = 1000  # new windows between sweeps of expired counters
SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
LIMIT_TEXT = re.compile(r"(\d+) per (?:(\d+) )?(second|minute|hour|day)s?")
VIEW_LIMITS = "spotcheck_rate_limits"  # the attribute of a view function that lists its own limits
REQUEST_STATE = "spotcheck.rate_limits"  # the key of this request's limits in the WSGI environ


def remote_address() -> str:
    return request.remote_addr or "127.0.0.1"


@dataclass(frozen=True)
class Limit:
    amount: int
    seconds: int
    text: str  # "300 per 1 minute"

    @classmethod
    def parse(cls, text: str) -> Limit:
        match = LIMIT_TEXT.fullmatch(text.strip())
        if not match:
            raise ValueError(f"not a rate limit: {text!r} (write e.g. '300 per minute')")
        amount, multiples, unit = int(match[1]), int(match[2] or 1), match[3]
        return cls(amount, multiples * SECONDS[unit], f"{amount} per {multiples} {unit}")


@dataclass(frozen=True, eq=False)
class Rule:
    """A limit, whom it counts (`key_func`) and where: `scope` names a shared count; None counts per view."""

    limit: Limit
    key_func: Callable[[], str]
    scope: str | None = None
    methods: frozenset[str] | None = None
    deduct_when: Callable | None = None

    def applies_to(self, method: str) -> bool:
        return self.methods is None or method in self.methods

    def key(self, endpoint: str) -> str:
        return f"{self.scope or endpoint}/{self.limit.text}/{self.key_func()}"


class Windows:
    """The counters of one app: key -> [end of the window (Unix time), count]."""

    def __init__(self):
        self._windows: dict[str, list] = {}
        self._lock = threading.Lock()
        self._new_windows = 0

    def incr(self, key: str, seconds: int) -> int:
        now = time.time()
        with self._lock:
            window = self._windows.get(key)
            if window is None or window[0] <= now:
                window = self._windows[key] = [now + seconds, 0]
                self._new_windows += 1
                if self._new_windows % SWEEP_EVERY == 0:
                    self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
                    self._windows[key] = window
            window[1] += 1
            return window[1]

    def get(self, key: str) -> int:
        window = self._windows.get(key)
        return window[1] if window and window[0] > time.time() else 0

    def window_end(self, key: str) -> float:
        window = self._windows.get(key)
        return window[0] if window else time.time()


class RateLimiter:
    """Declares limits on views (`limit`, `shared_limit`) and, per app, counts them (`init_app`)."""

    def __init__(self, key_func: Callable[[], str], default: str):
        self.default = Rule(Limit.parse(default), key_func)
        self.key_func = key_func

    def limit(self, text: str, key_func: Callable[[], str] | None = None, methods: list[str] | None = None):
        """A limit of the decorated view alone."""
        return self._decorator(Rule(Limit.parse(text), key_func or self.key_func, None, _methods(methods)))

    def shared_limit(self, text: str, scope: str, key_func: Callable[[], str] | None = None,
                     deduct_when: Callable | None = None, methods: list[str] | None = None):
        """A limit with one count for every view it decorates."""
        return self._decorator(Rule(Limit.parse(text), key_func or self.key_func, scope, _methods(methods),
                                    deduct_when))

    @staticmethod
    def _decorator(rule: Rule):
        def decorate(view):
            # Checked from the shortest window on; sorting is stable, so limits of one window are
            # checked in the order they were applied (the one nearest the function first).
            limits = [*getattr(view, VIEW_LIMITS, ()), rule]
            setattr(view, VIEW_LIMITS, tuple(sorted(limits, key=lambda each: each.limit.seconds)))
            return view
        return decorate

    def init_app(self, app) -> None:
        if not app.config.get("RATELIMIT_ENABLED", True):
            return
        windows = Windows()
        app.extensions["spotcheck.ratelimit"] = windows
        default = (self.default,)

        @app.before_request
        def check_rate_limits():
            endpoint = request.endpoint
            if endpoint is None or endpoint == "static" or endpoint.endswith(".static"):
                return
            method = request.method
            view = app.view_functions.get(endpoint)
            rules = [rule for rule in getattr(view, VIEW_LIMITS, ()) if rule.applies_to(method)] or default
            counted, deferred = [], []
            for rule in rules:
                key = rule.key(endpoint)
                if rule.deduct_when is not None:
                    deferred.append((rule, key))
                    within = windows.get(key) < rule.limit.amount
                else:
                    within = windows.incr(key, rule.limit.seconds) <= rule.limit.amount
                counted.append((rule, key))
                if not within:
                    request.environ[REQUEST_STATE] = ((rule, key), deferred)
                    app.logger.info("rate limit %s exceeded at %s", rule.limit.text, endpoint)
                    raise TooManyRequests(rule.limit.text)
            shown = next((each for each in counted if each[0].scope is None), counted[0])
            request.environ[REQUEST_STATE] = (shown, deferred)

        @app.after_request
        def count_and_tell(response):
            state = request.environ.get(REQUEST_STATE)
            if state is None:
                return response
            (rule, key), deferred = state
            for each, each_key in deferred:
                if each.deduct_when(response):
                    windows.incr(each_key, each.limit.seconds)
            reset_at = int(windows.window_end(key) + 1)
            headers = response.headers
            headers.add("X-RateLimit-Limit", str(rule.limit.amount))
            headers.add("X-RateLimit-Remaining", str(max(0, rule.limit.amount - windows.get(key))))
            headers.add("X-RateLimit-Reset", str(reset_at))
            headers["Retry-After"] = str(int(reset_at - time.time()))
            return response


def _methods(methods: list[str] | None) -> frozenset[str] | None:
    return frozenset(method.upper() for method in methods) if methods else None
