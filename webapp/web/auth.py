"""Instructor accounts: created from the CLI (or a sign-up page the administrator enables), login, logout.

Passwords are hashed with werkzeug's scrypt. Login attempts are counted per email in the
`login_failures` table before the password is checked (and cleared by a success), so the limit
holds exactly across concurrent requests, worker processes and restarts: after MAX_FAILURES
within FAILURE_WINDOW seconds the account's login answers 429 until the window passes.

So that nobody (a class of students, say) can lock a teacher out by typing wrong passwords, a
browser that has logged in to the account before carries a signed device cookie, and its
failures are counted apart from everyone else's (OWASP's "device cookies"): a lockout of unknown
browsers leaves the teacher's own browser free, and a lockout of one device leaves the others.
"""

from __future__ import annotations

import functools
import hmac
import os
import re
import secrets

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeSerializer
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from ..domain.passwords import password_problem
from ..domain.redirects import safe_next_path
from ..store import accounts
from ..store.db import AppDatabase, get_db
from .learners import clear_session
from .security import limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")
# A burst ceiling in memory (webapp/web/ratelimit.py) on top of the lockout after repeated
# failures, which the database keeps across processes and restarts.
LOGIN_BURST_LIMIT = "20 per minute"

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200  # scrypt of a megabyte-long "password" is a cheap way to load the server
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60
DEVICE_COOKIE = "spotcheck_device"
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """Why an account cannot be created, for the CLI or the sign-up page."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_hash_method() -> str:
    """scrypt in production; tests set PASSWORD_HASH_METHOD to a cheap method (each scrypt hash
    takes a tenth of a second, and the suite creates hundreds of accounts)."""
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if current_app else "scrypt"


@functools.cache
def unknown_user_hash(method: str) -> str:
    """Compared against when the email is unknown, so a login takes as long either way: hashed by
    the method accounts are hashed with (made on first use, not when every process starts)."""
    return generate_password_hash("not a real password", method=method)


def create_instructor(db: AppDatabase, email: str, password: str) -> dict:
    email = normalise_email(email)
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise AccountError(f"{email!r} is not an email address.")
    problem = password_problem(password, context=[email])
    if problem:
        raise AccountError(problem)
    return accounts.create_instructor(db, email, generate_password_hash(password, method=password_hash_method()))


def find_instructor(db: AppDatabase, email: str) -> dict | None:
    return accounts.find_instructor(db, normalise_email(email))


def signup_allowed() -> bool:
    """Self-service sign-up: off unless ALLOW_SIGNUP (or SPOTCHECK_ALLOW_SIGNUP=1) is set."""
    return bool(current_app.config.get("ALLOW_SIGNUP", os.environ.get("SPOTCHECK_ALLOW_SIGNUP") == "1"))


@bp.app_context_processor
def auth_context() -> dict:
    return {"signup_allowed": signup_allowed}


# --- failed-login limit -------------------------------------------------------------------------
# `device` is the nonce of the browser's device cookie, or None for every browser without one.


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="spotcheck-device")


def known_device(email: str) -> str | None:
    """The nonce of this browser's device cookie, if it was issued at a login to `email`."""
    try:
        data = _device_serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadData:  # no cookie, a forged one, or one signed with an earlier secret key
        return None
    if not isinstance(data, dict) or data.get("email") != email or not isinstance(data.get("device"), str):
        return None
    return data["device"]


def remember_device(response, email: str):
    """After a successful login: a fresh device cookie, sent back only to the login page."""
    token = _device_serializer().dumps({"email": email, "device": secrets.token_urlsafe(16)})
    response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_MAX_AGE, path=url_for("auth.login"),
                        httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


# --- the logged-in instructor -------------------------------------------------------------------


INSTRUCTOR_KEY = "instructor"


@bp.before_app_request
def load_instructor():
    """The logged-in teacher: the cookie must name the account *and* its current session token,
    which logging out changes, so a cookie copied before the logout opens nothing afterwards."""
    remembered = session.get(INSTRUCTOR_KEY)
    g.instructor = None
    if isinstance(remembered, list) and len(remembered) == 2 and isinstance(remembered[0], int):
        instructor = accounts.get_instructor(get_db(), remembered[0])
        if instructor is not None and hmac.compare_digest(str(remembered[1]), instructor["session_token"]):
            g.instructor = instructor
        else:
            session.pop(INSTRUCTOR_KEY, None)


def login_required(view):
    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.instructor is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(**kwargs)

    return wrapped


def safe_next(target: str | None) -> str:
    """Only a path on this site (domain/redirects.py decides), else the dashboard."""
    return safe_next_path(target) or url_for("instructor.index")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    submit = SubmitField("Log in")


class SignupForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", description=f"At least {MIN_PASSWORD_LENGTH} characters.",
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)])
    confirm = PasswordField("Password again", validators=[EqualTo("password", "The passwords do not match.")])
    submit = SubmitField("Create account")


def start_instructor_session(instructor: dict) -> None:
    clear_session()
    session[INSTRUCTOR_KEY] = [instructor["id"], instructor["session_token"]]


def login_account_key() -> str:
    """Login attempts are limited per account (the email typed), never per school address, and
    a browser that has logged in to the account before has a count of its own."""
    email = normalise_email(request.form.get("email", ""))
    return f"login:{email}:{known_device(email) or ''}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_BURST_LIMIT, key_func=login_account_key, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        email = normalise_email(form.email.data)
        device = known_device(email)
        if not accounts.reserve_login_attempt(db, email, device, FAILURE_WINDOW, MAX_FAILURES):
            wait = f"Wait {FAILURE_WINDOW // 60} minutes and try again"
            flash(f"Too many failed logins for this account from this browser. {wait}." if device else
                  f"Too many failed logins for this account from browsers it has not been used in. {wait}, "
                  "or log in from a browser you have logged in from before.", "error")
            return render_template("auth/login.html", form=form), 429
        instructor = find_instructor(db, email)
        password_hash = instructor["password_hash"] if instructor else unknown_user_hash(password_hash_method())
        if check_password_hash(password_hash, form.password.data) and instructor:
            accounts.clear_failures(db, email, device)
            start_instructor_session(instructor)
            return remember_device(redirect(safe_next(request.args.get("next"))), email)
        flash("That email and password do not match an instructor account.", "error")
        return render_template("auth/login.html", form=form), 401
    if request.method == "POST":
        flash("Please enter your email and password.", "error")
        return render_template("auth/login.html", form=form), 400
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Log out everywhere: the account's session token changes, so every cookie issued for it
    (this browser's, another device's, or one copied by someone else) stops working."""
    if g.instructor is not None:
        accounts.rotate_instructor_token(get_db(), g.instructor["id"])
    clear_session()
    flash("You are logged out.", "info")
    return redirect(url_for("learn.index"))


SIGNUP_LIMIT = "10 per hour"  # per address: a school's teachers sign up once each, a script far more often
SIGNED_UP = "If that email can be used, its account is ready: log in with it and your password."


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(SIGNUP_LIMIT, methods=["POST"])
def signup():
    """Self-service sign-up. A new account and an email that already has one get the same answer
    (and the same work: a password hash either way), so the page tells no one who has an account."""
    if not signup_allowed():
        abort(404, "Instructor accounts are created by the administrator of this site.")
    form = SignupForm()
    if form.validate_on_submit():
        try:
            create_instructor(get_db(), form.email.data, form.password.data)
        except accounts.EmailTaken:
            pass
        except AccountError as exc:
            flash(str(exc), "error")
            return render_template("auth/signup.html", form=form), 400
        flash(SIGNED_UP, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/signup.html", form=form), 400 if request.method == "POST" else 200
