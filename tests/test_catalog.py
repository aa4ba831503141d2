"""The catalog each worker keeps: a case study saved in one process is served by the others at
once, and parsed by them off the request path; the saving process does not parse it twice."""

from __future__ import annotations

import threading

import pytest
from classroom_support import login
from test_own_case_studies import saved

from webapp import create_app
from webapp.web import catalog


@pytest.fixture
def other_worker(app):
    """A second app on the same database, as another gunicorn worker process: a catalog of its own."""
    return create_app(dict(app.config))


def logged_in(worker, instructor):
    client = worker.test_client()
    assert login(client, instructor["email"]).status_code == 302
    client.get("/lessons/cz-pardon")  # its catalog is loaded, before the other worker saves
    return client


def test_a_case_study_saved_by_another_worker_opens_at_once(client, instructor, other_worker):
    other = logged_in(other_worker, instructor)
    slug = saved(client)
    assert other.get(f"/lessons/{slug}").status_code == 200
    assert other.get(f"/exercises/{slug}-hedge").status_code == 200


def test_another_workers_save_is_parsed_in_the_background(client, instructor, other_worker, monkeypatch):
    other = logged_in(other_worker, instructor)
    slug = saved(client)
    release, parsed_in = threading.Event(), []
    real_parse = catalog.load_stored_lesson

    def slow_parse(*args):
        parsed_in.append(threading.current_thread().name)
        release.wait(timeout=2)
        return real_parse(*args)

    monkeypatch.setattr(catalog, "load_stored_lesson", slow_parse)
    monkeypatch.setattr(catalog, "RECHECK_SECONDS", 0)
    assert other.get("/lessons/cz-pardon").status_code == 200  # served while the new case study is parsed
    release.set()
    for thread in threading.enumerate():
        if thread.name == "catalog-refresh":
            thread.join(timeout=5)
    assert parsed_in == ["catalog-refresh"]
    with other_worker.app_context():
        assert slug in catalog.get_catalog().lessons


def test_the_saving_worker_does_not_parse_what_it_just_saved(client, instructor, monkeypatch):
    client.get("/lessons/cz-pardon")
    parses, real_parse = [], catalog.load_stored_lesson
    monkeypatch.setattr(catalog, "load_stored_lesson", lambda *args: parses.append(args) or real_parse(*args))
    slug = saved(client)
    assert client.get(f"/lessons/{slug}").status_code == 200
    assert parses == []
