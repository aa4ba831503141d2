"""The OpenAPI description of /api (webapp/web/openapi.py): complete, served, and true of the app.

Schemathesis generates requests from the description, valid and invalid, sends them to the app
in-process, and checks each response: no server error, a documented status, a documented
content type and a body that matches its schema; invalid requests are refused with a 4xx. It
runs as an anonymous practice browser and as a class student (who answers through
POST /api/submissions), then as a state machine that follows the description's links.
CSRF and rate limits are off here: tests/test_csrf.py and tests/test_ratelimit.py cover them.
Examples are derandomized: a run is reproducible, and a failure names the request (as curl).
At the end, the bugs the fuzzing found, each with its regression test.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from classroom_support import create_class, create_instructor
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from webapp.web.openapi import DESCRIPTION

HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, unsupported_method, allow_header_conformance]
# A bounded number of examples per operation keeps the whole file to seconds.
EXAMPLES = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_api_route_is_described_and_every_description_is_a_route(app):
    routes = {(openapi_path(rule.rule), method.lower()) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") for method in rule.methods & HTTP_METHODS}
    described = {(path, method) for path, operations in DESCRIPTION["paths"].items() for method in operations}
    assert routes - described == set(), "routes missing from webapp/web/openapi.py"
    assert described - routes == set(), "described operations the app does not have"


def test_the_description_is_served_valid_and_declares_every_path_parameter(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    served = response.get_json()
    assert served == DESCRIPTION and served["openapi"].startswith("3.1")
    schemathesis.openapi.from_dict(served).validate()  # against the OpenAPI 3.1 meta-schema
    for path, operations in served["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for operation in operations.values():
            assert {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"} == names, path
            assert "200" in operation["responses"] or "204" in operation["responses"]
            for status, response_ in operation["responses"].items():
                if status >= "400":
                    assert response_["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"}


def join_a_class(app, client):
    """`client` joined to a class that has every built-in exercise, limited to 3 attempts."""
    teacher = create_instructor(app, "openapi-teacher@example.org")
    klass = create_class(app, teacher["id"], attempts_allowed=3)
    assert client.post("/api/join", json={"code": klass["code"], "name": "Fuzz"}).status_code == 200
    return client


@pytest.fixture
def student(app, client):
    return join_a_class(app, client)


# The description as data (the test above checks that the app serves exactly this); each test
# sends the cases to its own app, with `app=` and the test client as the session.
schema = schemathesis.openapi.from_dict(DESCRIPTION)
schema.config.generation.update(max_examples=EXAMPLES.max_examples)


@schema.parametrize()
@EXAMPLES
def test_api_as_a_practice_browser(case, app, client):
    case.call_and_validate(session=client, app=app, checks=CHECKS)


@schema.parametrize()
@EXAMPLES
def test_api_as_a_class_student(case, app, student):
    case.call_and_validate(session=student, app=app, checks=CHECKS)


@pytest.mark.parametrize("who", ["practice browser", "class student"])
def test_api_workflows_along_the_descriptions_links(app, client, who):
    """Stateful: lessons -> an exercise -> grade, finish, save and load its draft, in sequences."""
    session = client
    if who == "class student":
        session = join_a_class(app, client)

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"app": app, "session": session}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None, recorder=self.recorder)

    Workflow.run(settings=settings(max_examples=8, stateful_step_count=6, deadline=None, derandomize=True,
                                   suppress_health_check=list(HealthCheck)))

# --- what the fuzzing found -----------------------------------------------------------------------


def test_a_submission_id_reused_for_another_exercise_is_a_conflict_not_a_server_error(app, student):
    first = student.post("/api/submissions", json={"exercise_id": "cz-pardon-quiz", "submission_id": "same-id-1",
                                                   "answers": {}})
    assert first.status_code == 200
    for exercise_id in ("cz-pardon-hedge", "cz-pardon-unsourced"):
        again = student.post("/api/submissions", json={"exercise_id": exercise_id, "submission_id": "same-id-1",
                                                       "spans": []})
        assert again.status_code == 409 and "another exercise" in again.get_json()["error"]
    repeat = student.post("/api/submissions", json={"exercise_id": "cz-pardon-quiz", "submission_id": "same-id-1",
                                                    "answers": {}})
    assert repeat.status_code == 200 and repeat.get_json()["attempt"] == first.get_json()["attempt"]


@pytest.mark.parametrize(("exercise_id", "body"), [
    ("cz-pardon-hedge", {"spans": [], "answers": {"x": [{}]}}),
    ("cz-pardon-quiz", {"answers": {}, "spans": [["not", "a span"]]}),
])
def test_a_body_with_another_kinds_answer_is_refused_not_half_read(client, student, exercise_id, body):
    assert client.post(f"/api/exercises/{exercise_id}/grade", json=body).status_code == 403  # a student
    anonymous = client.application.test_client()
    for response in (anonymous.post(f"/api/exercises/{exercise_id}/grade", json=body),
                     anonymous.put(f"/api/drafts/{exercise_id}", json=body),
                     student.post("/api/submissions", json={"exercise_id": exercise_id, "submission_id": "abcdefgh",
                                                            **body})):
        assert response.status_code == 400, response.get_json()
        assert "another kind of exercise" in response.get_json()["error"]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("put", "/api/lessons", {"GET", "HEAD", "OPTIONS"}),
    ("delete", "/api/drafts/cz-pardon-hedge", {"GET", "HEAD", "OPTIONS", "PUT"}),
    ("post", "/my-work", {"GET", "HEAD", "OPTIONS"}),  # an HTML page: the same rule
])
def test_a_405_says_which_methods_are_allowed(client, method, path, allowed):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert {name.strip() for name in response.headers["Allow"].split(",")} == allowed
    assert response.is_json == path.startswith("/api/")
