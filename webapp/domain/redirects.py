"""Where a `next=` parameter may send the browser: only to a path on this site.

Pure module (no Flask). An open redirect lets a link that starts on the school's Spotcheck end
on a look-alike login page. Browsers are lenient in ways a naive check is not: they drop tabs
and newlines inside URLs ("/\\t/evil.example" is "//evil.example"), treat a backslash as a slash
("/\\evil.example"), and a "//" at the start names another host. Percent-encoding can hide any
of these from a check that does not decode ("%2F%2Fevil.example", and "%252F" after a second
decoding by a proxy or a later redirect). So the rule is narrow: a target is kept only when it
starts with one "/" and, as given, decoded as many times as it decodes, and in NFKC form
(a fullwidth "／" is a "/" there), holds no control, format or separator character but the
plain space, no backslash, does not start with "//" or "/ ", and names no scheme and no host.
Anything else, including anything unusual, gives None (use the default page). Non-ASCII
letters pass, so request.full_path of a page with "é" in its path comes back.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2048
MAX_DECODINGS = 8


def _safe_form(path: str) -> bool:
    """One form of the target: a path that no browser or proxy reads as another host. Checked
    on its NFKC form too, where a fullwidth solidus becomes "/"."""
    for form in (path, unicodedata.normalize("NFKC", path)):
        if not form.startswith("/") or form[1:2] in ("/", "\\", " "):
            return False
        # A space is harmless inside a path or query; every other separator, control or
        # invisible character is not (browsers drop tabs and newlines).
        if "\\" in form or any(char != " " and unicodedata.category(char)[0] in "CZ" for char in form):
            return False
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next_path(target: str | None) -> str | None:
    """`target` unchanged when it is a path on this site, else None."""
    if not isinstance(target, str) or not 0 < len(target) <= MAX_LENGTH:
        return None
    if not _safe_form(target):
        return None
    decoded = target
    for _ in range(MAX_DECODINGS):
        try:
            once_more = unquote(decoded, errors="strict")
        except UnicodeDecodeError:
            return None  # not UTF-8 once decoded: no path of ours
        if once_more == decoded:
            return target
        if not _safe_form(once_more):
            return None
        decoded = once_more
    return None  # still decoding after MAX_DECODINGS rounds: nothing a link of ours looks like
