"""The buttons the chat page offers are questions the assistant answers: every starter question
(bot.dialogue.starters) and every follow-up an answer card offers (bot.dialogue.followups),
sent to the trained model with the real actions, and the real reply checked."""
from __future__ import annotations

import pytest

from bot.dialogue.followups import FOLLOWUPS
from bot.dialogue.starters import STARTERS

# A message answered at once with a figure, per calculation kind and region.
OPENERS: dict[tuple[str, str], str] = {
    ("waiting", "xinjiang"): "新疆断保两年,现在交多久能报销",
    ("waiting", "shandong"): "济南断保两年,现在交多久能报销",
    ("waiting", "yantai"): "烟台断保两年,现在交多久能报销",
    ("cap", "xinjiang"): "新疆居民,连续参保16年,最近2年都没报销过,大病保险最高能报多少",
    ("cap", "shandong"): "济南居民,连续参保6年,去年没报销过,大病保险最高能报多少",
    ("cap", "yantai"): "烟台居民,连续参保6年,去年没报销过,大病保险最高能报多少",
    ("inpatient", "shanxi"): "太原,二类县级医院住院花了两万",
    ("outpatient", "jiangxi"): "南昌退休职工在三级医院门诊花了6000",
    ("account", "jiangxi"): "南昌在职职工,缴费基数6000,个人账户每月划多少",
    ("critical", "yantai"): "烟台居民医保低保户大病自付15万,大病保险能报多少",
    ("drug", "yantai"): "烟台特困人员,特殊药品花了10万,能报多少",
    ("assistance", "yantai"): "烟台低保户自付5万,医疗救助能给多少",
    ("chain", "yantai"): "烟台居民医保低保户自付5万,大病保险和医疗救助都报完自己还要付多少",
}
FIGURE_LINE = {"waiting": "待遇等待期:", "cap": "大病保险最高支付限额", "inpatient": "居民医保住院报销:",
               "outpatient": "职工普通门诊统筹报销:", "account": "个人账户每月计入:",
               "critical": "大病保险补偿:", "drug": "大病保险特殊药品报销:",
               "assistance": "医疗救助和再救助合计:", "chain": "个人最后还需负担:"}
# What the reply to a follow-up says, by region and button: the clause, the figure, or the
# calculation's next question (its facts not said yet).
REPLIES: dict[tuple[str, str], str] = {
    ("xinjiang", "补缴能缩短等待期吗"): "补缴1年能少1个月变动等待期",
    ("shandong", "补缴能缩短等待期吗"): "补缴可以缩短断保带来的等待时间",
    ("yantai", "补缴能缩短等待期吗"): "补缴可以缩短断保带来的等待时间",
    ("xinjiang", "连续参保有什么好处"): "大病保险最高支付限额提高5000元",
    ("shandong", "连续参保有什么好处"): "最高支付限额就在原来基础上提高3000元",
    ("yantai", "连续参保有什么好处"): "最高支付限额就在原来基础上提高3000元",
    ("xinjiang", "断保后要等多久"): "3个月固定待遇等待期",
    ("shandong", "断保后要等多久"): "3个月的固定待遇等待期",
    ("yantai", "断保后要等多久"): "3个月的固定待遇等待期",
    ("shanxi", "住院一年最多报多少"): "「居民医保住院年度支付限额」:70,000 元",
    ("shanxi", "住院起付线是多少"): "二类收费价格(县级)医疗机构(县级医院等):起付线 400 元",
    ("jiangxi", "门诊起付线是多少"): "「职工普通门诊统筹年度起付线」:600 元",
    ("jiangxi", "个人账户每月划多少"): "个人账户每月计入:",
    ("jiangxi", "门诊看病能报多少"): "您看病的是几级医院?",
    ("yantai", "医疗救助能给多少"): "医疗救助和再救助合计:",
    ("yantai", "都报完自己还付多少"): "个人最后还需负担:",
    ("yantai", "特殊药品能报多少"): "今年符合规定的特殊药品费用是多少元?",
    ("yantai", "大病保险能报多少"): "您参加的是居民医保还是职工医保?",
}

# ... where the opener of a kind left out a fact the follow-up's calculation needs
AFTER: dict[tuple[str, str], str] = {
    ("drug", "医疗救助能给多少"): "基本医保和大病保险报销后,今年政策范围内您自己还负担多少元?",
    ("assistance", "都报完自己还付多少"): "您参加的是居民医保还是职工医保?",
}


def expected(kind: str, region: str, label: str) -> str:
    return AFTER.get((kind, label)) or REPLIES[(region, label)]


def card_of(talk) -> dict:
    cards = [m["custom"] for m in talk.last if m.get("custom")]
    assert len(cards) == 1, talk.last
    return cards[0]


def offered() -> list[tuple[str, str, str]]:
    """(kind, region, follow-up label) of every follow-up some opener's card offers."""
    return [(kind, region, f.label) for (kind, region) in OPENERS for f in FOLLOWUPS[kind]]


def test_every_kind_has_an_opener_and_every_follow_up_an_expected_reply() -> None:
    assert {kind for kind, _ in OPENERS} == set(FOLLOWUPS)
    for kind, region in OPENERS:
        for f in FOLLOWUPS[kind]:
            assert (region, f.label) in REPLIES, (region, f.label)


@pytest.mark.parametrize("kind,region,label", offered(), ids=lambda v: str(v))
def test_a_follow_up_is_understood_and_answered(conversation, kind: str, region: str, label: str) -> None:
    talk = conversation()
    opener = OPENERS[(kind, region)]
    reply = talk.say(opener)
    assert reply.startswith(FIGURE_LINE[kind]), f"«{opener}» → «{reply}»"
    card = card_of(talk)
    buttons = {f["label"]: f["question"] for f in card["followups"]}
    if label not in buttons:                       # not offered in this region: its rules do not apply
        assert region not in {r for (r, lab) in REPLIES if lab == label}
        return
    question = buttons[label]
    answer = talk.say(question)
    decision = talk.slots()["decision"]
    where = f"{region} «{opener}» → «{question}» → {decision} «{answer}»"
    assert decision.startswith(("calc:", "faq:", "param:")), where
    assert expected(kind, region, label) in answer, where


@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.key)
def test_a_starter_question_starts_its_calculation(conversation, starter) -> None:
    kind = {"critical_cap": "cap"}.get(starter.key, starter.key)
    talk = conversation()
    reply = talk.say(starter.question)
    assert talk.slots()["decision"] == f"calc:{kind}", reply
    assert reply == "请问您在哪个地区参保?(省、市、县都可以)"
    assert talk.buttons                                   # the regions, as buttons
