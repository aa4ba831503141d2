"""The learner's HTML pages: lesson, marking by JS page or checkbox form, feedback, solution."""

from __future__ import annotations

import json
import re

import pytest
from markupsafe import escape


def test_index_and_lesson_pages_show_teaching_text(client):
    assert b"cz-pardon" in client.get("/").data
    page = client.get("/lessons/cz-pardon").get_data(as_text=True)
    for heading in ("Hedge words", "Sourced and unsourced claims", "SEO filler"):
        assert heading in page
    assert "Teacher notes" not in page  # judgement calls are for teachers, not the student page
    assert 'lang="en"' in page


@pytest.mark.parametrize("url", ["/lessons/nope", "/exercises/nope", "/exercises/nope/form", "/attempts/999"])
def test_unknown_things_are_404_pages(client, url):
    response = client.get(url)
    assert response.status_code == 404 and b"Not found" in response.data


def test_exercise_page_renders_every_unit_and_the_check_form(client, hedge):
    page = client.get("/exercises/cz-pardon-hedge").get_data(as_text=True)
    # Each paragraph says where its units are; the script makes them options (one per unit).
    bounds = re.findall(r'data-units="([\d,]*)"', page)
    assert sum(len(b.split(",")) // 2 for b in bounds if b) >= len(hedge.article.words)
    assert 'name="spans"' in page and 'name="submission_id"' in page
    assert "/exercises/cz-pardon-hedge/form" in page  # the no-JavaScript route is linked
    assert "<script" in page and "spotcheck.js" in page and "<script>" not in page  # no inline script


def check(client, exercise_id, spans, submission_id="sub-00000001"):
    return client.post(f"/exercises/{exercise_id}/check",
                       data={"spans": json.dumps(spans), "submission_id": submission_id})


def test_check_redirects_to_feedback_with_found_missed_and_false_alarms(client, hedge):
    item = next(i for i in hedge.items if i.required)
    stray = hedge.article.words[1]  # "Zhao’s" in the title is not a hedge
    response = check(client, "cz-pardon-hedge", [[item.start, item.end], [stray.start, stray.end]])
    assert response.status_code == 302 and re.match(r".*/attempts/\d+$", response.headers["Location"])
    feedback = response.headers["Location"]
    page = client.get(feedback).get_data(as_text=True)
    assert 'role="status"' in page and "Score: 0%" in page
    assert '<mark class="m-found"' in page and '<mark class="m-false_alarms"' in page
    assert "(found)" in page and "Not on the key (1)" in page  # not colour alone
    assert item.explanation.replace("'", "&#39;").replace('"', "&#34;") in page
    # The missed items wait for the solution: "Finish and show the solution" ends the attempts.
    assert '<mark class="m-missed"' not in page and f"You missed {hedge.max_points - 1}." in page
    assert "Retry" in page and "Finish and show the solution" in page and "Show the solution" not in page
    assert client.post("/exercises/cz-pardon-hedge/finish").status_code == 302
    page = client.get(feedback).get_data(as_text=True)
    assert '<mark class="m-missed"' in page and "(missed)" in page and "Show the solution" in page
    assert "Retry" not in page


def test_the_same_submission_id_is_recorded_once(app, client, hedge):
    first = check(client, "cz-pardon-hedge", [[0, 5]], "double-click-1")
    second = check(client, "cz-pardon-hedge", [[0, 5]], "double-click-1")
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        from webapp.store.db import get_db

        assert get_db()["attempts"].count == 1


def test_check_keeps_the_marks_as_a_draft_for_retry(client, hedge):
    word = hedge.article.words[20]
    check(client, "cz-pardon-hedge", [[word.start, word.end]])
    page = client.get("/exercises/cz-pardon-hedge").get_data(as_text=True)
    assert f'<span class="on">{hedge.article.text[word.start:word.end]}</span>' in page


def test_bad_check_submissions_are_handled(client):
    response = client.post("/exercises/cz-pardon-hedge/check", data={"spans": "[[9, 1]]", "submission_id": "abcdefgh"})
    assert response.status_code == 400 and b"start must be less than end" in response.data
    for unreadable in ("{{", "[" * 100_000):
        response = client.post("/exercises/cz-pardon-hedge/check",
                               data={"spans": unreadable, "submission_id": "abcdefgh"})
        assert response.status_code == 400 and b"could not be read" in response.data
    response = client.post("/exercises/cz-pardon-hedge/check", data={"spans": "[]", "submission_id": "x"})
    assert response.status_code == 302  # an expired or forged form: back to the page with a message


def test_attempts_are_private_to_their_learner(app, client, hedge):
    location = check(client, "cz-pardon-hedge", [[0, 5]]).headers["Location"]
    assert client.get(location).status_code == 200
    stranger = app.test_client()
    assert stranger.get(location).status_code == 404


def test_solution_shows_every_key_item_with_explanations(client, unsourced):
    assert client.get("/exercises/cz-pardon-unsourced/solution").status_code == 403  # not before finishing
    client.post("/exercises/cz-pardon-unsourced/finish")
    page = client.get("/exercises/cz-pardon-unsourced/solution").get_data(as_text=True)
    assert page.count('<mark class="m-solution"') == sum(i.required for i in unsourced.items)
    assert page.count('<mark class="m-acceptable"') == sum(not i.required for i in unsourced.items)


def test_checkbox_form_works_without_javascript(client, hedge):
    """Part by part: tick boxes, save, move on, then check; the grade covers every part."""
    first_part = client.get("/exercises/cz-pardon-hedge/form").get_data(as_text=True)
    assert 'type="checkbox"' in first_part and "Part 1 of" in first_part
    items = [i for i in hedge.items if i.required]
    unit_index = {(w.start, w.end): n for n, w in enumerate(hedge.article.words)}

    def index_of(item):  # the first word of the item
        return next(n for (s, _), n in unit_index.items() if s == item.start)

    total_parts = int(re.search(r"Part 1 of (\d+)", first_part).group(1))
    for part in range(1, total_parts + 1):
        page = client.get(f"/exercises/cz-pardon-hedge/form?part={part}").get_data(as_text=True)
        offered = {int(v) for v in re.findall(r'name="units" type="checkbox" value="(\d+)"', page)}
        ticks = [index_of(i) for i in items if index_of(i) in offered]
        response = client.post(f"/exercises/cz-pardon-hedge/form?part={part}",
                               data={"units": ticks, "submission_id": f"form-{part:04d}", "save": "Save"})
        assert response.status_code == 302
    response = client.post(f"/exercises/cz-pardon-hedge/form?part={total_parts}",
                           data={"submission_id": "form-check-1", "check": "Check",
                                 "units": [index_of(i) for i in items if index_of(i) in offered]})
    assert response.status_code == 302 and "/attempts/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Score: 100%" in page


def test_checkbox_form_rejects_units_from_another_part(client):
    response = client.post("/exercises/cz-pardon-hedge/form?part=1",
                           data={"units": ["2600"], "submission_id": "abcdefgh1", "save": "Save"})
    assert response.status_code == 200 and b"could not be saved" in response.data
    assert client.get("/exercises/cz-pardon-hedge/form?part=99").status_code == 404


def test_quiz_page_and_feedback(client, catalog):
    quiz = catalog.exercises["cz-pardon-quiz"]
    page = client.get("/exercises/cz-pardon-quiz").get_data(as_text=True)
    assert page.count("<fieldset") == len(quiz.questions)
    data = {"submission_id": "quiz-00001"}
    for question in quiz.questions:
        data[f"q-{question.id}"] = [o.id for o in question.options if o.correct]
    response = client.post("/exercises/cz-pardon-quiz/check", data=data)
    assert response.status_code == 302
    assert "Score: 100%" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_instructors_see_the_teacher_notes_on_the_lesson_page(client, instructor):
    page = client.get("/lessons/cz-pardon").get_data(as_text=True)
    assert "Teacher notes" in page and "shown to instructors only" in page


def test_checking_with_nothing_marked_asks_first(app, client):
    page = client.post("/exercises/cz-pardon-filler/check", data={"spans": "[]", "submission_id": "empty-0001"})
    assert page.status_code == 200 and b"You have not marked anything yet" in page.data
    with app.app_context():
        from webapp.store.db import get_db

        assert get_db()["attempts"].count == 0  # nothing recorded until the learner confirms
    confirmed = client.post("/exercises/cz-pardon-filler/check",
                            data={"spans": "[]", "submission_id": "empty-0001", "confirm_empty": "1"})
    assert confirmed.status_code == 302 and "/attempts/" in confirmed.headers["Location"]


def test_retry_starts_from_the_last_checked_marks(client, hedge):
    word = hedge.article.words[20]
    check(client, "cz-pardon-hedge", [[word.start, word.end]])
    page = client.get("/exercises/cz-pardon-hedge").get_data(as_text=True)
    assert page.count('<span class="on">') == 1


@pytest.mark.parametrize("name", ["hedge", "unsourced"])
def test_marking_page_says_where_every_unit_is_and_which_are_marked(request, name):
    from webapp.web.rendering import marking_html

    exercise = request.getfixturevalue(name)
    units = exercise.article.units(exercise.unit)
    html = marking_html(exercise.article, exercise.unit, {1, 5})
    found, marked = [], []
    for start, first, bounds, on in re.findall(
            r'data-start="(\d+)" data-unit="(\d+)" data-units="([\d,]*)"(?: data-on="([\d,]*)")?', html):
        numbers = [int(n) for n in bounds.split(",")] if bounds else []
        cursor = int(start)  # each unit: the gap since the previous one's end (or the paragraph's start), its length
        for gap, length in zip(numbers[::2], numbers[1::2], strict=True):
            found.append((cursor + gap, cursor + gap + length))
            cursor += gap + length
        marked += [int(first) + int(k) for k in on.split(",")] if on else []
    assert found == [(unit.start, unit.end) for unit in units]
    assert marked == [1, 5]
    text = exercise.article.text
    assert re.findall(r'<span class="on">([^<]*)</span>', html) == [
        str(escape(text[units[i].start:units[i].end])) for i in (1, 5)]
