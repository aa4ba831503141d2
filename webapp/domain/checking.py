"""The one "check an answer" service, and what a learner may see of a result.

Pure module (no Flask, no SQL): the store is handed in as an `AttemptLog`. The HTML form post,
`POST /api/submissions` and `POST /api/exercises/<id>/grade` are thin adapters over `check`;
the feedback, solution and exercise pages ask `solution_status` and `visible_result` here, so
"what may a student see after a check?" is answered in this file and nowhere else:

- Everything about their own marks: score, points, what they found, what they marked that is
  acceptable, their false alarms with explanations, and how many key items they missed.
- The missed key items (and the solution page) only once they may see the solution:
  - `after-finishing` (the default, and always for anonymous practice): after their last
    allowed attempt, or after "Finish and show the solution", which ends their attempts;
  - `when-released`: once the teacher releases the exercise's solution;
  - `never`: never.
- A teacher trying out lessons they may use sees the solutions at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from .kinds import AnswerError, GradeResult
from .model import Exercise

AFTER_FINISHING, WHEN_RELEASED, NEVER = "after-finishing", "when-released", "never"
SOLUTION_POLICIES = (AFTER_FINISHING, WHEN_RELEASED, NEVER)


class CheckRefused(Exception):
    """Why the learner may not do this, as an HTTP status and a message for them."""

    def __init__(self, status: int, message: str):
        self.status, self.message = status, message
        super().__init__(message)


class AttemptsOver(Exception):
    """Raised by the store when an attempt would pass the limit or follow a finish."""


class AttemptLog(Protocol):
    """What the service needs of the store (webapp.store.attempts.AttemptLog implements it)."""

    def record(self, owner, *, exercise_id: str, submission_id: str, answer: Any, points: float, max_points: int,
               score: float, result: dict, limit: int | None) -> tuple[dict, bool]: ...
    def count(self, owner, exercise_id: str) -> int: ...
    def is_finished(self, owner, exercise_id: str) -> bool: ...
    def finish(self, owner, exercise_id: str) -> None: ...


@dataclass(frozen=True)
class Learner:
    """Who is checking: a class student (with the class's rules) or an anonymous practice browser."""

    owner: tuple[str, Any]  # the store's name for their rows: ("student_id", 12) or ("practice_session", token)
    key: str  # stable per learner: seeds the order they see quiz options in
    class_id: int | None = None
    attempts_allowed: int | None = None
    counting: str = "best"
    solutions: str = AFTER_FINISHING
    assigned: tuple[str, ...] | None = None  # None: anonymous practice may do any public exercise
    released: frozenset[str] = field(default_factory=frozenset)
    teacher: bool = False  # a teacher trying their own lessons: solutions are theirs to see

    @property
    def in_class(self) -> bool:
        return self.class_id is not None

    def is_assigned(self, exercise_id: str) -> bool:
        return self.assigned is None or exercise_id in self.assigned


@dataclass(frozen=True)
class SolutionStatus:
    attempts_used: int | None  # counted only where there is a limit to count against
    attempts_allowed: int | None
    finished: bool
    may_see_solution: bool
    can_finish: bool  # "Finish and show the solution" is offered
    policy: str

    @property
    def attempts_left(self) -> int | None:
        if self.finished:
            return 0
        if self.attempts_allowed is None or self.attempts_used is None:
            return None
        return max(self.attempts_allowed - self.attempts_used, 0)

    @property
    def may_check(self) -> bool:
        return self.attempts_left != 0


@dataclass(frozen=True)
class CheckOutcome:
    attempt: dict
    created: bool
    result: GradeResult
    status: SolutionStatus

    @property
    def visible(self) -> dict:
        return visible_result(self.result, self.status.may_see_solution)


def refuse_unless_assigned(learner: Learner, exercise: Exercise) -> None:
    if not learner.is_assigned(exercise.id):
        raise CheckRefused(403, "This exercise is not assigned to your class.")


def solution_status(log: AttemptLog, learner: Learner, exercise: Exercise,
                    finished: bool | None = None) -> SolutionStatus:
    """What the learner may do and see at the exercise now. `finished` is passed by a caller that
    has just read it (a check that recorded an attempt knows the learner had not finished)."""
    allowed = learner.attempts_allowed
    # Without a limit nothing depends on the count, and counting a busy practice browser's
    # attempts was the costliest query of a check.
    used = log.count(learner.owner, exercise.id) if allowed is not None else None
    if finished is None:
        finished = log.is_finished(learner.owner, exercise.id)
    if learner.teacher:
        may_see = True
    elif learner.solutions == AFTER_FINISHING:
        may_see = finished or (used is not None and used >= allowed)
    elif learner.solutions == WHEN_RELEASED:
        may_see = exercise.id in learner.released
    else:
        may_see = False
    return SolutionStatus(used, allowed, finished, may_see, learner.solutions == AFTER_FINISHING and not may_see,
                          learner.solutions)


def visible_result(result: GradeResult, may_see_solution: bool) -> dict:
    """The result as this learner may see it: the missed key items only with the solution."""
    data = result.as_dict()
    data["missed_count"] = len(result.missed)
    data["solution_visible"] = may_see_solution
    if not may_see_solution:
        data["missed"] = []
    return data


def check(log: AttemptLog, learner: Learner, exercise: Exercise, answer: Any, submission_id: str) -> CheckOutcome:
    """Grade and record one check; idempotent per submission id (a double click counts once).

    Refuses an exercise the learner's class has not assigned, and a check past the attempt limit
    or after finishing (the store re-checks both inside its write transaction), and a submission id
    the learner already used for another exercise (409). The attempt is recorded and the learner's
    draft cleared in one transaction.
    """
    refuse_unless_assigned(learner, exercise)
    result = exercise.plugin.grade(exercise, answer)
    try:
        attempt, created = log.record(
            learner.owner, exercise_id=exercise.id, submission_id=submission_id, answer=answer,
            points=result.points, max_points=result.max_points, score=result.score, result=result.stored_form(),
            limit=learner.attempts_allowed)
    except AttemptsOver as refusal:
        raise CheckRefused(403, str(refusal)) from None
    if not created:
        if attempt["exercise_id"] != exercise.id:
            # The id names another exercise's attempt: its result cannot be read as this one's.
            raise CheckRefused(409, "This submission id was already used for another exercise: send a new one.")
        result = restored_result(exercise, attempt)
    # A recorded attempt means the store found the exercise unfinished inside the same transaction.
    return CheckOutcome(attempt, created, result, solution_status(log, learner, exercise, False if created else None))


def restored_result(exercise: Exercise, attempt: dict) -> GradeResult:
    """A recorded attempt's result, texts and explanations restored from the exercise."""
    return exercise.plugin.restore(exercise, orjson.loads(attempt["answer"]), orjson.loads(attempt["result"]),
                                   attempt["points"])


def outcome_of(log: AttemptLog, learner: Learner, exercise: Exercise, attempt: dict) -> CheckOutcome:
    """A recorded attempt as the feedback page shows it, under today's solution status."""
    return CheckOutcome(attempt, False, restored_result(exercise, attempt), solution_status(log, learner, exercise))


def finish(log: AttemptLog, learner: Learner, exercise: Exercise) -> SolutionStatus:
    """"Finish and show the solution": ends the learner's attempts at the exercise."""
    refuse_unless_assigned(learner, exercise)
    if learner.solutions != AFTER_FINISHING:
        raise CheckRefused(403, "Your teacher shows the solutions of this class themselves.")
    log.finish(learner.owner, exercise.id)
    return solution_status(log, learner, exercise)


def require_solution(log: AttemptLog, learner: Learner, exercise: Exercise) -> SolutionStatus:
    """The solution status, if the learner may see the solution now; CheckRefused otherwise."""
    refuse_unless_assigned(learner, exercise)
    status = solution_status(log, learner, exercise)
    if not status.may_see_solution:
        if status.policy == AFTER_FINISHING:
            raise CheckRefused(403, "The solution opens once you finish the exercise or use your last attempt.")
        if status.policy == WHEN_RELEASED:
            raise CheckRefused(403, "Your teacher has not released this solution yet.")
        raise CheckRefused(403, "Your teacher does not show the solutions in this class.")
    return status


__all__ = ["AnswerError", "AttemptsOver", "CheckOutcome", "CheckRefused", "Learner", "SolutionStatus", "check",
           "finish", "outcome_of", "require_solution", "solution_status", "visible_result"]
