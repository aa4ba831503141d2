"""The instructor dashboard: classes, settings, progress, per-exercise views, heat map, deleting."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from classroom_support import (
    COUNCIL_SENTENCE,
    DEMO_ARTICLE,
    DEMO_KEY,
    DEMO_LESSON,
    LIKELY,
    MAY_HAVE,
    OFFICIALS_SENTENCE,
    REPORTEDLY,
    TUESDAY,
    assign,
    create_class,
    create_instructor,
    join_class,
    submit,
)

from webapp.domain import codes
from webapp.domain.authoring import article_path
from webapp.store import case_studies, classes
from webapp.store.db import get_db
from webapp.web.catalog import forget_stored_lessons

STATIC = Path(__file__).resolve().parent.parent / "webapp" / "web" / "static"
PAGE_BUDGET = 120 * 1024


def class_row(app, class_id):
    with app.app_context():
        return get_db()["classes"].get(class_id)


# --- join codes ---------------------------------------------------------------------------------


def test_codes_avoid_look_alikes_and_carry_enough_randomness():
    assert not set("01OIL") & set(codes.ALPHABET)
    assert 6 <= codes.JOIN_CODE_LENGTH <= 8
    assert codes.JOIN_CODE_LENGTH * math.log2(len(codes.ALPHABET)) >= 30
    drawn = {codes.random_code(codes.JOIN_CODE_LENGTH) for _ in range(500)}
    assert len(drawn) == 500 and all(set(code) <= set(codes.ALPHABET) for code in drawn)


def test_unique_code_retries_past_taken_codes():
    taken = iter([True, True, False])
    assert len(codes.unique_code(7, lambda code: next(taken))) == 7
    with pytest.raises(RuntimeError):
        codes.unique_code(7, lambda code: True)


def test_typed_codes_are_normalised():
    assert codes.normalise(" abcd-efgh ") == "ABCDEFGH"
    assert codes.format_resume_code("ABCDEFGH") == "ABCD-EFGH"


# --- creating classes ---------------------------------------------------------------------------


def test_create_class_cli_prints_the_join_code_last(app, runner, instructor):
    result = runner.invoke(args=["create-class", "--instructor", "Teacher@example.org", "--title", "Period 5"])
    assert result.exit_code == 0, result.output
    code = result.output.splitlines()[-1]
    assert re.fullmatch(f"[{codes.ALPHABET}]{{{codes.JOIN_CODE_LENGTH}}}", code)
    with app.app_context():
        klass = classes.find_class(get_db(), code)
        assigned = classes.assigned_exercise_ids(get_db(), klass["id"])
    assert (klass["title"], klass["open"], klass["counting"], klass["solutions"], klass["attempts_allowed"]) == (
        "Period 5", 1, "best", "after-finishing", None)
    assert assigned[:3] == ["cz-pardon-hedge", "cz-pardon-unsourced", "cz-pardon-filler"]  # the built-in lessons


def test_create_class_cli_takes_every_setting_and_lessons(app, runner, instructor):
    result = runner.invoke(args=["create-class", "--instructor", "teacher@example.org", "--title", "P6",
                                 "--attempts", "2", "--solutions", "when-released", "--counting", "last", "--closed",
                                 "--lessons", "cz-pardon"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        klass = classes.find_class(get_db(), result.output.splitlines()[-1])
        assigned = classes.assigned_exercise_ids(get_db(), klass["id"])
    assert (klass["open"], klass["attempts_allowed"], klass["solutions"], klass["counting"]) == (
        0, 2, "when-released", "last")
    assert "cz-pardon-quiz" in assigned
    unknown = runner.invoke(args=["create-class", "--instructor", "teacher@example.org", "--title", "P7",
                                  "--lessons", "nope"])
    assert unknown.exit_code == 1 and "no lesson 'nope'" in unknown.output
    bad = runner.invoke(args=["create-class", "--instructor", "teacher@example.org", "--title", "P7",
                              "--solutions", "sometimes"])
    assert bad.exit_code == 2


@pytest.mark.parametrize("args, message", [
    (["--instructor", "nobody@example.org", "--title", "X"], "No instructor"),
    (["--instructor", "teacher@example.org", "--title", "  "], "must not be empty"),
])
def test_create_class_cli_refuses_bad_input(runner, instructor, args, message):
    result = runner.invoke(args=["create-class", *args])
    assert result.exit_code == 1 and message in result.output


def test_create_class_on_the_dashboard_shows_the_join_code(client, instructor, demo_content):
    response = client.post("/teacher/classes", data={"title": "Period 6"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    code = re.search(r"Join code: ([A-Z0-9]{7})", page).group(1)
    assert "Period 6" in page and f'<strong class="code">{code}</strong>' in page
    assert "Period 6" in client.get("/teacher/").get_data(as_text=True)


def test_create_class_without_a_title_is_refused(client, instructor):
    response = client.post("/teacher/classes", data={"title": ""}, follow_redirects=True)
    assert "Please give the class a name" in response.get_data(as_text=True)


# --- progress -----------------------------------------------------------------------------------


@pytest.fixture
def busy(app, klass):
    """Three students: Ada strong, Bob half-way, Cy joined but has done nothing."""
    clients = {}
    for name in ("Ada", "Bob", "Cy"):
        clients[name] = app.test_client()
        join_class(clients[name], klass["code"], name)
    submit(clients["Ada"], "demo-hedge", "ada-00000001", spans=[MAY_HAVE, LIKELY, REPORTEDLY])
    submit(clients["Ada"], "demo-unsourced", "ada-00000002", spans=[OFFICIALS_SENTENCE])
    submit(clients["Bob"], "demo-hedge", "bob-00000001", spans=[MAY_HAVE, TUESDAY])
    submit(clients["Bob"], "demo-hedge", "bob-00000002", spans=[MAY_HAVE, LIKELY])
    submit(clients["Bob"], "demo-unsourced", "bob-00000003", spans=[OFFICIALS_SENTENCE, COUNCIL_SENTENCE])
    return klass


def student_order(page: str) -> list[str]:
    return re.findall(r'<tr><th scope="row" class="name"><a href="[^"]+">(\w+)',
                      page.split("<tbody>")[1].split("</tbody>")[0])


def test_class_page_shows_students_by_exercises_with_totals(client, busy):
    page = client.get(f"/teacher/classes/{busy['id']}").get_data(as_text=True)
    assert student_order(page) == ["Ada", "Bob", "Cy"]
    assert "Hedges, in the news" in page and "Check your understanding" in page
    assert '100%<small class="cell-detail"> 1×' in page and '67%<small class="cell-detail"> 2×' in page  # Bob's best
    assert 'title="2 attempts, the last at' in page  # the details on demand
    assert "57%" in page  # Ada: (3 + 1) of 7 points
    assert "Class average" in page and '83%<small class="cell-detail"> 2 of 3 tried' in page
    assert "an exercise not tried counts as 0" in page
    assert 'data-poll="/teacher/classes/' in page


@pytest.mark.parametrize("query, expected", [
    ("sort=total&dir=desc", ["Ada", "Bob", "Cy"]),
    ("sort=total&dir=asc", ["Cy", "Bob", "Ada"]),
    ("sort=name&dir=desc", ["Cy", "Bob", "Ada"]),
    ("sort=demo-unsourced&dir=desc", ["Ada", "Bob", "Cy"]),
    ("sort=last&dir=desc", ["Bob", "Ada", "Cy"]),
    ("sort=nonsense", ["Ada", "Bob", "Cy"]),
])
def test_sorting_works_without_javascript(client, busy, query, expected):
    page = client.get(f"/teacher/classes/{busy['id']}?{query}").get_data(as_text=True)
    assert student_order(page) == expected


def test_sort_headers_link_to_the_other_direction(client, busy):
    page = client.get(f"/teacher/classes/{busy['id']}?sort=total&dir=desc").get_data(as_text=True)
    assert 'aria-sort="descending"' in page and "sort=total&amp;dir=asc" in page


def test_progress_json_carries_the_table_for_live_refresh(app, client, busy):
    before = client.get(f"/teacher/classes/{busy['id']}/progress.json?sort=name").get_json()
    late = app.test_client()
    join_class(late, busy["code"], "Dee")
    after = client.get(f"/teacher/classes/{busy['id']}/progress.json?sort=name").get_json()
    assert (before["students"], after["students"]) == (3, 4)
    assert "Dee" in after["html"] and "Dee" not in before["html"] and "<table" in after["html"]


def test_the_polling_script_is_served_and_there_is_no_inline_script(client, busy):
    page = client.get(f"/teacher/classes/{busy['id']}").get_data(as_text=True)
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/spotcheck.js" defer>']
    assert "progress.json" not in (STATIC / "spotcheck.js").read_text() and "data-poll" not in page.split("<table")[1]


# --- per exercise -------------------------------------------------------------------------------


def test_exercise_stats_page(client, busy):
    page = client.get(f"/teacher/classes/{busy['id']}/exercises/demo-hedge").get_data(as_text=True)
    assert "2 students checked this exercise" in page
    assert "“reportedly”: <strong>1</strong> of 2" in page  # Bob's best attempt missed it
    assert "No mark made by two students or more is off the key." in page  # Bob's best attempt had none
    assert '<meter min="0" max="2" value="1">' in page


def test_quiz_stats_name_the_question(app, client, busy):
    student = app.test_client()
    join_class(student, busy["code"], "Eve")
    submit(student, "demo-quiz", "eve-00000001", answers={"source": ["b"], "hedges": ["a"]})
    page = client.get(f"/teacher/classes/{busy['id']}/exercises/demo-quiz").get_data(as_text=True)
    assert "Wrong answers chosen most" in page and "Which claim names its source?" in page
    # One student's wrong choice is not the class's misconception: it is left out, and said so.
    assert "“The opening date”" not in page and "1 more made by one student only" in page
    other = app.test_client()
    join_class(other, busy["code"], "Fay")
    submit(other, "demo-quiz", "fay-00000001", answers={"source": ["b"], "hedges": ["a"]})
    page = client.get(f"/teacher/classes/{busy['id']}/exercises/demo-quiz").get_data(as_text=True)
    assert "“The opening date”: <strong>2</strong> of 2" in page


def test_heat_map_shades_by_share_and_outlines_the_key(client, busy):
    page = client.get(f"/teacher/classes/{busy['id']}/heatmap/demo-hedge").get_data(as_text=True)
    # Counting attempts: Ada's (may have, likely, reportedly) and Bob's best (may have, likely).
    # Each share is written out, for a projector that has no hover.
    assert '<span class="h10 k">may<sup>100%</sup></span>' in page
    assert '<span class="h10 k">likely<sup>100%</sup></span>' in page
    assert '<span class="h5 k">reportedly<sup>50%</sup></span>' in page
    # Acceptable, marked by nobody: its 0% goes with the key when the key is hidden.
    assert '<span class="ka">said<sup class="ko">0%</sup></span>' in page
    assert "<span" not in page.split(">Tuesday<")[0][-12:]  # only in Bob's attempt that does not count
    assert "91–100%" in page  # the legend names the shares in text
    assert 'id="hide-key"' in page and 'class="key-legend"' in page


def test_heat_map_of_sentences(client, busy):
    page = client.get(f"/teacher/classes/{busy['id']}/heatmap/demo-unsourced").get_data(as_text=True)
    assert ('<span class="h10 k">Officials said it will likely open in spring.<sup>100%</sup></span>'
            in page)
    assert '<span class="h5">The council may have approved' in page


def test_projector_shows_the_join_code_large(client, busy):
    page = client.get(f"/teacher/classes/{busy['id']}/projector").get_data(as_text=True)
    assert f'<strong class="code" aria-label="Join code {" ".join(busy["code"])}">{busy["code"]}</strong>' in page
    assert "/join" in page and "Heat map: Hedges, in the news" in page
    assert f"/teacher/classes/{busy['id']}/projector" in client.get(f"/teacher/classes/{busy['id']}").get_data(
        as_text=True)


@pytest.mark.parametrize("path", ["heatmap/demo-quiz", "heatmap/nope", "exercises/nope"])
def test_heat_map_and_stats_404_for_quizzes_or_unknown_exercises(client, busy, path):
    assert client.get(f"/teacher/classes/{busy['id']}/{path}").status_code == 404


def test_unassigned_exercises_have_no_pages(app, client, busy):
    with app.app_context():
        pass
    assign(app, busy["id"], ["demo-hedge"])
    assert client.get(f"/teacher/classes/{busy['id']}/heatmap/demo-unsourced").status_code == 404


def page_weight(client, path: str) -> int:
    html = client.get(path).data
    return len(html) + len((STATIC / "spotcheck.css").read_bytes()) + len((STATIC / "spotcheck.js").read_bytes())


def test_heat_map_of_the_long_word_exercise_stays_within_the_page_budget(app, client, instructor, hedge):
    """The real case study (thousands of words), thirty students each marking a different tenth of it."""
    klass = create_class(app, instructor["id"])
    units = hedge.article.units("word")
    for n in range(30):
        student = app.test_client()
        join_class(student, klass["code"], f"Student {n}")
        spans = [[u.start, u.end] for i, u in enumerate(units) if i % 10 == n % 10]
        assert submit(student, hedge.id, f"sub-{n:08d}", spans=spans).status_code == 200
    path = f"/teacher/classes/{klass['id']}/heatmap/{hedge.id}"
    assert client.get(path).status_code == 200
    assert page_weight(client, path) <= PAGE_BUDGET


# --- settings -----------------------------------------------------------------------------------


def test_settings_are_saved(app, client, klass):
    response = client.post(f"/teacher/classes/{klass['id']}/settings", data={
        "title": "Period 3b", "attempts_allowed": "2", "counting": "last",
        "solutions": "when-released", "exercises": ["demo-quiz", "demo-hedge"],  # "open" unticked
    })
    assert response.status_code == 302
    saved = class_row(app, klass["id"])
    assert (saved["title"], saved["open"], saved["attempts_allowed"], saved["counting"], saved["solutions"]) == (
        "Period 3b", 0, 2, "last", "when-released")
    with app.app_context():
        assert classes.assigned_exercise_ids(get_db(), klass["id"]) == ["demo-hedge", "demo-quiz"]
    page = client.get(response.location).get_data(as_text=True)
    assert "Settings saved." in page and 'value="Period 3b"' in page


def test_ticking_every_exercise_assigns_all(app, client, klass):
    client.post(f"/teacher/classes/{klass['id']}/settings", data={
        "title": "P", "counting": "best", "open": "y", "solutions": "after-finishing",
        "exercises": ["demo-hedge", "demo-unsourced", "demo-quiz"]})
    with app.app_context():
        assert classes.assigned_exercise_ids(get_db(), klass["id"]) == ["demo-hedge", "demo-unsourced", "demo-quiz"]


@pytest.mark.parametrize("change, message", [
    ({"attempts_allowed": "0"}, "Number must be between 1 and 100"),
    ({"attempts_allowed": "lots"}, "Not a valid integer"),
    ({"counting": "average"}, "Not a valid choice"),
    ({"exercises": []}, "Assign at least one exercise"),
    ({"exercises": ["no-such"]}, "not a valid choice"),
    ({"title": ""}, "This field is required"),
])
def test_bad_settings_are_refused_and_nothing_changes(app, client, klass, change, message):
    data = {"title": "New", "counting": "best", "exercises": ["demo-hedge"], **change}
    response = client.post(f"/teacher/classes/{klass['id']}/settings", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert class_row(app, klass["id"]) == klass


def test_settings_page_groups_exercises_by_lesson(client, klass):
    page = client.get(f"/teacher/classes/{klass['id']}/settings").get_data(as_text=True)
    assert "<legend>A demo lesson</legend>" in page and "Check your understanding (quiz)" in page
    assert page.count('type="checkbox" value="demo-') == 3 and page.count("checked") >= 5


def store_case_study(app, instructor_id: int, slug: str):
    """A teacher's own case study (the demo lesson under another slug), as the case-study editor stores it."""
    with app.test_request_context():
        case_studies.add_case_study(
            get_db(), slug=slug, title=slug, instructor_id=instructor_id, article=DEMO_ARTICLE,
            key_yaml=DEMO_KEY.replace("seeds/bus.txt", article_path(slug)).replace("demo-", f"{slug}-"),
            lesson_md=DEMO_LESSON.replace("slug: demo", f"slug: {slug}").replace("demo-", f"{slug}-"))
        forget_stored_lessons()


def test_a_class_is_offered_its_instructors_own_case_studies_but_no_one_elses(app, client, klass):
    store_case_study(app, klass["instructor_id"], "mine")
    store_case_study(app, create_instructor(app, "other@example.org")["id"], "theirs")
    page = client.get(f"/teacher/classes/{klass['id']}/settings").get_data(as_text=True)
    assert 'value="mine-hedge"' in page and "theirs-" not in page
    client.post(f"/teacher/classes/{klass['id']}/settings", data={
        "title": "P", "counting": "best", "solutions": "after-finishing", "exercises": ["demo-hedge", "mine-hedge"]})
    header = app.test_cli_runner().invoke(args=["export-scores", klass["code"]]).output.splitlines()[0]
    assert header.count("Hedges, in the news") == 2  # the demo lesson's and "mine"'s


# --- deleting -----------------------------------------------------------------------------------


def test_delete_a_student_after_confirmation(app, client, busy):
    with app.app_context():
        bob = next(get_db()["students"].rows_where("name = 'Bob'"))
    url = f"/teacher/classes/{busy['id']}/students/{bob['id']}/delete"
    confirm = client.get(url).get_data(as_text=True)
    assert "Delete the student Bob?" in confirm and "3 recorded attempts" in confirm
    assert student_order(client.get(f"/teacher/classes/{busy['id']}").get_data(as_text=True)) == ["Ada", "Bob", "Cy"]
    response = client.post(url, follow_redirects=True)
    assert "Deleted Bob and all of their work." in response.get_data(as_text=True)
    assert student_order(response.get_data(as_text=True)) == ["Ada", "Cy"]
    with app.app_context():
        assert get_db()["attempts"].count_where("student_id = ?", [bob["id"]]) == 0


def test_delete_a_class_after_confirmation(app, client, busy):
    url = f"/teacher/classes/{busy['id']}/delete"
    assert "Delete the class Period 3" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 302
    assert client.get(f"/teacher/classes/{busy['id']}").status_code == 404
    with app.app_context():
        db = get_db()
        assert [db[table].count for table in ("classes", "students", "attempts", "drafts", "roster")] == [0] * 5
    assert app.test_client().post("/api/join", json={"code": busy["code"], "name": "X"}).status_code == 404


def test_found_hard_lists_the_top_ten_marks_of_two_students_with_repeated_words_in_context(app, client, busy):
    from classroom_support import DEMO_ARTICLE, EVERYONE_SENTENCE

    # Two students make the same false alarm: it is listed (one student's alone would not be).
    for name in ("Gus", "Hal"):
        student = app.test_client()
        join_class(student, busy["code"], name)
        line = DEMO_ARTICLE.index("line is overdue")
        submit(student, "demo-hedge", f"{name.lower()}-0000001", spans=[TUESDAY, [line, line + 4]])
        submit(student, "demo-unsourced", f"{name.lower()}-0000002", spans=[EVERYONE_SENTENCE, COUNCIL_SENTENCE])
    page = client.get(f"/teacher/classes/{busy['id']}/exercises/demo-hedge").get_data(as_text=True)
    assert "What the class found hard" in page
    assert "“Tuesday”: <strong>2</strong> of 4" in page
    assert ("“line”: <strong>2</strong> of 4<br><span class=\"in-sentence\">"
            "in “Everyone agrees the line is overdue.”") in page


def test_repeated_words_are_shown_with_their_sentence(demo_catalog):
    from webapp.domain.scores import ItemCount, repeated_word_sentences, top_items

    exercise = demo_catalog.exercises["demo-hedge"]
    text = exercise.article.text
    line = text.index("line is overdue")  # "line" is also in the title and the first sentence
    likely = text.index("likely")  # once only
    sentences = repeated_word_sentences(exercise, [ItemCount("line", 2, None, line), ItemCount("likely", 2, None,
                                                                                                likely)])
    assert sentences == {line: "Everyone agrees the line is overdue."}
    items = [ItemCount(f"w{n}", 12 - n) for n in range(12)]
    assert top_items(items) == (items[:10], 2)
    assert top_items(items, min_count=5) == (items[:8], 4)
