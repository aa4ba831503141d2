"""URL converters. `<id:...>` matches the integer ids SQLite can store (1 to 2**63 - 1): a larger
number in a URL is simply no match (404), never an OverflowError from the database (500)."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_SQLITE_INTEGER = 2**63 - 1


class IdConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, min=1, max=MAX_SQLITE_INTEGER, **kwargs)
