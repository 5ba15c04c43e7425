"""What the WeChat channels say on their own (everything else is the assistant's reply)."""
from __future__ import annotations

OPTIONS_NUMBERED = "请回复序号:"
OPTIONS_WORDS = "您可以直接回复:"
VOICE_NOT_RECOGNIZED = "这段语音没有听清。请打字告诉我您想问什么,例如「断保两年要等多久」。"
ONLY_TEXT_AND_VOICE = "我能看懂文字和语音。请用文字或语音说一下您想咨询的医保问题。"
MENU_UNKNOWN = "这个菜单项暂时没有内容。请直接发文字或语音提问。"
CHANNEL_OFF = "此微信接口当前未开启。"
BAD_SIGNATURE = "签名校验失败,请求已拒绝。"
BAD_MESSAGE = "消息格式不正确,无法处理。"
