"""Score exports: the exact content of each format, from the CLI and the dashboard alike."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from classroom_support import LIKELY, MAY_HAVE, OFFICIALS_SENTENCE, REPORTEDLY, assign, join_class, submit

from webapp.domain.export import neutralise, number, percent
from webapp.store.db import get_db

HEDGES = '"Hedges, in the news"'
TIMES = ["2025-03-04T09:01:00.000+00:00", "2025-03-04T09:02:00.000+00:00", "2025-03-04T09:03:00.000+00:00",
         "2025-03-04T09:04:00.000+00:00"]
# As spreadsheets read a date and time (UTC, as the heading says).
SHEET_TIMES = ["2025-03-04 09:01:00", "2025-03-04 09:02:00", "2025-03-04 09:03:00", "2025-03-04 09:04:00"]

EXPECTED = {
    "csv": "\ufeff" + "\r\n".join([
        f"Name,Roster ID,{HEDGES},Unsourced claims,Check your understanding,Total",
        "Ada Lovelace,ada@school.org,100,,100,71.4",
        "'@Bob,S-2,,50,,14.3",
    ]) + "\r\n",
    "canvas": "\r\n".join([
        f"Student,ID,SIS User ID,SIS Login ID,Section,{HEDGES},Unsourced claims,Check your understanding",
        "Points Possible,,,,,3,2,2",
        "Ada Lovelace,,,ada@school.org,Period 3,3,,2",
        "'@Bob,,S-2,,Period 3,,1,",
    ]) + "\r\n",
    "long": "\ufeff" + "\r\n".join([
        "Name,Roster ID,Exercise ID,Exercise,Attempt,Submitted at (UTC),Points,Max points,Score (%),Counts",
        f"Ada Lovelace,ada@school.org,demo-hedge,{HEDGES},1,{SHEET_TIMES[0]},3,3,100,yes",
        f"Ada Lovelace,ada@school.org,demo-hedge,{HEDGES},2,{SHEET_TIMES[1]},1,3,33.3,no",
        f"Ada Lovelace,ada@school.org,demo-quiz,Check your understanding,1,{SHEET_TIMES[2]},2,2,100,yes",
        f"'@Bob,S-2,demo-unsourced,Unsourced claims,1,{SHEET_TIMES[3]},1,2,50,yes",
    ]) + "\r\n",
}
EXPECTED_JSON = {
    "class": {"code": None, "title": "Period 3"},
    "exercises": [
        {"id": "demo-hedge", "title": "Hedges, in the news", "max_points": 3},
        {"id": "demo-unsourced", "title": "Unsourced claims", "max_points": 2},
        {"id": "demo-quiz", "title": "Check your understanding", "max_points": 2},
    ],
    "students": [
        {"name": "Ada Lovelace", "roster_id": "ada@school.org", "total": 0.7143, "scores": {
            "demo-hedge": {"best": 1.0, "last": 0.3333, "attempts": 2},
            "demo-unsourced": {"best": None, "last": None, "attempts": 0},
            "demo-quiz": {"best": 1.0, "last": 1.0, "attempts": 1},
        }},
        {"name": "@Bob", "roster_id": "S-2", "total": 0.1429, "scores": {
            "demo-hedge": {"best": None, "last": None, "attempts": 0},
            "demo-unsourced": {"best": 0.5, "last": 0.5, "attempts": 1},
            "demo-quiz": {"best": None, "last": None, "attempts": 0},
        }},
    ],
}


@pytest.mark.parametrize("cell, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("Ada", "Ada"), ("a=b", "a=b"), ("", ""),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_numbers_are_written_as_a_gradebook_shows_them():
    assert [percent(x) for x in (1.0, 0.3333, 0.0, 0.5, 0.71429)] == ["100", "33.3", "0", "50", "71.4"]
    assert [number(x) for x in (3.0, 2.5, 2.3333, 0.0)] == ["3", "2.5", "2.33", "0"]


@pytest.fixture
def graded(app, client, klass):
    """Ada (two hedge attempts, the quiz) and @Bob (unsourced) of a rostered class, at fixed times."""
    roster = "name,id\nAda Lovelace,ada@school.org\n@Bob,S-2\nZoë Ngô,S-3\n".encode()
    client.post(f"/teacher/classes/{klass['id']}/roster", data={"file": (io.BytesIO(roster), "r.csv")})
    ada, bob = app.test_client(), app.test_client()
    join_class(ada, klass["code"], "Ada Lovelace")
    join_class(bob, klass["code"], "@Bob")
    submit(ada, "demo-hedge", "ada-00000001", spans=[MAY_HAVE, LIKELY, REPORTEDLY])
    submit(ada, "demo-hedge", "ada-00000002", spans=[MAY_HAVE])
    submit(ada, "demo-quiz", "ada-00000003", answers={"source": ["a"], "hedges": ["a", "b"]})
    submit(bob, "demo-unsourced", "bob-00000001", spans=[OFFICIALS_SENTENCE])
    with app.app_context():
        db = get_db()
        for attempt_id, at in enumerate(TIMES, 1):
            db["attempts"].update(attempt_id, {"created_at": at})
    return klass


@pytest.mark.parametrize("format_name", ["csv", "canvas", "long"])
def test_csv_formats_from_the_cli(runner, graded, format_name):
    result = runner.invoke(args=["export-scores", graded["code"], "--format", format_name])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == EXPECTED[format_name].encode("utf-8")


def test_json_from_the_cli(runner, graded):
    result = runner.invoke(args=["export-scores", graded["code"].lower(), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {**EXPECTED_JSON, "class": {"code": graded["code"], "title": "Period 3"}}


def test_csv_is_the_default_and_o_writes_a_file(runner, graded, tmp_path):
    target = tmp_path / "scores.csv"
    result = runner.invoke(args=["export-scores", graded["code"], "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_bytes() == EXPECTED["csv"].encode("utf-8")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("format_name, content_type", [
    ("csv", "text/csv; charset=utf-8"), ("canvas", "text/csv; charset=utf-8"), ("long", "text/csv; charset=utf-8"),
])
def test_dashboard_downloads_are_the_same_bytes(client, graded, format_name, content_type):
    response = client.get(f"/teacher/classes/{graded['id']}/export/{format_name}")
    assert response.status_code == 200 and response.content_type == content_type
    assert response.data == EXPECTED[format_name].encode("utf-8")
    kind = {"csv": "scores", "canvas": "canvas-gradebook", "long": "attempts"}[format_name]
    today = datetime.now(UTC).date().isoformat()
    assert response.headers["Content-Disposition"] == f'attachment; filename="period-3-{kind}-{today}.csv"'



def test_dashboard_json_download(client, graded):
    response = client.get(f"/teacher/classes/{graded['id']}/export/json")
    assert response.content_type == "application/json"
    assert json.loads(response.data)["students"] == EXPECTED_JSON["students"]


def test_unknown_format_or_code_is_refused(runner, client, graded):
    assert client.get(f"/teacher/classes/{graded['id']}/export/xlsx").status_code == 404
    unknown = runner.invoke(args=["export-scores", "NOPE234"])
    assert unknown.exit_code == 1 and "No class has the join code" in unknown.output
    assert runner.invoke(args=["export-scores", graded["code"], "--format", "xlsx"]).exit_code == 2


def test_an_empty_class_exports_headers_only(runner, klass):
    result = runner.invoke(args=["export-scores", klass["code"], "--format", "canvas"])
    assert result.output.splitlines()[1] == "Points Possible,,,,,3,2,2" and len(result.output.splitlines()) == 2


def test_exports_cover_only_the_assigned_exercises_in_flow_order(app, runner, graded):
    with app.app_context():
        pass
    assign(app, graded["id"], ["demo-quiz", "demo-hedge"])
    header = runner.invoke(args=["export-scores", graded["code"]]).output.splitlines()[0]
    assert header == f"\ufeffName,Roster ID,{HEDGES},Check your understanding,Total"


@pytest.mark.parametrize("title, expected", [
    ("Period 3", "period-3-scores-2026-12-02.csv"), ("Période 3 (B)", "periode-3-b-scores-2026-12-02.csv"),
    ("数学", "k7pq2xm-scores-2026-12-02.csv"), ("../../etc/passwd", "etc-passwd-scores-2026-12-02.csv"),
    ('a"b; c', "a-b-c-scores-2026-12-02.csv"),
])
def test_file_names_carry_the_title_and_the_date(title, expected):
    from webapp.domain.export import filename

    assert filename({"title": title, "code": "K7PQ2XM"}, "csv", "2026-12-02") == expected


def test_canvas_export_warns_about_students_without_a_roster_id(app, client, graded):
    join_class(app.test_client(), graded["code"], "Zoë Ngô")  # on the roster: S-3
    with app.app_context():
        get_db()["students"].insert({"class_id": graded["id"], "name": "Walk-in", "resume_code": "ZZZZZZZZ",
                                     "session_token": "t", "created_at": TIMES[0]})
    warning = client.get(f"/teacher/classes/{graded['id']}/export/canvas")
    page = warning.get_data(as_text=True)
    assert warning.status_code == 200 and warning.content_type.startswith("text/html")
    assert "1 of 4 students has no roster id" in page and "Walk-in" in page and "anyway=1" in page
    anyway = client.get(f"/teacher/classes/{graded['id']}/export/canvas?anyway=1")
    assert anyway.status_code == 200 and anyway.content_type.startswith("text/csv")
    assert "Walk-in" in anyway.get_data(as_text=True)
    # The other formats do not ask.
    assert client.get(f"/teacher/classes/{graded['id']}/export/csv").content_type.startswith("text/csv")
