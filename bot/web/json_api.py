"""HTTP helpers shared by the channels: reading a JSON body, JSON replies that are never cached."""
from __future__ import annotations

import json
from typing import Any, Mapping

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer"}


def json_body(request: Request) -> dict[str, Any] | None:
    """The request's JSON object, or None when the body is not one (nested too deeply to parse
    included: json.loads raises RecursionError on some thousands of brackets)."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def json_reply(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> HTTPResponse:
    return response.json(body, status=status, headers={**NO_STORE, **(headers or {})},
                         dumps=json.dumps, ensure_ascii=False)
