"""Hypothesis posts random form data to every state-changing HTML route, as an instructor and as
a student: a clear message or a redirect, never a 500."""

from __future__ import annotations

import pytest
from classroom_support import join_class
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

FIELD_NAMES = ["title", "text", "email", "password", "confirm", "code", "name", "roster_entry", "units", "spans",
               "submission_id", "check", "save", "open", "counting", "attempts_allowed", "solutions",
               "exercises", "article", "teacher_notes", "items-0-text", "items-0-occurrence", "items-0-kind",
               "items-0-status", "items-0-explanation", "add", "add-sentence", "add-words", "add-near", "q_source",
               "q_hedges", "confirm_delete"]
values = st.one_of(st.text(max_size=60), st.integers(-5, 10**6).map(str), st.sampled_from(
    ["", "[]", "[[0, 5]]", "[[5, 0]]", "best", "last", "y", "hedge", "required", "reject", "0", "-1", "\x00"]))
forms = st.dictionaries(st.sampled_from(FIELD_NAMES), st.one_of(values, st.lists(values, max_size=3)), max_size=8)

ROUTES = [
    # The `klass` fixture serves the demo lesson of tests/classroom_support.py.
    "/exercises/demo-hedge/check", "/exercises/demo-quiz/check", "/exercises/demo-unsourced/form?part=1",
    "/exercises/demo-hedge/form?part=1", "/join", "/resume", "/leave", "/auth/login", "/auth/signup",
    "/teacher/classes", "/teacher/classes/{class_id}/settings", "/teacher/classes/{class_id}/roster",
    "/teacher/classes/{class_id}/students/{student_id}/delete", "/teacher/case-studies/new",
    "/teacher/case-studies/save",
]


@pytest.fixture
def people(app, client, instructor, klass):
    student = app.test_client()
    student_id = join_class(student, klass["code"], "Ada")["student"]["id"]
    return {"instructor": client, "student": student, "class_id": klass["id"], "student_id": student_id}


@pytest.mark.parametrize("route", ROUTES)
@FUZZ
@given(form=forms)
def test_random_forms_never_cause_a_server_error(people, route, form):
    path = route.format(class_id=people["class_id"], student_id=people["student_id"])
    for who in ("instructor", "student"):
        response = people[who].post(path, data=form)
        assert response.status_code < 500, (who, path, form, response.get_data(as_text=True)[:300])
