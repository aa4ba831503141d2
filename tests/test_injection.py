"""Hostile text in every field a person can type: display names, class titles, roster files.

XSS payloads must render inert on every page and in every export; SQL metacharacters must be
stored and shown as the plain text they are.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from classroom_support import join_class, submit

XSS = '<script>alert("x")</script>'  # fits the 40-letter display name
IMG = "<img src=x onerror=alert(1)>"
SQL = "Robert'); DROP TABLE students;--"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def roster_csv(names_ids) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "id"])
    writer.writerows(names_ids)
    return out.getvalue().encode()


@pytest.fixture
def hostile_class(app, client, instructor, klass):
    """A class with a hostile title, roster and display names, and one attempt each."""
    client.post(f"/teacher/classes/{klass['id']}/settings", data={
        "title": IMG + XSS + SQL, "open": "y", "counting": "best", "solutions": "after-finishing",
        "exercises": ["demo-hedge", "demo-unsourced", "demo-quiz"]})
    response = client.post(f"/teacher/classes/{klass['id']}/roster", data={
        "file": (io.BytesIO(roster_csv([(XSS, "x1@school.org"), (SQL, FORMULA)])), "r.csv"), "upload": "Import"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    for name, number in ((XSS, 1), (SQL, 2)):
        student = app.test_client()
        join_class(student, klass["code"], name)
        assert submit(student, "demo-hedge", f"hostile-{number:04d}", spans=[[0, 40]]).status_code == 200
    return klass


def pages(client, klass):
    base = f"/teacher/classes/{klass['id']}"
    return {path: client.get(path).get_data(as_text=True) for path in (
        "/teacher/", base, f"{base}/settings", f"{base}/exercises/demo-hedge",
        f"{base}/exercises/demo-hedge/heatmap", f"{base}/progress.json")}


def test_xss_payloads_render_inert_on_every_instructor_page(client, hostile_class):
    for path, html in pages(client, hostile_class).items():
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        if path.endswith(".json"):
            assert "\\u003cscript\\u003e" in html or "&lt;script&gt;" in json.loads(html)["html"]


def test_hostile_text_is_shown_escaped_not_dropped(client, hostile_class):
    html = pages(client, hostile_class)[f"/teacher/classes/{hostile_class['id']}"]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "Robert&#39;); DROP TABLE students;--" in html


def test_sql_metacharacters_are_stored_verbatim(app, hostile_class):
    from webapp.store.db import get_db

    with app.app_context():
        db = get_db()
        assert db["students"].count == 2 and "students" in db.table_names()
        assert {row["name"] for row in db["students"].rows} == {XSS, SQL}
        assert db["classes"].get(hostile_class["id"])["title"] == IMG + XSS + SQL


@pytest.mark.parametrize("fmt", ["csv", "canvas", "long"])
def test_exports_neutralise_formulas_and_keep_text(runner, hostile_class, fmt):
    result = runner.invoke(args=["export-scores", hostile_class["code"], "--format", fmt])
    assert result.exit_code == 0, result.output
    cells = [cell for row in csv.reader(io.StringIO(result.output.lstrip("\ufeff"))) for cell in row]
    assert not any(cell[:1] in "=+-@" and cell[:1] for cell in cells if not cell.replace(".", "").isdigit())
    assert any(XSS in cell for cell in cells)
    if fmt != "long":
        assert "'" + FORMULA in cells or any(cell.endswith(FORMULA) and cell != FORMULA for cell in cells)


def test_json_export_keeps_text_as_data(runner, hostile_class):
    result = runner.invoke(args=["export-scores", hostile_class["code"], "--format", "json"])
    data = json.loads(result.output)
    assert {s["name"] for s in data["students"]} == {XSS, SQL}


@pytest.mark.parametrize("field", ["name", "code"])
def test_join_with_sql_metacharacters_is_a_clean_refusal(client, field):
    body = {"code": "ABCDEFG", "name": "Ana"} | {field: SQL}
    response = client.post("/api/join", json=body)
    assert response.status_code in (400, 404) and response.get_json()["error"]


def test_case_study_title_and_explanations_render_inert(app, client, instructor):
    response = client.post("/teacher/case-studies/new", data={"title": XSS, "text": "Title\n\nIt may rain today."})
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
