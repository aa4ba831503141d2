"""Cross-cutting protection: session cookies, CSRF, rate limits, security headers, and errors that never leak
a traceback."""

from __future__ import annotations

import hashlib

from flask import current_app, jsonify, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from ..store.db import WriteUnavailable
from .ratelimit import RateLimiter, remote_address


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, HMAC-SHA1 as before, computed by OpenSSL: Flask names SHA-1
    through a Python function (so that FIPS builds without it fail late), which sends the standard
    library's HMAC down its pure-Python path, twice for every request and twice more when the
    session changes."""

    digest_method = staticmethod(hashlib.sha1)


FORM_BODIES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CSRF(CSRFProtect):
    """Flask-WTF's CSRF protection, looking for the token only where the request can carry it.

    Flask-WTF reads `request.form` first on every POST, which makes werkzeug set up form parsing
    for a JSON body too (about 0.14 million instructions of a practice check, cachegrind). Only
    form bodies have form fields, so any other request's token can only be in a header: the same
    token is found either way. (Should Flask-WTF rename this method, its own lookup runs again.)"""

    def _get_csrf_token(self):
        if request.mimetype in FORM_BODIES:
            return super()._get_csrf_token()
        for header_name in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header_name)
            if token:
                return token
        return None


csrf = CSRF()

# Rate limits are keyed so that a whole school behind one NAT address is never throttled: the
# per-address ceiling is high, and the tight limits are per student session or per account.
# Guessing join codes is stopped by their 30+ bits of randomness, not by the limiter.
PER_ADDRESS_CEILING = "60000 per minute"
PER_SESSION_LIMIT = "300 per minute"
limiter = RateLimiter(remote_address, default=PER_ADDRESS_CEILING)


def session_key() -> str:
    """The browser's session: a student, a practice session, or at least its CSRF secret.

    Every state-changing request carries a CSRF token, so even a student's first request (the
    join) is keyed by its own browser, never by the school's shared address.
    """
    student, practice = session.get("student"), session.get("practice")
    if isinstance(student, list) and student:
        return f"student:{student[0]}"
    if practice:
        return f"practice:{practice}"
    csrf_secret = session.get("csrf_token")
    if csrf_secret:
        return f"browser:{csrf_secret}"
    return f"addr:{remote_address()}"


per_session = limiter.shared_limit(PER_SESSION_LIMIT, scope="learner", key_func=session_key)

# Guessing join and resume codes: only failed guesses count (a 404: no class has that code, no
# student that resume code), shared by the join page, the resume page and POST /api/join. A school
# of 300 behind one address makes a few typos a minute, far under the per-address bound; a script
# that drops its cookie to start a new per-browser count still meets the per-address one, so at
# most 60 guesses a minute reach the 31**7 join codes and 31**8 resume codes. These counters are
# per worker; a wrong resume code that resembles a student's is also counted against that student
# in the database (classroom.RESUME_FAILURES_ALLOWED).
GUESSES_PER_ADDRESS = "60 per minute"
GUESSES_PER_BROWSER = "10 per minute"


def failed_guess(response) -> bool:
    return response.status_code == 404


code_guesses_per_address = limiter.shared_limit(GUESSES_PER_ADDRESS, scope="code-guesses-address",
                                                key_func=remote_address, deduct_when=failed_guess,
                                                methods=["POST"])
code_guesses_per_browser = limiter.shared_limit(GUESSES_PER_BROWSER, scope="code-guesses-browser",
                                                key_func=session_key, deduct_when=failed_guess, methods=["POST"])

# No inline script or style anywhere: every asset is served by the app (school networks block
# CDNs), so the policy can be strict.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def is_static_file() -> bool:
    """A file from a static folder (the app's or a blueprint's): the same for everyone."""
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


# Cache-Control: no-store on every response except static files. The rule is per response,
# not per page: the same URL ("/", a lesson, an error page) shows whose session it is (a
# student's name and work, a teacher's classes), exports and JSON carry rosters and scores,
# and on a school's shared computer the next person's Back button or a proxy would show them.
# A list of "private" pages would leave out the next page someone adds; a list of public ones
# would need the same care. What no-store costs is only re-rendering pages that are cheap to
# render; static files, the only large responses, keep Flask's revalidation. A view's own
# Cache-Control is overridden, so no view can make a page with personal data cacheable.
NO_STORE = "no-store"

DEFAULT_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)


def init_app(app):
    app.session_interface = SessionCookies()
    csrf.init_app(app)
    limiter.init_app(app)

    @app.after_request
    def set_security_headers(response):
        # A view may set its own policy (the LTI deep-linking answer does): these are defaults.
        # The names present are read once: each of werkzeug's `setdefault` and `in` on a missing
        # header raises and catches a KeyError, and these four are missing from nearly every
        # response (with the Cache-Control below, about 0.1 million instructions a request).
        headers = response.headers
        present = set(headers.keys(lower=True))
        for name, value in DEFAULT_HEADERS:
            if name.lower() not in present:
                headers.add(name, value)
        if not is_static_file():
            if "cache-control" in present:
                headers["Cache-Control"] = NO_STORE
            else:
                headers.add("Cache-Control", NO_STORE)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = "Your form expired or was sent from elsewhere. Reload the page and try again."
        if wants_json():
            return jsonify(error=f"CSRF check failed: {error.description}"), 400
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        # The error's own headers (a 405's Allow, RFC 9110; a 401's WWW-Authenticate) go with the
        # page or JSON that replaces its body; only the body's own headers are ours.
        headers = [(name, value) for name, value in error.get_headers()
                   if name.lower() not in ("content-type", "content-length")]
        if wants_json():
            return jsonify(error=error.description), error.code, headers
        return render_template("error.html", code=error.code, message=error.description), error.code, headers

    @app.errorhandler(WriteUnavailable)
    def write_unavailable(error):
        app.logger.error("the database cannot take writes: %s", error)
        message = ("Spotcheck cannot save anything right now (its storage is read-only or full). Nothing was "
                   "half-saved; reading still works. Please try again later, or tell the administrator.")
        if wants_json():
            return jsonify(error=message), 503
        return render_template("error.html", code=503, message=message), 503

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("unhandled error")
        message = "Something went wrong on our side. Your earlier work is saved; please try again."
        if wants_json():
            return jsonify(error=message), 500
        return render_template("error.html", code=500, message=message), 500
