"""Scores derived from the append-only attempts log: per student, per exercise, per class.

Pure module (no Flask). Nothing here is stored: the dashboard, the exports and the student's own
page all aggregate the same attempts rows (dicts with the columns of the `attempts` table, oldest
first) with the class's counting rule, so they can never disagree.

- The counting attempt is the best one (highest score, the earliest of equals) or the last one.
- A student's total weighs each exercise by its points: the sum of counting score × max points
  over every exercise of the class, divided by the class's max points. An exercise not yet
  attempted counts as 0.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import orjson

from .checking import restored_result
from .content import Exercise

COUNTING_RULES = ("best", "last")
DISTRIBUTION_LABELS = ("0–19%", "20–39%", "40–59%", "60–79%", "80–100%")


@dataclass
class Progress:
    """One student's attempts at one exercise, oldest first."""

    attempts: list[dict]
    counting: str

    @property
    def best(self) -> dict:
        return max(self.attempts, key=lambda attempt: attempt["score"])  # max keeps the first of equals

    @property
    def last(self) -> dict:
        return self.attempts[-1]

    @property
    def counted(self) -> dict:
        return self.best if self.counting == "best" else self.last

    @property
    def score(self) -> float:
        return self.counted["score"]


@dataclass
class StudentScores:
    student: dict  # id, name and roster_id (None without a roster)
    progress: dict[str, Progress] = field(default_factory=dict)  # attempted exercises only
    total: float = 0.0

    @property
    def last_activity(self) -> str | None:
        return max((p.last["created_at"] for p in self.progress.values()), default=None)


def class_scores(students: list[dict], exercises: list[Exercise], attempts: list[dict],
                 counting: str) -> list[StudentScores]:
    """One StudentScores per student, in the order given; attempts at other exercises are ignored."""
    if counting not in COUNTING_RULES:
        raise ValueError(f"unknown counting rule {counting!r}")
    by_student = {student["id"]: StudentScores(student) for student in students}
    wanted = {exercise.id for exercise in exercises}
    for attempt in attempts:
        row = by_student.get(attempt["student_id"])
        if row is None or attempt["exercise_id"] not in wanted:
            continue
        row.progress.setdefault(attempt["exercise_id"], Progress([], counting)).attempts.append(attempt)
    possible = sum(exercise.max_points for exercise in exercises)
    for row in by_student.values():
        earned = sum(row.progress[ex.id].score * ex.max_points for ex in exercises if ex.id in row.progress)
        row.total = round(earned / possible, 4) if possible else 0.0
    return list(by_student.values())


def sort_rows(rows: list[StudentScores], key: str, descending: bool) -> list[StudentScores]:
    """Sort by "name", "total", "last" (activity) or an exercise id; not attempted sorts lowest."""
    def sort_key(row: StudentScores):
        name = row.student["name"].casefold()
        if key == "name":
            return (name, row.student["id"])
        if key == "total":
            return (row.total, name)
        if key == "last":
            return (row.last_activity or "", name)
        return (row.progress[key].score if key in row.progress else -1.0, name)

    return sorted(rows, key=sort_key, reverse=descending)


@dataclass(frozen=True)
class ColumnSummary:
    attempted: int  # students with at least one attempt
    mean: float | None  # mean counting score of those students


def column_summaries(rows: list[StudentScores], exercises: list[Exercise]) -> dict[str, ColumnSummary]:
    summaries = {}
    for exercise in exercises:
        scores = [row.progress[exercise.id].score for row in rows if exercise.id in row.progress]
        summaries[exercise.id] = ColumnSummary(len(scores), round(sum(scores) / len(scores), 4) if scores else None)
    return summaries


# --- per exercise: what the class found hard -----------------------------------------------------


@dataclass(frozen=True)
class ItemCount:
    text: str
    count: int
    question: str | None = None  # quiz options name their question
    start: int | None = None  # marking items name their place in the article


@dataclass
class ExerciseStats:
    students: int
    missed: list[ItemCount]  # key items (or correct options) most often missed first
    false_alarms: list[ItemCount]  # non-items (or wrong options) most often marked first
    distribution: list[tuple[str, int]]  # (score band, students)


def counted_attempts(rows: list[StudentScores], exercise_id: str) -> list[dict]:
    return [row.progress[exercise_id].counted for row in rows if exercise_id in row.progress]


def _tally(results: list, key: str) -> list[ItemCount]:
    counts: Counter = Counter()
    for result in results:
        counts.update({(item.text, item.question, item.start) for item in getattr(result, key)})
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0][2] or 0, pair[0][1] or "", pair[0][0]))
    return [ItemCount(text, count, question, start) for (text, question, start), count in ordered]


def exercise_stats(rows: list[StudentScores], exercise: Exercise) -> ExerciseStats:
    """Counts over each student's counting attempt, so a student who retried counts once."""
    attempts = counted_attempts(rows, exercise.id)
    results = [restored_result(exercise, attempt) for attempt in attempts]
    bands = Counter(min(int(attempt["score"] * len(DISTRIBUTION_LABELS)), len(DISTRIBUTION_LABELS) - 1)
                    for attempt in attempts)
    return ExerciseStats(
        students=len(attempts),
        missed=_tally(results, "missed"),
        false_alarms=_tally(results, "false_alarms"),
        distribution=[(label, bands[index]) for index, label in enumerate(DISTRIBUTION_LABELS)],
    )


def heat_shares(exercise: Exercise, rows: list[StudentScores]) -> tuple[list[float], int]:
    """Per unit of a marking exercise, the share of students whose counting attempt marked it."""
    attempts = counted_attempts(rows, exercise.id)
    marked: Counter = Counter()
    for attempt in attempts:
        marked.update(exercise.plugin.marked_units(exercise, orjson.loads(attempt["answer"])))
    units = exercise.article.units(exercise.unit)
    if not attempts:
        return [0.0] * len(units), 0
    return [marked[index] / len(attempts) for index in range(len(units))], len(attempts)


def key_units(exercise: Exercise) -> dict[int, bool]:
    """The units of a marking exercise that its key items cover: unit index -> item is required."""
    return {index: any(item.required for item in items)
            for index, items in enumerate(exercise.items_by_unit) if items}


# --- "What the class found hard", as the teacher reads it to the class ------------------------------

HARD_LIST_LENGTH = 10


def top_items(items: list[ItemCount], limit: int = HARD_LIST_LENGTH, min_count: int = 1
              ) -> tuple[list[ItemCount], int]:
    """The first `limit` items counted at least `min_count` times (items come most counted first),
    and how many others were left out."""
    shown = [item for item in items if item.count >= min_count][:limit]
    return shown, len(items) - len(shown)


def repeated_word_sentences(exercise: Exercise, items: list[ItemCount]) -> dict[int, str]:
    """For each item whose text occurs more than once in the article: the sentence it is in, by the
    item's start, so "said" on the list says which "said" was meant."""
    if exercise.article is None:
        return {}
    text = exercise.article.text
    sentences = exercise.article.sentences
    result = {}
    for item in items:
        if item.start is None or not item.text.strip():
            continue
        pattern = r"(?<!\w)" + re.escape(item.text) + r"(?!\w)"
        if len(re.findall(pattern, text, flags=re.IGNORECASE)) > 1:
            sentence = next((s for s in sentences if s.start <= item.start < s.end), None)
            if sentence is not None:
                result[item.start] = text[sentence.start:sentence.end]
    return result
