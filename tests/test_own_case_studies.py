"""Your case studies: listed with the classes using each, edited in place, duplicated, deleted after
a question; a title you already use asks before a second one is saved."""

from __future__ import annotations

from classroom_support import create_instructor, login
from test_casestudy import review_fields, start

from webapp.store import classes
from webapp.store.db import get_db


def saved(client, title="School gardens") -> str:
    fields = review_fields(start(client, title=title).get_data(as_text=True))
    response = client.post("/teacher/case-studies/save", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[-1]


def case_study_id(app, slug) -> int:
    with app.app_context():
        return get_db().execute("select id from case_studies where slug = ?", [slug]).fetchone()[0]


def test_list_shows_classes_and_actions(app, client, instructor):
    slug = saved(client)
    with app.app_context():
        db = get_db()
        klass = classes.create_class(db, instructor["id"], "Period 5", [f"{slug}-hedge"])
    page = client.get("/teacher/case-studies/").get_data(as_text=True)
    cid = case_study_id(app, slug)
    assert "School gardens" in page and "Period 5" in page
    assert f"/teacher/case-studies/{cid}/edit" in page and f"/teacher/case-studies/{cid}/duplicate" in page
    assert "/teacher/case-studies/" in client.get("/teacher/").get_data(as_text=True)
    # Deleting asks, naming the classes that use it.
    confirm = client.get(f"/teacher/case-studies/{cid}/delete").get_data(as_text=True)
    assert "Period 5" in confirm and "Download the scores first" in confirm
    assert client.post(f"/teacher/case-studies/{cid}/delete").status_code == 302
    after = client.get("/teacher/case-studies/").get_data(as_text=True)
    assert "Deleted the case study" in after and f"/teacher/case-studies/{cid}/edit" not in after
    assert klass["title"] == "Period 5"


def test_saving_a_title_you_already_use_asks_first(app, client, instructor):
    saved(client)
    fields = review_fields(start(client, title="school GARDENS").get_data(as_text=True))
    asked = client.post("/teacher/case-studies/save", data=fields)
    assert asked.status_code == 409 and "You already have a case study called" in asked.get_data(as_text=True)
    assert client.post("/teacher/case-studies/save", data={**fields, "copy_ok": "1"}).status_code == 302
    with app.app_context():
        assert get_db()["case_studies"].count == 2


def test_edit_keeps_the_slug_and_duplicate_makes_a_copy(app, client, instructor):
    slug = saved(client)
    cid = case_study_id(app, slug)
    page = client.get(f"/teacher/case-studies/{cid}/edit").get_data(as_text=True)
    fields = review_fields(page)
    assert fields["case_study_id"] == str(cid) and fields["title"] == "School gardens"
    fields["title"] = "School gardens, revised"
    fields["items-0-explanation"] = "Edited explanation."
    response = client.post("/teacher/case-studies/save", data=fields)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{slug}")
    with app.app_context():
        rows = list(get_db().query("select slug, title, key_yaml from case_studies"))
    assert [(row["slug"], row["title"]) for row in rows] == [(slug, "School gardens, revised")]
    assert "Edited explanation." in rows[0]["key_yaml"]
    new_id = case_study_id(app, slug)
    assert client.post(f"/teacher/case-studies/{new_id}/duplicate").status_code == 302
    page = client.get("/teacher/case-studies/").get_data(as_text=True)
    assert "School gardens, revised (copy)" in page


def test_another_teachers_case_studies_are_404(app, client, instructor):
    slug = saved(client)
    cid = case_study_id(app, slug)
    create_instructor(app, "other@example.org")
    other = app.test_client()
    login(other, "other@example.org")
    for path in (f"/teacher/case-studies/{cid}/edit", f"/teacher/case-studies/{cid}/delete",
                 "/teacher/case-studies/99999/edit"):
        assert other.get(path).status_code == 404, path
    assert other.post(f"/teacher/case-studies/{cid}/duplicate").status_code == 404
    assert other.post("/teacher/case-studies/save", data={**review_fields(
        client.get(f"/teacher/case-studies/{cid}/edit").get_data(as_text=True))}).status_code == 404
