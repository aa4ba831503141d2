"""Display names: what students type when they join, and the names on an uploaded roster.

Pure module (no Flask). A name is shown to the teacher on the dashboard, in exports and in the
roster picker, so it must look like what it is: `clean_display_name` keeps real names in any
script (accents, CJK, Arabic, Devanagari, apostrophes, hyphens) and refuses what could hide or
disguise text: control characters, direction overrides and isolates that would reverse the
rest of a row ("Ada\u202eEVIL" shows as "AdaLIVE"), zero-width characters that make two names
that look the same differ, and characters that cannot be shown at all.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 40
# Characters that change the direction of the text around them: embeddings and overrides
# (U+202A-U+202E), isolates (U+2066-U+2069), and the marks LRM, RLM and ALM.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Characters that draw nothing: zero-width space, non-joiner and joiner, word joiner, BOM /
# zero-width no-break space, soft hyphen, the invisible operators, and the blank "letters"
# (Hangul fillers, the blank Braille pattern) used to make a name look empty or like another.
ZERO_WIDTH = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u2061\u2062\u2063\u2064\u180e\u3164\uffa0\u115f\u1160\u2800"
)
# More combining marks than this on one letter is "Zalgo" text that spills over the rows
# around it; real scripts stack at most three or so.
MAX_COMBINING_RUN = 4


class NameRefused(ValueError):
    """The name cannot be used; the message tells the student (or teacher) why, kindly."""


def clean_display_name(raw: object, max_length: int = MAX_LENGTH) -> str:
    """The name as it will be stored and shown, or `NameRefused` saying what to change.

    NFC, then every run of spaces and tabs (any Unicode space) becomes one space, trimmed.
    Refused: no letter or digit at all, longer than `max_length` characters (after
    normalising), line breaks (U+2028/9 too) and other control characters, direction controls, zero-width
    characters, and any other character that cannot be printed (private use, unassigned,
    surrogates, line/paragraph separators), and more than four combining marks on one letter.
    """
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise NameRefused("Type your name as text.")
    name = unicodedata.normalize("NFC", raw)
    for char in name:
        if char in BIDI_CONTROLS:
            raise NameRefused(
                "The name contains an invisible character that changes the direction of the text: "
                "please type it again without copying and pasting."
            )
        if char in ZERO_WIDTH:
            raise NameRefused(
                "The name contains an invisible character (such as a zero-width space): "
                "please type it again without copying and pasting."
            )
        if char != "\t" and unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            raise NameRefused("The name must be on one line, without control characters.")
    # Tabs and Unicode spaces (no-break, ideographic, en, em...) become one plain space.
    name = " ".join(name.split())
    if not name:
        raise NameRefused("Please type your name.")
    if len(name) > max_length:
        raise NameRefused(f"The name is longer than {max_length} characters: please shorten it.")
    if not name.isprintable():
        raise NameRefused("The name contains a character that cannot be shown: please type it again.")
    if _longest_mark_run(name) > MAX_COMBINING_RUN:
        raise NameRefused("The name has too many accent marks on one letter: please type it again.")
    if not any(unicodedata.category(char)[0] in "LN" for char in name):
        raise NameRefused("The name needs at least one letter.")
    return name


def _longest_mark_run(name: str) -> int:
    longest = run = 0
    for char in name:
        run = run + 1 if unicodedata.category(char) in ("Mn", "Me") else 0
        longest = max(longest, run)
    return longest


def same_name(a: str, b: str) -> bool:
    """Whether two display names would look the same to a teacher (case and Unicode form ignored)."""
    return unicodedata.normalize("NFC", a).casefold() == unicodedata.normalize("NFC", b).casefold()


def distinct_name(name: str, taken: list[str], max_length: int = MAX_LENGTH) -> str:
    """`name`, or "name 2", "name 3"... the first that no name in `taken` looks the same as.

    A long name is shortened so the number still fits in `max_length` characters.
    """
    folded = {unicodedata.normalize("NFC", other).casefold() for other in taken}
    if name.casefold() not in folded:
        return name
    number = 2
    while True:
        suffix = f" {number}"
        candidate = name[:max_length - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in folded:
            return candidate
        number += 1
