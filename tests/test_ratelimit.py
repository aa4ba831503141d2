"""Rate limits: a whole school behind one address is never throttled; one browser is."""

from __future__ import annotations

import pytest
from classroom_support import create_class, create_instructor

from webapp import create_app


@pytest.fixture
def limited_app(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "db.sqlite"), "SECRET_KEY": "x",
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                       "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})


def new_browser(app):
    client = app.test_client()
    client.get("/api/csrf-token")  # every real browser has a CSRF secret before it posts
    return client


def test_a_class_of_320_behind_one_address_joins_without_a_429(limited_app):
    teacher = create_instructor(limited_app, "t@example.org")
    code = create_class(limited_app, teacher["id"])["code"]
    statuses = {new_browser(limited_app).post("/api/join", json={"code": code, "name": f"S{i}"}).status_code
                for i in range(320)}
    assert statuses == {200}


def test_one_browser_hammering_the_api_is_throttled_with_a_json_429(limited_app):
    client = new_browser(limited_app)
    statuses = [client.post("/api/exercises/cz-pardon-filler/grade", json={"spans": []}).status_code
                for _ in range(305)]
    assert statuses[:300] == [200] * 300
    response = client.post("/api/exercises/cz-pardon-filler/grade", json={"spans": []})
    assert response.status_code == 429 and response.get_json()["error"]
    assert new_browser(limited_app).post("/api/exercises/cz-pardon-filler/grade",
                                         json={"spans": []}).status_code == 200  # others are unaffected


def test_login_attempts_are_limited_per_account_not_per_address(limited_app):
    create_instructor(limited_app, "busy@example.org")
    client = new_browser(limited_app)
    statuses = [client.post("/auth/login", data={"email": f"nobody{i}@example.org", "password": "x" * 12}).status_code
                for i in range(30)]
    assert 429 not in statuses  # thirty different accounts from one address: no burst limit
    statuses = [client.post("/auth/login", data={"email": "busy@example.org", "password": "wrong password"}).status_code
                for _ in range(25)]
    assert statuses[-1] == 429


def test_guessing_codes_is_bounded_per_address_even_with_a_new_cookie_each_time(limited_app):
    statuses = [new_browser(limited_app).post("/api/join", json={"code": f"ZZZZ{i:03d}", "name": "X"}).status_code
                for i in range(61)]
    assert statuses[:60] == [404] * 60 and statuses[60] == 429
    resume = new_browser(limited_app).post("/resume", data={"code": "AAAA-AAAA"})
    assert resume.status_code == 429  # the resume page shares the count


def test_one_browser_gets_ten_wrong_codes_a_minute(limited_app):
    client = new_browser(limited_app)
    statuses = [client.post("/resume", data={"code": f"AAAA-AA{i:02d}"}).status_code for i in range(11)]
    assert statuses[:10] == [404] * 10 and statuses[10] == 429
