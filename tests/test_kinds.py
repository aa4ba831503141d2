"""Exercise kinds are plugins: a toy kind registered from outside works through every page and API
without a line of page code knowing about it."""

from __future__ import annotations

import pytest

from webapp.domain import kinds
from webapp.domain.kinds.base import ExerciseKind, Feedback, GradeResult
from webapp.domain.model import Problem, text_field
from webapp.web import catalog as catalog_module


class WordCountKind(ExerciseKind):
    """Type how many words the article's title has: one right number, the whole of the kind."""

    name = "word-count"
    label = "Word count"
    skill = "counting"
    page_template = "toy/page.html"
    feedback_template = "toy/feedback.html"
    solution_template = "toy/solution.html"

    def parse_key(self, raw, exercise, source, where, problems):
        answer = raw.get("answer")
        if not isinstance(answer, int):
            problems.append(Problem(source, raw["__line__"], f"{where}: 'answer' must be a whole number"))
        exercise.answer = answer
        exercise.why = text_field(raw, "why", source, where, problems)

    def max_points(self, exercise):
        return 1

    def parse_answer(self, exercise, body):
        value = body.get("count")
        if not isinstance(value, int) or isinstance(value, bool):
            raise kinds.AnswerError("'count' must be a whole number")
        return value

    def answer_from_form(self, exercise, form):
        try:
            return int(form.get("count", ""))
        except ValueError:
            raise kinds.AnswerError("Type a whole number.") from None

    def empty(self, answer):
        return False

    def grade(self, exercise, answer):
        right = answer == exercise.answer
        feedback = Feedback(str(answer), exercise.why if right else "Count again.", question="count", option="a")
        return GradeResult(1 if right else 0, 1, [feedback] if right else [], [] if right else [
            Feedback(str(exercise.answer), exercise.why, question="count", option="a")],
            [] if right else [feedback])

    def restore(self, exercise, answer, stored, points):
        return self.grade(exercise, answer)

    def public_detail(self, exercise, learner_key):
        return {"question": "How many words has the title?"}


TOY_KEY = """exercises:
  - id: toy-count
    kind: word-count
    title: Count the words
    instructions: Count the words of the title.
    answer: 4
    why: "A new bus line: four words."
"""
TOY_LESSON = """---
slug: toy
title: A toy lesson
article: seeds/bus.txt
objectives: [Count]
quizzes: [toy.yaml]
flow: [toy-count]
---

## Counting

Count carefully.
"""
TEMPLATES = {
    "toy/page.html": '{% extends "base.html" %}{% block main %}<h1>{{ exercise.title }}</h1>'
                     '<form method="post" action="{{ url_for("learn.check", exercise_id=exercise.id) }}">'
                     '{{ form.csrf_token }}{{ form.submission_id }}<input name="count"><button>Check</button></form>'
                     '{% endblock %}',
    "toy/feedback.html": '{% extends "base.html" %}{% block main %}<p>Toy score {{ result.score|percent }}</p>'
                         '{% for item in result.missed %}<p>Answer: {{ item.text }}</p>{% endfor %}{% endblock %}',
    "toy/solution.html": '{% extends "base.html" %}{% block main %}<p>The answer is {{ exercise.answer }}</p>'
                         '{% endblock %}',
}


@pytest.fixture
def toy(app, demo_content, monkeypatch):
    monkeypatch.setitem(kinds.KINDS, "word-count", WordCountKind())
    (demo_content / "quizzes/toy.yaml").write_text(TOY_KEY)
    (demo_content / "lessons/toy.md").write_text(TOY_LESSON)
    monkeypatch.setattr(catalog_module, "_file_catalogs", {})
    from jinja2 import ChoiceLoader, DictLoader

    app.jinja_loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_loader])
    return app


def test_a_toy_kind_is_one_class_and_one_registration(toy, client):
    assert client.get("/exercises/toy-count").status_code == 200
    wrong = client.post("/exercises/toy-count/check", data={"count": "3", "submission_id": "toy-00000001"})
    page = client.get(wrong.headers["Location"]).get_data(as_text=True)
    assert "Toy score 0%" in page and "Answer: 4" not in page  # the check service hides the solution
    assert client.get("/exercises/toy-count/solution").status_code == 403
    detail = client.get("/api/exercises/toy-count").get_json()
    assert detail["kind"] == "word-count" and detail["question"] == "How many words has the title?"
    right = client.post("/api/exercises/toy-count/grade", json={"count": 4}).get_json()
    assert right["score"] == 1.0
    assert client.post("/api/exercises/toy-count/grade", json={"count": "four"}).status_code == 400
    client.post("/exercises/toy-count/finish")
    assert "The answer is 4" in client.get("/exercises/toy-count/solution").get_data(as_text=True)


def test_a_key_of_an_unknown_kind_names_the_registered_ones(app, demo_content, runner):
    (demo_content / "quizzes/demo.yaml").write_text(TOY_KEY.replace("word-count", "crossword"))
    (demo_content / "lessons/toy.md").write_text(TOY_LESSON)
    result = runner.invoke(args=["check-content"])
    assert result.exit_code == 1
    assert "unknown kind 'crossword' (expected one of hedge, unsourced, seo_filler, quiz)" in result.output
