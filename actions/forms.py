"""Form validation: each form asks only what its calculation needs for the region, once.

One FormValidationAction per calculation (`validate_<kind>_form`). `required_slots` comes from
bot.dialogue.catalogue.required_slots; impossible values are refused with the engine's own Chinese
message (bot.policy.bounds) and asked again; everything else already given is kept.
"""
from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.dialogue import catalogue
from bot.dialogue.decision import CALCULATE, CLARIFY, DECLINE, FAQ, HANDOFF, PARAMETER, Decision
from bot.dialogue.declines import not_covered_message
from bot.dialogue.short_answers import (UNREADABLE_NUMBER_REPLY, has_unreadable_number, names_second_class_only, normalized,
                                        number_in, says_in_work, says_no, says_no_gap, says_none,
                                        says_something, says_yes)
from bot.dialogue.topics import entity_values
from bot.dialogue.wording import asks_figure
from bot.nlp.price_class_words import shanxi_price_class
from bot.policy import InvalidInputError, bounds
from bot.policy.codes import GROUPS, INSURED_TYPES, LEVELS, PRICE_CLASSES
from bot.policy.regions import NOT_COVERED

from .decide import decision_for, respond

# Facts of another calculation a form answers itself (extract_hospital_level / extract_price_class
# explain that the other classification does not apply here).
_EXPLAINED = {"outpatient": ("price_class",), "inpatient": ("hospital_level",)}
# Decisions a form answers before asking its question again; a region outside the five is said
# by validate_region itself.
SIDE_ANSWERS = (FAQ, PARAMETER, CLARIFY, DECLINE, HANDOFF)
SAID_BY_VALIDATION = "decline:region_not_covered"
def said_in_form(tracker: Tracker, form: str) -> List[str]:
    """The resident's messages since the one that started `form`, that one included, oldest
    first; [] when the events do not show the form starting."""
    said: List[str] = []
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            said.append(event.get("text") or "")
            if started:
                return said[::-1]
        elif event.get("event") == "active_loop" and event.get("name") == form:
            started = True
    return []


class YibaoFormValidation(FormValidationAction):
    """Shared validation; abstract so that the action server registers only the nine forms."""
    kind: str = ""

    @abstractmethod
    def calculation(self) -> str:
        """The calculation this form collects slots for (a key of bot.policy.CALCULATORS)."""

    def name(self) -> Text:
        return f"validate_{self.kind}_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return catalogue.required_slots(self.kind, tracker.slots)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        decision = decision_for(tracker) if self._asking(tracker) else None
        if decision is not None and self._asks_another_calculation(tracker, decision):
            # A new question for another calculation while this form waits for an answer
            # («新疆断保两年,现在交多久能报销» while the inpatient form asks the region): it is not an
            # answer to our question. End this form and let the router start the right one
            # (the facts the message states stay set: they were extracted before this action).
            return [SlotSet("requested_slot", None), FollowupAction("action_route_topic")]
        if decision is not None and decision.act in SIDE_ANSWERS and decision.label != SAID_BY_VALIDATION:
            # A question of another kind («再救助又是啥», «医保卡丢了咋办», «转人工»): answered or
            # declined first; the form then asks its question again (a hand-off ends it).
            if decision.act == HANDOFF:
                return [SlotSet("requested_slot", None)] + respond(decision, dispatcher, not_covered_message())
            asked = tracker.get_slot("requested_slot")
            side = CollectingDispatcher()
            events = await super().run(side, tracker, domain)
            if not any(e.get("event") == "slot" and e.get("name") == asked and e.get("value") is not None
                       for e in events):
                # nothing answered our question: say what the message asked («对,是那期间交的»
                # answered it, and needs no question back)
                events = respond(decision, dispatcher, not_covered_message(),
                                 tracker.latest_message.get("text") or "") + events
            dispatcher.messages.extend(side.messages)
            return events
        return await super().run(dispatcher, tracker, domain)

    def _asking(self, tracker: Tracker) -> bool:
        """The form was already asking (not just activated)."""
        return (tracker.get_slot("requested_slot") is not None
                and tracker.active_loop.get("name") == f"{self.kind}_form")

    def _asks_another_calculation(self, tracker: Tracker, decision: Decision) -> bool:
        """The message is about another calculation (its intent, or a fact only that one uses)
        and either asks for a figure itself («哦不是,我是想问江西退休了看门诊花了六千能报多少») or
        states nothing this one uses."""
        if decision.act != CALCULATE or decision.target == self.kind:
            return False
        if asks_figure(normalized(tracker.latest_message.get("text") or "")):     # 能報多少 too
            return True
        said = entity_values(tracker.latest_message)
        understood = catalogue.KIND_SLOTS[self.kind] + _EXPLAINED.get(self.kind, ())
        return not any(said.get(slot) is not None for slot in understood)

    # ---- helpers -------------------------------------------------------------------------
    @staticmethod
    def _answering(tracker: Tracker, slot: str) -> bool:
        """The user is answering our question about `slot` and said nothing the extractor took."""
        return (tracker.get_slot("requested_slot") == slot
                and slot not in tracker.slots_to_validate()
                and bool(tracker.latest_message.get("text")))

    @staticmethod
    def _intent(tracker: Tracker) -> Optional[str]:
        return (tracker.latest_message.get("intent") or {}).get("name")

    def _number_answer(self, slot: str, tracker: Tracker,
                       dispatcher: CollectingDispatcher | None = None) -> Dict[Text, Any]:
        if not self._answering(tracker, slot):
            return {}
        if has_unreadable_number(tracker.latest_message.get("text") or ""):
            if dispatcher is not None:
                dispatcher.utter_message(text=UNREADABLE_NUMBER_REPLY)
            return {slot: None}           # counts as an answer: the question is asked again
        said = entity_values(tracker.latest_message)
        for other in ("expense", "burden", "contribution_base", "original_cap", "paid_this_year"):
            if other != slot and said.get(other) is not None and slot in (
                    "expense", "burden", "contribution_base"):
                return {slot: said[other]}
        value = number_in(tracker.latest_message.get("text"))
        return {slot: value} if value is not None else {}

    @staticmethod
    def _refuse(dispatcher: CollectingDispatcher, slot: str, exc: InvalidInputError) -> Dict[Text, Any]:
        dispatcher.utter_message(text=exc.message)
        return {slot: None}

    # ---- extraction of short answers -----------------------------------------------------
    def extract_gap_years(self, dispatcher, tracker, domain):
        if self._answering(tracker, "gap_years") and (
                self._intent(tracker) == "deny" or says_no_gap(tracker.latest_message.get("text", ""))):
            return {"gap_years": 0}
        return self._number_answer("gap_years", tracker, dispatcher)

    def extract_years_insured(self, dispatcher, tracker, domain):
        return self._number_answer("years_insured", tracker, dispatcher)

    def extract_zero_claim_years(self, dispatcher, tracker, domain):
        if self._answering(tracker, "zero_claim_years") and (
                self._intent(tracker) == "deny" or says_none(tracker.latest_message.get("text", ""))):
            return {"zero_claim_years": 0}
        return self._number_answer("zero_claim_years", tracker, dispatcher)

    def extract_expense(self, dispatcher, tracker, domain):
        return self._number_answer("expense", tracker, dispatcher)

    def extract_burden(self, dispatcher, tracker, domain):
        return self._number_answer("burden", tracker, dispatcher)

    def extract_contribution_base(self, dispatcher, tracker, domain):
        return self._number_answer("contribution_base", tracker, dispatcher)

    def extract_in_period(self, dispatcher, tracker, domain):
        if self._answering(tracker, "in_period"):
            intent = self._intent(tracker)
            text = tracker.latest_message.get("text") or ""
            # A yes/no question takes yes/no words, or the intent of a message that has words:
            # «*» or an emoji may be classified as affirm, and must be asked again instead.
            if says_no(text) or (intent == "deny" and says_something(text)):
                return {"in_period": False}
            if says_yes(text) or (intent == "affirm" and says_something(text)):
                return {"in_period": True}
        return {}

    def extract_retired(self, dispatcher, tracker, domain):
        if self._answering(tracker, "retired"):
            if says_in_work(tracker.latest_message.get("text", "")):
                return {"retired": False}
        return {}

    def extract_group(self, dispatcher, tracker, domain):
        if self._answering(tracker, "group") and (
                self._intent(tracker) == "deny" or says_none(tracker.latest_message.get("text", ""))):
            return {"group": catalogue.NO_GROUP}
        return {}

    def extract_hospital_level(self, dispatcher, tracker, domain):
        if not self._answering(tracker, "hospital_level"):
            return {}
        if entity_values(tracker.latest_message).get("price_class") is not None:
            dispatcher.utter_message(text="江西职工门诊按医院等级(一级及以下、二级、三级)计算,"
                                          "不用山西的「收费价格类别」。")
            return {"hospital_level": None}     # counts as an answer: the question is asked again
        value = number_in(tracker.latest_message.get("text"))
        return {"hospital_level": value} if value in (1, 2, 3) else {}

    def extract_price_class(self, dispatcher, tracker, domain):
        if not self._answering(tracker, "price_class"):
            return {}
        text = tracker.latest_message.get("text") or ""
        # The answer «县医院» / «乡镇卫生院» / «三甲»: the region was said in an earlier message, so
        # the extractor read a hospital level; 山西 reads these words as price classes.
        price_class = shanxi_price_class(text)
        if price_class is not None:
            return {"price_class": price_class}
        if entity_values(tracker.latest_message).get("hospital_level") is not None:
            dispatcher.utter_message(text="山西居民住院按医院的「收费价格类别」计算,不按一级、二级、三级;"
                                          "请从下面四类中选一个(对应的医院只是常见情况,以医院公示为准)。")
            return {"price_class": None}
        if names_second_class_only(text):
            dispatcher.utter_message(text="二类分「二类县级」和「二类省市级」两种,起付线和报销比例不同;"
                                          "请从下面选一个(对应的医院只是常见情况,以医院公示为准)。")
            return {"price_class": None}
        return {}

    # ---- validation ----------------------------------------------------------------------
    def validate_region(self, value, dispatcher, tracker, domain):
        if value == NOT_COVERED:
            dispatcher.utter_message(text=not_covered_message())
            return {"region": None}
        problem = catalogue.check_region(self.kind, str(value))
        if problem:
            dispatcher.utter_message(text=problem)
            return {"region": None}
        if self.kind == "inpatient" and tracker.get_slot("price_class") is None:
            # «在县医院住院花了两万» and then «平遥»: the hospital word read as 山西 reads it, as if
            # the region had been said with it (the region check above admits only 山西 here).
            for text in reversed(said_in_form(tracker, f"{self.kind}_form")):
                price_class = shanxi_price_class(text)
                if price_class is not None:
                    return {"region": value, "price_class": price_class}
        return {"region": value}

    def _years(self, slot, label, value, dispatcher, whole=False):
        if value is None:           # refused while it was read (its message is said): ask again
            return {slot: None}
        try:
            if whole:
                bounds.whole_years(slot, label, value)
            else:
                bounds.years(slot, label, value)
        except InvalidInputError as exc:
            return self._refuse(dispatcher, slot, exc)
        return {slot: value}

    def _money(self, slot, label, value, dispatcher):
        if value is None:           # refused while it was read (its message is said): ask again
            return {slot: None}
        try:
            bounds.money(slot, label, value)
        except InvalidInputError as exc:
            return self._refuse(dispatcher, slot, exc)
        return {slot: value}

    def validate_gap_years(self, value, dispatcher, tracker, domain):
        return self._years("gap_years", "断保年数", value, dispatcher)

    def validate_years_insured(self, value, dispatcher, tracker, domain):
        return self._years("years_insured", "连续参保年数", value, dispatcher, whole=True)

    def validate_zero_claim_years(self, value, dispatcher, tracker, domain):
        return self._years("zero_claim_years", "零报销年数", value, dispatcher, whole=True)

    def validate_expense(self, value, dispatcher, tracker, domain):
        return self._money("expense", "费用", value, dispatcher)

    def validate_burden(self, value, dispatcher, tracker, domain):
        return self._money("burden", "个人负担费用", value, dispatcher)

    def validate_contribution_base(self, value, dispatcher, tracker, domain):
        return self._money("contribution_base", "缴费基数", value, dispatcher)

    def validate_in_period(self, value, dispatcher, tracker, domain):
        return {"in_period": bool(value)}

    def validate_retired(self, value, dispatcher, tracker, domain):
        return {"retired": bool(value)}

    def validate_price_class(self, value, dispatcher, tracker, domain):
        if value is None:
            return {"price_class": None}
        if str(value) not in PRICE_CLASSES:
            dispatcher.utter_message(text="没有这个收费价格类别。山西分为三类、二类(县级)、二类(省市级)、一类。")
            return {"price_class": None}
        return {"price_class": str(value)}

    def validate_hospital_level(self, value, dispatcher, tracker, domain):
        if value is None:
            return {"hospital_level": None}
        try:
            level = int(value)
        except (TypeError, ValueError):
            level = None
        if level not in LEVELS:
            dispatcher.utter_message(text="医院等级只有一级(及以下)、二级、三级三种,请选择其中一个。")
            return {"hospital_level": None}
        return {"hospital_level": level}

    def validate_insured_type(self, value, dispatcher, tracker, domain):
        if value not in INSURED_TYPES and value != "flexible":
            dispatcher.utter_message(text="请告诉我您参加的是居民医保还是职工医保。")
            return {"insured_type": None}
        return {"insured_type": value}

    def validate_group(self, value, dispatcher, tracker, domain):
        if value == catalogue.NO_GROUP:
            if self.kind == "assistance":
                dispatcher.utter_message(
                    text="医疗救助只针对特困人员、低保对象、返贫致贫人口、低保边缘家庭成员、防止返贫监测对象和"
                         "因病致贫重病患者;不属于这些人群的,可以问我大病保险能报多少。")
                return {"group": None}
            return {"group": value}
        if value not in GROUPS:
            dispatcher.utter_message(text="没有听懂您属于哪类人员,请从下面的选项中选择。")
            return {"group": None}
        return {"group": value}


def _form(kind_: str):
    return type(f"Validate{kind_.title()}Form", (YibaoFormValidation,),
                {"kind": kind_, "calculation": lambda self: kind_})


ValidateWaitingForm = _form("waiting")
ValidateCapForm = _form("cap")
ValidateInpatientForm = _form("inpatient")
ValidateOutpatientForm = _form("outpatient")
ValidateAccountForm = _form("account")
ValidateCriticalForm = _form("critical")
ValidateDrugForm = _form("drug")
ValidateAssistanceForm = _form("assistance")
ValidateChainForm = _form("chain")


VALIDATORS = {cls.kind: cls for cls in (ValidateWaitingForm, ValidateCapForm, ValidateInpatientForm,
                                        ValidateOutpatientForm, ValidateAccountForm, ValidateCriticalForm,
                                        ValidateDrugForm, ValidateAssistanceForm, ValidateChainForm)}
