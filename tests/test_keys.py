"""The answer keys resist naive strategies (bench/naive.py holds the strategies and checks)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("naive", ROOT / "bench" / "naive.py")
naive = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(naive)


def marking_exercises(catalog):
    return [e for e in catalog.exercises.values() if e.kind != "quiz"]


@pytest.mark.parametrize("strategy", list(naive.STRATEGIES))
def test_no_naive_strategy_scores_above_a_quarter(catalog, strategy):
    for exercise in marking_exercises(catalog):
        value = naive.score(exercise, naive.spans_for(exercise, strategy))
        assert value <= naive.MARKING_LIMIT, f"{exercise.id}: {strategy} scores {value}"


def test_instructions_never_name_an_answer(catalog):
    for exercise in marking_exercises(catalog):
        assert naive.named_in_instructions(exercise) == [], exercise.id


def test_instructions_state_the_scoring_rule(catalog):
    for exercise in marking_exercises(catalog):
        assert "cancels one you found" in exercise.instructions, exercise.id


def test_distractors_lie_on_units_and_off_the_key(catalog):
    distractors = naive.raw_distractors(ROOT)
    for exercise in marking_exercises(catalog):
        assert distractors.get(exercise.id), f"{exercise.id} has no distractors"
        assert naive.distractor_problems(exercise, distractors[exercise.id]) == [], exercise.id


def test_quiz_shortcuts_score_no_better_than_random(catalog):
    quizzes = [e for e in catalog.exercises.values() if e.kind == "quiz"]
    assert quizzes
    for quiz in quizzes:
        first, every, rand_all, rand_multi, per_question = naive.quiz_rows(quiz)
        assert first <= rand_all, quiz.id
        for q_id, q_type, _, _, _, q_every, q_rand in per_question:
            if q_type == "multiple":
                assert q_every <= q_rand, q_id


def test_teacher_notes_cite_no_file_paths_and_spell_plurals_out(catalog):
    import re

    for lesson in catalog.lessons.values():
        notes = lesson.teacher_notes.markdown
        assert not re.search(r"[\w-]+/[\w.-]+\.(?:ya?ml|txt|md|py)\b", notes), lesson.slug
        assert "(s)" not in notes, lesson.slug


def test_instructions_suit_every_way_of_marking(catalog):
    """The same instructions head the clickable page and the no-JavaScript checkbox form."""
    for exercise in catalog.exercises.values():
        assert "click" not in exercise.instructions.lower(), exercise.id
