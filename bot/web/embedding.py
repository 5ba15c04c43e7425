"""Who may show the chat page inside a frame: $YIBAO_FRAME_ANCESTORS.

Unset (or `'none'`): nobody — CSP `frame-ancestors 'none'` and `X-Frame-Options: DENY`. Set to
origins (a 医保局 portal: `https://portal.example.gov.cn`, several separated by spaces or commas;
`'self'` and `https://*.example.gov.cn` allowed): CSP `frame-ancestors <those origins>`, and no
X-Frame-Options, which cannot name a list (browsers that know CSP ignore it anyway; a DENY
beside the list would only break older ones). An origin is a scheme (https, or http), a host and
an optional port, nothing else: a path, a query, quotes, `*` alone or another CSP keyword is refused,
and the server does not start (bot.web.settings).
"""
from __future__ import annotations

import os
import re
from typing import Mapping, Sequence

from bot.web.settings import SettingError

FRAME_ANCESTORS_ENV = "YIBAO_FRAME_ANCESTORS"
MAX_ORIGINS = 20
SELF = "'self'"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ORIGIN = re.compile(rf"https?://(?:\*\.)?{_LABEL}(?:\.{_LABEL})*(?::(\d{{1,5}}))?")
_NONE = {"", "'none'", "none"}
TEXT_BAD_ORIGIN = ("环境变量 {env} 中的 {item} 不是网站来源:请写成 https://portal.example.gov.cn 这样的地址"
                   "(协议加域名,可带端口,不带路径),多个用空格或逗号隔开;不允许嵌入就不设置。")
TEXT_NONE_WITH_OTHERS = "环境变量 {env} 不能既写 'none' 又写网站来源:不允许嵌入就不设置。"
TEXT_TOO_MANY = "环境变量 {env} 最多写 {limit} 个网站来源。"


def parse_frame_ancestors(raw: str | None) -> tuple[str, ...]:
    """The origins allowed to frame the page, normalised (lower case, no trailing "/"); () for
    nobody. Raises SettingError on anything else."""
    items = [i for i in re.split(r"[\s,]+", raw or "") if i]
    if all(i.lower() in _NONE for i in items):
        return ()
    if any(i.lower() in _NONE for i in items):
        raise SettingError(TEXT_NONE_WITH_OTHERS.format(env=FRAME_ANCESTORS_ENV))
    if len(items) > MAX_ORIGINS:
        raise SettingError(TEXT_TOO_MANY.format(env=FRAME_ANCESTORS_ENV, limit=MAX_ORIGINS))
    origins: list[str] = []
    for item in items:
        origin = item.lower()
        origin = origin[:-1] if origin.endswith("/") and "://" in origin else origin
        if origin in (SELF, "self"):
            origin = SELF
        else:
            match = _ORIGIN.fullmatch(origin)
            if match is None or (match.group(1) and not 0 < int(match.group(1)) < 65536):
                raise SettingError(TEXT_BAD_ORIGIN.format(env=FRAME_ANCESTORS_ENV,
                                                          item=repr(item[:100])))
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def frame_ancestors(environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """$YIBAO_FRAME_ANCESTORS, checked (SettingError when wrong)."""
    return parse_frame_ancestors(environ.get(FRAME_ANCESTORS_ENV))


def configured_frame_ancestors(environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """$YIBAO_FRAME_ANCESTORS for the page's headers, or () — nobody — when it is wrong: the
    server then refuses to start (bot.web.app.build_app checks it), and nothing that reads the
    headers without it ever allows more than it was told."""
    try:
        return frame_ancestors(environ)
    except SettingError:
        return ()


def framing_headers(csp: str, ancestors: Sequence[str]) -> dict[str, str]:
    """The page's Content-Security-Policy (`csp` plus frame-ancestors) and, when nobody may
    frame it, X-Frame-Options: DENY."""
    if not ancestors:
        return {"Content-Security-Policy": f"{csp}; frame-ancestors 'none'", "X-Frame-Options": "DENY"}
    return {"Content-Security-Policy": f"{csp}; frame-ancestors {' '.join(ancestors)}"}
