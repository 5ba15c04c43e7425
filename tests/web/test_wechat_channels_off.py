"""The WeChat channels are off unless their settings are in the environment (the running
assistant here has none): every request gets a 404 and reaches nothing."""
from __future__ import annotations

import pytest

from bot.wechat import wording
from tests.running import RunningAssistant


@pytest.mark.parametrize("channel", ["wechat", "wecom"])
def test_a_wechat_channel_without_settings_answers_404(assistant: RunningAssistant, channel: str) -> None:
    check = assistant.get(f"/webhooks/{channel}/?signature=x&timestamp=1&nonce=2&echostr=hello")
    assert (check.status, check.body) == (404, wording.CHANNEL_OFF)
    message = assistant.post(f"/webhooks/{channel}/", None, raw=b"<xml><MsgType>text</MsgType></xml>",
                             content_type="text/xml")
    assert (message.status, message.body) == (404, wording.CHANNEL_OFF)
