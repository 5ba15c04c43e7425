"""What the widget shows: bot replies and a conversation's history, reduced to text, buttons and
answer cards.

Works on plain dicts (Rasa's `event.as_dict()` and the output channel's messages), so it needs
no Rasa import. Texts are masked again on the way out (bot.nlp.mask_personal_data): trackers
written before the channels masked, or by another channel, must not show a number either. An
answer card (bot.dialogue.card, Rasa's `custom` payload) is kept with the text it was sent with
(`"card"`, only on the lines that have one); any other custom JSON is dropped, and a message
with neither text nor buttons nor card is no line at all.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from bot.dialogue.card import CARD_TYPE
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


def _card(raw: object) -> dict[str, Any] | None:
    return dict(raw) if isinstance(raw, Mapping) and raw.get("type") == CARD_TYPE else None


def _line(text: str, buttons: list[dict[str, str]], card: dict[str, Any] | None) -> dict[str, Any]:
    return {"text": text, "buttons": buttons, **({"card": card} if card else {})}


def bot_messages(raw: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The output channel's messages as `{"text", "buttons"[, "card"]}` (images dropped).

    Rasa's output channel sends a message's text and its custom payload as two messages, the
    text first: a card joins the text before it."""
    out: list[dict[str, Any]] = []
    for message in raw:
        text = mask_personal_data(str(message.get("text") or ""))
        buttons = _buttons(message.get("buttons"))
        card = _card(message.get("custom"))
        if card and not text and not buttons and out and "card" not in out[-1]:
            out[-1]["card"] = card
        elif text or buttons or card:
            out.append(_line(text, buttons, card))
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
            data = data if isinstance(data, Mapping) else {}
            text = mask_personal_data(str(event.get("text") or ""))
            buttons = _buttons(data.get("buttons"))
            card = _card(data.get("custom"))
            if text or buttons or card:
                lines.append({"who": "bot", **_line(text, buttons, card)})
    return lines[-limit:] if limit else []
