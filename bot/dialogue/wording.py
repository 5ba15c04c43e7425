"""How residents word the kind of question they ask (patterns on normalised text).

These decide only the *kind* of question (a figure, a yes/no rule, a concept); which calculation
a message names lives in bot.dialogue.topics, the topics the documents do not cover in
data/dialogue/declines.yml.
"""
from __future__ import annotations

import re

# Asks for a figure or a calculation: «能报多少», «要等多久», «报几成», «怎么算».
ASKS_FIGURE = re.compile(
    r"多少|多久|几个月|几成|几折|多长时间|多长|能报|能报销|给报|可以报|怎么算|咋算|算一下|算算|帮我算|"
    r"怎么报|咋报|如何报|怎样报|怎么赔|"
    r"报几|比例|起付|封顶|限额|顶多|最多|最高|几年|等多|什么时候能|啥时候能|何时能")

# Asks what something is or how two things differ: not a calculation.
ASKS_CONCEPT = re.compile(r"区别|不同|差别|什么意思|啥意思|是什么|是啥|指什么|指的是|什么叫|啥叫|什么是|哪个好|有啥用|有什么用|干什么用")

# A yes/no question about a rule («个人账户的钱能继承吗»).
ASKS_YES_NO = re.compile(r"能不能|可不可以|可以不|能否|是否|是不是|会不会|有没有|行不行|算不算|"
                         r"([\u4e00-\u9fff])不\1|[吗嘛么]\s*[?？]?\s*$|"      # X不X: 认不认, 报不报
                         r"[\u4e00-\u9fff]不\s*[?？]?\s*$|[了过]没\s*[?？]?\s*$")  # 能刷不, 交了没


# Any other question: «怎么办», «咋弄», «哪里».
ASKS_HOW = re.compile(r"怎么|咋|如何|哪|什么|啥|为什么|为啥|几号|几月|几点|多会儿?|何时")
QUESTION_MARK = re.compile(r"[?？]")


def asks_how(text: str) -> bool:
    return bool(ASKS_HOW.search(text or ""))


def is_question(text: str) -> bool:
    """Any question at all, a bare question mark included."""
    return bool(QUESTION_MARK.search(text or "")) or asks_how(text) or asks_yes_no(text) \
        or asks_figure(text) or asks_concept(text)


# Asks what a rule provides, not a figure for oneself: «有啥奖励没», «有没有照顾».
ASKS_RULE = re.compile(r"有啥|有什么|有没有|好处|奖励|照顾|优惠|政策|规定|没[?？]?$|不[?？]?$")

# Asks for one parameter of the rules rather than a figure worked out for oneself.
ASKS_PARAMETER = re.compile(r"起付线|起付标准|起付|比例|百分之几|几成|封顶线|最高支付限额|限额|最多|最高|"
                            r"标准是|划入|提高多少|增加多少|加多少|多少钱封顶")


# Asks for a person: «我要跟你们工作人员说», «找个真人».
ASKS_PERSON = re.compile(r"(找|转|要|跟|和|同)[^,。!?]{0,6}(人工|真人|工作人员|客服|接线员|坐席|领导)"
                         r"|人工(服务|客服|坐席)")


def asks_person(text: str) -> bool:
    return bool(ASKS_PERSON.search(text or ""))


# Asks for a person in so many words, whatever else the message says («转人工,我叫…», «你好 人工客服»):
# the NLU's intent gives way to it (bot.rasa.components.YibaoHandoffIntent). Not when refused
# («不用转人工», «别转人工»).
ASKS_PERSON_EXPLICITLY = re.compile(r"(?<![不别甭])(?<!不用)(?<!不要)(?<!无需)(?<!不需要)"
                                    r"(转人工|转接人工|转接客服|转客服|人工客服|人工服务|人工坐席|找真人|真人客服)")


def asks_person_explicitly(text: str) -> bool:
    return bool(ASKS_PERSON_EXPLICITLY.search(text or ""))


# Asks to hear the last answer again («再说一遍», «重新说一下»); the NLU reads these as restart.
# Matched on the text as said or normalised (一遍 → 1遍).
ASKS_REPEAT = re.compile(r"再(说|讲|发|念)[一1](遍|次)|重新(说|讲|念)[一1]?(下|遍)|重复[一1]?(下|遍)|再重复|"
                         r"没听清|没看清")


def asks_repeat(text: str) -> bool:
    return bool(ASKS_REPEAT.search(text or ""))


# Says who one is: «我是江西赣州的», «本人已退休», «俺家是低保户».
DESCRIBES_ONESELF = re.compile(r"^(你好|您好|喂)|我是|我在|我们|我家|俺|本人|我已经|我属于")


def describes_oneself(text: str) -> bool:
    return bool(DESCRIBES_ONESELF.search(text or ""))


# About oneself: a figure to work out, not a rule to state («我的封顶线能提高多少»).
PERSONAL = re.compile(r"我的|我能|我可以|我家|俺的|俺能|给我算|帮我算|我要等|我得等|本人的")

# Goes on from the last answer: «那大病保险封顶线呢», «要是花了五万呢».
FOLLOW_UP = re.compile(r"^(那|那么|那要是|要是|如果|假如)|呢\s*[?？]?\s*$")


# Corrects what was said before: «不对,是三年», «说错了».
CORRECTION = re.compile(r"^\s*(不对|说错|错了|搞错|弄错|不是|更正|纠正)|说错了|搞错了")


def is_correction(text: str) -> bool:
    return bool(CORRECTION.search(text or ""))


def is_personal(text: str) -> bool:
    return bool(PERSONAL.search(text or ""))


def is_follow_up(text: str) -> bool:
    return bool(FOLLOW_UP.search(text or ""))


def asks_rule(text: str) -> bool:
    return bool(ASKS_RULE.search(text or "")) or asks_yes_no(text) or asks_how(text)


def asks_parameter(text: str) -> bool:
    return bool(ASKS_PARAMETER.search(text or ""))


def asks_figure(text: str) -> bool:
    return bool(ASKS_FIGURE.search(text or ""))


def asks_concept(text: str) -> bool:
    return bool(ASKS_CONCEPT.search(text or ""))


def asks_yes_no(text: str) -> bool:
    return bool(ASKS_YES_NO.search(text or ""))
