"""Join codes for classes and personal resume codes for students.

Pure module (no Flask). Both are drawn with `secrets` from an alphabet without look-alikes
(no 0/O, 1/I/L), so a code read off a projector or a sticky note is typed right the first time.
Uniqueness is the caller's job: it retries while `is_taken` says a code is in use.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 7  # 7 × log2(31) ≈ 34.7 bits
RESUME_CODE_LENGTH = 8  # ≈ 39.6 bits: it alone lets someone continue a student's work
MAX_TRIES = 20


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def unique_code(length: int, is_taken: Callable[[str], bool]) -> str:
    """A random code that `is_taken` does not know yet."""
    for _ in range(MAX_TRIES):
        code = random_code(length)
        if not is_taken(code):
            return code
    raise RuntimeError(f"no free code of length {length} after {MAX_TRIES} tries")


def normalise(typed: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def resume_code_groups(code: str) -> tuple[str, str] | None:
    """The two groups of four of a normalised resume code; None when it is not eight characters."""
    if len(code) != RESUME_CODE_LENGTH:
        return None
    return code[:4], code[4:]


def format_resume_code(code: str) -> str:
    """ABCD-EFGH: two groups of four are easier to copy down than eight in a row."""
    return f"{code[:4]}-{code[4:]}"
