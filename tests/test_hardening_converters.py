"""Issue #13: an id out of SQLite's range is a 404, never an OverflowError (500)."""

import pytest
from flask import Flask, url_for
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.web import converters
from webapp.web.converters import MAX_SQLITE_INTEGER


def make_app():
    app = Flask(__name__)
    converters.init_app(app)

    @app.get("/attempts/<id:attempt_id>")
    def attempt(attempt_id):
        assert isinstance(attempt_id, int)
        return str(attempt_id)

    @app.get("/classes/<id:class_id>/students/<id:student_id>")
    def student(class_id, student_id):
        return f"{class_id}/{student_id}"

    return app


@pytest.fixture
def app():
    return make_app()


APP = make_app()


@pytest.mark.parametrize("value", ["1", "42", "9223372036854775807"])
def test_ids_in_range_reach_the_view(app, value):
    response = app.test_client().get(f"/attempts/{value}")
    assert response.status_code == 200 and response.get_data(as_text=True) == value


@pytest.mark.parametrize("value", [
    "9223372036854775808", "99999999999999999999", "9" * 400,
    "0", "-1", "+1", "01", "007", "1.5", "1e3", "0x10", "１", "٣", " 1", "1 ", "",
])
def test_anything_else_is_a_404(app, value):
    assert app.test_client().get(f"/attempts/{value}").status_code == 404


def test_two_ids_in_one_path(app):
    client = app.test_client()
    assert client.get("/classes/3/students/4").get_data(as_text=True) == "3/4"
    assert client.get("/classes/3/students/99999999999999999999").status_code == 404


def test_url_for_builds_ids_and_refuses_what_is_not_one(app):
    with app.test_request_context():
        assert url_for("attempt", attempt_id=12) == "/attempts/12"
        with pytest.raises(ValueError):
            url_for("attempt", attempt_id=0)
        with pytest.raises(ValueError):
            url_for("attempt", attempt_id=MAX_SQLITE_INTEGER + 1)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(2**70), max_value=2**70))
def test_any_integer_is_the_id_or_a_404(number):
    response = APP.test_client().get(f"/attempts/{number}")
    if 0 < number <= MAX_SQLITE_INTEGER:
        assert response.status_code == 200 and int(response.get_data(as_text=True)) == number
    else:
        assert response.status_code == 404
