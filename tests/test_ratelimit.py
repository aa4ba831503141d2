"""Rate limits: a whole school behind one address is never throttled; one browser is."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from classroom_support import create_class, create_instructor, login

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


def test_limited_responses_say_which_limit_and_when_to_retry(limited_app):
    client = new_browser(limited_app)
    page = client.get("/auth/login")
    login = client.post("/auth/login", data={"email": "a@example.org", "password": "x"})
    assert page.headers["X-RateLimit-Limit"] == "60000"  # the page: the per-address ceiling
    assert login.headers["X-RateLimit-Limit"] == "20" and login.headers["X-RateLimit-Remaining"] == "19"  # per account
    for _ in range(301):
        client.post("/api/exercises/cz-pardon-filler/grade", json={"spans": []})
    refused = client.post("/api/exercises/cz-pardon-filler/grade", json={"spans": []})
    assert refused.status_code == 429 and refused.get_json() == {"error": "300 per 1 minute"}
    assert refused.headers["X-RateLimit-Limit"] == "300" and refused.headers["X-RateLimit-Remaining"] == "0"
    assert 0 <= int(refused.headers["Retry-After"]) <= 60
    assert "X-RateLimit-Limit" not in client.get("/static/spotcheck.css").headers


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


# --- failed resume codes count against the student whose code they nearly are ----------------


def joined_student(app, name="Sam"):
    """A student of a new class, with the browser that joined and the resume code as stored."""
    teacher = create_instructor(app, f"{name.lower()}-teacher@example.org")
    code = create_class(app, teacher["id"])["code"]
    body = new_browser(app).post("/api/join", json={"code": code, "name": name}).get_json()
    return body["resume_code"].replace("-", "")


def wrong_codes_like(resume_code: str, count: int) -> list[str]:
    """Codes with the first group of four of `resume_code` and another second group, as someone
    who saw half of it (or mistypes the other half) would type them."""
    others = [code for code in (f"{a}{b}{c}{d}" for a in "2345" for b in "6789" for c in "ABCD" for d in "EFGH")
              if code != resume_code[4:]]
    return [f"{resume_code[:4]}-{other}" for other in others[:count]]


def resume_from(app, code: str, address: str):
    return new_browser(app).post("/resume", data={"code": code}, environ_base={"REMOTE_ADDR": address})


def test_guessing_one_students_code_from_many_addresses_is_cut_off_after_ten(limited_app):
    code = joined_student(limited_app)
    other = joined_student(limited_app, "Kim")
    statuses = [resume_from(limited_app, guess, f"10.0.{i}.1").status_code
                for i, guess in enumerate(wrong_codes_like(code, 12))]
    assert statuses == [404] * 10 + [429] * 2
    refused = resume_from(limited_app, code, "10.1.0.1")  # the real code too, until the teacher issues a new one
    assert refused.status_code == 429
    assert b"ask your teacher for a new resume code" in refused.data
    assert resume_from(limited_app, other, "10.1.0.2").status_code == 302  # the rest of the class is not locked


def test_the_student_typing_their_code_wrong_nine_times_still_gets_back_in(limited_app):
    code = joined_student(limited_app)
    browser = new_browser(limited_app)
    for guess in wrong_codes_like(code, 9):
        assert browser.post("/resume", data={"code": guess}).status_code == 404
    assert new_browser(limited_app).post("/resume", data={"code": code.lower()}).status_code == 302


def test_codes_that_share_no_half_with_a_students_code_lock_no_one(limited_app):
    code = joined_student(limited_app)
    unlike = [f"{a}{b}{c}{d}-{a}{b}{c}{d}" for a in "2345" for b in "6789" for c in "JKMN" for d in "PQ"][:20]
    unlike = [guess for guess in unlike if code[:4] not in guess and code[4:] not in guess]
    for i, guess in enumerate(unlike):
        assert resume_from(limited_app, guess, f"10.2.{i}.1").status_code == 404
    assert resume_from(limited_app, code, "10.2.99.1").status_code == 302


def test_a_new_code_from_the_teacher_lets_the_locked_out_student_back_in(limited_app):
    teacher = create_instructor(limited_app, "t@example.org")
    klass = create_class(limited_app, teacher["id"])
    body = new_browser(limited_app).post("/api/join", json={"code": klass["code"], "name": "Sam"}).get_json()
    for i, guess in enumerate(wrong_codes_like(body["resume_code"].replace("-", ""), 10)):
        resume_from(limited_app, guess, f"10.3.{i}.1")
    assert resume_from(limited_app, body["resume_code"], "10.3.99.1").status_code == 429
    teacher_browser = new_browser(limited_app)
    login(teacher_browser, "t@example.org")
    student_page = f"/teacher/classes/{klass['id']}/students/{body['student']['id']}"
    assert b"It is locked" in teacher_browser.get(student_page).data
    page = teacher_browser.post(f"{student_page}/resume-code", follow_redirects=True)
    assert b"It is locked" not in page.data
    fresh = re.search(r"New resume code for Sam: ([A-Z0-9]{4}-[A-Z0-9]{4})", page.get_data(as_text=True)).group(1)
    assert resume_from(limited_app, fresh, "10.3.99.2").status_code == 302


def test_simultaneous_wrong_codes_are_counted_exactly(limited_app):
    code = joined_student(limited_app)
    guesses = wrong_codes_like(code, 24)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda i: resume_from(limited_app, guesses[i], f"10.4.{i}.1").status_code,
                                 range(len(guesses))))
    assert sorted(statuses) == [404] * 10 + [429] * 14
