"""Try the Official Account channel without WeChat: `python -m bot.wechat.try_locally`.

Starts the assistant (action server + Rasa server, as `make run` does) with the channel switched
on in safe mode under a configuration made up for this run, a stand-in for WeChat's API on
loopback (bot.wechat.stand_in), and a terminal that plays WeChat's servers (bot.wechat.peer):
each line you type is sent as a signed, encrypted text message of one follower; the reply is
printed as WeChat would show it, marked «回复» (in the reply itself) or «客服消息» (sent later
through the customer-service API). Lines starting with a colon send other things:
  :关注            the follow event (the greeting)
  :菜单 <key>      a menu click (keys: those of bot/dialogue/starters.py)
  :语音 <text>     a voice message with WeChat's recognition <text>;  :语音  one without
"""
from __future__ import annotations

import argparse
import os
import secrets
import time

from bot.dialogue.starters import STARTERS
from bot.run import ROOT, VAR, ensure_model, free_port, start_action_server, start_rasa_server, stop

from .peer import OfficialAccountServer, aes_key, event, text_message, voice_message
from .stand_in import FakeWeChatApi

APP_ID = "wx_try_locally"
LATER_WAIT_SECONDS = 15.0


def message_for(user: str, line: str) -> dict[str, str] | None:
    if line == ":关注":
        return event(user, "subscribe")
    if line.startswith(":菜单"):
        return event(user, "CLICK", line[len(":菜单"):].strip())
    if line.startswith(":语音"):
        return voice_message(user, line[len(":语音"):].strip() or None)
    if line.startswith(":"):
        return None
    return text_message(user, line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.wechat.try_locally", description="在本机试用微信公众号渠道")
    ap.add_argument("--config", default="config.yml")
    ap.add_argument("--name", default="yibao")
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    model = ensure_model(args.config, args.name)
    api = FakeWeChatApi().start()
    settings = {"YIBAO_WECHAT_TOKEN": secrets.token_hex(8), "YIBAO_WECHAT_APPID": APP_ID,
                "YIBAO_WECHAT_APPSECRET": secrets.token_hex(16), "YIBAO_WECHAT_AES_KEY": aes_key(),
                "YIBAO_WECHAT_MODE": "safe", "YIBAO_WECHAT_API_BASE": api.base}
    VAR.mkdir(exist_ok=True)
    actions = server = None
    try:
        actions_port, port = free_port(), free_port()
        print("正在启动医保助手(微信安全模式)……", flush=True)
        actions = start_action_server(actions_port, quiet=True)
        endpoints = VAR / "try_locally_endpoints.yml"
        endpoints.write_text((ROOT / "endpoints.yml").read_text(encoding="utf-8").replace(
            "127.0.0.1:5055", f"127.0.0.1:{actions_port}"), encoding="utf-8")
        server = start_rasa_server(model, port, host="127.0.0.1", endpoints=endpoints, quiet=True,
                                   extra_env=settings)
        wechat = OfficialAccountServer(f"http://127.0.0.1:{port}/webhooks/wechat/",
                                       settings["YIBAO_WECHAT_TOKEN"], APP_ID, settings["YIBAO_WECHAT_AES_KEY"])
        user = "o" + secrets.token_urlsafe(20)
        menu = "、".join(f"{s.key}({s.label})" for s in STARTERS)
        print(f"已启动。请像在公众号里一样输入;:关注 / :菜单 <key> / :语音 <文字>;菜单 key:{menu}。Ctrl-D 退出。")
        while True:
            try:
                line = input("我> ").strip()
            except EOFError:
                return 0
            message = message_for(user, line) if line else None
            if message is None:
                continue
            before = len(api.sent_to(user))
            answer = wechat.push(message)
            if answer.status != 200:
                print(f"[HTTP {answer.status}] {answer.raw}")
            elif answer.text:
                print(f"回复> {answer.text}")
            deadline = time.monotonic() + (LATER_WAIT_SECONDS if not answer.text else 1.5)
            while time.monotonic() < deadline:
                sent = api.sent_to(user)[before:]
                if sent:
                    for item in sent:
                        print(f"客服消息> {item.text}")
                    break
                time.sleep(0.2)
    except KeyboardInterrupt:
        return 0
    finally:
        stop(server)
        stop(actions)
        api.stop()


if __name__ == "__main__":
    raise SystemExit(main())
