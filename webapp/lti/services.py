"""LTI Advantage services from the tool: access tokens, AGS line items and scores, NRPS members.

Every call to a platform goes through one `Http` function, `(method, url, headers, body) ->
HttpResponse`, so tests route them to an in-process test LMS; `urllib_http` is the real one.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from . import claims as c
from .keys import sign
from .launch import Registration

TIMEOUT_SECONDS = 10
MAX_PAGES = 50  # NRPS pages followed through Link: rel="next"


@dataclass
class HttpResponse:
    status: int
    headers: dict  # lower-case names
    body: bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))


Http = Callable[[str, str, dict, bytes | None], HttpResponse]


class ServiceError(Exception):
    """A platform service call that failed; `retryable` when trying later may succeed."""

    def __init__(self, message: str, status: int | None = None, retryable: bool = True):
        self.status, self.retryable = status, retryable
        super().__init__(message)


def urllib_http(method: str, url: str, headers: dict, body: bytes | None) -> HttpResponse:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ServiceError(f"Refusing to call {url!r}: only http(s) URLs.", retryable=False)
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
    try:
        # The scheme is checked above (bandit B310 reviewed).
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
            return HttpResponse(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as exc:
        return HttpResponse(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())
    except (urllib.error.URLError, OSError) as exc:
        raise ServiceError(f"Cannot reach {url}: {exc}") from None


def fetch_jwks(http: Http, url: str) -> dict:
    response = http("GET", url, {"Accept": "application/json"}, None)
    if response.status != 200:
        raise ServiceError(f"The LMS key set at {url} answered {response.status}.", response.status)
    try:
        jwks = response.json()
    except ValueError:
        raise ServiceError(f"The LMS key set at {url} is not JSON.") from None
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise ServiceError(f"The LMS key set at {url} has no keys.")
    return jwks


# --- access tokens ------------------------------------------------------------------------------


class TokenCache:
    """Access tokens per registration and scope set, kept until a minute before they expire."""

    def __init__(self):
        self._tokens: dict[tuple, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, key) -> str | None:
        with self._lock:
            found = self._tokens.get(key)
            return found[0] if found and found[1] > time.time() else None

    def put(self, key, token: str, expires_in: int) -> None:
        with self._lock:
            self._tokens[key] = (token, time.time() + max(0, expires_in - 60))

    def drop(self, key) -> None:
        with self._lock:
            self._tokens.pop(key, None)


def access_token(http: Http, registration: Registration, signing_key: tuple[str, str], scopes: tuple[str, ...],
                 cache: TokenCache) -> str:
    """A bearer token for `scopes` (IMS Security Framework §4.1: client credentials + JWT assertion)."""
    key = (registration.id, tuple(sorted(scopes)))
    token = cache.get(key)
    if token:
        return token
    kid, pem = signing_key
    assertion = sign({"iss": registration.client_id, "sub": registration.client_id,
                      "aud": registration.auth_token_url}, pem, kid)
    body = urllib.parse.urlencode({
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion, "scope": " ".join(sorted(scopes)),
    }).encode()
    response = http("POST", registration.auth_token_url,
                    {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}, body)
    if response.status != 200:
        raise ServiceError(f"The LMS token endpoint answered {response.status}: {response.body[:200]!r}",
                           response.status, retryable=response.status >= 500 or response.status == 429)
    try:
        data = response.json()
        token, expires_in = data["access_token"], int(data.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise ServiceError("The LMS token endpoint sent no access_token.") from None
    cache.put(key, token, expires_in)
    return token


class ServiceClient:
    """Calls to one platform with a cached token; a 401 drops the token and tries once more."""

    def __init__(self, http: Http, registration: Registration, signing_key: tuple[str, str], cache: TokenCache):
        self.http, self.registration, self.signing_key, self.cache = http, registration, signing_key, cache

    def call(self, method: str, url: str, scopes: tuple[str, ...], headers: dict, body: bytes | None = None
             ) -> HttpResponse:
        for attempt in range(2):
            token = access_token(self.http, self.registration, self.signing_key, scopes, self.cache)
            response = self.http(method, url, {**headers, "Authorization": f"Bearer {token}"}, body)
            if response.status == 401 and attempt == 0:
                self.cache.drop((self.registration.id, tuple(sorted(scopes))))
                continue
            return response
        raise AssertionError("unreachable")

    # --- AGS ---

    def post_score(self, lineitem_url: str, score: dict) -> None:
        """POST a score to {lineitem}/scores (AGS §3.4); the query string stays after the path."""
        parts = urllib.parse.urlsplit(lineitem_url)
        url = urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))
        response = self.call("POST", url, (c.SCOPE_SCORE,), {"Content-Type": "application/vnd.ims.lis.v1.score+json"},
                             json.dumps(score).encode())
        if response.status not in (200, 201, 202, 204):
            raise ServiceError(f"The LMS refused the score ({response.status}): {response.body[:200]!r}",
                               response.status, retryable=response.status >= 500 or response.status in (401, 429))

    def create_lineitem(self, lineitems_url: str, lineitem: dict) -> dict:
        response = self.call("POST", lineitems_url, (c.SCOPE_LINEITEM,),
                             {"Content-Type": "application/vnd.ims.lis.v2.lineitem+json",
                              "Accept": "application/vnd.ims.lis.v2.lineitem+json"}, json.dumps(lineitem).encode())
        if response.status not in (200, 201):
            raise ServiceError(f"The LMS did not create the line item ({response.status}).", response.status)
        return response.json()

    # --- NRPS ---

    def members(self, memberships_url: str) -> list[dict]:
        """Every member of the context, following rel="next" links (NRPS §2.4)."""
        members, url = [], memberships_url
        for _ in range(MAX_PAGES):
            response = self.call("GET", url, (c.SCOPE_NRPS,),
                                 {"Accept": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"})
            if response.status != 200:
                raise ServiceError(f"The LMS did not send the class list ({response.status}).", response.status)
            try:
                page = response.json()
                members.extend(member for member in page.get("members", []) if isinstance(member, dict))
            except (ValueError, AttributeError):
                raise ServiceError("The LMS sent a class list that is not JSON.") from None
            url = _next_link(response.headers.get("link", "")) or page.get("next")
            if not url:
                return members
        return members


def _next_link(header: str) -> str | None:
    for part in header.split(","):
        if 'rel="next"' in part and "<" in part and ">" in part:
            return part[part.index("<") + 1:part.index(">")].strip()
    return None
