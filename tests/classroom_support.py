"""Classroom test support: a small lesson of our own, and helpers that act as instructors and students.

Kept out of conftest.py so test modules can import it by a name no other conftest shadows
(tests/browser has a conftest of its own).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from webapp.store.db import get_db
from webapp.web import classroom
from webapp.web.auth import find_instructor

# Tests of scores, dashboards and exports use this lesson instead of the real content, so they
# can state exact expected output that does not change when a key is revised.
DEMO_ARTICLE = """# A new bus line

The council may have approved a new bus line on Tuesday. Officials said it will likely open in spring.

Ridership reportedly doubled last year, according to the Transit Agency's annual report.
Everyone agrees the line is overdue.

Read more stories like this one on our site!
"""
DEMO_KEY = """article: seeds/bus.txt
exercises:
  - id: demo-hedge
    kind: hedge
    title: "Hedges, in the news"
    instructions: Mark every hedge.
    items:
      - {text: may have, status: required, explanation: Softens the approval.}
      - {text: said, status: acceptable, explanation: Reports speech.}
      - {text: likely, status: required, explanation: Guesses at the odds.}
      - {text: reportedly, status: required, explanation: Names no reporter.}
  - id: demo-unsourced
    kind: unsourced
    title: Unsourced claims
    instructions: Mark every unsourced claim.
    items:
      - {text: "Officials said it will likely open in spring.", status: required, explanation: "Which officials?"}
      - {text: "Everyone agrees the line is overdue.", status: required, explanation: "Who is everyone?"}
  - id: demo-quiz
    kind: quiz
    title: Check your understanding
    instructions: Answer both questions.
    questions:
      - id: source
        type: single
        prompt: Which claim names its source?
        options:
          - {text: The ridership figure, correct: true, explanation: It cites the annual report.}
          - {text: The opening date, correct: false, explanation: Unnamed officials.}
      - id: hedges
        type: multiple
        prompt: Which are hedges?
        options:
          - {text: may have, correct: true, explanation: A modal hedge.}
          - {text: likely, correct: true, explanation: A guess at the odds.}
          - {text: Tuesday, correct: false, explanation: A plain date.}
"""
DEMO_LESSON = """---
slug: demo
title: A demo lesson
article: seeds/bus.txt
objectives: [Spot hedges]
quizzes: [demo.yaml]
flow: [demo-hedge, demo-unsourced, demo-quiz]
---

## Hedges

Read closely.
"""
# Character spans in DEMO_ARTICLE: the three required hedges, a false alarm, the two unsourced sentences.
MAY_HAVE, LIKELY, REPORTEDLY, TUESDAY = [30, 38], [98, 104], [132, 142], [66, 73]
OFFICIALS_SENTENCE, EVERYONE_SENTENCE, COUNCIL_SENTENCE = [75, 120], [211, 247], [18, 74]
# Every test instructor's password; the browser tests' and benches' instructor has this email.
PASSWORD = "correct horse battery"  # noqa: S105  # nosec B105
INSTRUCTOR_EMAIL = "teacher@example.org"


def create_instructor_with(run_cli: Callable[..., str], email: str = INSTRUCTOR_EMAIL) -> None:
    """An instructor account made with the `create-instructor` command, as an administrator would.
    `run_cli(*args, stdin=...)` runs `flask --app webapp ARGS` (in process or not) and returns its output."""
    run_cli("create-instructor", email, stdin=PASSWORD + "\n")


def create_instructor(app, email: str = INSTRUCTOR_EMAIL) -> dict:
    """`create_instructor_with` on `app`'s own CLI; the account's row."""
    def run_cli(*args: str, stdin: str) -> str:
        result = app.test_cli_runner().invoke(args=list(args), input=stdin)
        assert result.exit_code == 0, result.output
        return result.output

    create_instructor_with(run_cli, email)
    with app.app_context():
        return find_instructor(get_db(), email)


def without_tokens(page: bytes | str) -> str:
    """A page's text less its CSRF tokens, whose random letters may spell any short name."""
    text = page.decode() if isinstance(page, bytes) else page
    return re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", text)


def login(client, email: str, password: str = PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password})


def create_class(app, instructor_id: int, title: str = "Period 3", **settings) -> dict:
    """A class with the lessons the app has (the demo lesson where `demo_content` is in use)."""
    with app.app_context():
        return classroom.create_class(get_db(), instructor_id, title, **settings)


def update_class(app, class_id: int, **changes):
    """Change class settings directly (the settings page is tested on its own)."""
    with app.app_context():
        get_db()["classes"].update(class_id, changes)


def join_class(client, code: str, name: str) -> dict:
    """Join through the JSON API, as a student's browser does; returns the response body."""
    response = client.post("/api/join", json={"code": code, "name": name})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def submit(client, exercise_id: str, submission_id: str, spans=None, answers=None):
    body = {"exercise_id": exercise_id, "submission_id": submission_id}
    body.update({"spans": spans} if answers is None else {"answers": answers})
    return client.post("/api/submissions", json=body)


def assign(app, class_id: int, exercise_ids: list[str]):
    """Assign exactly these exercises, in this order."""
    from webapp.store import classes

    with app.app_context():
        db = get_db()
        klass = classes.get_class(db, class_id)
        classes.update_settings(db, class_id, title=klass["title"], open_for_joining=bool(klass["open"]),
                                attempts_allowed=klass["attempts_allowed"], counting=klass["counting"],
                                solutions=klass["solutions"], exercise_ids=exercise_ids)
