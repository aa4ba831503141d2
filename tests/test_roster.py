"""Roster CSV parsing (pure) and import (all or nothing, matched by roster id)."""

from __future__ import annotations

import io

import pytest

from webapp.domain.roster import RosterEntry, RosterError, parse_roster
from webapp.store.db import get_db


def test_utf8_with_bom_and_crlf():
    data = "\ufeffName,SIS ID\r\nZoë Ngô,1001\r\nÅsa Öberg,1002\r\n".encode()
    assert parse_roster(data) == [RosterEntry("Zoë Ngô", "1001"), RosterEntry("Åsa Öberg", "1002")]


def test_utf8_without_bom():
    assert parse_roster("student,email\nZoë,zoe@school.org\n".encode()) == [RosterEntry("Zoë", "zoe@school.org")]


def test_cp1252_from_excel_with_semicolons():
    data = "Name;Student ID\r\nJosé Müller;A-7\r\n".encode("cp1252")
    assert parse_roster(data) == [RosterEntry("José Müller", "A-7")]


@pytest.mark.parametrize("header", [
    "name,id", "Student,sis_id", "Full Name,Email", " NAME ,E-mail", "display name,SIS_USER_ID",
])
def test_common_header_names(header):
    assert parse_roster(f"{header}\nAda,42\n".encode()) == [RosterEntry("Ada", "42")]


def test_extra_columns_quotes_blank_lines_and_spaces():
    data = b'Section,Name,ID,Notes\n\n3,"Lovelace, Ada", 7 ,"likes\nmaths"\n,,,\n3,Alan,8,\n'
    assert parse_roster(data) == [RosterEntry("Lovelace, Ada", "7"), RosterEntry("Alan", "8")]


def test_every_bad_row_is_reported_by_line_number():
    data = b"name,id\nAda,1\n,2\nAlan,\nGrace,1\nKatherine,4\n"
    with pytest.raises(RosterError) as error:
        parse_roster(data)
    assert error.value.problems == [
        "line 3: the name is empty",
        "line 4: 'Alan' has no id",
        "line 5: the id '1' is already used on line 2",
    ]


def test_line_numbers_count_physical_lines_of_multiline_cells():
    with pytest.raises(RosterError) as error:
        parse_roster(b'name,id,notes\nAda,1,"two\nlines"\n,3,\n')
    assert error.value.problems == ["line 4: the name is empty"]


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b" \n\n", "empty"),
    (b"name,id\n", "no students"),
    (b"first,last\nAda,L\n", "needs a name column"),
    (b"name,grade\nAda,7\n", "an id column"),
    (b"name,id\n\x81\x8d\x8f,1\n", "neither UTF-8 nor Windows-1252"),
    (b"name,id\n" + b"x" * 81 + b",1\n", "longer than 80"),
])
def test_unusable_files_are_refused_with_a_reason(data, message):
    with pytest.raises(RosterError) as error:
        parse_roster(data)
    assert message in str(error.value)


def test_many_errors_are_summarised():
    data = b"name,id\n" + b",1\n" * 30
    with pytest.raises(RosterError) as error:
        parse_roster(data)
    assert len(error.value.problems) == 21 and error.value.problems[-1] == "… and 10 more"


# --- import through the dashboard ---------------------------------------------------------------


def upload(client, klass, data: bytes):
    return client.post(f"/teacher/classes/{klass['id']}/roster", data={"file": (io.BytesIO(data), "roster.csv")})


def roster(app, klass):
    with app.app_context():
        return [(row["name"], row["roster_id"]) for row in
                get_db().query("select * from roster where class_id = ? order by id", [klass["id"]])]


def test_import_shows_the_roster_to_the_instructor(app, client, klass):
    response = upload(client, klass, b"name,id\nAda,S1\nAlan,S2\n")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Roster imported: 2 added, 0 renamed, 0 removed." in page and "S2" in page


def test_a_bad_file_imports_nothing(app, client, klass):
    upload(client, klass, b"name,id\nAda,S1\n")
    response = upload(client, klass, b"name,id\nGrace,S3\n,S4\n")
    assert response.status_code == 400 and "line 3: the name is empty" in response.get_data(as_text=True)
    assert roster(app, klass) == [("Ada", "S1")]


def test_missing_file_is_a_400(client, klass):
    assert client.post(f"/teacher/classes/{klass['id']}/roster", data={}).status_code == 400


def test_reimport_updates_by_id_and_keeps_students_who_joined(app, client, klass):
    upload(client, klass, b"name,id\nAda,S1\nAlan,S2\nGrace,S3\n")
    app.test_client().post("/api/join", json={"code": klass["code"], "name": "Alan"})
    response = upload(client, klass, b"name,id\nAda Lovelace,S1\nKatherine,S4\n")
    page = client.get(response.location).get_data(as_text=True)
    assert "1 added, 1 renamed, 1 removed. 1 student not in the new file had already joined and was kept." in page
    assert roster(app, klass) == [("Ada Lovelace", "S1"), ("Alan", "S2"), ("Katherine", "S4")]
