"""The self-check in the browser at /check: where → what to know → the facts → the answer card,
and a printable page («打印/保存»).

The steps and their readers are the terminal self-check's (bot.selfcheck.steps); the page keeps
what the resident answered and sends all of it with each step, so the server keeps nothing.
Routes, all under /check:

- GET  /               the page (static/check.html): strict CSP (no inline script or style);
                       framed only where the chat page may be ($YIBAO_FRAME_ANCESTORS)
- GET  /static/<name>  check.js, check.css and the files shared with the chat page (modes.*,
                       card.*: bot.web.page_files); a fixed list, read once at start
- POST /api/step       `{"place", "kind", "answers": {slot: text}}` → what has been taken
                       (`place`, `kind`, `facts`), what to ask next (`ask`, with the reason when
                       the last answer could not be read) or, when everything is known, `answer`:
                       the chat's text and its answer card (bot.dialogue.card)
- POST /print          a form field `state` (the same JSON) → the printable result page
                       (bot.selfcheck.printable), its inline style allowed by its hash only

Every text sent back passes bot.nlp.mask_personal_data. Every figure given is written to the
audit log (bot.audit; channel `check`), as in the chat. A client address may take 120 steps a
minute (429 after, politely).
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.audit import record_answer
from bot.dialogue.card import card_for
from bot.dialogue.catalogue import Answer, compute, rules
from bot.nlp import mask_personal_data
from bot.selfcheck.answers import MAX_ANSWER_CHARS
from bot.selfcheck.printable import CSS as PRINT_CSS
from bot.selfcheck.printable import render_html
from bot.selfcheck.steps import MENU, Progress, replay, report_of
from bot.web.embedding import configured_frame_ancestors, framing_headers
from bot.web.json_api import NO_STORE, json_body, json_reply
from bot.web.rate_limits import Limiter, Network, client_address, per_seconds, trusted_networks
from bot.web.safety import TEXT_BAD_REQUEST, TEXT_BUSY, too_fast
from bot.web.page_files import SHARED_FILES, PageFiles

logger = logging.getLogger(__name__)

PREFIX = "/check"
PAGE = "check.html"
ASSETS = MappingProxyType({
    "check.html": "text/html; charset=utf-8",
    "check.css": "text/css; charset=utf-8",
    "check.js": "text/javascript; charset=utf-8",
    **SHARED_FILES,
})
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self'; base-uri 'none'; form-action 'self'")
PAGE_HEADERS = MappingProxyType({**NO_STORE, **framing_headers(CSP, configured_frame_ancestors())})
# The printable page has one inline <style> (bot.selfcheck.printable.CSS) and no script.
PRINT_CSP = ("default-src 'none'; style-src 'sha256-"
             + base64.b64encode(hashlib.sha256(PRINT_CSS.encode("utf-8")).digest()).decode("ascii")
             + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PRINT_HEADERS = MappingProxyType({**NO_STORE, "Content-Security-Policy": PRINT_CSP,
                                  "X-Frame-Options": "DENY"})
STEPS_PER_ADDRESS_PER_MINUTE = 120
MAX_ANSWERS = 30
# The audit rows of figures given here (bot.audit): the page's channel and its one sender.
AUDIT_CHANNEL = AUDIT_SENDER = "check"
TEXT_NOT_FOUND = "未找到此页面。"
TEXT_NOT_READY = "还没有算出结果,请回到自助查询页面把问题答完。"


@dataclass(frozen=True)
class Asked:
    """A self-check state as the page sends it: the resident's words by step."""

    place: str
    kind: str
    answers: Mapping[str, str]

    @classmethod
    def of(cls, body: object) -> "Asked | None":
        """The state in a request body, or None when it is not one. Texts longer than the
        readers take are kept as they are: the reader refuses them politely."""
        if not isinstance(body, Mapping):
            return None
        place, kind, answers = body.get("place") or "", body.get("kind") or "", body.get("answers") or {}
        if not (isinstance(place, str) and isinstance(kind, str) and isinstance(answers, Mapping)):
            return None
        if len(answers) > MAX_ANSWERS or not all(isinstance(k, str) and isinstance(v, str)
                                                 for k, v in answers.items()):
            return None
        limit = MAX_ANSWER_CHARS + 1
        return cls(place[:limit], kind[:limit], {k[:40]: v[:limit] for k, v in answers.items()})

    def progress(self) -> Progress:
        return replay(self.place, self.kind, self.answers)


def _masked(text: str | None) -> str | None:
    return mask_personal_data(text) if text else text


@dataclass(frozen=True)
class StepReply:
    json: dict[str, Any]          # what the page gets, every text masked
    answer: Answer | None         # the computed answer, when the step gives one


def step_reply(progress: Progress) -> StepReply:
    """One step: what the page gets and, at the end, the answer computed."""
    place = progress.place
    reply: dict[str, Any] = {
        "place": None if place is None else {
            "display": mask_personal_data(place.display),
            "notices": [mask_personal_data(n) for n in place.notices()],
            "ambiguous": bool(place.match.ambiguous)},
        "kind": None if progress.kind is None else {"value": progress.kind,
                                                    "label": MENU[progress.kind].label},
        "facts": [{"label": f.label, "value": mask_personal_data(f.value)} for f in progress.facts],
        "ask": None, "answer": None,
    }
    ask = progress.ask
    if ask is not None:
        reply["ask"] = {"step": ask.step, "number": ask.number, "prompt": ask.prompt,
                        "slot": ask.slot, "example": ask.example, "error": _masked(ask.error),
                        "options": [{"answer": str(i), "label": o.label}
                                    for i, o in enumerate(ask.options, 1)]}
        return StepReply(reply, None)
    answer = compute(progress.kind, progress.slots)
    card = card_for(answer, place.rule_set)
    reply["answer"] = {"text": mask_personal_data(answer.text),
                       "card": card.as_dict() if card is not None else None,
                       "printable": answer.result is not None}
    return StepReply(reply, answer)


def audit(answer: Answer) -> None:
    """A figure given on the page goes into the audit log like one given in the chat. The page
    has no conversation: every row's sender is the page's own (pseudonymised) name."""
    if answer.result is not None:
        record_answer(AUDIT_SENDER, AUDIT_CHANNEL, answer.inputs, answer.result, rules().version)


def printable_page(asked: Asked) -> str | None:
    """The printable result page of a finished self-check; None when it is not finished."""
    progress = asked.progress()
    if progress.ask is not None:
        return None
    answer = compute(progress.kind, progress.slots)
    if answer.result is None:
        return None
    return render_html(report_of(progress.place, progress.kind, progress.facts, answer.result))


@dataclass
class SelfCheckPage:
    files: PageFiles = field(default_factory=lambda: PageFiles.read(ASSETS, PAGE, PAGE_HEADERS, TEXT_NOT_FOUND))
    limiter: Limiter = field(default_factory=Limiter)
    trusted_proxies: Sequence[Network] = ()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "SelfCheckPage":
        return cls(limiter=Limiter.from_environment(environ), trusted_proxies=trusted_networks(environ))

    def asset(self, name: str) -> HTTPResponse:
        return self.files.response(name)

    def too_fast(self, request: Request) -> float:
        return self.limiter.hit(per_seconds(STEPS_PER_ADDRESS_PER_MINUTE, 60), "check", "steps",
                                client_address(request, self.trusted_proxies))

    def blueprint(self) -> Blueprint:
        bp = Blueprint("yibao_check", url_prefix=PREFIX)

        @bp.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return self.asset(PAGE)

        @bp.route("/static/<name>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            return self.asset(name)

        @bp.route("/api/step", methods=["POST"])
        async def step(request: Request) -> HTTPResponse:
            wait = self.too_fast(request)
            if wait > 0:
                rejection = too_fast(wait)
                return json_reply({"error": rejection.code, "message": rejection.text},
                                  status=rejection.status, headers=rejection.headers())
            asked = Asked.of(json_body(request))
            if asked is None:
                return json_reply({"error": "bad_request", "message": TEXT_BAD_REQUEST}, status=400)
            try:
                step = step_reply(asked.progress())
                if step.answer is not None:
                    await asyncio.to_thread(audit, step.answer)
                return json_reply(step.json)
            except Exception:
                logger.exception("a self-check step failed")
                return json_reply({"error": "busy", "message": TEXT_BUSY}, status=500)

        @bp.route("/print", methods=["POST"])
        async def printable(request: Request) -> HTTPResponse:
            wait = self.too_fast(request)
            if wait > 0:
                return response.text(too_fast(wait).text, status=429, headers=NO_STORE)
            try:
                state = json.loads((request.form or {}).get("state") or "")
            except (ValueError, RecursionError):
                state = None
            asked = Asked.of(state)
            page = printable_page(asked) if asked is not None else None
            if page is None:
                return response.text(TEXT_NOT_READY, status=400, headers=NO_STORE)
            return response.html(page, headers=dict(PRINT_HEADERS))

        @bp.route("/<rest:path>", methods=["GET", "POST"])
        async def elsewhere(request: Request, rest: str) -> HTTPResponse:
            return response.text(TEXT_NOT_FOUND, status=404, headers=NO_STORE)

        return bp
