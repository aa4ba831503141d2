"""Issue #13: display names and roster names are real names, never disguised text."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.domain.names import BIDI_CONTROLS, ZERO_WIDTH, NameRefused, clean_display_name
from webapp.domain.roster import RosterError, parse_roster


@pytest.mark.parametrize("raw, expected", [
    ("Ada Lovelace", "Ada Lovelace"),
    ("  Ada \t  Lovelace  ", "Ada Lovelace"),
    ("Ada\u00a0Lovelace", "Ada Lovelace"),  # no-break space
    ("Ada\u3000Lovelace", "Ada Lovelace"),  # ideographic space
    ("Zoë Ngô", "Zoë Ngô"),
    ("Zoe\u0308 Ngo\u0302", "Zoë Ngô"),  # decomposed accents: NFC
    ("Seán O’Brien-Ó Súilleabháin", "Seán O’Brien-Ó Súilleabháin"),
    ("D'Angelo", "D'Angelo"),
    ("王小明", "王小明"),
    ("さくら", "さくら"),
    ("김민준", "김민준"),
    ("محمد علي", "محمد علي"),
    ("דוד כהן", "דוד כהן"),
    ("अर्जुन शर्मा", "अर्जुन शर्मा"),
    ("Nguyễn Văn An", "Nguyễn Văn An"),
    ("Ελένη", "Ελένη"),
    ("Дмитрий", "Дмитрий"),
    ("Ada 2", "Ada 2"),
    ("Ada 🦊", "Ada 🦊"),
    ("x" * 40, "x" * 40),
])
def test_real_names_are_kept(raw, expected):
    assert clean_display_name(raw) == expected


@pytest.mark.parametrize("raw, reason", [
    ("", "type your name"),
    ("   \t ", "type your name"),
    (None, "type your name"),
    ("x" * 41, "longer than 40"),
    ("Ada\nLovelace", "one line"),
    ("Ada\rLovelace", "one line"),
    ("Ada\x00", "one line"),
    ("Ada\x1b[31m", "one line"),
    ("Ada\x7f", "one line"),
    ("Ada\x85", "one line"),
    ("Ada\u202eecalevol", "direction"),
    ("Ada\u202d", "direction"),
    ("\u2066Ada\u2069", "direction"),
    ("Ada\u200f", "direction"),
    ("Ada\u200e", "direction"),
    ("A\u200bda", "invisible character"),
    ("A\u200cda", "invisible character"),
    ("A\u200dda", "invisible character"),
    ("Ada\ufeff", "invisible character"),
    ("Ada\u2060", "invisible character"),
    ("A\u00adda", "invisible character"),
    ("\u3164", "invisible character"),
    ("\u2800\u2800", "invisible character"),
    ("Ada\u2028Lovelace", "one line"),
    ("Ada\ue000", "cannot be shown"),  # private use
    ("Ada\U000e0001", "cannot be shown"),  # language tag (Cf)
    ("Ada\u0378", "cannot be shown"),  # unassigned
    ("Ada\ud800", "cannot be shown"),  # lone surrogate (from a JSON body)
    ("Z\u0300\u0301\u0302\u0303\u0304\u0305algo", "accent marks"),
    ("---", "at least one letter"),
    ("'", "at least one letter"),
    ("\u0301", "at least one letter"),
    (42, "as text"),
    (["Ada"], "as text"),
])
def test_disguised_or_empty_names_are_refused_with_a_reason(raw, reason):
    with pytest.raises(NameRefused) as error:
        clean_display_name(raw)
    assert reason.lower() in str(error.value).lower()
    assert isinstance(error.value, ValueError)


def test_the_length_limit_is_a_parameter_and_counts_normalised_characters():
    assert clean_display_name("e\u0301" * 40) == "é" * 40
    with pytest.raises(NameRefused, match="longer than 10"):
        clean_display_name("Ada Lovelace", max_length=10)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_any_string_is_cleaned_or_refused_and_a_clean_name_is_safe(raw):
    try:
        name = clean_display_name(raw)
    except NameRefused as error:
        assert str(error)
        return
    assert name == name.strip() and "  " not in name and 0 < len(name) <= 40
    assert unicodedata.is_normalized("NFC", name)
    assert name.isprintable()
    assert not any(char in BIDI_CONTROLS or char in ZERO_WIDTH for char in name)
    assert any(unicodedata.category(char)[0] in "LN" for char in name)
    assert clean_display_name(name) == name


# --- roster names go through the same checks ----------------------------------------------------


def test_roster_names_are_cleaned():
    entries = parse_roster("name,id\n  Zoe\u0308   Ngô ,S1\nAda\u00a0Lovelace,S2\n".encode())
    assert [entry.name for entry in entries] == ["Zoë Ngô", "Ada Lovelace"]


def test_roster_names_are_refused_with_their_line_number():
    data = "name,id\nAda,S1\nEve\u202eliv,S2\nBob\u200b,S3\n---,S4\nGrace,S5\n".encode()
    with pytest.raises(RosterError) as error:
        parse_roster(data)
    problems = error.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5"]
    assert "direction" in problems[0] and "invisible" in problems[1] and "letter" in problems[2]


def test_roster_ids_with_control_or_invisible_characters_are_refused():
    with pytest.raises(RosterError) as error:
        parse_roster("name,id\nAda,S\u202e1\nBob,S\x072\n".encode())
    assert [p.split(":")[0] for p in error.value.problems] == ["line 2", "line 3"]
    assert all("id" in p for p in error.value.problems)


def test_roster_long_names_are_still_refused_at_80():
    with pytest.raises(RosterError, match="longer than 80"):
        parse_roster(b"name,id\n" + b"x" * 81 + b",1\n")
    assert parse_roster(b"name,id\n" + b"x" * 80 + b",1\n")[0].name == "x" * 80
