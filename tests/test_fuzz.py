"""Hypothesis drives the JSON API and the content loader with hostile input:
never a 500, always a clear error."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.domain.content import ArticleStore, ContentError, parse_lesson, parse_quiz_file

ROOT = Path(__file__).resolve().parent.parent
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
    max_leaves=30,
)
span_lists = st.lists(st.lists(st.integers(-50, 20000), min_size=0, max_size=3), max_size=40)

OPTION_LISTS = st.lists(st.one_of(st.integers(-3, 9), st.sampled_from(["a", "b", "c", "zz"])), max_size=4)


def assert_clean(response, allowed=(200, 400, 403, 404, 413)):
    assert response.status_code in allowed, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        assert response.is_json and response.get_json()["error"]


@FUZZ
@given(body=st.one_of(json_values, st.fixed_dictionaries({"spans": span_lists}), st.fixed_dictionaries(
    {"answers": st.dictionaries(st.text(max_size=12), OPTION_LISTS)})))
def test_grade_endpoints_never_fail_on_random_json(client, body):
    for exercise_id in ("cz-pardon-hedge", "cz-pardon-unsourced", "cz-pardon-quiz"):
        assert_clean(client.post(f"/api/exercises/{exercise_id}/grade", json=body))
        assert_clean(client.put(f"/api/drafts/{exercise_id}", json=body), allowed=(204, 400, 403, 404, 413))


@FUZZ
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_grade_endpoint_never_fails_on_random_bytes(client, raw):
    response = client.post("/api/exercises/cz-pardon-hedge/grade", data=raw, content_type="application/json")
    assert_clean(response)


@FUZZ
@given(exercise_id=st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s and s not in (".", "..")))
def test_unknown_exercise_ids_are_404(client, exercise_id):
    response = client.get(f"/api/exercises/{exercise_id}")
    assert response.status_code in (200, 404)


def test_empty_and_huge_bodies(client):
    assert_clean(client.post("/api/exercises/cz-pardon-hedge/grade", data=b"", content_type="application/json"))
    huge = json.dumps({"spans": [[0, 1]] * 400_000})
    assert client.post("/api/exercises/cz-pardon-hedge/grade", data=huge,
                       content_type="application/json").status_code == 413


yaml_keys = st.sampled_from(["article", "exercises", "id", "kind", "title", "instructions", "items", "text",
                             "status", "explanation", "occurrence", "questions", "options", "correct", "type"])
yaml_trees = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(yaml_keys | st.text(max_size=5), inner, max_size=5),
    max_leaves=25,
)


@FUZZ
@given(tree=yaml_trees)
def test_quiz_loader_reports_problems_for_random_yaml_trees(tree):
    import yaml

    text = yaml.safe_dump(tree, allow_unicode=True)
    try:
        parse_quiz_file(text, "quizzes/fuzz.yaml", ArticleStore(ROOT))
    except ContentError as exc:
        assert exc.problems and all(str(p).startswith("quizzes/fuzz.yaml") for p in exc.problems)


@FUZZ
@given(text=st.text(max_size=400))
def test_quiz_and_lesson_loaders_survive_random_text(text):
    for parse in (lambda: parse_quiz_file(text, "quizzes/fuzz.yaml", ArticleStore(ROOT)),
                  lambda: parse_lesson(text, "lessons/fuzz.md"),
                  lambda: parse_lesson(f"---\n{text}\n---\n## A\nbody", "lessons/fuzz.md")):
        try:
            parse()
        except ContentError as exc:
            assert exc.problems
