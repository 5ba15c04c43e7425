"""The table of cases of bot.dialogue.decision.decide: one message, one decision.

Each row: what the resident wrote, the classifier's intent and the response selector's ranking
(clause, confidence), the conversation before it, and the decision's label. Facts are extracted
by the real extractor; clauses are the project's own (data/faq/clauses.yml).
"""
from __future__ import annotations

import datetime as dt

import pytest

from bot.dialogue.decision import (CLARIFY, Candidate, Decision, Reading, State, Thresholds, by_question,
                                   calculation_asked, decide)
from bot.dialogue.replies import clauses, figure_asked
from bot.nlp import extract, normalize

NID = "not_in_documents"

CASES = [
    # --- declines: a neighbouring clause is never given in place of an answer
    ("单位没给我交医保怎么办", "ask_policy", [(NID, 0.4), ("xj_waiting_period", 0.3)], {}, "decline:not_in_documents"),
    ("医保能报销牙齿矫正吗", "ask_policy", [(NID, 0.35), ("xj_zero_claim_incentive", 0.2)], {}, "decline:not_in_documents"),
    ("医保卡丢了怎么补办", "ask_policy", [("sd_payment_channels", 0.6)], {}, "decline:card"),
    ("医保关系怎么转到外省", "ask_policy", [(NID, 0.9)], {}, "decline:transfer"),
    ("在外地住院回来怎么报销", "ask_inpatient", [], {}, "decline:remote_care"),
    ("报销要带哪些材料", "ask_policy", [], {}, "decline:materials"),
    ("今年居民医保一年交多少钱", "ask_policy", [("sx_who_enrols", 0.55)], {}, "decline:contribution_amount"),
    ("交重了能退费吗", "ask_policy", [], {}, "decline:refund"),
    ("能把医保卡里的钱卖了吗", "ask_policy", [], {}, "decline:illegal"),
    ("有人回收医保卡,靠谱吗", "out_of_scope", [], {}, "decline:illegal"),
    ("广东断保一年要等多久", "ask_waiting_period", [], {}, "decline:region_not_covered"),
    ("山东大学生医保能不能一次交四年?中间要是涨价了还得补吗?", "ask_policy", [("sd_college_lump_sum", 0.97)], {},
     "faq:sd_college_lump_sum"),                  # a sure clause outweighs the words of a decline
    ("山东大学生医保涨价了还得补吗?", "ask_policy", [("sd_college_lump_sum", 0.6)], {}, "decline:contribution_amount"),
    # --- a clause of another region that answers the same question: the resident's own one
    ("喂 我孩子在伊宁上幼儿园 户口在甘肃 医保在哪交啊", "ask_policy", [("sd_students_school", 0.75)], {}, "faq:xj_students"),
    ("嗯 我是大同参保的 太原的定点医院我们外市的还认不认啊", "ask_policy", [("sx_hospitals_recognised", 0.99)], {},
     "faq:sx_hospitals_recognised"),
    # --- concept and yes/no rule questions are not calculations
    ("大病保险和医疗救助有什么区别", "ask_assistance", [], {}, "decline:not_in_documents"),
    ("个人账户的钱能继承吗", "ask_personal_account", [], {}, "decline:not_in_documents"),
    # --- calculations named by their wording
    ("山东的,大病一年顶多报多少", "ask_policy", [("xj_ci_caps", 0.78)], {}, "calc:cap"),
    ("我断保两年了,现在交多久能报销", "ask_waiting_period", [], {}, "calc:waiting"),
    ("太原县医院住院花了一万二能报多少", "ask_inpatient", [], {}, "calc:inpatient"),
    ("蓬莱的职工,不是低保,住院报完了自己还负担两万,大病保险能给报多少", "ask_policy", [], {}, "calc:critical"),
    ("那个 海阳的 我们家是五保户 住院那个 医保报了以后自己还得出四十万 大病能报多少", "ask_inpatient", [], {},
     "calc:critical"),                            # the burden decides, not DIET's 住院
    # a rule or concept question DIET took for a calculation's topic: the selector answers when sure
    ("山东连续交医保 有啥奖励没", "ask_cap", [("sd_continuity_incentive", 0.9)], {}, "faq:sd_continuity_incentive"),
    ("山东连续交医保 有啥奖励没", "ask_cap", [("sd_continuity_incentive", 0.22)], {}, "clarify"),
    ("零报销奖励是什么意思", "ask_cap", [("xj_zero_claim_incentive", 0.8)], {"region": "xinjiang"},
     "faq:xj_zero_claim_incentive"),
    ("山东连续交医保封顶线能加多少", "ask_cap", [("sd_continuity_incentive", 0.9)], {}, "param:cap.step"),
    ("你好,我是江西赣州的,已经退休了", "ask_policy", [("jx_account_family", 1.0)], {}, "greet"),
    ("你好 我孝义的 孩子在市医院住了五天 花了四千三 能给报多少", "greet", [], {}, "calc:inpatient"),
    ("你好", "greet", [], {}, "greet"),
    ("九江的,在厂里打工,二级医院门诊花了三千能报多少", "ask_policy", [("xj_two_diseases", 0.99)], {}, "calc:outpatient"),
    # an answer to the open form's question, whose facts another calculation also reads, fills it
    ("各项报完了还剩四万要自己出", "inform", [], {"form": "assistance", "requested_slot": "burden", "topic": "assistance",
                                          "region": "yantai"}, "fill"),
    # a rule's question that states a fact of it: the clause, when the selector is sure
    ("潍坊的,一年到头没看过病,第二年有没有啥好处", "ask_policy", [("sd_zero_claim_incentive", 0.6)], {}, "faq:sd_zero_claim_incentive"),
    ("潍坊的,一年到头没看过病,第二年有没有啥好处", "ask_policy", [("sd_zero_claim_incentive", 0.1)], {}, "calc:cap"),
    # a figure for oneself is a calculation even when a clause states the rule
    ("我是灵活就业 头一回交职工医保 那个要等多久才能报", "ask_policy", [("xj_flexible_waiting", 0.9)], {"region": "xinjiang"},
     "calc:waiting"),
    # a follow-up with one's own figures goes on with the last calculation, whatever DIET thinks
    ("那我在县医院花了一万八能报多少?", "ask_outpatient", [], {"topic": "inpatient", "region": "shanxi"}, "calc:inpatient"),
    # a bill naming neither 住院 nor 门诊: the one the region's documents compute
    ("那我在县医院花了一万八能报多少?", "nlu_fallback", [], {"region": "shanxi"}, "calc:inpatient"),
    ("在县医院花了一千八能报多少?", "ask_inpatient", [], {"region": "jiangxi"}, "calc:outpatient"),
    ("在县医院门诊花了一千八能报多少?", "ask_outpatient", [], {"region": "shanxi"}, "calc:outpatient"),
    ("山东这边一年没用医保,第二年有啥好处?", "ask_policy", [("xj_zero_claim_incentive", 0.56), ("sd_zero_claim_incentive", 0.13)],
     {}, "faq:sd_zero_claim_incentive"),        # 新疆's clause ranked first: 山东's says the same
    # facts of one's own case with a figure question: worked out, not the rule
    ("青岛市民,过了集中缴费期才交的居民医保,之前一直没断过,交完要等多久?", "ask_policy", [("sd_waiting_period", 0.9)], {},
     "calc:waiting"),
    ("潍坊的 居民大病保险 到2030年封顶能提高多少", "ask_cap", [], {}, "calc:cap"),
    # only facts of the open form's calculation, no question: the form takes them
    ("前年断过一年 今年刚续上", "inform", [], {"form": "cap", "requested_slot": "zero_claim_years", "topic": "cap",
                                         "region": "xinjiang"}, "fill"),
    ("去年的住院费现在还能报吗 过期了没", "ask_inpatient", [], {}, "decline:materials"),
    # a question ending in «…不» is a question, not facts said before one
    ("我们村在昌吉 村卫生室看病能刷医保不", "ask_policy", [("xj_village_clinics", 0.6)], {}, "faq:xj_village_clinics"),
    ("那住院呢?", "ask_policy", [], {"topic": "waiting", "region": "xinjiang"}, "calc:inpatient"),
    # --- one figure of the rules: the parameter, for the region (or the only one that has it)
    ("新疆大病保险封顶线能提高多少", "ask_policy", [("xj_ci_caps", 0.9)], {}, "param:cap.step"),   # not the caps clause
    ("江西职工普通门诊起付线是多少", "ask_outpatient", [], {}, "param:employee_outpatient.deductible"),
    ("江西退休的门诊一年最高报多少", "ask_outpatient", [], {}, "param:employee_outpatient.retiree_annual_max"),
    ("那个 太原 县医院住院 起付线是多少", "ask_inpatient", [], {}, "param:inpatient.price_classes"),
    ("住院起付线是多少", "ask_inpatient", [], {}, "param:inpatient.price_classes"),       # only 山西 has it
    ("大病保险封顶线是多少", "ask_cap", [], {}, "calc:cap"),                              # which region?
    ("新疆居民大病保险封顶线是多少", "ask_cap", [], {}, "param:cap.original.resident"),
    ("新疆住院起付线是多少", "ask_inpatient", [], {}, "calc:inpatient"),   # the route says 新疆 has none
    ("烟台低保对象医疗救助比例是多少", "ask_assistance", [], {}, "param:assistance.primary"),
    ("我在江西退休了,门诊花了两千,起付线以上能报多少", "ask_outpatient", [], {}, "calc:outpatient"),
    ("我在新疆,我的大病保险封顶线能提高多少", "ask_cap", [], {}, "calc:cap"),
    ("我在新疆,我的大病保险封顶线能提高多少", "ask_policy", [("xj_ci_caps", 0.9)], {}, "calc:cap"),
    ("那大病保险封顶线呢", "ask_cap", [], {"topic": "waiting", "region": "xinjiang"}, "calc:cap"),
    # --- a calculation only for the insurance its document is about
    ("晋中职工医保住院报销比例多少", "ask_inpatient", [], {}, "decline:not_in_documents"),
    ("九江居民医保门诊花了两千能报多少", "ask_outpatient", [], {}, "decline:not_in_documents"),
    ("九江灵活就业,缴费基数5000,个人账户每月划入多少", "ask_personal_account", [], {}, "calc:account"),
    ("不对 是三年", "inform", [], {"topic": "waiting", "region": "xinjiang"}, "calc:waiting"),
    # --- a clause answers only for its own region
    # (新疆's clause ranked first for a 山东 resident: 山东's clause, which answers the same question)
    ("断保了要等多久才能报", "ask_policy", [("xj_waiting_period", 0.8), ("sd_waiting_period", 0.15)],
     {"region": "shandong"}, "faq:sd_waiting_period"),
    ("户口不在这边能参保吗", "ask_policy", [("xj_hukou_not_required", 0.7), ("sd_hukou_not_required", 0.2)],
     {"region": "shandong"}, "faq:sd_hukou_not_required"),
    # (no region: the calculation, which asks it, rather than one region's clause)
    ("断保了要等多久才能报", "ask_policy", [("xj_waiting_period", 0.8), ("sd_waiting_period", 0.15)], {}, "calc:waiting"),
    ("集中缴费期是什么时候", "ask_policy", [("xj_concentrated_period", 0.9)], {}, "faq:xj_concentrated_period"),
    # after an answer: new facts or another region are the same calculation again
    ("那山東濟南呢", "nlu_fallback", [], {"topic": "waiting", "region": "xinjiang"}, "calc:waiting"),
    ("两千四", "nlu_fallback", [], {"topic": "outpatient", "region": "jiangxi"}, "calc:outpatient"),
    ("要是二十五万呢?", "inform", [], {"topic": "critical", "region": "yantai"}, "calc:critical"),
    ("特殊药品大病保险怎么报?", "ask_critical_illness", [], {}, "calc:drug"),
    ("这跟医院说的不一样啊,我要跟你们工作人员说", "ask_policy", [], {}, "handoff"),
    ("再救助又是啥", "ask_policy", [("yt_reassistance_core_groups", 0.7)],
     {"form": "assistance", "requested_slot": "burden", "topic": "assistance", "region": "yantai"},
     "faq:yt_reassistance_core_groups"),
    ("户口不在这边能参保吗", "ask_policy", [("sd_hukou_not_required", 0.9)], {"region": "jiangxi"},
     "decline:not_in_documents"),
    ("新生儿怎么参保", "ask_policy", [("sd_newborn", 0.9)], {"region": "yantai"}, "faq:sd_newborn"),
    ("低保户大病保险有什么照顾", "ask_policy", [("yt_ci_special_resident", 0.22), ("yt_ci_special_employee", 0.2)],
     {}, "clarify"),
    # a clarification button sends the clause's own question back
    ("没在集中缴费期交医保,交完多久才能报销?", "ask_policy", [("xj_waiting_period", 0.6)], {}, "faq:sd_waiting_period"),
    # --- inside a form
    ("新疆断保两年,等待期多久", "ask_waiting_period", [],
     {"form": "inpatient", "requested_slot": "region", "topic": "inpatient"}, "calc:waiting"),
    ("那要是花了五万呢", "inform", [], {"topic": "inpatient", "region": "shanxi"}, "calc:inpatient"),
    ("打工的", "inform", [], {"form": "outpatient", "requested_slot": "retired", "topic": "outpatient"}, "fill"),
    ("医保卡丢了怎么补办", "ask_policy", [], {"form": "waiting", "requested_slot": "gap_years"}, "decline:card"),
    ("我要找人工", "human_handoff", [], {}, "handoff"),
    # facts before any question are kept, and the resident is asked what to know
    ("你好,我是山西太原的", "nlu_fallback", [], {}, "greet"),
    ("我是退休职工", "inform", [], {}, "greet"),
    # nothing fits and nothing to offer
    ("随便问问", "nlu_fallback", [], {}, "decline:not_in_documents"),
]


def figure(kind: str, region: str | None, text: str):
    return figure_asked(kind, region, text, dt.date(2026, 12, 7))


def reading(text: str, intent: str, ranking: list[tuple[str, float]]) -> Reading:
    return Reading(normalize(text), intent, 0.9, extract(text).slots,
                   tuple(Candidate(c, p) for c, p in ranking))


@pytest.mark.parametrize("text,intent,ranking,state,label", CASES, ids=[c[0] for c in CASES])
def test_decision_table(text, intent, ranking, state, label):
    decision = decide(reading(text, intent, ranking), State(**state), clauses(), figure=figure)
    assert decision.label == label


def test_a_region_outside_the_five_is_declined_and_the_calculation_remembered():
    decision = decide(reading("我是广东的,职工医保门诊报销怎么算?", "ask_outpatient", []), State(), clauses())
    assert (decision.label, decision.calculation) == ("decline:region_not_covered", "outpatient")
    again = decide(reading("那按江西吉安算吧", "inform", []), State(topic="outpatient"), clauses())
    assert again.label == "calc:outpatient"


def test_full_text_hits_are_only_offered_never_answered():
    found = []
    decision = decide(reading("那个交钱的事", "nlu_fallback", []), State(), clauses(),
                      search=lambda text, region: found.append((text, region)) or ["sd_payment_channels"])
    assert decision == Decision(CLARIFY, candidates=("sd_payment_channels",), region=None)
    assert found == [("那个交钱的事", None)]


def test_a_clause_the_selector_and_the_index_both_rank_first_is_given():
    ranking = [("yt_assistance_groups", 0.18), ("yt_multiple_identities", 0.12)]
    agreed = decide(reading("烟台什么样的家庭能享受医疗救助", "ask_policy", ranking), State(region="yantai"), clauses(),
                    search=lambda text, region: ["yt_assistance_groups", "yt_who_certifies"])
    apart = decide(reading("烟台什么样的家庭能享受医疗救助", "ask_policy", ranking), State(region="yantai"), clauses(),
                   search=lambda text, region: ["yt_who_certifies", "yt_assistance_groups"])
    unsure = decide(reading("烟台什么样的家庭能享受医疗救助", "ask_policy", [("yt_assistance_groups", 0.05)]),
                    State(region="yantai"), clauses(), search=lambda text, region: ["yt_assistance_groups"])
    assert agreed.label == "faq:yt_assistance_groups"
    assert apart.label == unsure.label == "clarify"


def test_offered_clauses_are_of_the_residents_region():
    decision = decide(reading("那个交钱的事", "nlu_fallback", []), State(region="shanxi"), clauses(),
                      search=lambda text, region: ["sd_payment_channels", "sx_who_enrols"])
    assert decision.candidates == ("sx_who_enrols",)


def test_thresholds_decide_between_answer_and_question():
    ranking = [("sd_hukou_not_required", 0.22)]
    low = decide(reading("外地户口能在这里参保吗", "ask_policy", ranking), State(), clauses())
    lenient = decide(reading("外地户口能在这里参保吗", "ask_policy", ranking), State(), clauses(),
                     thresholds=Thresholds(answer=0.2))
    assert low.candidates == ("sd_hukou_not_required",)            # offered, not stated
    assert lenient.label == "clarify"                                # confident, but 山东 and 新疆
    assert set(lenient.candidates) == {"sd_hukou_not_required", "xj_hukou_not_required"}  # both say it


def test_clauses_answering_one_question_share_the_selectors_confidence():
    # 0.3 + 0.3 for the waiting period of 山东 and of 新疆: one question, sure enough to answer
    ranking = [("sd_waiting_period", 0.3), ("xj_waiting_period", 0.3), ("sd_newborn", 0.35)]
    decision = decide(reading("断保了要等多久才能报", "ask_policy", ranking), State(region="shandong"), clauses())
    assert decision.label == "faq:sd_waiting_period"
    assert by_question([Candidate(c, p) for c, p in ranking], clauses())[0] == Candidate("sd_waiting_period", 0.6)


def test_calculation_needs_a_figure_or_facts():
    assert calculation_asked(reading("个人账户每月划入多少", "ask_personal_account", []), State(),
                             clauses()) == "account"
    assert calculation_asked(reading("个人账户能给爸妈用吗", "ask_personal_account", []), State(),
                             clauses()) is None
