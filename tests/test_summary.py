"""The lesson flow ends in a per-skill summary: case study beside transfer."""

from __future__ import annotations

import json

import pytest

from webapp.domain.summary import class_skill_summary, skill_summary


def required_spans(exercise):
    return [[i.start, i.end] for i in exercise.items if i.required]


def test_flow_order_is_teaching_case_study_quiz_transfer(catalog):
    lesson = catalog.lessons["cz-pardon"]
    kinds = [(e.kind, lesson.role_of(e)) for e in lesson.exercises]
    assert kinds == [("hedge", "case-study"), ("unsourced", "case-study"), ("seo_filler", "case-study"),
                     ("quiz", "case-study"), ("hedge", "transfer"), ("unsourced", "transfer"),
                     ("seo_filler", "transfer")]


def test_transfer_items_never_repeat_case_study_items(catalog):
    lesson = catalog.lessons["cz-pardon"]
    case_texts = {i.text for e in lesson.exercises if lesson.role_of(e) == "case-study" for i in e.items}
    for exercise in lesson.exercises:
        if lesson.role_of(exercise) == "transfer" and exercise.unit == "sentence":
            assert not {i.text for i in exercise.items} & case_texts


def test_skill_summary_puts_case_study_beside_transfer(catalog):
    lesson = catalog.lessons["cz-pardon"]
    rows = skill_summary(lesson, {"cz-pardon-hedge": 0.5, "transfer-hedge": 0.75, "cz-pardon-filler": 1.0})
    by_skill = {row.skill: row for row in rows}
    assert (by_skill["hedges"].case_study, by_skill["hedges"].transfer, by_skill["hedges"].change) == (0.5, 0.75, 0.25)
    assert by_skill["sourcing"].case_study is None and by_skill["sourcing"].change is None
    assert by_skill["filler"].transfer is None


def test_class_skill_summary_averages_students_who_attempted(catalog):
    lesson = catalog.lessons["cz-pardon"]
    rows = class_skill_summary(lesson, [{"cz-pardon-hedge": 1.0}, {"cz-pardon-hedge": 0.5, "transfer-hedge": 0.2}, {}])
    hedges = rows[0]
    assert hedges.case_study == 0.75 and hedges.transfer == 0.2


@pytest.mark.parametrize("exercise_id", ["cz-pardon-hedge", "transfer-hedge"])
def test_summary_page_reflects_the_learners_attempts(client, catalog, exercise_id):
    exercise = catalog.exercises[exercise_id]
    client.post(f"/exercises/{exercise_id}/check",
                data={"spans": json.dumps(required_spans(exercise)), "submission_id": f"sum-{exercise_id}"})
    page = client.get("/lessons/cz-pardon/summary").get_data(as_text=True)
    assert "100%" in page and "not yet" in page
    assert "<th scope=\"row\">Hedge words</th>" in page


def test_last_step_feedback_links_to_the_summary(client, catalog):
    last = catalog.lessons["cz-pardon"].exercises[-1]
    response = client.post(f"/exercises/{last.id}/check", data={"spans": "[]", "submission_id": "last-step-1",
                                                                "confirm_empty": "1"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "/lessons/cz-pardon/summary" in page and "See your summary" in page


def test_dashboard_shows_the_class_per_skill_results(app, client, instructor, catalog):
    from classroom_support import create_class, join_class, submit

    klass = create_class(app, instructor["id"], "Skills")
    student = app.test_client()
    join_class(student, klass["code"], "Ada")
    hedge = catalog.exercises["cz-pardon-hedge"]
    assert submit(student, "cz-pardon-hedge", "skill-0001", spans=required_spans(hedge)).status_code == 200
    assert submit(student, "transfer-hedge", "skill-0002", spans=[]).status_code == 200
    page = client.get(f"/teacher/classes/{klass['id']}").get_data(as_text=True)
    assert "class average per skill" in page
    row = page[page.index('<th scope="row">Hedge words</th>'):]
    assert row.startswith('<th scope="row">Hedge words</th><td>100%</td><td>0%</td>')


def test_a_class_sees_only_its_assigned_steps_and_next_skips_the_rest(app, instructor):
    from classroom_support import assign, create_class, join_class

    klass = create_class(app, instructor["id"], "Only two")
    assign(app, klass["id"], ["cz-pardon-hedge", "transfer-hedge"])
    student = app.test_client()
    join_class(student, klass["code"], "Bo")
    page = student.get("/lessons/cz-pardon").get_data(as_text=True)
    assert "/exercises/cz-pardon-hedge" in page and "/exercises/transfer-hedge" in page
    assert "/exercises/cz-pardon-unsourced" not in page and "/exercises/cz-pardon-quiz" not in page
    response = student.post("/exercises/cz-pardon-hedge/check", data={"spans": "[]", "submission_id": "only-two-1",
                                                                          "confirm_empty": "1"})
    feedback = student.get(response.headers["Location"]).get_data(as_text=True)
    assert "/exercises/transfer-hedge" in feedback  # "Next" skips the unassigned steps
    summary = student.get("/lessons/cz-pardon/summary").get_data(as_text=True)
    assert "/exercises/cz-pardon-filler" not in summary
