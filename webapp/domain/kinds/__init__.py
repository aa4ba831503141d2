"""The registry of exercise kinds: key files name a kind, and this maps the name to its plugin.

Adding a kind is one module (a subclass of `ExerciseKind`) and one line below, or `register()`
for a kind that lives elsewhere (tests/test_kinds.py registers a toy kind that way).
"""

from __future__ import annotations

from .base import AnswerError, ExerciseKind, Feedback, GradeResult
from .quiz import QuizKind
from .sentences import FillerKind, UnsourcedKind
from .words import HedgeKind

KINDS: dict[str, ExerciseKind] = {}


def register(kind: ExerciseKind) -> ExerciseKind:
    KINDS[kind.name] = kind
    return kind


def get(name: str) -> ExerciseKind | None:
    return KINDS.get(name)


for _kind in (HedgeKind(), UnsourcedKind(), FillerKind(), QuizKind()):
    register(_kind)

__all__ = ["KINDS", "AnswerError", "ExerciseKind", "Feedback", "GradeResult", "get", "grade", "register"]


def grade(exercise, answer) -> GradeResult:
    """Grade with the exercise's own kind (for scripts and tests; pages go through the check service)."""
    return exercise.plugin.grade(exercise, answer)
