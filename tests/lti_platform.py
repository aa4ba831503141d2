"""A small test LMS (an LTI 1.3 platform) built on the third-party package `lti1p3platform`.

It runs in the test process as a Flask app (`TestLMS.app`); tests reach it through Flask's test
client and hand the tool a router (`TestLMS.tool_http`) so the tool's HTTP calls (JWKS, token,
AGS, NRPS) arrive here; the browser test serves it on loopback instead. What it does, each with
lti1p3platform's classes: OIDC login initiation (`/start/<user>/<link>` redirects to the tool's
/lti/login), the OIDC auth endpoint that validates the tool's redirect and POSTs the signed
id_token back (`/auth`), the platform JWKS, the token endpoint (client credentials with the
tool's signed JWT assertion, verified against the tool's JWKS), the deep-linking return that
creates line items, AGS line items and scores, and NRPS memberships.
"""

from __future__ import annotations

import json
import typing as t
from functools import cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify, redirect, request
from lti1p3platform.exceptions import LineItemNotFoundException, LtiException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService, NamesRoleProvisioningService

from webapp.lti.services import HttpResponse

ISSUER = "https://lms.test"
CLIENT_ID = "spotcheck-client"
DEPLOYMENT_ID = "deployment-1"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
COURSE = {"id": "course-101", "title": "Media Literacy 101", "label": "ML101"}


@cache
def platform_key_pem() -> str:
    """The test LMS's key: one per test run (generating RSA keys is slow)."""
    return private_key_pem()


@cache
def _loaded(pem: str):
    return serialization.load_pem_private_key(pem.encode(), password=None)


class FastRegistration(Registration):
    """lti1p3platform's Registration, parsing its PEM key once instead of at every signature."""

    def get_kid(self):
        return Registration.get_jwk(self.get_platform_public_key())["kid"] if self._platform_public_key else None

    @staticmethod
    def encode_and_sign(payload, private_key, headers=None, expiration=None):
        return Registration.encode_and_sign(payload, _loaded(private_key) if isinstance(private_key, str)
                                            else private_key, headers, expiration)

    def platform_encode_and_sign(self, payload, expiration=None):
        return self.encode_and_sign(payload, self.get_platform_private_key(), {"kid": self.get_kid()}, expiration)


def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@cache
def public_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class FlaskRequest(Request):
    def build_metadata(self, req):
        return {"method": req.method, "form_data": req.form.to_dict(), "get_data": req.args.to_dict(),
                "headers": dict(req.headers), "content_type": req.content_type, "path": req.path,
                "json": req.get_json(silent=True)}


class PlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, lms: TestLMS) -> None:
        self.lms = lms

    def get_registration_by_params(self, **kwargs):
        return self.lms.registration

    def fetch_public_key(self, key_set_url: str):
        """The tool's JWKS, through the tool router (no real network), fetched afresh each time."""
        return self.lms.fetch_tool(key_set_url).json()


class OIDCLogin(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = json.dumps(kwargs)

    def get_redirect(self, url):
        return redirect(url)


class MessageLaunch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        return (f'<!doctype html><title>LMS launch</title><form id="launch" method="post" '
                f'action="{launch_data["launch_url"]}"><input type="hidden" name="id_token" '
                f'value="{launch_data["id_token"]}"><input type="hidden" name="state" value="{launch_data["state"]}">'
                '<button type="submit">Launch</button></form>'
                '<script>document.getElementById("launch").submit()</script>')


class Grades(AssignmentsGradesService):
    def __init__(self, req, conf, lms: TestLMS, line_item_id: str | None = None):
        super().__init__(req, conf, lms.url("/lineitems"),
                         lms.url(f"/lineitems/{line_item_id}") if line_item_id else None)
        self.lms = lms

    def find_lineitems(self, page=1, limit=None, **kwargs):
        return {"content": list(self.lms.lineitems.values()), "has_next": False}

    def find_lineitem(self, line_item_id):
        if line_item_id not in self.lms.lineitems:
            raise LineItemNotFoundException
        return self.lms.lineitems[line_item_id]

    def create_lineitem(self, lineitem):
        return self.lms.add_lineitem(dict(lineitem))

    def update_lineitem(self, lineitem):
        self.lms.lineitems[lineitem["id"]].update(lineitem)
        return self.lms.lineitems[lineitem["id"]]

    def delete_lineitem(self, line_item_id):
        self.lms.lineitems.pop(line_item_id)

    def update_score(self, line_item_id, score):
        if line_item_id not in self.lms.lineitems:
            raise LineItemNotFoundException
        self.lms.scores.append({"lineitem": line_item_id, **score})
        return UpdateScoreStatus.SUCCESS

    def get_results(self, line_item_id, page=1, limit=None, user_id=None):
        return {"content": [], "has_next": False}


class Roster(NamesRoleProvisioningService):
    def __init__(self, req, conf, lms: TestLMS):
        super().__init__(req, conf, lms.url("/memberships"))
        self.lms = lms

    def get_member_data_page(self, page=1, limit=None, role=None, since=None, **kwargs):
        members = [{"user_id": sub, "name": user["name"], "roles": user["roles"],
                    "status": user.get("status", "Active")} for sub, user in self.lms.users.items()]
        return {"content": members, "has_next": False}

    def get_context_by_id(self):
        return Context(id=COURSE["id"], label=COURSE["label"], title=COURSE["title"])


class TestLMS:
    """The platform. `users` are who can launch; `links` the course's Spotcheck activities."""

    __test__ = False  # not a test class, despite its name

    def __init__(self, base_url: str = "http://lms.test", tool_url: str = "http://localhost"):
        self.base, self.tool_url = base_url.rstrip("/"), tool_url.rstrip("/")
        self.private_key = platform_key_pem()
        self.registration = (
            FastRegistration().set_iss(ISSUER).set_client_id(CLIENT_ID).set_deployment_id(DEPLOYMENT_ID)
            .set_oidc_login_url(self.tool_url + "/lti/login").set_launch_url(self.tool_url + "/lti/launch")
            .set_deeplink_launch_url(self.tool_url + "/lti/launch")
            .set_tool_key_set_url(self.tool_url + "/lti/jwks.json")
            .set_platform_public_key(public_pem(self.private_key)).set_platform_private_key(self.private_key))
        self.users: dict[str, dict] = {
            "teacher-1": {"name": "Ms Rivera", "roles": [INSTRUCTOR]},
            "student-1": {"name": "Ada Lovelace", "roles": [LEARNER]},
            "student-2": {"name": "Grace Hopper", "roles": [LEARNER]},
        }
        self.links: dict[str, dict] = {}  # resource link id -> {"custom": {...}, "lineitem": id or None}
        self.lineitems: dict[str, dict] = {}
        self.scores: list[dict] = []
        self.fail_scores = 0  # answer 503 to this many score posts
        self.token_requests = 0
        self.added_items: list[dict] = []
        self.fetch_tool: t.Callable[[str], HttpResponse] = lambda url: (_ for _ in ()).throw(RuntimeError(url))
        self.app = self._make_app()
        self.client = self.app.test_client()

    def url(self, path: str) -> str:
        return self.base + path

    def conf(self) -> PlatformConf:
        conf = PlatformConf(lms=self)
        conf.get_registration()
        self.registration.set_tool_key_set(None)  # refetch the tool's JWKS each time (sees its rotation)
        return conf

    def register_args(self) -> list[str]:
        """`flask lti-register` arguments for this platform."""
        return ["lti-register", "--issuer", ISSUER, "--client-id", CLIENT_ID, "--deployment-id", DEPLOYMENT_ID,
                "--auth-login-url", self.url("/auth"), "--auth-token-url", self.url("/token"),
                "--keyset-url", self.url("/jwks")]

    def add_lineitem(self, lineitem: dict) -> dict:
        item_id = str(len(self.lineitems) + 1)
        lineitem["id"] = self.url(f"/lineitems/{item_id}")
        self.lineitems[item_id] = lineitem
        return lineitem

    def add_link(self, link_id: str, custom: dict | None = None, lineitem: dict | None = None) -> str:
        item = self.add_lineitem({**lineitem, "resourceLinkId": link_id}) if lineitem else None
        self.links[link_id] = {"custom": custom or {}, "lineitem": item["id"].rsplit("/", 1)[-1] if item else None}
        return link_id

    def start_url(self, user: str, link: str = "deeplink") -> str:
        return self.url(f"/start/{user}/{link}")

    # --- the tool's side of HTTP, for tests ---

    def tool_http(self, method: str, url: str, headers: dict, body: bytes | None) -> HttpResponse:
        """The tool's calls to this LMS, through its test client."""
        parts = urlsplit(url)
        assert url.startswith(self.base), f"the tool called {url}, not the test LMS"
        response = self.client.open(parts.path, method=method, headers=headers, data=body,
                                    query_string=parts.query)
        return HttpResponse(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.data)

    def _make_app(self) -> Flask:
        app = Flask("test_lms")
        lms = self

        @app.get("/jwks")
        def jwks():
            return jsonify(lms.conf().get_jwks())

        @app.get("/start/<user>/<link>")
        def start(user, link):
            login = OIDCLogin(FlaskRequest(request), lms.conf())
            login.set_lti_message_hint(user=user, link=link)
            return login.initiate_login(user)

        @app.get("/")
        def course_page():
            items = "".join(f'<li><a href="{lms.start_url(user, link)}" id="open-{user}-{link}">{user}: {link}</a></li>'
                            for user in lms.users for link in [*lms.links, "deeplink"])
            return f"<!doctype html><title>Test LMS</title><h1>{COURSE['title']}</h1><ul>{items}</ul>"

        @app.get("/auth")
        def auth():
            conf = lms.conf()
            hint = json.loads(request.args.get("lti_message_hint", "{}"))
            user_id = request.args.get("login_hint", "")
            user = lms.users.get(user_id)
            if user is None:
                return "unknown user", 400
            launch = MessageLaunch(FlaskRequest(request), conf)
            launch.set_user_data(user_id, user["roles"], full_name=user["name"], email_address=f"{user_id}@lms.test")
            launch.set_launch_context_claim(COURSE["id"], context_title=COURSE["title"], context_label=COURSE["label"])
            launch.set_nrps(lms.url("/memberships"))
            if hint.get("link") == "deeplink":
                launch.set_dl(lms.url("/deep_link_return"), title="Add Spotcheck", extra_data={"opaque": "42"})
                launch.set_ags(lms.url("/lineitems"))
            else:
                link = lms.links[hint["link"]]
                launch.set_resource_link_claim(hint["link"], title="Spotcheck activity")
                if link["custom"]:
                    launch.set_custom_parameters_claim(link["custom"])
                line = link["lineitem"]
                launch.set_ags(lms.url("/lineitems"), lms.url(f"/lineitems/{line}") if line else None)
            try:
                return launch.lti_launch()
            except Exception as exc:  # a bad redirect from the tool
                return f"refused: {exc!r}", 400

        @app.post("/token")
        def token():
            lms.token_requests += 1
            try:
                return jsonify(lms.conf().get_access_token(request.form.to_dict()))
            except (LtiException, Exception) as exc:
                return jsonify(error="invalid_client", error_description=repr(exc)), 401

        @app.post("/deep_link_return")
        def deep_link_return():
            items = lms.conf().validate_deeplinking_resp(request.form.to_dict())
            for item in items:
                link_id = f"link-{len(lms.links) + 1}"
                lms.add_link(link_id, item.get("custom"), item.get("lineItem"))
                lms.added_items.append(item)
            return f"<!doctype html><title>Added</title><p id='added'>Added {len(items)} item(s)</p>"

        def reply(response):
            body = response.result if response.result is not None else {"message": response.message}
            return app.response_class(json.dumps(body), status=response.code, mimetype=response.media_type)

        @app.route("/lineitems", methods=["GET", "POST"])
        def lineitems():
            service = Grades(FlaskRequest(request), lms.conf(), lms)
            handler = service.handle_get_lineitems if request.method == "GET" else service.handle_create_lineitem
            return reply(service.handle_resp(handler))

        @app.post("/lineitems/<item_id>/scores")
        def scores(item_id):
            if lms.fail_scores:
                lms.fail_scores -= 1
                return jsonify(error="unavailable"), 503
            service = Grades(FlaskRequest(request), lms.conf(), lms, item_id)
            return reply(service.handle_resp(service.handle_update_score, line_item_id=item_id))

        @app.get("/memberships")
        def memberships():
            service = Roster(FlaskRequest(request), lms.conf(), lms)
            return reply(service.handle_resp(service.handle_get_members))

        return app
