"""Grading: (exercise with its answer key, learner's answer) -> GradeResult.

Pure module (no Flask). One grader class per exercise kind, looked up in `GRADERS`; adding a
kind means one class and one registry line.

Scoring of the marking exercises (documented in README.md, "How answers are scored"):
- The learner's character spans are snapped to the exercise's units (words or sentences): a
  unit is marked when any span overlaps it.
- A marked unit that touches no key item (required or acceptable) is a *false alarm*.
- A key item is *found* when one of its units is marked and the marks in that unit's sentence
  are mostly on target: no more false alarms in the sentence than marked units on key items.
  So marking "may" or "may have" finds the item "may have", while marking a whole sentence
  does not count as finding the hedge inside it.
- points = max(required items found - false alarms, 0); max_points = number of required items;
  score = points / max_points. Acceptable items are neutral: never required, never penalised.

These rules are monotone: adding a mark on a key item never lowers the score, adding a false
alarm never raises it (tests/test_grading.py checks both with hypothesis).
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

from .content import Exercise, KeyItem

FALSE_ALARM_EXPLANATIONS = {
    "hedge": "Not a hedge: this word does not soften or qualify the claim.",
    "unsourced": "Not an unsourced claim: this sentence names a checkable source, "
    "or states opinion or analysis rather than a fact to check.",
    "seo_filler": "Not filler: this sentence carries names, facts or reasoning the article needs.",
}


class AnswerError(ValueError):
    """The learner's answer is malformed; the message says how, for a 400 response."""


@dataclass(slots=True)
class Feedback:
    """One found, missed or falsely marked thing, with what the learner should learn from it.

    Not frozen: a check builds dozens of these, and a frozen dataclass's __init__ costs four
    times as much. Nothing changes one after grading.
    """

    text: str
    explanation: str
    start: int | None = None
    end: int | None = None
    question: str | None = None
    option: int | None = None  # with `question`: the option's position in the question

    def as_dict(self) -> dict:
        if self.question is not None:
            return {"text": self.text, "explanation": self.explanation, "question": self.question,
                    "option": self.option}
        return {"text": self.text, "explanation": self.explanation, "start": self.start, "end": self.end}

    @property
    def reference(self) -> list:
        """Where the item is: [question id, option] for a quiz, [start, end] in the text otherwise."""
        return [self.question, self.option] if self.question is not None else [self.start, self.end]


@dataclass(frozen=True)
class GradeResult:
    points: float
    max_points: int
    found: list[Feedback]
    missed: list[Feedback]
    false_alarms: list[Feedback]
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(self.points / self.max_points, 4) if self.max_points else 0.0

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "points": self.points,
            "max_points": self.max_points,
            "found": [f.as_dict() for f in self.found],
            "missed": [f.as_dict() for f in self.missed],
            "false_alarms": [f.as_dict() for f in self.false_alarms],
            "notes": self.notes,
        }


# --- the attempts log: results stored by reference ----------------------------------------------

FEEDBACK_GROUPS = ("found", "missed", "false_alarms")
KEY_CHANGED = "This item has since been taken off the answer key."


def stored_form(result: GradeResult) -> dict:
    """What the attempts log keeps of a result: the score and a reference per feedback item.

    Texts and explanations are the exercise's own; storing them with every attempt made each
    row some 14 KB and the write the costliest step of a check.
    """
    data = {"score": result.score, "points": result.points, "max_points": result.max_points, "notes": result.notes}
    for group in FEEDBACK_GROUPS:
        data[group] = [feedback.reference for feedback in getattr(result, group)]
    return data


def expand_stored(exercise: Exercise, data: dict) -> dict:
    """A stored result in the shape of GradeResult.as_dict(), texts and explanations restored."""
    full = {key: data[key] for key in ("score", "points", "max_points", "notes")}
    items = {(item.start, item.end): item for item in exercise.items}
    questions = {question.id: question for question in exercise.questions}
    for group in FEEDBACK_GROUPS:
        full[group] = [_restore(exercise, group, reference, items, questions).as_dict() for reference in data[group]]
    return full


def _restore(exercise: Exercise, group: str, reference: list, items: dict, questions: dict) -> Feedback:
    if exercise.kind == "quiz":
        question_id, position = reference
        question = questions.get(question_id)
        if question is None or position >= len(question.options):
            return Feedback("(a question since removed)", KEY_CHANGED, question=question_id, option=position)
        option = question.options[position]
        return Feedback(option.text, option.explanation, question=question_id, option=position)
    start, end = reference
    text = exercise.article.text[start:end]
    if group == "false_alarms":
        return Feedback(text, FALSE_ALARM_EXPLANATIONS[exercise.kind], start, end)
    item = items.get((start, end))
    return Feedback(text, item.explanation if item else KEY_CHANGED, start, end)


# --- answers: validation and snapping ---------------------------------------------------------


def parse_spans(value, text_length: int, max_spans: int) -> list[tuple[int, int]]:
    """Validate a JSON `spans` value: a list of [start, end] integer pairs inside the text."""
    if not isinstance(value, list):
        raise AnswerError("'spans' must be a list of [start, end] pairs")
    if len(value) > max_spans:
        raise AnswerError(f"too many spans: {len(value)} (at most {max_spans}, one per unit)")
    spans = []
    for index, pair in enumerate(value):
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in pair)
        ):
            raise AnswerError(f"span {index}: expected [start, end] as two integers")
        start, end = pair
        if start >= end:
            raise AnswerError(f"span {index}: start must be less than end")
        if start < 0 or end > text_length:
            raise AnswerError(f"span {index}: offsets must lie within the text (0..{text_length})")
        spans.append((start, end))
    return spans


def snap(exercise: Exercise, spans: list[tuple[int, int]]) -> set[int]:
    """Indices of the exercise's units that any span overlaps."""
    units = exercise.article.units(exercise.unit)
    ends = exercise.article.unit_ends(exercise.unit)
    marked = set()
    for start, end in spans:
        index = bisect.bisect_right(ends, start)
        while index < len(units) and units[index].start < end:
            marked.add(index)
            index += 1
    return marked


def unit_spans(exercise: Exercise, indices) -> list[list[int]]:
    units = exercise.article.units(exercise.unit)
    return [[units[i].start, units[i].end] for i in sorted(indices)]


# --- graders ----------------------------------------------------------------------------------


class MarkingGrader:
    """Marking words or sentences of an article against key items."""

    def grade(self, exercise: Exercise, spans: list[tuple[int, int]]) -> GradeResult:
        article = exercise.article
        units = article.units(exercise.unit)
        marked = snap(exercise, spans)
        items_of_unit = exercise.items_by_unit
        on_key, stray = Counter(), Counter()
        for index in marked:
            (on_key if items_of_unit[index] else stray)[units[index].sentence] += 1
        swamped = {sentence for sentence, count in on_key.items() if stray[sentence] > count}
        found_items = {
            item for index in marked if units[index].sentence not in swamped for item in items_of_unit[index]
        }
        found, missed = [], []
        for item in exercise.required_items:
            (found if item in found_items else missed).append(self._feedback(item))
        false_alarms = [
            Feedback(article.text[units[i].start:units[i].end],
                     FALSE_ALARM_EXPLANATIONS[exercise.kind], units[i].start, units[i].end)
            for i in sorted(marked) if not items_of_unit[i]
        ]
        notes = []
        if swamped:
            notes.append(
                f"In {len(swamped)} sentence(s) you marked more words that are not cues than words "
                "that are, so the cues there were not counted: mark just the cue words."
            )
        points = max(len(found) - len(false_alarms), 0)
        return GradeResult(points, len(exercise.required_items), found, missed, false_alarms, notes)

    @staticmethod
    def _feedback(item: KeyItem) -> Feedback:
        return Feedback(item.text, item.explanation, item.start, item.end)


class QuizGrader:
    """Multiple-choice and multiple-select questions.

    Each question is worth one point: max(correct options chosen - wrong options chosen, 0)
    divided by the number of correct options, the same "false alarms cost" rule as marking.
    """

    def grade(self, exercise: Exercise, answers: dict[str, list[int]]) -> GradeResult:
        found, missed, false_alarms = [], [], []
        points = 0.0
        for question in exercise.questions:
            chosen = set(answers.get(question.id, []))
            right = wrong = 0
            for index, option in enumerate(question.options):
                feedback = Feedback(option.text, option.explanation, question=question.id, option=index)
                if option.correct and index in chosen:
                    right += 1
                    found.append(feedback)
                elif option.correct:
                    missed.append(feedback)
                elif index in chosen:
                    wrong += 1
                    false_alarms.append(feedback)
            correct_count = sum(option.correct for option in question.options)
            points += max(right - wrong, 0) / correct_count
        return GradeResult(round(points, 4), len(exercise.questions), found, missed, false_alarms)


def parse_quiz_answers(value, exercise: Exercise) -> dict[str, list[int]]:
    """Validate a JSON `answers` value: {question_id: [option index, ...]}."""
    if not isinstance(value, dict):
        raise AnswerError("'answers' must be an object of question id -> list of option numbers")
    questions = {q.id: q for q in exercise.questions}
    answers = {}
    for q_id, chosen in value.items():
        question = questions.get(q_id)
        if question is None:
            raise AnswerError(f"unknown question {q_id!r}")
        if not isinstance(chosen, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(question.options) for i in chosen
        ):
            raise AnswerError(f"question {q_id!r}: expected a list of option numbers 0..{len(question.options) - 1}")
        if question.type == "single" and len(set(chosen)) > 1:
            raise AnswerError(f"question {q_id!r}: choose one option")
        answers[q_id] = sorted(set(chosen))
    return answers


GRADERS = {
    "hedge": MarkingGrader(),
    "unsourced": MarkingGrader(),
    "seo_filler": MarkingGrader(),
    "quiz": QuizGrader(),
}


def grade(exercise: Exercise, answer) -> GradeResult:
    """Grade with the grader registered for the exercise's kind."""
    return GRADERS[exercise.kind].grade(exercise, answer)
