"""The grading rules of the built-in kinds, on the real case study and its real answer key."""

from __future__ import annotations

import json
from bisect import bisect_left
from itertools import accumulate

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.domain.kinds import KINDS, AnswerError, grade
from webapp.domain.kinds.base import KEY_CHANGED
from webapp.domain.kinds.marking import MarkingKind
from webapp.domain.kinds.quiz import QuizKind

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def unit_span(exercise, index):
    unit = exercise.article.units(exercise.unit)[index]
    return (unit.start, unit.end)


def item_spans(exercise, status=None):
    return [(i.start, i.end) for i in exercise.items if status is None or i.status == status]


def all_units(exercise):
    return [(u.start, u.end) for u in exercise.article.units(exercise.unit)]


def on_key_units(exercise, status=None):
    """Indices of units that lie on a key item (of the given status): a unit overlaps an item when
    some item starting before the unit's end ends after its start (linear: hypothesis calls this
    for every example)."""
    spans = sorted(item_spans(exercise, status))
    starts = [start for start, _ in spans]
    furthest_end = list(accumulate((end for _, end in spans), max, initial=-1))
    return [i for i, u in enumerate(exercise.article.units(exercise.unit))
            if furthest_end[bisect_left(starts, u.end)] > u.start]


def off_key_units(exercise):
    on = set(on_key_units(exercise))
    return [i for i in range(len(exercise.article.units(exercise.unit))) if i not in on]


EXERCISES = ["hedge", "unsourced", "filler"]


@pytest.fixture(params=EXERCISES)
def exercise(request):
    return request.getfixturevalue(request.param)


def test_registry_has_one_plugin_per_kind():
    assert isinstance(KINDS["hedge"], MarkingKind) and KINDS["hedge"].unit == "word"
    assert isinstance(KINDS["unsourced"], MarkingKind) and KINDS["unsourced"].unit == "sentence"
    assert isinstance(KINDS["seo_filler"], MarkingKind) and KINDS["seo_filler"].unit == "sentence"
    assert isinstance(KINDS["quiz"], QuizKind)


def test_exact_required_set_scores_one(exercise):
    result = grade(exercise, item_spans(exercise, "required"))
    assert result.score == 1.0
    assert result.points == result.max_points == exercise.max_points
    assert not result.missed and not result.false_alarms


def test_required_plus_acceptable_still_scores_one(exercise):
    assert grade(exercise, item_spans(exercise)).score == 1.0


def test_empty_selection_scores_zero(exercise):
    result = grade(exercise, [])
    assert result.score == 0 and result.points == 0
    assert len(result.missed) == exercise.max_points


def test_selecting_everything_scores_at_most_a_fifth(exercise):
    assert grade(exercise, all_units(exercise)).score <= 0.2


def test_whole_text_as_one_span_scores_at_most_a_fifth(exercise):
    assert grade(exercise, [(0, len(exercise.article.text))]).score <= 0.2


def find_item(exercise, text):
    return next(i for i in exercise.items if i.text == text)


@pytest.mark.parametrize("marked", ["may", "may have"])
def test_marking_may_or_may_have_finds_the_item_may_have(hedge, marked):
    item = find_item(hedge, "may have")
    span = (item.start, item.start + len(marked))
    result = grade(hedge, [span])
    assert [f.text for f in result.found] == ["may have"]
    assert result.false_alarms == []


def test_marking_a_whole_sentence_does_not_find_the_hedge_inside_it(hedge):
    item = find_item(hedge, "may have")
    sentence = next(s for s in hedge.article.sentences if s.start <= item.start < s.end)
    result = grade(hedge, [(sentence.start, sentence.end)])
    assert "may have" not in [f.text for f in result.found]
    assert result.score == 0
    assert result.notes, "the learner is told why the hedge did not count"


def test_result_lists_found_missed_and_false_alarms_with_explanations(hedge):
    required = [i for i in hedge.items if i.required]
    stray = off_key_units(hedge)[5]
    result = grade(hedge, [(required[0].start, required[0].end), unit_span(hedge, stray)])
    assert [f.text for f in result.found] == [required[0].text]
    assert result.found[0].explanation == required[0].explanation
    assert len(result.missed) == len(required) - 1
    assert all(m.explanation for m in result.missed)
    assert len(result.false_alarms) == 1 and result.false_alarms[0].explanation
    assert result.points == 0  # one found, one false alarm
    data = result.as_dict()
    assert set(data["found"][0]) == {"start", "end", "text", "explanation"}


def test_acceptable_items_are_neutral(hedge):
    acceptable = [i for i in hedge.items if not i.required]
    assert acceptable, "the key marks borderline cues as acceptable"
    result = grade(hedge, [(i.start, i.end) for i in acceptable])
    assert result.false_alarms == [] and result.found == [] and result.score == 0


def test_each_false_alarm_costs_one_point(unsourced):
    required = item_spans(unsourced, "required")
    strays = [unit_span(unsourced, i) for i in off_key_units(unsourced)[:3]]
    result = grade(unsourced, required + strays)
    assert result.points == unsourced.max_points - 3


@st.composite
def selections(draw, exercise):
    count = len(exercise.article.units(exercise.unit))
    return draw(st.sets(st.integers(0, count - 1), max_size=60))


def spans_of(exercise, indices):
    return [unit_span(exercise, i) for i in sorted(indices)]


def scores_before_and_after_adding(request, name, data, candidates):
    """Score a random selection, then the same selection plus one unit drawn from `candidates`."""
    exercise = request.getfixturevalue(name)
    chosen = data.draw(selections(exercise))
    extra = data.draw(st.sampled_from(candidates(exercise)))
    before = grade(exercise, spans_of(exercise, chosen)).score
    return before, grade(exercise, spans_of(exercise, chosen | {extra})).score


@pytest.mark.parametrize("name", EXERCISES)
@FAST
@given(data=st.data())
def test_adding_a_correct_mark_never_lowers_the_score(request, name, data):
    before, after = scores_before_and_after_adding(request, name, data, lambda ex: on_key_units(ex, "required"))
    assert after >= before


@pytest.mark.parametrize("name", EXERCISES)
@FAST
@given(data=st.data())
def test_adding_a_false_alarm_never_raises_the_score(request, name, data):
    before, after = scores_before_and_after_adding(request, name, data, off_key_units)
    assert after <= before


@pytest.mark.parametrize("name", EXERCISES)
@FAST
@given(data=st.data())
def test_score_is_bounded_and_grading_is_idempotent(request, name, data):
    exercise = request.getfixturevalue(name)
    spans = spans_of(exercise, data.draw(selections(exercise)))
    first, second = grade(exercise, spans), grade(exercise, spans + spans)
    assert 0.0 <= first.score <= 1.0
    assert first == second  # marking the same units twice changes nothing


def test_spans_snap_to_units_regardless_of_exact_offsets(hedge):
    item = next(i for i in hedge.items if i.required and len(i.text) > 4)
    inside = (item.start + 1, item.end - 1)
    assert [f.text for f in grade(hedge, [inside]).found] == [item.text]


@pytest.mark.parametrize("name", EXERCISES)
@FAST
@given(data=st.data())
def test_any_spans_grade_as_their_stored_form(request, name, data):
    """Grading looks whole units up and snaps anything else: both ways mark the same units."""
    exercise = request.getfixturevalue(name)
    length = len(exercise.article.text)
    spans = data.draw(st.lists(st.tuples(st.integers(0, length - 1), st.integers(1, 40)).map(
        lambda pair: [pair[0], min(pair[0] + pair[1], length)]), max_size=8))
    stored = exercise.plugin.parse_answer(exercise, {"spans": spans})
    assert exercise.plugin.marked_indices(exercise, spans) == exercise.plugin.snap(exercise, spans)
    assert exercise.plugin.marked_indices(exercise, stored) == exercise.plugin.snap(exercise, stored)
    assert grade(exercise, spans) == grade(exercise, stored)


@pytest.mark.parametrize("value, message", [
    ("nope", "must be a list"),
    ([[1]], "two integers"),
    ([[1, "2"]], "two integers"),
    ([[True, 2]], "two integers"),
    ([[5, 5]], "less than end"),
    ([[-1, 3]], "within the text"),
    ([[0, 10**9]], "within the text"),
    ([[0, 1]] * 11, "too many spans"),
])
def test_parse_spans_rejects_malformed_answers(demo_catalog, value, message):
    exercise = demo_catalog.exercises["demo-unsourced"]  # 100 and more characters, 10 or fewer sentences
    value = [[0, len(exercise.article.text) + 1]] if value == [[0, 10**9]] else value
    if value == [[0, 1]] * 11:
        value = [[0, 1]] * (len(exercise.article.units("sentence")) + 1)
    with pytest.raises(AnswerError, match=message):
        exercise.plugin.parse_answer(exercise, {"spans": value})


def test_quiz_grader_rewards_right_options_and_charges_wrong_ones(catalog):
    quiz = catalog.exercises["cz-pardon-quiz"]
    right = {q.id: [o.id for o in q.options if o.correct] for q in quiz.questions}
    assert grade(quiz, right).score == 1.0
    assert grade(quiz, {}).score == 0.0
    first = quiz.questions[0]
    wrong = [o.id for o in first.options if not o.correct][:1]
    result = grade(quiz, {first.id: wrong})
    assert result.score == 0 and result.false_alarms[0].explanation
    assert all(f.question for f in result.found + result.missed + result.false_alarms)


@pytest.mark.parametrize("name", ["hedge", "unsourced", "quiz"])
def test_stored_form_expands_back_to_the_full_result(request, catalog, name):
    exercise = catalog.exercises["cz-pardon-quiz"] if name == "quiz" else request.getfixturevalue(name)
    if name == "quiz":
        answer = {q.id: [q.options[0].id] for q in exercise.questions}
    else:
        answer = item_spans(exercise, "required")[::2] + [unit_span(exercise, off_key_units(exercise)[3])]
    result = grade(exercise, answer)
    stored = result.stored_form()
    assert len(json.dumps(stored)) < len(json.dumps(result.as_dict())) / 3  # references, not texts
    restored = exercise.plugin.restore(exercise, answer, json.loads(json.dumps(stored)), result.points)
    assert restored.as_dict() == result.as_dict()


def test_an_item_taken_off_the_key_later_still_shows(hedge):
    from dataclasses import replace

    item = next(i for i in hedge.items if i.required)
    result = grade(hedge, [(item.start, item.end)])
    revised = replace(hedge, items=[i for i in hedge.items if i is not item])
    found = hedge.plugin.restore(revised, [], result.stored_form(), result.points).as_dict()["found"]
    assert found == [{"text": item.text, "explanation": KEY_CHANGED, "start": item.start, "end": item.end}]
