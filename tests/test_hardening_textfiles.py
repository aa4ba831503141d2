"""Issue #13: uploaded files are decoded, or refused with a message saying what they look like."""

import codecs
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.domain.roster import RosterError, parse_roster
from webapp.domain.textfiles import NotText, decode_text

TEXT = "Zoë’s café — “naïve” résumé\r\nSecond line\n"


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    TEXT.encode("utf-16"),  # Python writes the machine's byte order with its mark
    TEXT.encode("cp1252"),
])
def test_text_files_decode(data):
    assert decode_text(data, "article") == TEXT


def test_empty_file_is_empty_text():
    assert decode_text(b"", "article") == ""


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 500)
        archive.writestr("_rels/.rels", "<Relationships/>" * 500)
        archive.writestr("word/document.xml", "<w:document/>" * 500)
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "x" * 20000)
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data, looks_like", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "This looks like a PDF file, not text"),
    (docx(), "This looks like a Word document"),
    (xlsx(), "This looks like an Excel workbook"),
    (b"PK\x03\x04" + b"\x00" * 40 + b"photos/cat.jpg", "a zip archive"),
    (b"{\\rtf1\\ansi Hello}", "Rich Text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old .doc/.xls format"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "an image"),
    (bytes(range(256)) * 4, "binary data"),
    (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x03\x00\x3e\x00" * 50, "binary data"),
    (b"\x00\x01\x02\x03" * 100, "binary data"),
    ("Hello, this is text".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
    ("Hello, this is text".encode("utf-16-be"), "UTF-16 text without a byte-order mark"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "damaged or binary"),
    (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "damaged or binary"),
    (b"abc\x1b[31mred\x1b[0m\x07" * 3, "binary data"),
])
def test_files_that_are_not_text_are_refused_with_what_they_look_like(data, looks_like):
    with pytest.raises(NotText) as error:
        decode_text(data, "article")
    message = str(error.value)
    assert looks_like in message
    assert "save the article as plain text (.txt)" in message or "save the article as" in message
    assert isinstance(error.value, ValueError)


def test_the_message_names_the_file_and_the_format_to_save_as():
    with pytest.raises(NotText, match=r"save the roster as CSV \(UTF-8\)"):
        decode_text(xlsx(), "roster", save_as="CSV (UTF-8)")


def test_a_stray_escape_in_long_text_is_left_for_the_caller():
    text = "A" * 500 + "\x1b" + "B" * 500
    assert decode_text(text.encode(), "article") == text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_are_refused_with_a_value_error(data):
    try:
        text = decode_text(data, "article")
    except NotText as error:
        assert str(error).startswith("This ")
        return
    assert "\x00" not in text and not text.startswith("\ufeff")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=200))
def test_any_utf8_text_without_control_characters_roundtrips(text):
    if text.startswith("\ufeff"):
        text = text[1:]
    assert decode_text(text.encode("utf-8"), "article") == text
    assert decode_text(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "article") == text


# --- the roster uses it -------------------------------------------------------------------------


def test_roster_from_excel_unicode_text_utf16_decodes():
    data = codecs.BOM_UTF16_LE + "Name\tStudent ID\r\nZoë Ngô\tS-1\r\n".encode("utf-16-le")
    assert [(e.name, e.roster_id) for e in parse_roster(data)] == [("Zoë Ngô", "S-1")]


@pytest.mark.parametrize("data, looks_like", [
    (xlsx(), "This looks like an Excel workbook"),
    (b"%PDF-1.4\n", "This looks like a PDF file"),
    ("name,id\nAda,1\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
])
def test_roster_refuses_what_is_not_a_csv_with_a_roster_error(data, looks_like):
    with pytest.raises(RosterError) as error:
        parse_roster(data)
    assert looks_like in str(error.value) and "CSV" in str(error.value)


def test_a_short_file_with_one_stray_control_character_is_still_text():
    # A roster line with a pasted BEL is a roster problem on that line, not "binary data".
    assert decode_text(b"name,id\nBob,S\x072\n", "roster") == "name,id\nBob,S\x072\n"
