"""LTI 1.3 Advantage, the tool side: OIDC login, launch, JWKS, deep linking, AGS scores, NRPS roster.

Flow: the LMS calls /lti/login (OIDC third-party login initiation); Spotcheck answers with a
redirect to the LMS's auth endpoint carrying a fresh state and nonce, and sets a state cookie; the
LMS POSTs an id_token and the state to /lti/launch, which webapp/lti/launch.py validates. Only
then is anything stored: the LMS course is bound to a Spotcheck class, the LMS user to a student
of it (learner) or to a teacher account (instructor), and the browser session starts.

The app calls `score_changed(db, student_id, exercise_id)` after every recorded attempt: when the
student came from an LMS and the exercise (or its lesson) has a line item, the counting score is
queued and posted to the LMS (AGS). A failed post stays queued and is retried with backoff (on the
next score change, on `flask lti-send`, or by the teacher's "Resend"); the attempt itself is never
touched. Every call into the rest of the app goes through webapp/web/lti_bridge.py.

Embedding in an LMS iframe (SPOTCHECK_LTI_IFRAME=1, over HTTPS): the session and state cookies are
sent as SameSite=None; Secure, and pages may be framed by the registered platforms' origins.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import click
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.cli import AppGroup, with_appcontext
from sqlite_utils import Database

from ..lti import claims as c
from ..lti import deeplink, keys
from ..lti.config import tool_config
from ..lti.launch import Launch, LaunchError, Registration, validate_id_token
from ..lti.services import Http, ServiceClient, ServiceError, TokenCache, fetch_jwks, urllib_http
from ..store import learners
from ..store import lti as store
from ..store.db import get_db
from . import lti_bridge as bridge
from .security import CONTENT_SECURITY_POLICY, csrf

bp = Blueprint("lti", __name__, url_prefix="/lti")

STATE_COOKIE_PREFIX = "lti1p3-state-"
JWKS_MAX_AGE = 3600  # seconds a platform's key set is trusted before it is fetched again
JWKS_MIN_REFETCH = 10  # an unknown kid refetches at most this often (no fetch storm from forged tokens)
KEY_GRACE_DAYS = 7
BACKOFF_BASE = 30  # seconds; doubled per failed try
BACKOFF_MAX = 3600
MAX_TRIES = 8  # then the score waits for the teacher's "Resend"


# --- plumbing -----------------------------------------------------------------------------------


def http() -> Http:
    """The one function every call to a platform goes through (tests put their test LMS here)."""
    return current_app.config.get("LTI_HTTP") or urllib_http


def token_cache() -> TokenCache:
    return current_app.extensions.setdefault("spotcheck.lti.tokens", TokenCache())


def ensure_signing_key(db: Database) -> tuple[str, str]:
    key = store.signing_key(db)
    if key is None:
        store.add_key(db, *keys.generate_key())
        key = store.signing_key(db)
    return key


def refuse(status: int, message: str):
    return render_template("lti/error.html", code=status, message=message), status


def iframe_mode(app) -> bool:
    return bool(app.config.get("LTI_IFRAME", os.environ.get("SPOTCHECK_LTI_IFRAME") == "1"))


def platform_jwks(registration: Registration, refresh: bool) -> dict:
    db = get_db()
    cached = store.cached_jwks(db, registration.id)
    min_refetch = current_app.config.get("LTI_JWKS_MIN_REFETCH", JWKS_MIN_REFETCH)
    fresh = cached and time.time() - cached[1] < (min_refetch if refresh else JWKS_MAX_AGE)
    if fresh:
        return cached[0]
    try:
        jwks = fetch_jwks(http(), registration.keyset_url)
    except ServiceError as exc:
        if cached:
            return cached[0]
        raise LaunchError(502, f"Spotcheck cannot fetch this LMS's public keys: {exc}") from None
    store.save_jwks(db, registration.id, jwks)
    return jwks


# --- OIDC login initiation ----------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    params = request.values
    issuer, login_hint = params.get("iss", ""), params.get("login_hint", "")
    target = params.get("target_link_uri", "")
    if not issuer or not login_hint or not target:
        return refuse(400, "The LMS's login request lacks iss, login_hint or target_link_uri.")
    db = get_db()
    registrations = store.find_registrations(db, issuer, params.get("client_id") or None)
    if not registrations:
        return refuse(403, f"This LMS (issuer {issuer!r}) is not registered with Spotcheck. "
                           "An administrator adds it with `flask lti-register`.")
    if len(registrations) > 1:
        return refuse(400, "Several registrations share this issuer: the LMS must send its client_id.")
    registration = registrations[0]
    deployment = params.get("lti_deployment_id")
    if deployment and deployment not in registration.deployments:
        return refuse(403, f"The deployment {deployment!r} of this LMS is not registered with Spotcheck.")
    launch_url = url_for(".launch", _external=True)
    if urlsplit(target).netloc != urlsplit(launch_url).netloc:
        return refuse(400, "The target_link_uri is not on this Spotcheck site.")
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    store.save_login(db, state, nonce, registration.id)
    query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post", "prompt": "none",
             "client_id": registration.client_id, "redirect_uri": target.split("#")[0], "login_hint": login_hint,
             "state": state, "nonce": nonce}
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if urlsplit(registration.auth_login_url).query else "?"
    response = redirect(registration.auth_login_url + separator + urlencode(query))
    secure = current_app.config["SESSION_COOKIE_SECURE"]
    response.set_cookie(STATE_COOKIE_PREFIX + state, "1", max_age=store.LOGIN_LIFETIME, httponly=True,
                        secure=secure, samesite="None" if secure else "Lax", path=url_for(".launch"))
    return response


# --- launch -------------------------------------------------------------------------------------


@bp.post("/launch")
@csrf.exempt
def launch():
    db = get_db()
    state, id_token = request.form.get("state", ""), request.form.get("id_token", "")
    if request.form.get("error"):
        reason = request.form.get("error_description") or request.form["error"]
        return refuse(400, f"The LMS refused the login: {reason}")
    if not state or not id_token:
        return refuse(400, "The launch lacks its state or id_token. Open the activity again from your course.")
    login_row = store.find_login(db, state)
    if login_row is None:
        return refuse(400, "This launch's login has expired or was already used. Open the activity again from "
                           "your course.")
    if request.cookies.get(STATE_COOKIE_PREFIX + state) != "1":
        return refuse(400, "This browser did not start this launch (no state cookie). If Spotcheck opens inside "
                           "your course page, ask your administrator to set it to open in a new window.")
    registration = store.get_registration(db, login_row["registration_id"])

    def find_registration(issuer: str, audiences: list[str]) -> Registration | None:
        # The login chose the registration; the audience is checked with the signature (a clearer refusal).
        return registration if registration and registration.issuer == issuer else None

    try:
        message = validate_id_token(id_token, find_registration=find_registration, platform_jwks=platform_jwks,
                                    expected_nonce=login_row["nonce"])
        if not (message.is_instructor or message.is_learner):
            raise LaunchError(403, "Spotcheck is for learners and instructors; the LMS sent neither role.")
        if message.is_deep_linking and not message.is_instructor:
            raise LaunchError(403, "Only instructors can add Spotcheck content to a course.")
        if not store.use_login(db, state, message.claims["nonce"]):
            raise LaunchError(400, "This launch was already used (replayed nonce).")
    except LaunchError as refusal:
        return refuse(refusal.status, refusal.message)
    response = arrive(db, message)
    response.delete_cookie(STATE_COOKIE_PREFIX + state, path=url_for(".launch"))
    return response


def launch_target(message: Launch, context: dict) -> tuple[str | None, str | None]:
    """The exercise or lesson a resource link opens: its custom parameters, the target_link_uri's query,
    or what an earlier launch of the same link said."""
    custom = message.custom
    query = parse_qs(urlsplit(message.target_link_uri).query)
    exercise = custom.get("spotcheck_exercise") or (query.get("exercise") or [None])[0]
    lesson = custom.get("spotcheck_lesson") or (query.get("lesson") or [None])[0]
    exercise = exercise if isinstance(exercise, str) and bridge.exercise_info(exercise) else None
    lesson = lesson if isinstance(lesson, str) and bridge.lesson_info(lesson) else None
    if message.resource_link_id:
        if exercise or lesson:
            store.save_resource_link(get_db(), context["id"], message.resource_link_id, exercise, lesson)
        else:
            saved = store.find_resource_link(get_db(), context["id"], message.resource_link_id)
            if saved:
                exercise, lesson = saved["exercise_id"], saved["lesson_slug"]
    return exercise, lesson


def create_lineitem(db: Database, message: Launch, context: dict, exercise: str | None, lesson: str | None) -> None:
    """A link the LMS gave no line item (added by hand, not by deep linking): when the LMS lets tools
    manage line items, the teacher's launch creates its gradebook column (AGS §3.2)."""
    ags = message.ags
    if not isinstance(ags.get("lineitems"), str) or c.SCOPE_LINEITEM not in (ags.get("scope") or []):
        return
    if any(item["resource_link_id"] == message.resource_link_id for item in store.lineitems_of_class(
            db, context["class_id"])):
        return
    info = bridge.exercise_info(exercise) if exercise else bridge.lesson_info(lesson)
    kind, ident = ("exercise", exercise) if exercise else ("lesson", lesson)
    try:
        created = ServiceClient(http(), message.registration, ensure_signing_key(db), token_cache()).create_lineitem(
            ags["lineitems"], {"scoreMaximum": info["max_points"], "label": info["title"],
                               "resourceId": f"{kind}:{ident}", "resourceLinkId": message.resource_link_id,
                               "tag": "spotcheck"})
    except (ServiceError, ValueError) as exc:
        current_app.logger.warning("could not create a line item: %s", exc)
        return
    if isinstance(created.get("id"), str):
        store.upsert_lineitem(db, context, created["id"], message.resource_link_id, exercise,
                              None if exercise else lesson, info["max_points"], info["title"])


def linked_student(db: Database, lti_user_id: int, class_id: int) -> dict | None:
    """The student linked to this LMS user in the class, unless deleted (its id reused or not)."""
    link = store.student_link(db, lti_user_id, class_id)
    student = bridge.get_student(db, link[0]) if link else None
    if student is None or bridge.student_token(student) != link[1] or student["class_id"] != class_id:
        return None
    return student


def arrive(db: Database, message: Launch):
    registration = message.registration
    ctx = message.context
    title = ctx.get("title") or ctx.get("label") or "LMS course"
    context = store.find_context(db, registration.id, ctx["id"])
    klass = bridge.get_class(db, context["class_id"]) if context else None
    if klass is None or bridge.class_token(klass) != context["class_token"]:
        klass = bridge.create_class(db, str(title), None)
        if context:  # the teacher deleted the course's class: a new one
            context = store.rebind_context(db, context["id"], klass["id"], bridge.class_token(klass))
        else:
            context = store.add_context(db, registration.id, ctx["id"], klass["id"], bridge.class_token(klass),
                                        str(title))
    ags = message.ags
    store.update_context_services(db, context["id"], message.nrps_url, ags.get("lineitems"))
    user = store.upsert_user(db, registration.id, message.sub, message.name, message.roles,
                             message.email if registration.store_email else None)
    exercise, lesson = launch_target(message, context)
    if isinstance(ags.get("lineitem"), str) and (exercise or lesson):
        info = bridge.exercise_info(exercise) if exercise else bridge.lesson_info(lesson)
        store.upsert_lineitem(db, context, ags["lineitem"], message.resource_link_id, exercise,
                              None if exercise else lesson, info["max_points"], info["title"])
    elif message.is_instructor and (exercise or lesson) and message.resource_link_id:
        create_lineitem(db, message, context, exercise, lesson)
    session["lti"] = {"registration_id": registration.id, "context_id": context["id"]}
    if message.is_instructor:
        instructor_id = user["instructor_id"]
        if instructor_id is None or bridge.get_instructor(db, instructor_id) is None:
            instructor_id = bridge.logged_in_instructor_id() or bridge.create_instructor(
                db, f"{registration.issuer} {message.sub}")["id"]
            store.link_instructor(db, user["id"], instructor_id)
        bridge.set_class_instructor(db, klass["id"], instructor_id)
        klass = bridge.get_class(db, klass["id"])
        if not bridge.owns_class(instructor_id, klass):
            return refuse(403, "This course's Spotcheck class belongs to another teacher's account; ask them "
                               "to share the class's dashboard.")[0]
        bridge.start_instructor_session(bridge.get_instructor(db, instructor_id))
        session["lti"] = {"registration_id": registration.id, "context_id": context["id"]}
        if message.is_deep_linking:
            settings = message.deep_linking_settings
            session["lti_dl"] = {"registration_id": registration.id, "deployment_id": message.deployment_id,
                                 "return_url": settings["deep_link_return_url"], "data": settings.get("data"),
                                 "class_id": klass["id"]}
            return redirect(url_for(".deep_link"))
        return redirect(bridge.class_dashboard_url(klass["id"]))
    student = linked_student(db, user["id"], klass["id"])
    if student is None:
        student = bridge.create_student(db, klass["id"], message.name or f"Student {message.sub[-6:]}")
        store.link_student(db, user["id"], klass["id"], student["id"], bridge.student_token(student))
    elif message.name and student["name"] != message.name:
        bridge.rename_student(db, student["id"], message.name)
    bridge.start_student_session(student)
    session["lti"] = {"registration_id": registration.id, "context_id": context["id"]}
    return redirect(bridge.student_landing_url(exercise, lesson))


# --- the tool's keys ----------------------------------------------------------------------------


@bp.get("/jwks.json")
def jwks():
    db = get_db()
    ensure_signing_key(db)
    body = {"keys": [keys.public_jwk(pem, kid) for kid, pem in store.published_keys(db)]}
    response = current_app.response_class(current_app.json.dumps(body), mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# --- deep linking -------------------------------------------------------------------------------


def deep_link_request() -> dict:
    pending = session.get("lti_dl")
    if not pending or g.instructor is None:
        abort(403, "Open Spotcheck from your course's \"add content\" or \"add assignment\" menu to pick content.")
    return pending


@bp.get("/deep-link")
def deep_link():
    deep_link_request()
    return render_template("lti/deep_link.html", lessons=bridge.picker_lessons(g.instructor["id"]))


@bp.post("/deep-link")
def deep_link_submit():
    pending = deep_link_request()
    db = get_db()
    registration = store.get_registration(db, pending["registration_id"])
    if registration is None:
        abort(403, "This LMS is no longer registered with Spotcheck.")
    kind, _, ident = request.form.get("item", "").partition(":")
    if kind == "exercise" and bridge.exercise_info(ident):
        info, custom = bridge.exercise_info(ident), {"spotcheck_exercise": ident}
    elif kind == "lesson" and bridge.lesson_info(ident):
        info, custom = bridge.lesson_info(ident), {"spotcheck_lesson": ident}
    else:
        flash("Pick a lesson or an exercise.", "error")
        return render_template("lti/deep_link.html", lessons=bridge.picker_lessons(g.instructor["id"])), 400
    launch_url = url_for(".launch", _external=True) + "?" + urlencode({kind: ident})
    item = deeplink.resource_link_item(info["title"], launch_url, custom, info["max_points"], info["title"],
                                       f"{kind}:{ident}")
    token = deeplink.response_jwt(client_id=registration.client_id, issuer=registration.issuer,
                                  deployment_id=pending["deployment_id"], items=[item], data=pending.get("data"),
                                  signing_key=ensure_signing_key(db), message=f"Added {info['title']}")
    session.pop("lti_dl", None)
    return_url = pending["return_url"]
    response = current_app.make_response(render_template("lti/deep_link_return.html", return_url=return_url,
                                                         jwt=token, title=info["title"]))
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(return_url))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {origin}")
    return response


# --- Assignment and Grade Services: scores ------------------------------------------------------


def _timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def score_changed(db: Database, student_id: int, exercise_id: str) -> None:
    """Call after every recorded attempt. If the student came from an LMS and the exercise (or a lesson
    holding it) has a line item in their class, queue the counting score and post what is due.
    Never raises: the attempt is already stored, and a failed post stays queued for a retry."""
    try:
        user = store.student_lms_user(db, student_id)
        if user is None:
            return
        student = bridge.get_student(db, student_id)
        if student is None or bridge.student_token(student) != user["student_token"]:
            return  # a new student with a deleted LTI student's id
        queued = False
        for item in store.lineitems_of_class(db, student["class_id"]):
            if item["exercise_id"]:
                exercise_ids = [item["exercise_id"]]
            else:
                lesson = bridge.lesson_info(item["lesson_slug"] or "")
                exercise_ids = lesson["exercise_ids"] if lesson else []
            if exercise_id not in exercise_ids:
                continue
            score = bridge.counting_score(db, student_id, exercise_ids)
            if score is None:
                continue
            maximum = float(item["score_maximum"] or 1)
            store.queue_score(db, item["id"], student_id, user["sub"], round(score[0] * maximum, 4), maximum,
                              _timestamp())
            queued = True
        if queued:
            deliver_due(db)
    except Exception:  # the attempt must never fail because of the LMS
        current_app.logger.exception("queueing the LMS score of student %s failed", student_id)


def score_body(row: dict, complete: bool = True) -> dict:
    return {"userId": row["user_sub"], "scoreGiven": row["score_given"], "scoreMaximum": row["score_maximum"],
            "activityProgress": "Completed" if complete else "InProgress", "gradingProgress": "FullyGraded",
            "timestamp": row["timestamp"]}


def backoff(tries: int) -> float | None:
    """Seconds until the next try after `tries` failed ones, or None to stop (the teacher resends)."""
    if tries + 1 >= MAX_TRIES:
        return None
    return min(BACKOFF_MAX, BACKOFF_BASE * 2 ** tries)


def deliver(db: Database, row: dict) -> bool:
    """Post one queued score; True when the LMS took it."""
    item = store.get_lineitem(db, row["lineitem_id"])
    context = store.get_context(db, item["context_id"]) if item else None
    registration = store.get_registration(db, context["registration_id"]) if context else None
    if registration is None:
        store.mark_failed(db, row["id"], "The LMS registration or line item is gone.", None)
        return False
    client = ServiceClient(http(), registration, ensure_signing_key(db), token_cache())
    try:
        client.post_score(item["lineitem_url"], score_body(row))
    except ServiceError as exc:
        wait = backoff(row["tries"]) if exc.retryable else None
        store.mark_failed(db, row["id"], str(exc), None if wait is None else time.time() + wait)
        return False
    except Exception as exc:  # a broken LMS answer must not break the caller
        current_app.logger.exception("posting score %s failed", row["id"])
        wait = backoff(row["tries"])
        store.mark_failed(db, row["id"], f"Unexpected error: {exc}", None if wait is None else time.time() + wait)
        return False
    store.mark_sent(db, row["id"], row["timestamp"])
    return True


def deliver_due(db: Database, now: float | None = None) -> tuple[int, int]:
    """Post every score that is due; (sent, failed)."""
    sent = failed = 0
    for row in store.due_scores(db, now):
        if deliver(db, row):
            sent += 1
        else:
            failed += 1
    return sent, failed


# --- the teacher's LMS page: unsent scores, resend, roster sync -----------------------------------


def owned_class(class_id: int) -> dict:
    if g.instructor is None:
        abort(401, "Log in (or open Spotcheck from your course) to see this class.")
    klass = bridge.get_class(get_db(), class_id)
    if klass is None or not bridge.owns_class(g.instructor["id"], klass):
        abort(404, "No such class of yours.")
    return klass


@bp.get("/classes/<id:class_id>")
def class_lms(class_id):
    klass = owned_class(class_id)
    db = get_db()
    return render_template("lti/class.html", klass=klass, contexts=store.contexts_of_class(db, class_id),
                           lineitems=store.lineitems_of_class(db, class_id),
                           unsent=store.unsent_scores(db, class_id), sent=len(
                               [r for r in store.score_rows(db, class_id) if r["status"] == "sent"]),
                           names={s["id"]: s["name"] for s in learners.class_students(db, class_id)})


@bp.post("/classes/<id:class_id>/resend")
def resend(class_id):
    owned_class(class_id)
    db = get_db()
    ids = [int(value) for value in request.form.getlist("score") if value.isdigit()]
    store.resend(db, class_id, ids or None)
    sent, failed = deliver_due(db)
    flash(f"Sent {sent} score(s) to the LMS." + (f" {failed} could not be sent yet." if failed else ""),
          "info" if not failed else "error")
    return redirect(url_for(".class_lms", class_id=class_id))


def sync_roster(db: Database, klass: dict) -> tuple[int, int]:
    """Students for every active learner in the LMS course(s) of the class: (added, renamed)."""
    added = renamed = 0
    for context in store.contexts_of_class(db, klass["id"]):
        if not context["nrps_url"]:
            continue
        registration = store.get_registration(db, context["registration_id"])
        client = ServiceClient(http(), registration, ensure_signing_key(db), token_cache())
        for member in client.members(context["nrps_url"]):
            sub, roles = member.get("user_id"), member.get("roles") or []
            if not isinstance(sub, str) or not sub or not isinstance(roles, list):
                continue
            if member.get("status", "Active") != "Active" or not c.is_learner(roles) or c.is_instructor(roles):
                continue
            name = member.get("name") if isinstance(member.get("name"), str) else None
            name = name or " ".join(member[k] for k in ("given_name", "family_name")
                                    if isinstance(member.get(k), str)).strip() or None
            email = member.get("email") if registration.store_email and isinstance(member.get("email"), str) else None
            user = store.upsert_user(db, registration.id, sub, name, roles, email)
            student = linked_student(db, user["id"], klass["id"])
            if student is None:
                student = bridge.create_student(db, klass["id"], name or f"Student {sub[-6:]}")
                store.link_student(db, user["id"], klass["id"], student["id"], bridge.student_token(student))
                added += 1
            elif name and student["name"] != name:
                bridge.rename_student(db, student["id"], name)
                renamed += 1
    return added, renamed


@bp.post("/classes/<id:class_id>/roster-sync")
def roster_sync(class_id):
    klass = owned_class(class_id)
    db = get_db()
    if not any(context["nrps_url"] for context in store.contexts_of_class(db, class_id)):
        flash("The LMS has not offered its class list (Names and Role Provisioning) for this course.", "error")
        return redirect(url_for(".class_lms", class_id=class_id))
    try:
        added, renamed = sync_roster(db, klass)
    except ServiceError as exc:
        flash(f"The class list could not be fetched from the LMS: {exc}", "error")
        return redirect(url_for(".class_lms", class_id=class_id))
    flash(f"Class list synced from the LMS: {added} student(s) added, {renamed} renamed.", "info")
    return redirect(url_for(".class_lms", class_id=class_id))


@bp.app_context_processor
def lti_links() -> dict:
    def lti_panel_url(klass: dict) -> str | None:
        """The class's LMS page, for the dashboard, when the class is bound to an LMS course."""
        linked = store.contexts_of_class(get_db(), klass["id"])
        return url_for("lti.class_lms", class_id=klass["id"]) if linked else None

    return {"lti_panel_url": lti_panel_url}


# --- command line -------------------------------------------------------------------------------


@click.command("lti-register")
@with_appcontext
@click.option("--issuer", required=True, help="The platform's issuer (iss), e.g. https://canvas.instructure.com.")
@click.option("--client-id", required=True, help="The client id the platform gave Spotcheck.")
@click.option("--deployment-id", required=True, help="The deployment id (repeat the command for more).")
@click.option("--auth-login-url", required=True, help="The platform's OIDC authorization endpoint.")
@click.option("--auth-token-url", required=True, help="The platform's OAuth 2 token endpoint.")
@click.option("--keyset-url", required=True, help="The platform's public JWKS URL.")
@click.option("--store-emails/--no-store-emails", default=False, help="Keep the email the LMS sends (off).")
def register_command(issuer, client_id, deployment_id, auth_login_url, auth_token_url, keyset_url, store_emails):
    """Register an LMS (an LTI 1.3 platform) or add a deployment to one."""
    for name, url in (("--auth-login-url", auth_login_url), ("--auth-token-url", auth_token_url),
                      ("--keyset-url", keyset_url)):
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise click.ClickException(f"{name} must be an http(s) URL, not {url!r}.")
    db = get_db()
    reg_id, created = store.add_registration(db, issuer, client_id, deployment_id, auth_login_url, auth_token_url,
                                             keyset_url, store_emails)
    ensure_signing_key(db)
    click.echo(f"{'Registered' if created else 'Updated'} platform {issuer} (client id {client_id}, "
               f"deployment {deployment_id}) as registration {reg_id}.")


def _base_url(given: str | None) -> str:
    url = given or os.environ.get("SPOTCHECK_BASE_URL") or current_app.config.get("LTI_BASE_URL")
    if not url:
        raise click.ClickException("Give the site's public address: --base-url https://spotcheck.example.org "
                                   "(or set SPOTCHECK_BASE_URL).")
    return url


@click.command("lti-config")
@with_appcontext
@click.option("--base-url", help="The public https address of this Spotcheck (default: $SPOTCHECK_BASE_URL).")
def config_command(base_url):
    """Print the tool configuration JSON (Canvas "Paste JSON"; Moodle's fields under "moodle")."""
    url = _base_url(base_url)
    click.echo(json.dumps(tool_config(url), indent=2))


keys_group = AppGroup("lti-keys", help="The tool's signing keys (its JWKS at /lti/jwks.json).")


@keys_group.command("rotate")
@click.option("--grace-days", type=float, default=KEY_GRACE_DAYS, show_default=True,
              help="How long the old key stays published (platforms may have cached it).")
def rotate_command(grace_days):
    """Add a new signing key; the old one stops signing and leaves the JWKS after the grace period."""
    db = get_db()
    store.prune_keys(db)
    kid, pem = keys.generate_key()
    store.add_key(db, kid, pem)
    retired = store.retire_keys_except(db, kid, grace_days * 86400)
    click.echo(f"New signing key {kid}; {retired} older key(s) retired, published for {grace_days:g} more day(s).")


@keys_group.command("list")
def list_keys_command():
    """List the tool's keys and their state."""
    for row in store.list_keys(get_db()):
        state = "signing" if row["retired_at"] is None else (
            f"retired, published until {datetime.fromtimestamp(row['expires_at'], UTC):%Y-%m-%d %H:%M} UTC")
        click.echo(f"{row['kid']}  {state}")


@click.command("lti-send")
@with_appcontext
def send_command():
    """Post the scores that are due to the LMS (run from cron to retry failed posts)."""
    sent, failed = deliver_due(get_db())
    click.echo(f"{sent} score(s) sent, {failed} failed (retried later).")


# --- wiring -------------------------------------------------------------------------------------


def frame_ancestors(db: Database) -> str:
    configured = os.environ.get("SPOTCHECK_LTI_FRAME_ANCESTORS")
    if configured:
        return configured
    origins = set()
    for registration in store.all_registrations(db):
        for url in (registration.issuer, registration.auth_login_url):
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc:
                origins.add(f"{parts.scheme}://{parts.netloc}")
    return " ".join(sorted(origins)) or "'none'"


def init_app(app) -> None:
    """Register the blueprint and CLI; in iframe mode, cross-site cookies and framing by the platforms."""
    app.register_blueprint(bp)
    app.cli.add_command(register_command)
    app.cli.add_command(config_command)
    app.cli.add_command(keys_group)
    app.cli.add_command(send_command)
    if iframe_mode(app):
        app.config["SESSION_COOKIE_SAMESITE"] = "None"
        app.config["SESSION_COOKIE_SECURE"] = True

        def allow_framing(response):
            policy = response.headers.get("Content-Security-Policy", "")
            if "frame-ancestors 'none'" in policy:
                response.headers["Content-Security-Policy"] = policy.replace(
                    "frame-ancestors 'none'", f"frame-ancestors {frame_ancestors(get_db())}")
                response.headers.pop("X-Frame-Options", None)
            return response

        # First in the list, so it runs after security.py's hook has set the default headers.
        app.after_request_funcs.setdefault(None, []).insert(0, allow_framing)
