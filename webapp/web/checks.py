"""The web layer's one way to run the check service: every page and API that checks an answer
calls `run_check`, so what follows a recorded attempt (the LMS gradebook) happens for all of them."""

from __future__ import annotations

from ..domain import checking
from ..store.db import get_db
from . import lti
from .learners import LearnerSession, attempt_log


def run_check(me: LearnerSession, exercise, answer, submission_id: str) -> checking.CheckOutcome:
    """checking.check for the current learner; a new attempt of an LMS-linked student sends its
    counting score to the LMS (webapp/web/lti.py). Raises checking.CheckRefused."""
    outcome = checking.check(attempt_log(), me.learner, exercise, answer, submission_id)
    if outcome.created and me.student is not None:
        lti.score_changed(get_db(), me.student_id, exercise.id)
    return outcome
