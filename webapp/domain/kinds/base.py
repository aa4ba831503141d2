"""What every exercise kind shares: the plugin interface, feedback items and grade results.

Pure module (no Flask, no SQL). A kind (CTFd's challenge classes are the model) owns everything
that differs between exercises: reading its part of an answer-key file, parsing a learner's
answer from JSON or a form, grading, the compact form a result is stored in and restoring it,
what the API shows of the exercise, and the names of its page templates. Pages, the API, the
check service and the store call these methods and never ask which kind they hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..content import Exercise, Problem

KEY_CHANGED = "This item has since been taken off the answer key."
FEEDBACK_GROUPS = ("found", "missed", "false_alarms", "acceptable")


class AnswerError(ValueError):
    """The learner's answer is malformed; the message says how, for a 400 response."""


@dataclass(slots=True)
class Feedback:
    """One found, missed, acceptable or falsely marked thing, with what the learner should learn.

    Not frozen: a quiz check builds dozens of these, and a frozen dataclass's __init__ costs four
    times as much. Nothing changes one once it is made: a marking exercise's are made once and
    shared by all of its checks (kinds/marking.py).
    """

    text: str
    explanation: str
    start: int | None = None
    end: int | None = None
    question: str | None = None
    option: str | None = None  # with `question`: the option's id

    def as_dict(self) -> dict:
        if self.question is not None:
            return {"text": self.text, "explanation": self.explanation, "question": self.question,
                    "option": self.option}
        return {"text": self.text, "explanation": self.explanation, "start": self.start, "end": self.end}

    @property
    def reference(self) -> list:
        """Where the item is: [question id, option id] for a quiz, [start, end] in the text otherwise."""
        return [self.question, self.option] if self.question is not None else [self.start, self.end]


@dataclass(frozen=True)
class GradeResult:
    points: float
    max_points: int
    found: list[Feedback]
    missed: list[Feedback]
    false_alarms: list[Feedback]
    acceptable: list[Feedback] = field(default_factory=list)  # marked items that are defensible either way
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(self.points / self.max_points, 4) if self.max_points else 0.0

    def as_dict(self) -> dict:
        data: dict[str, Any] = {"score": self.score, "points": self.points, "max_points": self.max_points,
                                "notes": self.notes}
        for group in FEEDBACK_GROUPS:
            data[group] = [item.as_dict() for item in getattr(self, group)]
        return data

    def stored_form(self) -> dict:
        """What the attempts log keeps besides the score columns: a reference per feedback item.

        Texts and explanations are the exercise's own; storing them with every attempt made each
        row some 14 KB and the write the costliest step of a check. The score lives in the
        attempt's own columns, once.
        """
        data: dict[str, Any] = {"notes": self.notes}
        for group in FEEDBACK_GROUPS:
            data[group] = [item.reference for item in getattr(self, group)]
        return data


class ExerciseKind:
    """The plugin interface. Subclasses set the class attributes and implement the methods.

    `name` is what key files write as `kind:`; `skill` groups kinds for the per-skill summary;
    `unit` is "word" or "sentence" for kinds marked on an article, None otherwise.
    """

    name: str = ""
    label: str = ""  # what a learner or teacher calls this kind of exercise
    skill: str = ""
    unit: str | None = None
    needs_article = False
    # The JSON body's field that carries an answer of this kind (`parse_answer` reads it).
    answer_field = ""
    # The templates that show this kind: the exercise page, feedback after a check, the solution.
    page_template = ""
    feedback_template = ""
    solution_template = ""
    # Headings of the teacher's "what the class found hard" lists.
    missed_heading = "Key items missed most"
    false_alarm_heading = "Marked most, but not on the key"

    # --- content ---
    def parse_key(self, raw: dict, exercise: Exercise, source: str, where: str, problems: list[Problem]) -> None:
        """Read this kind's part of one exercise of a key file into `exercise`, appending problems."""
        raise NotImplementedError

    def max_points(self, exercise: Exercise) -> int:
        raise NotImplementedError

    def key_texts(self, exercise: Exercise) -> list[str]:
        """The texts of the key's answers (to check that instructions give none of them away)."""
        return []

    # --- answers ---
    def parse_answer(self, exercise: Exercise, body: Mapping) -> Any:
        """The answer in a JSON body, validated and normalised to the stored form; AnswerError if bad."""
        raise NotImplementedError

    def answer_from_form(self, exercise: Exercise, form: Mapping) -> Any:
        """The answer in a posted HTML form (a MultiDict), validated like a JSON one."""
        raise NotImplementedError

    def empty(self, answer: Any) -> bool:
        """Whether the answer marks nothing (the page asks for confirmation before checking it)."""
        return not answer

    # --- grading ---
    def grade(self, exercise: Exercise, answer: Any) -> GradeResult:
        raise NotImplementedError

    def restore(self, exercise: Exercise, answer: Any, stored: dict, points: float) -> GradeResult:
        """A stored result with texts and explanations restored from the exercise."""
        raise NotImplementedError

    # --- what learners see ---
    def public_detail(self, exercise: Exercise, learner_key: str) -> dict:
        """The exercise as the JSON API shows it to one learner: never any part of the key."""
        raise NotImplementedError

    def page_context(self, exercise: Exercise, learner_key: str, draft: Any) -> dict:
        """Template variables for the exercise page, given the learner's saved draft (or None)."""
        return {}
