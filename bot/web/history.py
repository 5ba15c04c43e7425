"""What the widget shows: bot replies and a conversation's history, reduced to text and buttons.

Works on plain dicts (Rasa's `event.as_dict()` and the output channel's messages), so it needs
no Rasa import. Texts are masked again on the way out (bot.nlp.mask_personal_data): trackers
written before the channels masked, or by another channel, must not show a number either.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from bot.nlp import mask_personal_data

MAX_LINES = 200  # the most recent lines a reload shows


def _buttons(raw: object) -> list[dict[str, str]]:
    out = []
    for button in raw if isinstance(raw, list) else []:
        if not isinstance(button, Mapping):
            continue
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or title).strip()
        if title:
            out.append({"title": title, "payload": payload})
    return out


def bot_messages(raw: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The output channel's messages as `{"text", "buttons"}` (images, custom JSON dropped)."""
    out = []
    for message in raw:
        text = mask_personal_data(str(message.get("text") or ""))
        buttons = _buttons(message.get("buttons"))
        if text or buttons:
            out.append({"text": text, "buttons": buttons})
    return out


def transcript(events: Iterable[Mapping[str, Any]], user_labels: Mapping[str, str],
               limit: int = MAX_LINES) -> list[dict[str, Any]]:
    """User and bot lines since the last restart, oldest first, at most `limit`.

    `user_labels` shows a command's text as the button the resident pressed
    ({"/restart": "重新开始"}); other user texts are shown as stored.
    """
    lines: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "restart":
            lines = []
        elif kind == "user":
            text = str(event.get("text") or "")
            lines.append({"who": "user", "text": mask_personal_data(user_labels.get(text, text)),
                          "buttons": []})
        elif kind == "bot":
            data = event.get("data") or {}
            text = mask_personal_data(str(event.get("text") or ""))
            buttons = _buttons(data.get("buttons") if isinstance(data, Mapping) else None)
            if text or buttons:
                lines.append({"who": "bot", "text": text, "buttons": buttons})
    return lines[-limit:] if limit else []
