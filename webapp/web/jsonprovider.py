"""Flask's JSON through orjson.

Two reasons, both about the JSON API under a class's load:
- A check's response carries every key item's explanation (some 13 KB): about 45 µs to encode
  with the standard library, 2 µs with orjson.
- A body nested a few thousand levels deep made the standard library's parser overflow the
  stack (RecursionError: a 500). orjson stops at 1,024 levels with a ValueError, which the API
  turns into a 400 like any other malformed body.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

# Like the standard library, write non-string keys (numbers) as strings.
OPTIONS = orjson.OPT_NON_STR_KEYS


class OrjsonProvider(DefaultJSONProvider):
    """Compact UTF-8 JSON; `sort_keys` (Jinja's `tojson` asks for it) is honoured. What orjson
    cannot write (integers beyond 64 bits) goes to the standard library, as before."""

    def _encode(self, obj: Any, sort_keys: bool = False) -> bytes:
        option = OPTIONS | orjson.OPT_SORT_KEYS if sort_keys else OPTIONS
        try:
            return orjson.dumps(obj, default=self.default, option=option)
        except orjson.JSONEncodeError:
            return super().dumps(obj, sort_keys=sort_keys).encode()

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self._encode(obj, bool(kwargs.get("sort_keys"))).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any):
        return self._app.response_class(self._encode(self._prepare_response_obj(args, kwargs)), mimetype=self.mimetype)
