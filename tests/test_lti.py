"""LTI 1.3 Advantage against a platform that is not our own: the test LMS of tests/lti_platform.py,
built on the third-party `lti1p3platform`, in this process. Registration → OIDC login → launch as
instructor and learner → deep linking → attempts → scores at the LMS's AGS endpoint; NRPS roster
sync; key rotation; and every bad launch refused with a 4xx and nothing stored."""

from __future__ import annotations

import html
import re
import time
from functools import cache
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from classroom_support import LIKELY, MAY_HAVE, REPORTEDLY, submit
from lti_platform import CLIENT_ID, DEPLOYMENT_ID, ISSUER, LEARNER, TestLMS, private_key_pem

from webapp.lti import claims as c
from webapp.lti import keys
from webapp.lti.services import HttpResponse
from webapp.store import lti as store
from webapp.store.db import get_db

LTI_TABLES = ("lti_contexts", "lti_users", "lti_students", "lti_lineitems", "lti_scores", "students", "classes",
              "instructors")


@cache
def tool_key() -> tuple[str, str]:
    return keys.generate_key()


@pytest.fixture
def lms(app, runner, demo_content):
    with app.app_context():
        store.add_key(get_db(), *tool_key())  # one key per test run: generating RSA keys is slow
    lms = TestLMS(tool_url="http://localhost")
    app.config["LTI_HTTP"] = lms.tool_http
    app.config["LTI_JWKS_MIN_REFETCH"] = 0
    tool = app.test_client()

    def fetch_tool(url):
        response = tool.get(urlsplit(url).path)
        return HttpResponse(response.status_code, dict(response.headers), response.data)

    lms.fetch_tool = fetch_tool
    result = runner.invoke(args=lms.register_args())
    assert result.exit_code == 0, result.output
    assert "Registered platform https://lms.test" in result.output
    return lms


def counts(app) -> dict:
    with app.app_context():
        db = get_db()
        return {table: db[table].count for table in LTI_TABLES}


def form_fields(page: str) -> dict:
    fields = dict(re.findall(r'name="([^"]+)"\s+value="([^"]*)"', page))
    action = re.findall(r'action="([^"]+)"', page)[-1]  # the page's own form comes after the nav's
    return {k: html.unescape(v) for k, v in fields.items()} | {"_action": html.unescape(action)}


def login_and_authorize(client, lms: TestLMS, user: str, link: str = "deeplink") -> dict:
    """The LMS starts the login, the tool redirects to the LMS's auth endpoint, which answers with the
    auto-posting launch form: its fields (id_token, state) and action."""
    start = lms.client.get(f"/start/{user}/{link}")
    assert start.status_code == 302, start.data
    login_url = urlsplit(start.headers["Location"])
    assert login_url.path == "/lti/login"
    to_auth = client.get(login_url.path, query_string=login_url.query)
    assert to_auth.status_code == 302, to_auth.data
    auth_url = urlsplit(to_auth.headers["Location"])
    assert auth_url.netloc == "lms.test"
    query = parse_qs(auth_url.query)
    assert query["response_mode"] == ["form_post"] and query["scope"] == ["openid"] and query["prompt"] == ["none"]
    page = lms.client.get(auth_url.path, query_string=auth_url.query)
    assert page.status_code == 200, page.data
    return form_fields(page.get_data(as_text=True))


def launch(client, lms: TestLMS, user: str, link: str = "deeplink"):
    fields = login_and_authorize(client, lms, user, link)
    assert fields["_action"] == "http://localhost/lti/launch"
    return client.post("/lti/launch", data={"id_token": fields["id_token"], "state": fields["state"]})


def deep_link(client, lms: TestLMS, item: str) -> str:
    """A teacher adds `item` ("exercise:<id>" or "lesson:<slug>") through deep linking; the new link's id."""
    response = launch(client, lms, "teacher-1", "deeplink")
    assert response.status_code == 302 and response.headers["Location"] == "/lti/deep-link"
    picker = client.get("/lti/deep-link")
    assert picker.status_code == 200 and b'value="exercise:demo-hedge"' in picker.data
    back = client.post("/lti/deep-link", data={"item": item})
    assert back.status_code == 200
    assert "form-action 'self' http://lms.test" in back.headers["Content-Security-Policy"]
    fields = form_fields(back.get_data(as_text=True))
    assert fields["_action"] == "http://lms.test/deep_link_return"
    done = lms.client.post("/deep_link_return", data={"JWT": fields["JWT"]})
    assert done.status_code == 200 and b"Added 1 item" in done.data, done.data
    return list(lms.links)[-1]


# --- registration, configuration, keys ----------------------------------------------------------


def test_register_config_and_jwks(app, runner, lms, client):
    again = runner.invoke(args=[*lms.register_args()[:6], "deployment-2", *lms.register_args()[7:]])
    assert "Updated platform" in again.output
    with app.app_context():
        (registration,) = store.all_registrations(get_db())
    assert registration.deployments == [DEPLOYMENT_ID, "deployment-2"]
    bad = runner.invoke(args=[*lms.register_args()[:-1], "ftp://nope"])
    assert bad.exit_code != 0 and "--keyset-url must be an http(s) URL" in bad.output

    config = runner.invoke(args=["lti-config", "--base-url", "https://spotcheck.example.org"])
    assert config.exit_code == 0, config.output
    data = app.json.loads(config.output)
    assert data["oidc_initiation_url"] == "https://spotcheck.example.org/lti/login"
    assert data["target_link_uri"] == "https://spotcheck.example.org/lti/launch"
    assert data["public_jwk_url"] == "https://spotcheck.example.org/lti/jwks.json"
    assert c.SCOPE_SCORE in data["scopes"] and data["extensions"][0]["privacy_level"] == "name_only"
    assert data["moodle"]["initiate_login_url"].endswith("/lti/login")
    assert runner.invoke(args=["lti-config"]).exit_code != 0  # no base URL: a clear error

    keys = client.get("/lti/jwks.json").get_json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and keys[0]["kid"]
    assert "d" not in keys[0]  # never the private part


def test_key_rotation_keeps_old_key_published_for_the_grace_period(app, runner, lms, client):
    old = client.get("/lti/jwks.json").get_json()["keys"][0]["kid"]
    result = runner.invoke(args=["lti-keys", "rotate", "--grace-days", "7"])
    assert result.exit_code == 0 and "1 older key(s) retired" in result.output
    kids = [key["kid"] for key in client.get("/lti/jwks.json").get_json()["keys"]]
    assert old in kids and len(kids) == 2
    with app.app_context():
        db = get_db()
        assert store.signing_key(db)[0] != old
        assert [kid for kid, _ in store.published_keys(db, now=time.time() + 8 * 86400)] == [store.signing_key(db)[0]]
    listing = runner.invoke(args=["lti-keys", "list"])
    assert "signing" in listing.output and "retired" in listing.output
    # The platform verifies what the tool signs with the new key: a deep link and a score go through.
    link = deep_link(client, lms, "exercise:demo-hedge")
    student = app.test_client()
    assert launch(student, lms, "student-1", link).status_code == 302
    assert submit(student, "demo-hedge", "sub-rotated1", spans=[MAY_HAVE]).status_code == 200
    assert len(lms.scores) == 1


# --- arrivals -----------------------------------------------------------------------------------


def test_instructor_launch_creates_the_class_and_lands_on_its_dashboard(app, lms, client):
    lms.add_link("link-plain")
    response = launch(client, lms, "teacher-1", "link-plain")
    assert response.status_code == 302
    with app.app_context():
        db = get_db()
        klass = next(db["classes"].rows_where("title = ?", ["Media Literacy 101"]))
        user = next(db["lti_users"].rows_where("sub = ?", ["teacher-1"]))
        instructor = db["instructors"].get(user["instructor_id"])
    assert response.headers["Location"] == f"/teacher/classes/{klass['id']}"
    assert klass["instructor_id"] == instructor["id"] and instructor["email"].endswith("@lti.invalid")
    assert user["name"] == "Ms Rivera" and user["email"] is None  # no email unless the teacher opts in
    dashboard = client.get(response.headers["Location"])
    assert dashboard.status_code == 200 and f'href="/lti/classes/{klass["id"]}"'.encode() in dashboard.data
    assert client.get(f"/lti/classes/{klass['id']}").status_code == 200
    # A second launch is the same teacher and class.
    assert launch(client, lms, "teacher-1", "link-plain").headers["Location"] == f"/teacher/classes/{klass['id']}"
    assert counts(app)["classes"] == 1 and counts(app)["instructors"] == 1


def test_logged_in_teacher_is_linked_on_first_launch(app, lms, client, instructor):
    lms.add_link("link-plain")
    response = launch(client, lms, "teacher-1", "link-plain")
    with app.app_context():
        user = next(get_db()["lti_users"].rows_where("sub = ?", ["teacher-1"]))
    assert user["instructor_id"] == instructor["id"] and response.status_code == 302


def test_learner_launch_joins_the_course_class_without_a_code(app, lms, client):
    link = lms.add_link("link-1", custom={"spotcheck_exercise": "demo-hedge"})
    response = launch(client, lms, "student-1", link)
    assert response.status_code == 302 and response.headers["Location"] == "/exercises/demo-hedge"
    assert client.get("/exercises/demo-hedge").status_code == 200
    with app.app_context():
        db = get_db()
        (student,) = db["students"].rows
        klass = db["classes"].get(student["class_id"])
    assert student["name"] == "Ada Lovelace" and klass["title"] == "Media Literacy 101"
    assert klass["instructor_id"] is None  # until the teacher launches
    other_browser = app.test_client()
    assert launch(other_browser, lms, "student-1", link).status_code == 302
    assert counts(app)["students"] == 1  # the same student on every device
    # The teacher's first launch takes the class over.
    teacher = app.test_client()
    assert launch(teacher, lms, "teacher-1", link).headers["Location"] == f"/teacher/classes/{klass['id']}"


def test_emails_are_kept_only_when_opted_in(app, runner, lms, client):
    result = runner.invoke(args=[*lms.register_args(), "--store-emails"])
    assert result.exit_code == 0
    lms.add_link("link-1")
    launch(client, lms, "student-1", "link-1")
    with app.app_context():
        assert next(get_db()["lti_users"].rows_where("sub = ?", ["student-1"]))["email"] == "student-1@lms.test"


# --- deep linking and grades --------------------------------------------------------------------


def test_deep_link_then_scores_reach_the_lms_gradebook(app, lms, client):
    link = deep_link(client, lms, "exercise:demo-hedge")
    (item,) = lms.added_items
    assert item["type"] == "ltiResourceLink" and item["custom"] == {"spotcheck_exercise": "demo-hedge"}
    assert item["lineItem"]["scoreMaximum"] == 3 and item["lineItem"]["label"] == "Hedges, in the news"
    assert item["url"] == "http://localhost/lti/launch?exercise=demo-hedge"

    student = app.test_client()
    assert launch(student, lms, "student-1", link).headers["Location"] == "/exercises/demo-hedge"
    assert submit(student, "demo-hedge", "sub-00000001", spans=[MAY_HAVE]).status_code == 200
    assert submit(student, "demo-hedge", "sub-00000002", spans=[MAY_HAVE, LIKELY, REPORTEDLY]).status_code == 200
    assert submit(student, "demo-hedge", "sub-00000002", spans=[MAY_HAVE]).status_code == 200  # a double click
    assert [score["scoreGiven"] for score in lms.scores] == [1.0, 3.0]
    last = lms.scores[-1]
    assert last["userId"] == "student-1" and last["scoreMaximum"] == 3
    assert last["activityProgress"] == "Completed" and last["gradingProgress"] == "FullyGraded"
    assert last["timestamp"].endswith("Z")
    assert lms.token_requests == 1  # the access token is cached until it expires
    # Best attempt counts: a worse one posts the best score again.
    submit(student, "demo-hedge", "sub-00000003", spans=[MAY_HAVE])
    assert lms.scores[-1]["scoreGiven"] == 3.0


def test_lesson_line_item_posts_the_weighted_lesson_score(app, lms, client, catalog):
    link = deep_link(client, lms, "lesson:demo")
    maximum = sum(exercise.max_points for exercise in catalog.lessons["demo"].exercises)
    assert lms.added_items[0]["lineItem"] == {"scoreMaximum": maximum, "label": "A demo lesson",
                                              "resourceId": "lesson:demo", "tag": "spotcheck"}
    student = app.test_client()
    assert launch(student, lms, "student-1", link).headers["Location"] == "/lessons/demo"
    submit(student, "demo-hedge", "sub-00000001", spans=[MAY_HAVE, LIKELY, REPORTEDLY])
    # Full marks on one exercise of three: its points of the lesson's, the lesson not yet complete.
    assert lms.scores[-1]["scoreGiven"] == 3.0 and lms.scores[-1]["scoreMaximum"] == maximum


def test_failed_posts_are_retried_with_backoff_and_can_be_resent(app, lms, client):
    link = deep_link(client, lms, "exercise:demo-hedge")
    student = app.test_client()
    launch(student, lms, "student-1", link)
    lms.fail_scores = 1
    assert submit(student, "demo-hedge", "sub-00000001", spans=[MAY_HAVE]).status_code == 200  # attempt kept
    assert lms.scores == []
    with app.app_context():
        db = get_db()
        klass_id = db["classes"].rows.__next__()["id"]
        (row,) = store.unsent_scores(db, klass_id)
        assert row["tries"] == 1 and "503" in row["last_error"] and row["next_try_at"] > time.time() + 20
        assert db["attempts"].count == 1
        from webapp.web import lti

        with app.test_request_context():
            assert lti.deliver_due(db) == (0, 0)  # not due yet: backoff
            assert lti.backoff(0) == 30 and lti.backoff(3) == 240 and lti.backoff(lti.MAX_TRIES - 1) is None
    page = client.get(f"/lti/classes/{klass_id}")
    assert b"Scores not yet in the LMS" in page.data and b"Ada Lovelace" in page.data and b"503" in page.data
    resent = client.post(f"/lti/classes/{klass_id}/resend", follow_redirects=True)
    assert b"Sent 1 score(s) to the LMS." in resent.data and b"Every score has reached the LMS." in resent.data
    assert [score["scoreGiven"] for score in lms.scores] == [1.0]


def test_scores_of_students_without_a_line_item_or_lms_are_left_alone(app, lms, client, klass):
    from classroom_support import join_class

    join_class(client, klass["code"], "Local Student")
    assert submit(client, "demo-hedge", "sub-00000001", spans=[MAY_HAVE]).status_code == 200
    lms.add_link("link-1")  # no line item
    student = app.test_client()
    launch(student, lms, "student-1", "link-1")
    assert submit(student, "demo-hedge", "sub-00000002", spans=[MAY_HAVE]).status_code == 200
    assert lms.scores == [] and counts(app)["lti_scores"] == 0


# --- names and roles ----------------------------------------------------------------------------


def test_roster_sync_lists_students_before_they_launch(app, lms, client):
    lms.add_link("link-1")
    lms.users["student-3"] = {"name": "Left Course", "roles": [LEARNER], "status": "Inactive"}
    launch(client, lms, "teacher-1", "link-1")
    with app.app_context():
        klass_id = next(get_db()["classes"].rows)["id"]
    synced = client.post(f"/lti/classes/{klass_id}/roster-sync", follow_redirects=True)
    assert b"2 student(s) added, 0 renamed" in synced.data
    with app.app_context():
        names = sorted(row["name"] for row in get_db()["students"].rows)
    assert names == ["Ada Lovelace", "Grace Hopper"]
    lms.users["student-2"]["name"] = "Grace B. Hopper"
    assert b"0 student(s) added, 1 renamed" in client.post(f"/lti/classes/{klass_id}/roster-sync",
                                                           follow_redirects=True).data
    student = app.test_client()
    launch(student, lms, "student-2", "link-1")
    assert counts(app)["students"] == 2  # the launch found the synced student


# --- bad launches -------------------------------------------------------------------------------


def resign(lms: TestLMS, claims: dict, key: str | None = None, headers: dict | None = None, alg="RS256") -> str:
    kid = lms.registration.get_kid()
    return jwt.encode(claims, key or lms.private_key, algorithm=alg, headers=headers or {"kid": kid})


def fresh_launch_claims(client, lms, user="student-1", link="link-1") -> tuple[dict, dict]:
    fields = login_and_authorize(client, lms, user, link)
    return fields, jwt.decode(fields["id_token"], options={"verify_signature": False})


def tamper(name):
    def set_claim(claims, key, value):
        claims = dict(claims)
        if value is None:
            claims.pop(key, None)
        else:
            claims[key] = value
        return claims

    return {
        "expired": lambda cl: set_claim(set_claim(cl, "exp", int(time.time()) - 600), "iat", int(time.time()) - 900),
        "issued in the future": lambda cl: set_claim(cl, "iat", int(time.time()) + 3600),
        "wrong audience": lambda cl: set_claim(cl, "aud", "another-tool"),
        "several audiences without azp": lambda cl: set_claim(set_claim(cl, "aud", [CLIENT_ID, "x"]), "azp", None),
        "unknown issuer": lambda cl: set_claim(cl, "iss", "https://evil.test"),
        "unknown deployment": lambda cl: set_claim(cl, c.DEPLOYMENT_ID, "deployment-9"),
        "missing deployment": lambda cl: set_claim(cl, c.DEPLOYMENT_ID, None),
        "wrong nonce": lambda cl: set_claim(cl, "nonce", "not-the-nonce"),
        "missing sub": lambda cl: set_claim(cl, "sub", None),
        "missing roles": lambda cl: set_claim(cl, c.ROLES, None),
        "no role we serve": lambda cl: set_claim(cl, c.ROLES, ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"]),
        "missing context": lambda cl: set_claim(cl, c.CONTEXT, None),
        "missing resource link": lambda cl: set_claim(cl, c.RESOURCE_LINK, None),
        "wrong message type": lambda cl: set_claim(cl, c.MESSAGE_TYPE, "LtiSubmissionReviewRequest"),
        "wrong version": lambda cl: set_claim(cl, c.VERSION, "1.1"),
        "missing exp": lambda cl: set_claim(cl, "exp", None),
    }[name]


BAD_CLAIMS = [
    ("expired", 401), ("issued in the future", 401), ("wrong audience", 401), ("several audiences without azp", 401),
    ("unknown issuer", 403), ("unknown deployment", 403), ("missing deployment", 400), ("wrong nonce", 401),
    ("missing sub", 400), ("missing roles", 400), ("no role we serve", 403), ("missing context", 400),
    ("missing resource link", 400), ("wrong message type", 400), ("wrong version", 400), ("missing exp", 400),
]


def test_bad_launch_claims_are_refused_and_nothing_is_stored(app, lms, client):
    """Each case in one test (an app per case would cost a second each): a fresh login, a tampered token."""
    lms.add_link("link-1")
    before = counts(app)
    for case, status in BAD_CLAIMS:
        fields, claims = fresh_launch_claims(client, lms)
        token = resign(lms, tamper(case)(claims))
        response = client.post("/lti/launch", data={"state": fields["state"], "id_token": token})
        assert response.status_code == status, (case, response.data)
        assert b"Spotcheck could not open this activity" in response.data and b"Nothing was saved" in response.data
        assert counts(app) == before, case
    # The untampered token of the last login still launches: the refusals consumed nothing.
    assert client.post("/lti/launch", data={"state": fields["state"], "id_token": fields["id_token"]}
                       ).status_code == 302


def test_other_bad_launches_are_refused(app, lms, client):
    lms.add_link("link-1")
    before = counts(app)

    def refused(data, status, text: bytes):
        response = client.post("/lti/launch", data=data)
        assert response.status_code == status and text in response.data, response.data

    fields, claims = fresh_launch_claims(client, lms)
    state = fields["state"]
    refused({"state": state, "id_token": resign(lms, claims, key=private_key_pem())}, 401, b"signature")
    refused({"state": state, "id_token": resign(lms, claims, headers={"kid": "unknown-kid"})}, 401, b"kid")
    hs256 = jwt.encode(claims, "a-shared-secret-of-thirty-two-bytes!", algorithm="HS256")
    refused({"state": state, "id_token": hs256}, 401, b"RS256")
    refused({"state": state, "id_token": "not.a.jwt"}, 400, b"cannot be read")
    refused({"state": state, "id_token": "garbage"}, 400, b"not a JWT")
    refused({"state": state}, 400, b"lacks its state or id_token")
    refused({"state": "made-up-state", "id_token": fields["id_token"]}, 400, b"expired or was already used")
    refused({"error": "login_required", "error_description": "No session"}, 400, b"No session")
    # Without this browser's state cookie (another browser posting a captured launch).
    stranger = app.test_client()
    response = stranger.post("/lti/launch", data={"state": state, "id_token": fields["id_token"]})
    assert response.status_code == 400 and b"state cookie" in response.data
    assert counts(app) == before
    # The genuine launch still works once; replaying it is refused (state and nonce used once).
    assert client.post("/lti/launch", data={"state": state, "id_token": fields["id_token"]}).status_code == 302
    after = counts(app)
    refused({"state": state, "id_token": fields["id_token"]}, 400, b"already used")
    # The same id_token with a fresh login's state: the nonce does not match that login.
    fresh, _ = fresh_launch_claims(client, lms)
    refused({"state": fresh["state"], "id_token": fields["id_token"]}, 401, b"nonce")
    assert counts(app) == after
    assert client.get("/lti/launch").status_code == 405


def test_bad_logins_are_refused(app, lms, client):
    assert client.get("/lti/login").status_code == 400
    base = {"iss": ISSUER, "login_hint": "student-1", "target_link_uri": "http://localhost/lti/launch"}
    assert client.get("/lti/login", query_string={**base, "iss": "https://evil.test"}).status_code == 403
    assert client.get("/lti/login", query_string={**base, "client_id": "other"}).status_code == 403
    assert client.get("/lti/login", query_string={**base, "lti_deployment_id": "nope"}).status_code == 403
    assert client.get("/lti/login", query_string={**base, "target_link_uri": "https://evil.test/x"}).status_code == 400
    assert client.post("/lti/login", data=base).status_code == 302  # a POSTed login initiation works too


def test_platform_key_rotation_is_followed(app, lms, client):
    lms.add_link("link-1")
    assert launch(client, lms, "student-1", "link-1").status_code == 302
    new_key = private_key_pem()
    from lti_platform import public_pem

    lms.registration.set_platform_private_key(new_key).set_platform_public_key(public_pem(new_key))
    assert launch(app.test_client(), lms, "student-1", "link-1").status_code == 302  # refetched on the new kid


def test_deep_link_pages_need_a_deep_linking_launch(app, lms, client, instructor):
    assert client.get("/lti/deep-link").status_code == 403
    assert client.post("/lti/deep-link", data={"item": "exercise:demo-hedge"}).status_code == 403
    student = app.test_client()
    lms.add_link("link-1")
    fields, claims = fresh_launch_claims(student, lms, "student-1", "deeplink")
    response = student.post("/lti/launch", data={"state": fields["state"], "id_token": fields["id_token"]})
    assert response.status_code == 403 and b"Only instructors" in response.data
    teacher = app.test_client()
    launch(teacher, lms, "teacher-1", "deeplink")
    assert teacher.post("/lti/deep-link", data={"item": "exercise:nope"}).status_code == 400


def test_lms_pages_of_a_class_are_its_teachers_only(app, lms, client, klass):
    assert client.get(f"/lti/classes/{klass['id']}").status_code == 200
    assert client.get("/lti/classes/999").status_code == 404
    assert app.test_client().get(f"/lti/classes/{klass['id']}").status_code == 401
    no_nrps = client.post(f"/lti/classes/{klass['id']}/roster-sync", follow_redirects=True)
    assert b"has not offered its class list" in no_nrps.data


def test_iframe_mode_sends_cross_site_cookies_and_lets_the_platforms_frame_pages(tmp_path, demo_content):
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "iframe.sqlite"), "SECRET_KEY": "x",
                      "LTI_IFRAME": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    assert app.config["SESSION_COOKIE_SAMESITE"] == "None" and app.config["SESSION_COOKIE_SECURE"] is True
    lms = TestLMS(tool_url="https://localhost")
    assert app.test_cli_runner().invoke(args=lms.register_args()).exit_code == 0
    client = app.test_client()
    login = client.get("/lti/login", base_url="https://localhost", query_string={
        "iss": ISSUER, "login_hint": "student-1", "target_link_uri": "https://localhost/lti/launch"})
    assert login.status_code == 302
    cookie = next(value for value in login.headers.getlist("Set-Cookie") if value.startswith("lti1p3-state-"))
    assert "SameSite=None" in cookie and "Secure" in cookie
    page = client.get("/", base_url="https://localhost")
    policy = page.headers["Content-Security-Policy"]
    assert "frame-ancestors http://lms.test https://lms.test" in policy and "X-Frame-Options" not in page.headers
    # Without iframe mode, nothing may frame Spotcheck.
    assert "frame-ancestors 'none'" in app_without_iframe(tmp_path).test_client().get("/").headers[
        "Content-Security-Policy"]


def app_without_iframe(tmp_path):
    from webapp import create_app

    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "plain.sqlite"), "SECRET_KEY": "x"})


def test_lti_send_retries_what_is_due(app, runner, lms, client):
    link = deep_link(client, lms, "exercise:demo-hedge")
    student = app.test_client()
    launch(student, lms, "student-1", link)
    lms.fail_scores = 1
    submit(student, "demo-hedge", "sub-00000001", spans=[MAY_HAVE])
    with app.app_context():
        get_db().execute("update lti_scores set next_try_at = 0")
    result = runner.invoke(args=["lti-send"])
    assert "1 score(s) sent, 0 failed" in result.output and len(lms.scores) == 1


def test_teacher_launch_creates_the_line_item_of_a_link_added_by_hand(app, lms, client):
    link = lms.add_link("link-by-hand", custom={"spotcheck_exercise": "demo-hedge"})
    assert launch(client, lms, "teacher-1", link).status_code == 302
    (item,) = lms.lineitems.values()
    assert item["resourceLinkId"] == link and item["scoreMaximum"] == 3 and item["resourceId"] == "exercise:demo-hedge"
    launch(client, lms, "teacher-1", link)
    assert len(lms.lineitems) == 1  # once
    student = app.test_client()
    launch(student, lms, "student-1", link)
    submit(student, "demo-hedge", "sub-00000001", spans=[MAY_HAVE, LIKELY, REPORTEDLY])
    assert lms.scores[-1]["lineitem"] == "1" and lms.scores[-1]["scoreGiven"] == 3.0


def test_a_deleted_class_is_made_anew_and_its_reused_id_is_not_taken_for_it(app, lms, client):
    link = deep_link(client, lms, "exercise:demo-hedge")
    with app.app_context():
        old = next(get_db()["classes"].rows)
    assert client.post(f"/teacher/classes/{old['id']}/delete").status_code == 302
    with app.app_context():
        from webapp.web import classroom

        hand_made = classroom.create_class(get_db(), old["instructor_id"], "Made by hand")
    assert hand_made["id"] != old["id"]  # ids are never reused (AUTOINCREMENT)
    student = app.test_client()
    assert launch(student, lms, "student-1", link).status_code == 302
    submit(student, "demo-hedge", "sub-00000001", spans=[MAY_HAVE])
    with app.app_context():
        db = get_db()
        (student_row,) = db["students"].rows
        klass = db["classes"].get(student_row["class_id"])
    assert klass["id"] != hand_made["id"] and klass["title"] == "Media Literacy 101"
    assert lms.scores[-1]["scoreGiven"] == 1.0  # the line item followed the course to its new class
