"""Issue #13: nothing with a teacher's or a student's data stays in a browser's or proxy's cache."""

import pytest
from classroom_support import join_class

STATIC = "/static/spotcheck.css"


def no_store(response):
    return response.headers.get("Cache-Control") == "no-store"


@pytest.mark.parametrize("path", ["/", "/healthz", "/join", "/auth/login", "/api/lessons", "/no-such-page",
                                  "/attempts/1"])
def test_anonymous_pages_are_not_stored_either(client, path):
    # The same URL shows a student's name once someone has joined on this browser: the rule is
    # per response, not per page, so a page added later is covered without a list to keep.
    assert no_store(client.get(path))


def test_static_files_stay_cacheable(client):
    response = client.get(STATIC)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_teachers_pages_and_exports_are_not_stored(client, klass):
    for path in ["/teacher/", f"/teacher/classes/{klass['id']}", f"/teacher/classes/{klass['id']}/progress.json",
                 f"/teacher/classes/{klass['id']}/settings"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path
    for format_name in ["csv", "json", "canvas", "long"]:
        response = client.get(f"/teacher/classes/{klass['id']}/export/{format_name}")
        assert response.status_code == 200 and no_store(response), format_name
    assert no_store(client.get(STATIC.replace("css", "js"))) is False


def test_a_students_pages_are_not_stored(app, klass):
    student = app.test_client()
    join_class(student, klass["code"], "Ada")
    for path in ["/", "/my-work", "/api/csrf-token"]:
        response = student.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path


def test_redirects_and_errors_are_not_stored(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    assert no_store(client.get("/teacher/"))  # the redirect to the login page
    response = client.get("/boom")
    assert response.status_code == 500 and no_store(response)


def test_a_views_own_cache_header_does_not_weaken_it(app, client):
    @app.get("/cached")
    def cached():
        return "private data", 200, {"Cache-Control": "public, max-age=3600"}

    assert no_store(client.get("/cached"))
