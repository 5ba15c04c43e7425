"""Unit tests of every action and validation rule, with a fake tracker and a real dispatcher."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import sqlite_utils
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import catalogue
from actions import support
from actions.answer import ActionAnswer, ActionRouteTopic
from actions.forms import (ValidateAssistanceForm, ValidateCriticalForm, ValidateInpatientForm,
                           ValidateOutpatientForm, ValidateWaitingForm)
from bot.dialogue.topics import kind_for, kind_from_message
from bot.policy.rules import tree_hash

SLOTS = ["region", "gap_years", "years_insured", "paid_back_years", "expense", "burden",
         "contribution_base", "original_cap", "benefit_year", "paid_this_year", "zero_claim_years",
         "in_period", "insured_type", "retired", "hospital_level", "price_class", "group", "exempt",
         "service", "topic", "route", "requested_slot"]
DOMAIN = {"forms": {f"{k}_form": {"required_slots": ["region"]} for k in catalogue.KINDS},
          "responses": {"utter_ask_policy/xj_concentrated_period": [{"text": "x"}]}, "slots": {}}


@pytest.fixture(autouse=True)
def assistant_db(tmp_path, monkeypatch):
    """Hand-offs and the audit log of these tests go to a temporary database."""
    db = tmp_path / "assistant.db"
    monkeypatch.setenv("YIBAO_ASSISTANT_DB", str(db))
    return db


def tracker(slots=None, text="", intent=None, entities=(), events=(), active_loop=None,
            response_selector=None):
    values = {s: None for s in SLOTS}
    values.update(slots or {})
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9} if intent else {},
              "entities": [{"entity": k, "value": v} for k, v in entities]}
    if response_selector:
        latest["response_selector"] = response_selector
    return Tracker("unit", values, latest, list(events), False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, t):
    d = CollectingDispatcher()
    events = action.run(d, t, DOMAIN)
    if asyncio.iscoroutine(events):
        events = asyncio.run(events)
    return d, events


def texts(d):
    return "\n".join(m.get("text") or m.get("response") or "" for m in d.messages)


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# ---- slots → inputs -----------------------------------------------------------------------
@pytest.mark.parametrize("kind, slots, needed", [
    ("waiting", {}, ["region", "gap_years"]),
    ("waiting", {"gap_years": 0}, ["region", "gap_years", "in_period"]),
    ("waiting", {"gap_years": 2}, ["region", "gap_years"]),
    ("waiting", {"exempt": "newborn"}, ["region"]),
    ("waiting", {"insured_type": "flexible"}, ["region"]),
    ("cap", {}, ["region", "years_insured", "zero_claim_years"]),
    ("cap", {"gap_years": 2}, ["region"]),
    ("inpatient", {}, ["region", "price_class", "expense"]),
    ("outpatient", {}, ["region", "hospital_level", "retired", "expense"]),
    ("account", {"retired": True}, ["region", "retired"]),
    ("account", {"retired": False}, ["region", "retired", "contribution_base"]),
    ("account", {"insured_type": "flexible"}, ["region", "contribution_base"]),
    ("critical", {}, ["region", "insured_type", "group", "burden"]),
    ("drug", {}, ["region", "group", "expense"]),
    ("assistance", {}, ["region", "group", "burden"]),
    ("chain", {}, ["region", "insured_type", "group", "burden"]),
])
def test_required_slots(kind, slots, needed):
    assert catalogue.required_slots(kind, slots) == needed


@pytest.mark.parametrize("kind, slots, figure", [
    ("waiting", {"region": "xinjiang", "gap_years": 2}, "4 个月"),
    ("waiting", {"region": "xinjiang", "gap_years": 0, "in_period": True}, "0 个月"),
    ("cap", {"region": "xinjiang", "years_insured": 6, "zero_claim_years": 1}, "305,000"),
    ("cap", {"region": "xinjiang", "gap_years": 1}, "295,000"),
    ("inpatient", {"region": "shanxi", "price_class": "2-county", "expense": 20000}, "14,700"),
    ("outpatient", {"region": "jiangxi", "hospital_level": 2, "expense": 3000, "retired": False}, "1,320"),
    ("account", {"region": "jiangxi", "retired": False, "contribution_base": 6000}, "120"),
    ("critical", {"region": "yantai", "group": "dibao", "burden": 150000}, "95,450"),
    ("critical", {"region": "yantai", "group": "none", "insured_type": "employee", "burden": 36000}, "19,200"),
    ("drug", {"region": "yantai", "group": "dibao", "expense": 100000}, "80,000"),
    ("assistance", {"region": "yantai", "group": "dibao", "burden": 22050}, "17,640"),
    ("chain", {"region": "yantai", "group": "dibao", "burden": 50000}, "4,410"),
])
def test_answer_uses_the_engine(kind, slots, figure):
    text, field = catalogue.answer(kind, slots)
    assert figure in text and "依据" in text and field is None


def test_check_region():
    assert catalogue.check_region("waiting", "xinjiang") is None
    assert "山西" in catalogue.check_region("inpatient", "xinjiang")
    assert catalogue.check_region("chain", "yantai") is None
    assert catalogue.check_region("chain", "shandong")


def test_engine_error_names_the_slot():
    text, field = catalogue.answer("waiting", {"region": "xinjiang", "paid_back_years": 500, "gap_years": 2})
    assert catalogue.slot_of_field(field) == "paid_back_years" and "不合常理" in text


# ---- topics --------------------------------------------------------------------------------
@pytest.mark.parametrize("intent, text, service, kind", [
    ("ask_waiting_period", "等待期多久", None, "waiting"),
    ("ask_critical_illness", "特药能报多少", "drug", "drug"),
    ("ask_critical_illness", "大病保险和医疗救助一共能报多少", None, "chain"),
    ("ask_assistance", "医疗救助", None, "assistance"),
    ("inform", "那住院呢", "inpatient", "inpatient"),
    ("inform", "三年", None, None),
    ("inform", "那大病保险封顶线呢", "critical", "cap"),
    ("ask_critical_illness", "新疆大病保险封顶线能提高多少", "critical", "cap"),
    ("correct", "不对", None, None),
])
def test_kind_for(intent, text, service, kind):
    msg = {"text": text, "entities": [{"entity": "service", "value": service}] if service else []}
    assert kind_for(intent, msg) == kind


# ---- route & answer ------------------------------------------------------------------------
def test_route_sets_topic_and_route():
    d, ev = run(ActionRouteTopic(), tracker({"region": "xinjiang"}, "等待期", "ask_waiting_period"))
    assert slot_events(ev)["route"] == "waiting" and slot_events(ev)["topic"] == "waiting"


def test_route_not_covered_region_lists_covered_once_and_forgets_region():
    d, ev = run(ActionRouteTopic(), tracker({"region": "not_covered"}, "广州等待期", "ask_waiting_period",
                                            [("region", "not_covered")]))
    assert texts(d).count("不在我们掌握的文件范围内") == 1 and "新疆维吾尔自治区" in texts(d)
    assert slot_events(ev)["region"] is None and slot_events(ev)["route"] == "none"
    assert slot_events(ev)["decision"] == "decline:region_not_covered"


def test_route_calculation_not_in_region():
    d, ev = run(ActionRouteTopic(), tracker({"region": "xinjiang"}, "住院", "ask_inpatient"))
    assert "只适用于:山西" in texts(d) and slot_events(ev)["route"] == "none"


def test_route_drops_the_active_form():
    _, ev = run(ActionRouteTopic(), tracker({"region": "xinjiang"}, "等待期", "ask_waiting_period",
                                            active_loop="cap_form"))
    assert any(e.get("event") == "active_loop" and e.get("name") is None for e in ev)


def test_route_correction_keeps_topic():
    _, ev = run(ActionRouteTopic(), tracker({"region": "xinjiang", "topic": "waiting"}, "不对", "correct"))
    assert slot_events(ev)["route"] == "waiting"


def test_route_without_anything_to_go_on_asks_again():
    d, ev = run(ActionRouteTopic(), tracker({}, "嗯", "inform"))
    assert texts(d).startswith("抱歉,我没能理解这句话") and slot_events(ev)["route"] == "none"


def test_answer_renders_engine_text():
    d, _ = run(ActionAnswer(), tracker({"topic": "waiting", "region": "xinjiang", "gap_years": 2}))
    assert texts(d).startswith("待遇等待期:4 个月。")


def test_answer_sends_its_card_beside_the_same_text():
    slots = {"topic": "waiting", "region": "xinjiang", "gap_years": 2}
    d, _ = run(ActionAnswer(), tracker(slots))
    assert len(d.messages) == 1
    message = d.messages[0]
    assert message["text"] == catalogue.compute("waiting", slots).text       # the text is today's
    card = message["custom"]
    assert card["type"] == "answer_card" and card["figure"] == "4" and card["unit"] == "个月"
    assert card["label"] == "待遇等待期" and card["draft"] is True
    assert [s["name"] for s in card["sources"]] == ["新疆参保长效机制实施意见"]


def test_rasas_console_gets_the_text_alone():
    """`make shell` would print the card as raw JSON after the text."""
    slots = {"topic": "waiting", "region": "xinjiang", "gap_years": 2}
    said = [{"event": "user", "text": "两年", "input_channel": "cmdline"}]
    d, _ = run(ActionAnswer(), tracker(slots, events=said))
    assert d.messages[0]["text"] == catalogue.compute("waiting", slots).text
    assert not d.messages[0]["custom"]
    d, _ = run(ActionAnswer(), tracker(slots, events=[{**said[0], "input_channel": "widget"}]))
    assert d.messages[0]["custom"]["figure"] == "4"


def test_a_refused_value_has_no_card():
    d, _ = run(ActionAnswer(), tracker({"topic": "waiting", "region": "xinjiang", "gap_years": 300}))
    assert not d.messages[0]["custom"]


def test_answer_clears_an_invalid_value():
    d, ev = run(ActionAnswer(), tracker({"topic": "waiting", "region": "xinjiang", "gap_years": 2,
                                         "paid_back_years": 500}))
    assert "不合常理" in texts(d) and slot_events(ev)["paid_back_years"] is None


# ---- form validation -----------------------------------------------------------------------
def validate(form, slot, value, slots=None, requested=None):
    d = CollectingDispatcher()
    f = form()
    out = getattr(f, f"validate_{slot}")(value, d, tracker({**(slots or {}), "requested_slot": requested}), DOMAIN)
    return texts(d), out


def test_validate_gap_years_impossible():
    msg, out = validate(ValidateWaitingForm, "gap_years", 300)
    assert out == {"gap_years": None} and "不合常理" in msg
    assert validate(ValidateWaitingForm, "gap_years", 3)[1] == {"gap_years": 3}


def test_validate_negative_money():
    msg, out = validate(ValidateInpatientForm, "expense", -500)
    assert out == {"expense": None} and "不能是负数" in msg


def test_validate_region_not_covered_and_wrong_region():
    msg, out = validate(ValidateWaitingForm, "region", "not_covered")
    assert out == {"region": None} and "山西省" in msg
    msg, out = validate(ValidateInpatientForm, "region", "jiangxi")
    assert out == {"region": None} and "山西" in msg
    assert validate(ValidateInpatientForm, "region", "shanxi")[1] == {"region": "shanxi"}


def test_validate_price_class_and_level():
    assert validate(ValidateInpatientForm, "price_class", "9")[1] == {"price_class": None}
    assert validate(ValidateInpatientForm, "price_class", "2-city")[1] == {"price_class": "2-city"}
    assert validate(ValidateOutpatientForm, "hospital_level", 5)[1] == {"hospital_level": None}
    assert validate(ValidateOutpatientForm, "hospital_level", "3")[1] == {"hospital_level": 3}


def test_validate_group():
    assert validate(ValidateAssistanceForm, "group", "none")[1] == {"group": None}
    assert validate(ValidateCriticalForm, "group", "none")[1] == {"group": "none"}
    assert validate(ValidateCriticalForm, "group", "king")[1] == {"group": None}
    assert validate(ValidateCriticalForm, "group", "dibao")[1] == {"group": "dibao"}


def test_validate_insured_type():
    assert validate(ValidateCriticalForm, "insured_type", "alien")[1] == {"insured_type": None}
    assert validate(ValidateCriticalForm, "insured_type", "employee")[1] == {"insured_type": "employee"}


def extract(form, slot, text, intent=None, entities=(), slots=None):
    d = CollectingDispatcher()
    t = tracker({**(slots or {}), "requested_slot": slot}, text, intent, entities)
    return getattr(form(), f"extract_{slot}")(d, t, DOMAIN), texts(d)


def test_extract_short_answers():
    assert extract(ValidateWaitingForm, "in_period", "是的", "affirm")[0] == {"in_period": True}
    assert extract(ValidateWaitingForm, "in_period", "不是", "deny")[0] == {"in_period": False}
    assert extract(ValidateWaitingForm, "gap_years", "三年", "inform")[0] == {"gap_years": 3}
    assert extract(ValidateWaitingForm, "gap_years", "没有断保", "inform")[0] == {"gap_years": 0}
    assert extract(ValidateCriticalForm, "burden", "5万", "inform", [("expense", 50000)])[0] == {"burden": 50000}
    assert extract(ValidateCriticalForm, "group", "都不是", "deny")[0] == {"group": "none"}
    assert extract(ValidateOutpatientForm, "retired", "在职", "inform")[0] == {"retired": False}
    assert extract(ValidateOutpatientForm, "hospital_level", "2", "inform")[0] == {"hospital_level": 2}


def test_extract_only_when_asked():
    d = CollectingDispatcher()
    t = tracker({"requested_slot": "region"}, "三年", "inform")
    assert ValidateWaitingForm().extract_gap_years(d, t, DOMAIN) == {}


def test_price_class_in_jiangxi_is_explained():
    out, msg = extract(ValidateOutpatientForm, "hospital_level", "二类县级医院", "inform",
                       [("price_class", "2-county")])
    assert out == {"hospital_level": None} and "不用山西" in msg


def test_form_run_asks_only_what_is_missing():
    events = [{"event": "slot", "name": "region", "value": "xinjiang"},
              {"event": "slot", "name": "gap_years", "value": 0}]
    t = tracker({"region": "xinjiang", "gap_years": 0}, "新疆没有断保", "ask_waiting_period", events=events)
    d, ev = run(ValidateWaitingForm(), t)
    assert slot_events(ev)["requested_slot"] == "in_period"
    t = tracker({"region": "xinjiang", "gap_years": 2}, "新疆断保两年", "ask_waiting_period",
                events=[{"event": "slot", "name": "gap_years", "value": 2}])
    d, ev = run(ValidateWaitingForm(), t)
    assert slot_events(ev)["requested_slot"] is None


# ---- FAQ, fallback, hand-off ------------------------------------------------------------------
def test_faq_confident_clause_names_its_region_first():
    sel = {"ask_policy": {"response": {"intent_response_key": "ask_policy/xj_concentrated_period",
                                       "confidence": 0.9}}}
    d, ev = run(support.ActionAnswerFaq(), tracker({}, "集中缴费期", "ask_policy", response_selector=sel))
    assert texts(d).startswith("在新疆,") and "依据:" in texts(d) and "征求意见稿" in texts(d)
    assert slot_events(ev)["decision"] == "faq:xj_concentrated_period"


def test_faq_of_another_region_is_not_given():
    sel = {"ask_policy": {"response": {"intent_response_key": "ask_policy/xj_concentrated_period",
                                       "confidence": 0.9}}}
    d, ev = run(support.ActionAnswerFaq(), tracker({"region": "jiangxi"}, "集中缴费期是什么时候", "ask_policy",
                                                   response_selector=sel))
    assert "没有写" in texts(d) and "依据" not in texts(d)
    assert slot_events(ev)["decision"] == "decline:not_in_documents"


def test_faq_low_confidence_offers_clauses_of_the_region():
    sel = {"ask_policy": {"response": {"intent_response_key": "ask_policy/xj_concentrated_period",
                                       "confidence": 0.1}}}
    d, ev = run(support.ActionAnswerFaq(), tracker({"region": "shandong"}, "户口不在本地能参保吗",
                                                   "ask_policy", response_selector=sel))
    assert "您是想问" in texts(d) and "依据" not in texts(d)
    titles = [b["title"] for b in d.messages[0]["buttons"]]
    assert titles and all(t.startswith("山东:") for t in titles)
    assert "山东:户口不在山东,能在这边参加医保吗?" in titles
    assert slot_events(ev)["decision"] == "clarify"


def test_faq_resumes_open_form():
    d, ev = run(support.ActionAnswerFaq(), tracker({}, "户口不在本地能参保吗", "ask_policy",
                                                    active_loop="waiting_form"))
    assert {"event": "followup", "name": "waiting_form"} in [
        {"event": e["event"], "name": e.get("name")} for e in ev]


def test_fallback_off_topic_says_so_and_what_it_covers():
    d, ev = run(support.ActionFallback(), tracker({}, "今天天气怎么样", "out_of_scope"))
    assert texts(d).startswith("这个问题不在医保范围内") and "我能回答的是" in texts(d)
    assert slot_events(ev)["decision"] == "decline:off_topic"


def test_fallback_offers_clauses_never_states_one():
    d, ev = run(support.ActionFallback(), tracker({}, "户口不在本地能在山东参保吗", "nlu_fallback",
                                                  [("region", "shandong")]))
    assert "依据" not in texts(d)
    assert "户口不在山东,能在这边参加医保吗?" in [b["payload"] for b in d.messages[0]["buttons"]]


def test_handoff_records_masked(assistant_db):
    db = assistant_db
    d, ev = run(support.ActionHandoff(), tracker({}, "电话13812345678 转人工", "human_handoff",
                                                 active_loop="inpatient_form"))
    assert d.messages[0]["response"] == "utter_handoff"
    rows = list(sqlite_utils.Database(db)["handoffs"].rows)
    assert rows[0]["sender_id"] == "unit" and "13812345678" not in rows[0]["text"]
    assert any(e.get("event") == "active_loop" for e in ev)


def test_calculation_taken_for_faq_is_routed():
    sel = {"ask_policy": {"response": {"intent_response_key": "ask_policy/xj_concentrated_period",
                                       "confidence": 0.9}}}
    d, ev = run(support.ActionAnswerFaq(), tracker({"region": "xinjiang", "gap_years": 3}, "新疆,断保三年",
                                                    "ask_policy", [("region", "xinjiang"), ("gap_years", 3)],
                                                    response_selector=sel))
    assert not d.messages and ev[0]["event"] == "followup" and ev[0]["name"] == "action_route_topic"


def test_route_prevalidates_given_values():
    d, ev = run(ActionRouteTopic(), tracker({"region": "xinjiang", "gap_years": 300}, "新疆断保300年",
                                            "ask_waiting_period"))
    assert "不合常理" in texts(d) and slot_events(ev)["gap_years"] is None


@pytest.mark.parametrize("text, entities, kind", [
    ("新疆,断保三年,没在集中缴费期交", {"region": "xinjiang", "gap_years": 3}, "waiting"),
    ("新疆大病保险最高能报多少", {"region": "xinjiang"}, "cap"),
    ("新疆居民医保集中缴费期是什么时候", {"region": "xinjiang", "in_period": True}, None),
    ("烟台低保居民,大病保险和医疗救助一共能报多少,个人负担5万", {"burden": 50000}, "chain"),
    ("我在太原,县医院住院花了两万", {"region": "shanxi", "expense": 20000}, "inpatient"),
])
def test_kind_from_message(text, entities, kind):
    assert kind_from_message({"text": text, "entities": [{"entity": k, "value": v}
                                                         for k, v in entities.items()]}) == kind


# ---- audit log --------------------------------------------------------------------------
def test_every_figure_is_audited_with_inputs_and_rules_version(assistant_db):
    run(ActionAnswer(), tracker({"topic": "waiting", "region": "xinjiang", "gap_years": 2}))
    run(ActionAnswer(), tracker({"topic": "inpatient", "region": "shanxi",
                                 "price_class": "2-county", "expense": 20000}))
    rows = list(sqlite_utils.Database(assistant_db)["audit"].rows)
    assert [(r["kind"], r["value"], r["unit"]) for r in rows] == [
        ("waiting", "4", "个月"), ("inpatient", "14700.00", "元")]
    assert rows[0]["rules_version"] == tree_hash(Path(catalogue.__file__).resolve().parents[2] / "rules")
    assert rows[0]["sender"].startswith("s-") and rows[0]["sender"] != "unit"
    assert json.loads(rows[1]["inputs"])["expense"] == "20000"


def test_a_refused_input_is_not_audited(assistant_db):
    run(ActionAnswer(), tracker({"topic": "waiting", "region": "xinjiang", "gap_years": 300}))
    assert "audit" not in sqlite_utils.Database(assistant_db).table_names()


def test_an_unwritable_audit_log_never_withholds_the_answer(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("YIBAO_ASSISTANT_DB", str(blocker / "sub" / "assistant.db"))
    d, _ = run(ActionAnswer(), tracker({"topic": "waiting", "region": "xinjiang", "gap_years": 2}))
    assert "4 个月" in texts(d)


# ---- 山西 price class from hospital words -------------------------------------------------
def extract_price_class(text, entities=()):
    d = CollectingDispatcher()
    out = ValidateInpatientForm().extract_price_class(
        d, tracker({"requested_slot": "price_class"}, text=text, entities=entities), DOMAIN)
    return texts(d), out


@pytest.mark.parametrize("text, entities, expected", [
    ("县医院", [("hospital_level", 2)], "2-county"),        # the words the buttons show
    ("乡镇卫生院", [("hospital_level", 1)], "3"),
    ("三甲", [("hospital_level", 3)], "1"),
    ("在市里的医院住的", [("hospital_level", 2)], "2-city"),
])
def test_a_hospital_word_answers_the_price_class_question(text, entities, expected):
    msg, out = extract_price_class(text, entities)
    assert out == {"price_class": expected} and msg == ""


def test_a_national_level_is_explained_and_asked_again():
    msg, out = extract_price_class("二级医院", [("hospital_level", 2)])
    assert out == {"price_class": None} and "不按一级、二级、三级" in msg


@pytest.mark.parametrize("text", ["二类", "2类", "是二類的"])
def test_second_class_alone_says_which_two_there_are(text):
    msg, out = extract_price_class(text)
    assert out == {"price_class": None} and "二类县级" in msg and "二类省市级" in msg


def test_other_answers_are_left_to_the_form():
    assert extract_price_class("不知道")[1] == {}
    d = CollectingDispatcher()
    elsewhere = tracker({"requested_slot": "expense"}, text="县医院", entities=[("hospital_level", 2)])
    assert ValidateInpatientForm().extract_price_class(d, elsewhere, DOMAIN) == {}


def _form_events(*said, form="inpatient_form"):
    """Events of a conversation: said[0] starts `form`, each later text answers a question."""
    events = [{"event": "user", "text": said[0]}, {"event": "active_loop", "name": form}]
    for text in said[1:]:
        events += [{"event": "bot", "text": "问题"}, {"event": "action", "name": "action_listen"},
                   {"event": "user", "text": text}]
    return events


def validate_region_after(*said, slots=None, form="inpatient_form"):
    d = CollectingDispatcher()
    t = tracker({"requested_slot": "region", **(slots or {})}, text=said[-1],
                events=_form_events(*said, form=form), active_loop=form)
    return ValidateInpatientForm().validate_region("shanxi", d, t, DOMAIN)


def test_region_said_after_the_hospital_word_reads_it_as_a_price_class():
    assert validate_region_after("在县医院住院花了两万能报多少", "平遥") == {
        "region": "shanxi", "price_class": "2-county"}
    assert validate_region_after("乡镇卫生院住院能报多少", "花了八百", "介休") == {
        "region": "shanxi", "price_class": "3"}
    # the latest message naming a hospital wins
    assert validate_region_after("县医院住院能报多少", "不对 是市医院", "太原")["price_class"] == "2-city"


def test_region_without_a_hospital_word_or_with_a_class_already_known():
    assert validate_region_after("住院花了两万能报多少", "平遥") == {"region": "shanxi"}
    assert validate_region_after("在县医院住院花了两万", "平遥", slots={"price_class": "1"}) == {
        "region": "shanxi"}
    # only messages since this form started: the hospital word was for another question
    events = [{"event": "user", "text": "县医院门诊能报多少"},
              {"event": "active_loop", "name": "outpatient_form"},
              {"event": "user", "text": "住院呢"}, {"event": "active_loop", "name": "inpatient_form"},
              {"event": "user", "text": "平遥"}]
    t = tracker({"requested_slot": "region"}, text="平遥", events=events, active_loop="inpatient_form")
    assert ValidateInpatientForm().validate_region("shanxi", CollectingDispatcher(), t, DOMAIN) == {
        "region": "shanxi"}


@pytest.mark.parametrize("text, expected", [
    ("县" * 10_000, {}), ("🏥🏥🏥", {}), ("\" OR 1=1 --", {}), ("\x00\x07", {}),
    ("<script>县医院</script>", {"price_class": "2-county"}),     # the word is there: taken as said
    ("NEAR(县医院 *", {"price_class": "2-county"}),
    ("不是县医院", {}),                                          # denied: the question is asked again
])
def test_hostile_answers_to_the_price_class_question(text, expected):
    assert extract_price_class(text)[1] == expected
