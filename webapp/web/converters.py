"""URL converters. `<id:name>` matches a row id that SQLite can hold, and nothing else.

Werkzeug's `<int:...>` accepts any number of digits, so `/attempts/99999999999999999999`
reached the view and SQLite raised OverflowError ("Python int too large to convert to SQLite
INTEGER"): a 500. An id beyond SQLite's 64-bit range cannot name a row, so it is no match at
all, a 404 like any unknown URL, before the view runs. So are the other spellings werkzeug's
`\\d+` lets through (leading zeros, Arabic-Indic or fullwidth digits): one URL per row.

Registered in `create_app` before the blueprints (a rule looks its converters up when it is
added): `app.url_map.converters["id"] = IdConverter` (or `converters.init_app(app)`); routes
say `@bp.get("/attempts/<id:attempt_id>")`.
"""

from __future__ import annotations

from werkzeug.routing import BaseConverter, ValidationError

MAX_SQLITE_INTEGER = 2**63 - 1


class IdConverter(BaseConverter):
    """A row id: 1 to 2**63 - 1, in ASCII digits without leading zeros. 0, negatives, signs,
    leading zeros, non-ASCII digits and larger numbers do not match."""

    regex = r"[1-9][0-9]{0,18}"
    part_isolating = True
    weight = 50  # as werkzeug's int: a number sorts before a plain string converter

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_SQLITE_INTEGER:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        number = int(value)
        if not 0 < number <= MAX_SQLITE_INTEGER:
            raise ValueError(f"{value!r} is not a row id")
        return str(number)


def init_app(app) -> None:
    app.url_map.converters["id"] = IdConverter
