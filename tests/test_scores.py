"""Scores derived from the attempts log (pure: no app, no database)."""

from __future__ import annotations

import json

import pytest
from classroom_support import (
    COUNCIL_SENTENCE,
    DEMO_ARTICLE,
    DEMO_KEY,
    LIKELY,
    MAY_HAVE,
    OFFICIALS_SENTENCE,
    REPORTEDLY,
    TUESDAY,
)
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain import scores
from webapp.domain.content import ArticleStore, parse_quiz_file
from webapp.domain.kinds import grade

ARTICLES = ArticleStore(None, {"seeds/bus.txt": DEMO_ARTICLE})
EXERCISES = {ex.id: ex for ex in parse_quiz_file(DEMO_KEY, "demo.yaml", ARTICLES)}
HEDGE, UNSOURCED, QUIZ = EXERCISES["demo-hedge"], EXERCISES["demo-unsourced"], EXERCISES["demo-quiz"]
ADA, ALAN, GRACE = ({"id": n, "name": name, "roster_id": None} for n, name in enumerate(["Ada", "alan", "Grace"], 1))


class Log:
    """Builds attempts rows the way the store records them."""

    def __init__(self):
        self.rows = []

    def add(self, student, exercise, answer, minute: int):
        result = grade(exercise, answer)
        self.rows.append({
            "id": len(self.rows) + 1, "student_id": student["id"], "exercise_id": exercise.id,
            "answer": json.dumps(answer), "points": result.points, "max_points": result.max_points,
            "score": result.score, "result": json.dumps(result.stored_form()),
            "created_at": f"2025-03-04T09:{minute:02d}:00",
        })
        return self


def scored(log, counting="best", exercises=(HEDGE, UNSOURCED, QUIZ)):
    return scores.class_scores([ADA, ALAN, GRACE], list(exercises), log.rows, counting)


@pytest.fixture
def log():
    return (Log()
            .add(ADA, HEDGE, [MAY_HAVE, LIKELY, REPORTEDLY], 1)  # 3/3
            .add(ADA, HEDGE, [MAY_HAVE], 2)  # 1/3, later
            .add(ADA, QUIZ, {"source": ["a"], "hedges": ["a", "b"]}, 3)  # 2/2
            .add(ALAN, UNSOURCED, [OFFICIALS_SENTENCE, COUNCIL_SENTENCE], 4)  # 1 found - 1 false alarm = 0/2
            .add(ALAN, HEDGE, [MAY_HAVE, TUESDAY], 5))  # 1 - 1 = 0/3


def test_best_counts_by_default_and_last_when_chosen(log):
    ada = scored(log)[0]
    assert ada.progress["demo-hedge"].score == 1.0
    assert scored(log, "last")[0].progress["demo-hedge"].score == 0.3333
    assert len(ada.progress["demo-hedge"].attempts) == 2


def test_best_keeps_the_first_of_equal_scores():
    log = Log().add(ADA, HEDGE, [MAY_HAVE], 1).add(ADA, HEDGE, [LIKELY], 2)
    assert scored(log)[0].progress["demo-hedge"].counted["id"] == 1


def test_total_weighs_exercises_by_their_points_and_counts_missing_ones_as_zero(log):
    ada, alan, grace = scored(log)
    assert ada.total == round((1.0 * 3 + 1.0 * 2) / (3 + 2 + 2), 4)  # hedge 3 of 3, quiz 2 of 2, unsourced not done
    assert scored(log, "last")[0].total == round((1 + 2) / 7, 4)
    assert alan.total == 0.0
    assert grace.total == 0.0 and grace.progress == {} and grace.last_activity is None
    assert ada.last_activity == "2025-03-04T09:03:00"


def test_attempts_outside_the_class_exercises_or_students_are_ignored(log):
    log.add({"id": 99, "name": "Other"}, HEDGE, [MAY_HAVE], 6)
    rows = scored(log, exercises=[HEDGE])
    assert [row.student["name"] for row in rows] == ["Ada", "alan", "Grace"]
    assert "demo-quiz" not in rows[0].progress and rows[0].total == 1.0


def test_unknown_counting_rule_is_refused(log):
    with pytest.raises(ValueError, match="counting rule"):
        scored(log, "average")


@pytest.mark.parametrize("key, descending, expected", [
    ("name", False, ["Ada", "alan", "Grace"]),
    ("name", True, ["Grace", "alan", "Ada"]),
    ("total", True, ["Ada", "Grace", "alan"]),
    ("last", True, ["alan", "Ada", "Grace"]),
    ("demo-unsourced", True, ["alan", "Grace", "Ada"]),  # not attempted sorts lowest
    ("demo-hedge", False, ["Grace", "alan", "Ada"]),
])
def test_sorting(log, key, descending, expected):
    rows = scores.sort_rows(scored(log), key, descending)
    assert [row.student["name"] for row in rows] == expected


def test_column_summaries_average_the_students_who_tried(log):
    summaries = scores.column_summaries(scored(log), [HEDGE, UNSOURCED, QUIZ])
    assert summaries["demo-hedge"] == scores.ColumnSummary(attempted=2, mean=0.5)
    assert summaries["demo-quiz"] == scores.ColumnSummary(attempted=1, mean=1.0)
    assert scores.column_summaries(scored(Log()), [HEDGE])["demo-hedge"] == scores.ColumnSummary(0, None)


def test_exercise_stats_count_each_students_counting_attempt(log):
    stats = scores.exercise_stats(scored(log), HEDGE)
    assert stats.students == 2
    # Ada's best attempt missed nothing; Alan's missed "likely" and "reportedly".
    assert [(item.text, item.count) for item in stats.missed] == [("likely", 1), ("reportedly", 1)]
    assert [(item.text, item.count, item.start) for item in stats.false_alarms] == [("Tuesday", 1, 66)]
    assert stats.distribution == [("0–19%", 1), ("20–39%", 0), ("40–59%", 0), ("60–79%", 0), ("80–100%", 1)]


def test_exercise_stats_of_a_quiz_name_the_question(log):
    log.add(GRACE, QUIZ, {"source": ["b"], "hedges": ["a", "c"]}, 7)
    stats = scores.exercise_stats(scored(log), QUIZ)
    assert [(item.question, item.text, item.count) for item in stats.false_alarms] == [
        ("hedges", "Tuesday", 1), ("source", "The opening date", 1)]
    assert ("source", "The ridership figure", 1) in [(i.question, i.text, i.count) for i in stats.missed]


def test_exercise_stats_with_no_attempts():
    stats = scores.exercise_stats(scored(Log()), HEDGE)
    assert stats.students == 0 and stats.missed == [] and sum(count for _, count in stats.distribution) == 0


def test_heat_shares_per_unit(log):
    shares, students = scores.heat_shares(HEDGE, scored(log))
    assert students == 2
    units = {HEDGE.article.text[u.start:u.end]: i for i, u in enumerate(HEDGE.article.units("word"))}
    assert shares[units["may"]] == shares[units["have"]] == 1.0  # both counting attempts marked it
    assert shares[units["likely"]] == shares[units["Tuesday"]] == 0.5
    assert shares[units["council"]] == 0.0
    assert scores.heat_shares(HEDGE, scored(Log())) == ([0.0] * len(HEDGE.article.words), 0)


def test_key_units_outline_required_and_acceptable_items():
    words = [HEDGE.article.text[u.start:u.end] for u in HEDGE.article.units("word")]
    assert {words[i]: required for i, required in scores.key_units(HEDGE).items()} == {
        "may": True, "have": True, "said": False, "likely": True, "reportedly": True}
    assert sorted(scores.key_units(UNSOURCED)) == [2, 4]


@given(st.lists(st.tuples(st.sampled_from([ADA, ALAN]), st.sets(st.sampled_from(
    [tuple(MAY_HAVE), tuple(LIKELY), tuple(REPORTEDLY), tuple(TUESDAY)]))), max_size=12))
def test_best_never_scores_below_last_and_totals_stay_fractions(attempts):
    log = Log()
    for minute, (student, spans) in enumerate(attempts):
        log.add(student, HEDGE, sorted(list(span) for span in spans), minute)
    for best, last in zip(scored(log), scored(log, "last"), strict=True):
        assert 0.0 <= last.total <= best.total <= 1.0
