"""bot.web.operator_access: the operator token from the environment, names, and the signed cookie."""
from __future__ import annotations

import pytest

from bot.web.operator_access import (SESSION_SECONDS, TOKEN_ENV, OperatorAccess, operator_name,
                                     operator_token)
from bot.web.settings import SettingError

TOKEN = "k7Jd0-operator-token-9x"


def test_no_token_means_off_and_a_short_one_is_refused_in_chinese() -> None:
    assert operator_token({}) is None and operator_token({TOKEN_ENV: "  "}) is None
    assert operator_token({TOKEN_ENV: TOKEN}) == TOKEN
    with pytest.raises(SettingError) as refused:
        operator_token({TOKEN_ENV: "short"})
    assert TOKEN_ENV in str(refused.value) and "至少 16 个字符" in str(refused.value)


@pytest.mark.parametrize("given, ok", [(TOKEN, True), (f" {TOKEN}\n", True), (TOKEN[:-1], False),
                                       (TOKEN + "x", False), ("", False), (None, False), (12, False),
                                       ("口令" * 10, False), ([TOKEN], False)])
def test_the_token_is_compared_whole(given: object, ok: bool) -> None:
    assert OperatorAccess(TOKEN).token_matches(given) is ok


@pytest.mark.parametrize("raw, name", [("王芳", "王芳"), ("  李 明 ", "李 明"), ("工号 0231", "工号 0231"),
                                      ("<b>王</b>", "<b>王</b>"), ("😀小张", "😀小张"),
                                      ("", None), ("   ", None), ("王" * 21, None), (None, None),
                                      (7, None), ("王\u0000芳", None), ("王\u200b芳", None),
                                      ("13812345678", None), ("我叫张三", None)])
def test_names_operators_sign_in_with(raw: object, name: str | None) -> None:
    assert operator_name(raw) == name


def test_the_cookie_names_the_operator_until_it_expires_and_only_under_its_token() -> None:
    access = OperatorAccess(TOKEN)
    cookie = access.cookie_value("王芳", now=1000.0)
    assert TOKEN not in cookie
    assert access.operator(cookie, now=1000.0 + SESSION_SECONDS - 1) == "王芳"
    assert access.operator(cookie, now=1000.0 + SESSION_SECONDS) is None
    assert OperatorAccess(TOKEN + "-rotated").operator(cookie, now=1000.0) is None
    name, expires, mac = cookie.split(".")
    other = access.cookie_value("李明", now=1000.0).split(".")[0]
    for forged in (f"{other}.{expires}.{mac}", f"{name}.{int(expires) + 3600}.{mac}",
                   f"{name}.{expires}.{mac[:-1]}0", f"{name}.{expires}", "", None, "a.b.c",
                   f"{name}.{expires}.{mac}.x", f"{name}.١٢.{mac}", f"{name}.{expires}.{'中' * 64}",
                   "x" * 5000):
        assert access.operator(forged, now=1000.0) is None
