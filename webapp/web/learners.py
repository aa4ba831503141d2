"""Who is working: a class student (joined with a code) or an anonymous practice session."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from flask import abort, session

from ..domain.grading import grade
from ..domain.scores import Progress
from ..store.db import get_db
from ..store.records import attempt_count, find_attempt, record_attempt
from . import lti
from .catalog import available_lessons


@dataclass
class Learner:
    practice_session: str | None = None
    student: dict | None = None
    klass: dict | None = None

    @property
    def student_id(self) -> int | None:
        return self.student["id"] if self.student else None

    @property
    def attempt_owner(self) -> dict:
        """The attempts column and value that identify this learner's own attempts."""
        return {"student_id": self.student_id} if self.student else {"practice_session": self.practice_session}

    @property
    def owner(self) -> str:
        """The key of this learner's drafts."""
        return f"student:{self.student_id}" if self.student else f"practice:{self.practice_session}"

    @property
    def shows_solutions(self) -> bool:
        return not self.klass or bool(self.klass["show_solutions"])

    def is_assigned(self, exercise_id: str) -> bool:
        """A class student works on what the class is assigned, from the lessons it may use."""
        if not self.klass:
            return True
        if self.klass["assigned"] is not None:
            return exercise_id in json.loads(self.klass["assigned"])
        return any(ex.id == exercise_id for lesson in available_lessons(self.klass["instructor_id"])
                   for ex in lesson.exercises)

    @property
    def counting(self) -> str:
        return self.klass["counting"] if self.klass else "best"

    def scores(self) -> dict[str, float]:
        """Exercise id -> the counting attempt's score, over this learner's own attempts."""
        ((column, value),) = self.attempt_owner.items()
        attempts: dict[str, list[dict]] = {}
        for attempt in get_db()["attempts"].rows_where(f"{column} = ?", [value], order_by="id"):  # noqa: S608
            attempts.setdefault(attempt["exercise_id"], []).append(attempt)
        return {exercise_id: Progress(rows, self.counting).score for exercise_id, rows in attempts.items()}

    def owns_attempt(self, attempt: dict) -> bool:
        if self.student:
            return attempt["student_id"] == self.student_id
        return attempt["student_id"] is None and attempt["practice_session"] == self.practice_session


def current_learner() -> Learner:
    student_id = session.get("student_id")
    if student_id is not None:
        db = get_db()
        student = next(db["students"].rows_where("id = ?", [student_id]), None)
        if student is not None:
            return Learner(student=student, klass=db["classes"].get(student["class_id"]))
        session.pop("student_id", None)  # the teacher deleted this student's data
    return Learner(practice_session=practice_token())


def practice_token() -> str:
    """The anonymous id of this browser's practice attempts (nothing else is known of it)."""
    if "practice" not in session:
        session["practice"] = secrets.token_urlsafe(16)
    return session["practice"]


def submit(learner: Learner, exercise, answer, submission_id: str) -> tuple[dict, bool]:
    """Grade and log one check. Idempotent per submission_id: a double click counts once.

    Refuses (403) an exercise the learner's class has not assigned, or one whose attempts are
    used up; the same rules hold for the HTML pages and the JSON API.
    """
    db = get_db()
    if not learner.is_assigned(exercise.id):
        abort(403, "This exercise is not assigned to your class.")
    existing = find_attempt(db, submission_id=submission_id, **learner.attempt_owner)
    if existing:
        return existing, False
    allowed = learner.klass["attempts_allowed"] if learner.klass else None
    if allowed and attempt_count(db, exercise_id=exercise.id, student_id=learner.student_id) >= allowed:
        abort(403, f"You have used all {allowed} attempts at this exercise.")
    result = grade(exercise, answer)
    attempt, created = record_attempt(db, exercise_id=exercise.id, answer=answer, result=result,
                                      submission_id=submission_id, **learner.attempt_owner)
    if created and learner.student:  # LTI: post the counting score to the LMS gradebook (webapp/web/lti.py)
        lti.score_changed(db, learner.student_id, exercise.id)
    return attempt, created
