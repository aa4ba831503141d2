"""Marking an article, unit by unit: the rules shared by word marking and sentence marking.

Pure module. How a marking answer is graded (README, "How answers are scored"):
- The learner's character spans are snapped to the exercise's units (words or sentences): a
  unit is marked when any span overlaps it.
- A marked unit that touches no key item (required or acceptable) is a *false alarm*. Its
  explanation is the distractor's own when the key lists it as a tempting non-item, otherwise
  the kind's reason for that very mark (`false_alarm_reason`).
- A key item is *found* when one of its units is marked and the marks in that unit's sentence
  are mostly on target: no more false alarms in the sentence than marked units on key items.
  So marking "may" or "may have" finds the item "may have", while marking a whole sentence
  does not count as finding the hedge inside it.
- points = max(required items found - false alarms, 0); max_points = number of required items;
  score = points / max_points. Acceptable items are neutral: never required, never penalised;
  the ones the learner marked are listed as "acceptable" so they can see the marks were seen.

These rules are monotone: adding a mark on a key item never lowers the score, adding a false
alarm never raises it (tests/test_grading.py checks both with hypothesis).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping

import orjson

from ..article import Unit
from ..model import STATUSES, Exercise, KeyItem, Problem, text_field
from .base import KEY_CHANGED, AnswerError, ExerciseKind, Feedback, GradeResult

MAX_ENTRIES = 1000  # items or distractors of one exercise: more than any article needs, and a bound on work
CANCEL_NOTE = "Each mark that is not on the key cancels one that you found, so your score is lower than your finds."


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined, in order: snapping then costs one pass over the text,
    however many overlapping spans a request sends."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


class MarkingKind(ExerciseKind):
    needs_article = True
    answer_field = "spans"
    page_template = "learn/kinds/marking.html"
    feedback_template = "learn/kinds/marking_feedback.html"
    solution_template = "learn/kinds/marking_solution.html"

    # --- content ---
    def parse_key(self, raw: dict, exercise: Exercise, source: str, where: str, problems: list[Problem]) -> None:
        exercise.items = self._parse_entries(raw, "items", exercise, source, where, problems, required=True)
        exercise.distractors = self._parse_entries(raw, "distractors", exercise, source, where, problems,
                                                   required=False)
        for distractor in exercise.distractors:
            clash = next((item for item in exercise.items
                          if item.start < distractor.end and distractor.start < item.end), None)
            if clash:
                problems.append(Problem(source, None, f"{where}: the distractor {distractor.text[:40]!r} overlaps "
                                                      f"the key item {clash.text[:40]!r}"))

    def _parse_entries(self, raw, name, exercise, source, where, problems, required) -> list[KeyItem]:
        raw_items = raw.get(name)
        if raw_items is None and not required:
            return []
        if not isinstance(raw_items, list) or (required and not raw_items):
            problems.append(Problem(source, raw["__line__"], f"{where}: missing '{name}' (a list)"))
            return []
        units = exercise.article.units(self.unit)
        starts, ends = {u.start for u in units}, {u.end for u in units}
        singular = "item" if required else "distractor"
        if len(raw_items) > MAX_ENTRIES:
            problems.append(Problem(source, raw["__line__"], f"{where}: at most {MAX_ENTRIES} {singular}s "
                                                             f"(this one has {len(raw_items)})"))
            return []
        items: list[KeyItem] = []
        lines: dict[int, tuple[int, str]] = {}
        for index, entry in enumerate(raw_items, 1):
            if not isinstance(entry, dict):
                problems.append(Problem(source, None, f"{where}, {singular} {index}: must be a mapping"))
                continue
            line = entry["__line__"]
            label = f"{where}, {singular} {index}"
            text, occurrence = entry.get("text"), entry.get("occurrence", 1)
            status = entry.get("status") if required else "distractor"
            explanation = text_field(entry, "explanation", source, label, problems)
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(source, line, f"{label}: missing 'text'"))
                continue
            label = f"{label} ({text[:40]!r})"
            if required and status not in STATUSES:
                problems.append(Problem(source, line, f"{label}: status must be required or acceptable, "
                                                      f"not {status!r}"))
                continue
            if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1:
                problems.append(Problem(source, line, f"{label}: occurrence must be a whole number from 1"))
                continue
            span = exercise.article.find(text, occurrence)
            if span is None:
                problems.append(Problem(source, line, f"{label}: text not found in the article "
                                                      f"(occurrence {occurrence})"))
                continue
            if span[0] not in starts or span[1] not in ends:
                problems.append(Problem(source, line, f"{label}: does not start and end on {self.unit} boundaries"))
                continue
            items.append(KeyItem(span[0], span[1], text, status, explanation))
            lines[id(items[-1])] = (line, label)
        # One sweep over the items in text order (comparing every pair made saving a teacher's
        # case study of a few hundred items take seconds).
        reach = None  # the item, so far, that reaches furthest into the text
        for item in sorted(items, key=lambda item: (item.start, item.end)):
            if reach is not None and item.start < reach.end and (not required or item.required or reach.required):
                line, label = lines[id(item)]
                problems.append(Problem(source, line, f"{label}: overlaps the {singular} {reach.text[:40]!r}"))
            if reach is None or item.end > reach.end:
                reach = item
        if required and items and not any(item.required for item in items):
            problems.append(Problem(source, raw["__line__"], f"{where}: needs at least one required item"))
        return sorted(items, key=lambda item: item.start)

    def max_points(self, exercise: Exercise) -> int:
        return len(exercise.required_items)

    def key_texts(self, exercise: Exercise) -> list[str]:
        return [item.text for item in exercise.items]

    # --- answers ---
    def parse_spans(self, exercise: Exercise, value) -> list[tuple[int, int]]:
        """Validate a JSON `spans` value: a list of [start, end] integer pairs inside the text.

        At most one span per unit: no learner needs more, and the bound keeps a request's cost
        in proportion to the article."""
        text_length = len(exercise.article.text)
        max_spans = len(exercise.article.units(self.unit))
        if not isinstance(value, list):
            raise AnswerError("'spans' must be a list of [start, end] pairs")
        if len(value) > max_spans:
            raise AnswerError(f"too many spans: {len(value)} (at most {max_spans}, one per {self.unit})")
        spans = []
        for index, pair in enumerate(value):
            # type() is int: JSON's true and false are bools, which isinstance would take for ints.
            if not isinstance(pair, list) or len(pair) != 2 or type(pair[0]) is not int or type(pair[1]) is not int:
                raise AnswerError(f"span {index}: expected [start, end] as two integers")
            start, end = pair
            if start >= end:
                raise AnswerError(f"span {index}: start must be less than end")
            if start < 0 or end > text_length:
                raise AnswerError(f"span {index}: offsets must lie within the text (0..{text_length})")
            spans.append((start, end))
        return spans

    def snap(self, exercise: Exercise, spans: list[tuple[int, int]]) -> set[int]:
        """Indices of the exercise's units that any span overlaps."""
        units = exercise.article.units(self.unit)
        ends = exercise.article.unit_ends(self.unit)
        marked = set()
        for start, end in merge_spans(spans):
            index = bisect.bisect_right(ends, start)
            while index < len(units) and units[index].start < end:
                marked.add(index)
                index += 1
        return marked

    def unit_spans(self, exercise: Exercise, indices) -> list[list[int]]:
        """The stored form of a marking answer: the marked units' [start, end], in order."""
        units = exercise.article.units(self.unit)
        return [[units[i].start, units[i].end] for i in sorted(indices)]

    def parse_answer(self, exercise: Exercise, body: Mapping) -> list[list[int]]:
        return self.unit_spans(exercise, self.marked_indices(exercise, self.parse_spans(exercise, body.get("spans"))))

    def answer_from_form(self, exercise: Exercise, form: Mapping) -> list[list[int]]:
        try:  # orjson: a body nested too deeply is a ValueError, not a RecursionError
            value = orjson.loads(form.get("spans") or "[]")
        except ValueError:
            raise AnswerError("Your marks could not be read. Please mark again and check.") from None
        return self.parse_answer(exercise, {"spans": value})

    def marked_units(self, exercise: Exercise, answer) -> set[int]:
        """The units a stored (or draft) answer marks; an answer that no longer fits the text marks none."""
        try:
            return self.marked_indices(exercise, self.parse_spans(exercise, answer or []))
        except AnswerError:
            return set()

    # --- grading ---
    def marked_indices(self, exercise: Exercise, answer) -> set[int]:
        """The units an answer marks. An answer in its stored form (each span one whole unit, as
        `parse_answer` leaves it) is looked up unit by unit; any other spans are snapped."""
        index_of = exercise.article.unit_index(self.unit)
        marked = set()
        for span in answer:
            index = index_of.get(tuple(span))
            if index is None:
                return self.snap(exercise, [tuple(span) for span in answer])
            marked.add(index)
        return marked

    def grade(self, exercise: Exercise, answer) -> GradeResult:
        units = exercise.article.units(self.unit)
        marked = self.marked_indices(exercise, answer)
        items_of_unit = exercise.items_by_unit
        on_key: dict[int, int] = {}
        stray: dict[int, int] = {}
        for index in marked:
            counts = on_key if items_of_unit[index] else stray
            sentence = units[index].sentence
            counts[sentence] = counts.get(sentence, 0) + 1
        swamped = {sentence for sentence, count in on_key.items() if stray.get(sentence, 0) > count}
        touched = {item for index in marked for item in items_of_unit[index]}
        found_items = {item for index in marked if units[index].sentence not in swamped
                       for item in items_of_unit[index]}
        feedback = self.item_feedback(exercise)
        found, missed = [], []
        for item in exercise.required_items:
            (found if item in found_items else missed).append(feedback[item])
        acceptable = [feedback[item] for item in exercise.items if item in touched and not item.required]
        false_alarms = [self.false_alarm(exercise, index) for index in sorted(marked) if not items_of_unit[index]]
        points = max(len(found) - len(false_alarms), 0)
        notes = []
        if swamped:
            count = len(swamped)
            notes.append(f"In {count} {'sentence' if count == 1 else 'sentences'} you marked more words that are "
                         "not on the key than words that are, so the key items there were not counted: "
                         "mark just the words that matter.")
        if false_alarms and found:
            notes.append(CANCEL_NOTE)
        return GradeResult(points, len(exercise.required_items), found, missed, false_alarms, acceptable, notes)

    # A check's feedback depends on the key and the marked units alone, so each item's and each
    # unit's is made once per exercise and shared by every check (a Feedback never changes).
    def item_feedback(self, exercise: Exercise) -> dict[KeyItem, Feedback]:
        """Each key item's feedback: its text and explanation where it is."""
        feedback = exercise.memo.get("item_feedback")
        if feedback is None:
            feedback = exercise.memo["item_feedback"] = {
                item: Feedback(item.text, item.explanation, item.start, item.end) for item in exercise.items}
        return feedback

    def false_alarm(self, exercise: Exercise, index: int) -> Feedback:
        """The feedback on marking unit `index` when it touches no key item: the distractor's
        explanation where the key lists one there, otherwise the kind's reason for that unit (the
        sentence kinds try several patterns on the sentence)."""
        made = exercise.memo.setdefault("false_alarms", {})
        feedback = made.get(index)
        if feedback is None:
            unit = exercise.article.units(self.unit)[index]
            distractor = exercise.distractors_by_unit[index]
            explanation = distractor.explanation if distractor else self.false_alarm_reason(exercise, unit)
            feedback = made[index] = Feedback(exercise.article.text[unit.start:unit.end], explanation, unit.start,
                                              unit.end)
        return feedback

    def false_alarm_reason(self, exercise: Exercise, unit: Unit) -> str:
        """Why this marked unit is not on the key, true of this unit (subclasses decide which reason)."""
        raise NotImplementedError

    def restore(self, exercise: Exercise, answer, stored: dict, points: float) -> GradeResult:
        items = {(item.start, item.end): item for item in exercise.items}
        feedback = self.item_feedback(exercise)
        ends = exercise.article.unit_ends(self.unit)
        units = exercise.article.units(self.unit)

        def keyed(reference) -> Feedback:
            start, end = reference
            item = items.get((start, end))
            return feedback[item] if item else Feedback(exercise.article.text[start:end], KEY_CHANGED, start, end)

        def stray(reference) -> Feedback:
            index = bisect.bisect_right(ends, reference[0])
            if index < len(units) and units[index].start == reference[0]:
                return self.false_alarm(exercise, index)
            return Feedback(exercise.article.text[reference[0]:reference[1]], KEY_CHANGED, *reference)

        return GradeResult(
            points, self.max_points(exercise),
            [keyed(ref) for ref in stored.get("found", [])], [keyed(ref) for ref in stored.get("missed", [])],
            [stray(ref) for ref in stored.get("false_alarms", [])],
            [keyed(ref) for ref in stored.get("acceptable", [])], stored.get("notes", []),
        )

    # --- what learners see ---
    def public_detail(self, exercise: Exercise, learner_key: str) -> dict:
        return {"text": exercise.article.text,
                "units": [{"id": u.id, "start": u.start, "end": u.end} for u in exercise.article.units(self.unit)]}

    def page_context(self, exercise: Exercise, learner_key: str, draft) -> dict:
        marked = self.marked_units(exercise, draft)
        return {"marked": marked, "spans": self.unit_spans(exercise, marked)}

