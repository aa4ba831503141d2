"""Who is working: a class student (joined with a code) or an anonymous practice browser.

The session cookie names a student by id *and* session token; the token is stored with the
student and changed when they sign out, so a cookie of a signed-out or deleted student (ids are
never reused) opens nothing: the browser falls back to anonymous practice.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from flask import g, session

from ..domain import checking
from ..domain.scores import Progress
from ..store import attempts, classes, learners
from ..store.attempts import AttemptLog
from ..store.db import get_db

STUDENT_KEY = "student"
PRACTICE_KEY = "practice"


@dataclass
class LearnerSession:
    """The current learner: the check service's view of them, and their rows when in a class."""

    learner: checking.Learner
    student: dict | None = None
    klass: dict | None = None

    @property
    def student_id(self) -> int | None:
        return self.student["id"] if self.student else None

    def is_assigned(self, exercise_id: str) -> bool:
        return self.learner.is_assigned(exercise_id)

    def scores(self) -> dict[str, float]:
        """Exercise id -> the counting attempt's score, over this learner's own attempts."""
        by_exercise: dict[str, list[dict]] = {}
        for attempt in attempts.learner_attempts(get_db(), self.learner.owner):
            by_exercise.setdefault(attempt["exercise_id"], []).append(attempt)
        return {ex_id: Progress(rows, self.learner.counting).score for ex_id, rows in by_exercise.items()}


def class_learner(student: dict, klass: dict) -> checking.Learner:
    db = get_db()
    return checking.Learner(
        owner=("student_id", student["id"]), key=f"student:{student['id']}", class_id=klass["id"],
        attempts_allowed=klass["attempts_allowed"], counting=klass["counting"], solutions=klass["solutions"],
        assigned=tuple(classes.assigned_exercise_ids(db, klass["id"])),
        released=frozenset(classes.released_exercise_ids(db, klass["id"])))


def current_learner() -> LearnerSession:
    if "learner" not in g:
        g.learner = _load_learner()
    return g.learner


def _load_learner() -> LearnerSession:
    remembered = session.get(STUDENT_KEY)
    if isinstance(remembered, list) and len(remembered) == 2:
        db = get_db()
        student = learners.get_student(db, remembered[0]) if isinstance(remembered[0], int) else None
        if student is not None and hmac.compare_digest(str(remembered[1]), student["session_token"]):
            klass = classes.get_class(db, student["class_id"])
            return LearnerSession(class_learner(student, klass), student, klass)
        session.pop(STUDENT_KEY, None)  # signed out elsewhere, or deleted by the teacher
    token = practice_token()
    return LearnerSession(checking.Learner(owner=("practice_session", token), key=f"practice:{token}",
                                           teacher=g.get("instructor") is not None))


def practice_token() -> str:
    """The anonymous id of this browser's practice attempts (nothing else is known of it)."""
    if PRACTICE_KEY not in session:
        session[PRACTICE_KEY] = secrets.token_urlsafe(16)
    return session[PRACTICE_KEY]


def clear_session() -> None:
    """Forget who this browser was, but keep its CSRF secret: a page or script that holds a token
    (the JSON API's join, say) must be able to go on."""
    csrf = session.get("csrf_token")
    session.clear()
    if csrf:
        session["csrf_token"] = csrf


def start_student_session(student: dict) -> None:
    """A student signs in on this browser. Joining on a teacher's logged-in computer must not
    inherit the teacher's access, nor earlier practice."""
    clear_session()
    session[STUDENT_KEY] = [student["id"], student["session_token"]]
    g.pop("learner", None)


def end_student_session() -> None:
    """Sign out: this browser and every other cookie issued to the student stop working."""
    me = current_learner()
    if me.student is not None:
        learners.rotate_student_token(get_db(), me.student_id)
    clear_session()
    g.pop("learner", None)


def attempt_log() -> AttemptLog:
    return AttemptLog(get_db())
