"""Mask personal data before any text is understood, logged, stored or echoed back.

The one masking rule of the project: the channels, the tracker store (through the channels), the
hand-off and audit tables, the hotline batch and the history all call `mask_personal_data`.

What is masked, and as what:
- ID-card numbers, 18 characters (the last may be X) or the old 15 digits → [身份证]
- mobile numbers (1[3-9] + 9 digits, optional +86 / 0086) → [手机号]
- landlines with their area code (0535-6123456, (0535)6123456, 05356123456) → [电话]
- bank-card numbers (16–19 digits starting with 3–6) → [银行卡]
- e-mail addresses → [邮箱]; QQ / 微信 ids after their name → [账号]
- a name after 姓名 / 名字叫 / 我叫 / 本人叫 / 联系人 / 我姓 (a common surname first) → [姓名]
- the street-level part of an address (幸福路88号, 阳光小区3号楼2单元501室, 王庄村三组) → [住址];
  the province, city and county stay, so the region is still understood.

Digits may be typed (ASCII or full-width), spoken (一三八, 幺), in capitals (壹叁捌) or mixed, and
may be broken up by spaces, dashes, dots and, in phone numbers, by slashes, commas and brackets
((138)1234-5678, 138/1234/5678). Letters may touch a number (tel13812345678). A masked number
leaves no digit behind, so it can never become a slot value. Pure Python, no heavy imports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ID_MASK = "[身份证]"
PHONE_MASK = "[手机号]"
LANDLINE_MASK = "[电话]"
CARD_MASK = "[银行卡]"
EMAIL_MASK = "[邮箱]"
ACCOUNT_MASK = "[账号]"
NAME_MASK = "[姓名]"
ADDRESS_MASK = "[住址]"

# ---- digits ------------------------------------------------------------------------------------
_TYPED = "0-9０-９"
_SPOKEN = "〇零一二三四五六七八九幺"
_CAPITAL = "壹贰貳叁叄肆伍陆陸柒捌玖"
_DIGIT = f"[{_TYPED}{_SPOKEN}{_CAPITAL}]"
_ZERO = "[0０〇零]"
_ONE = "[1１一幺壹]"
_TWO_TO_NINE = "[2-9２-９二三四五六七八九贰貳叁叄肆伍陆陸柒捌玖]"
_THREE_TO_NINE = "[3-9３-９三四五六七八九叁叄肆伍陆陸柒捌玖]"
_ONE_TO_NINE = "[1-9１-９一二三四五六七八九幺壹贰貳叁叄肆伍陆陸柒捌玖]"
_THREE_TO_SIX = "[3-6３-６三四五六叁叄肆伍陆陸]"
_ID_LAST = f"[{_TYPED}{_SPOKEN}{_CAPITAL}XxＸｘ]"
# A number must not continue on either side (a longer run of digits is something else).
_NOT_AFTER_DIGIT = f"(?<![{_TYPED}{_SPOKEN}{_CAPITAL}十百千万亿])"
_NOT_BEFORE_DIGIT = f"(?![{_TYPED}{_SPOKEN}{_CAPITAL}十百千万亿])"
# Between two digits: at most two separators. Phone numbers are also written with slashes, commas
# and brackets; an ID or a card is not (a list of years «2019、2020、2021» must stay a list).
_SEP = r"[ \t\u3000\-‐‑‒–—―－_.·]{0,2}"
_PHONE_SEP = r"[ \t\u3000\-‐‑‒–—―－_.·/,，、()（）]{0,2}"


def _digits(count: int, sep: str = _SEP) -> str:
    return f"(?:{sep}{_DIGIT}){{{count}}}"


def _number(body: str) -> str:
    return f"{_NOT_AFTER_DIGIT}{body}{_NOT_BEFORE_DIGIT}"


_ID_18 = _number(f"{_ONE_TO_NINE}{_digits(16)}{_SEP}{_ID_LAST}")
_ID_15 = _number(f"{_ONE_TO_NINE}{_digits(14)}")
_MOBILE = _number(f"(?:(?:\\+|00)?86{_PHONE_SEP})?[(（]?{_ONE}{_PHONE_SEP}{_THREE_TO_NINE}{_digits(9, _PHONE_SEP)}")
_LANDLINE = _number(f"[(（]?{_ZERO}{_ONE_TO_NINE}{_digits(1)}{_DIGIT}?[)）]?{_PHONE_SEP}"
                    f"{_ONE_TO_NINE}{_digits(6)}{_DIGIT}?")
_CARD = _number(f"{_THREE_TO_SIX}{_digits(15)}(?:{_SEP}{_DIGIT}){{0,3}}")

# ---- accounts ------------------------------------------------------------------------------------
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
_ACCOUNT = r"(?P<keep>(?:QQ|qq|Qq|微信号|微信|VX|vx|wx|WX)[:：\s号是为]{0,3})[A-Za-z0-9_\-]{5,20}(?![A-Za-z0-9_\-])"

# ---- names ---------------------------------------------------------------------------------------
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
             "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
             "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
             "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
             "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
             "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
_DOUBLE_SURNAMES = "欧阳|司马|诸葛|上官|慕容|令狐|皇甫|东方|夏侯|尉迟|公孙|长孙|宇文|司徒|西门"
# Characters that end a name: what usually follows it in a message.
_NOT_IN_NAME = "的了在是住想要问我你他她和跟与及或今年月日号电手身家医保病院说叫姓名吗呢吧啊呀哦嗯"
_GIVEN = f"(?:[\u4e00-\u9fff](?<![{_NOT_IN_NAME}]))"
_NAME_CUE = r"(?:姓名|名字叫|名字是|名字|我叫|我名叫|本人叫|本人姓名|联系人|患者姓名|病人姓名)[:：\s]{0,2}"
_NAME = f"(?P<keep>{_NAME_CUE})(?:{_DOUBLE_SURNAMES}|[{_SURNAMES}]){_GIVEN}{{1,2}}"
_SURNAME_ONLY = f"(?P<keep>我姓)(?:{_DOUBLE_SURNAMES}|[{_SURNAMES}])"

# ---- addresses -----------------------------------------------------------------------------------
_ADDRESS_DIGIT = f"[{_TYPED}{_SPOKEN}十百千]"
# not the end of an administrative name, nor the words before an address (住在, 我是)
_PLACE_CHAR = "(?:(?![市区县省州旗盟镇乡村住在的是我])[\u4e00-\u9fff])"
_UNITS = (f"(?:{_SEP}{_ADDRESS_DIGIT}+(?:号楼|号院|栋|幢|座|单元|层|楼|室|号|户|组))*")
_ROAD = f"{_PLACE_CHAR}{{1,8}}(?:路|街|大街|大道|巷|胡同|弄){_SEP}{_ADDRESS_DIGIT}+{_SEP}号(?:院|楼)?{_UNITS}"
_ESTATE = (f"{_PLACE_CHAR}{{2,10}}(?:小区|花园|公寓|家园|新村|社区|大厦|苑)"
           f"{_ADDRESS_DIGIT}+(?:号楼|号院|栋|幢|座|单元|号|期|区){_UNITS}")
_VILLAGE = f"{_PLACE_CHAR}{{1,6}}村{_ADDRESS_DIGIT}+组{_UNITS}"
_FLAT = f"{_ADDRESS_DIGIT}+(?:号楼|栋|幢)(?:{_SEP}{_ADDRESS_DIGIT}+单元)?{_SEP}{_ADDRESS_DIGIT}+(?:室|号)"


@dataclass(frozen=True)
class Mask:
    """One kind of personal data: what replaces it, and how it is found. A pattern's group `keep`
    (the words that announce the data: 我叫, QQ) stays in the text before the label."""
    label: str
    pattern: re.Pattern[str]

    def apply(self, text: str) -> str:
        if "keep" not in self.pattern.groupindex:
            return self.pattern.sub(self.label, text)
        return self.pattern.sub(lambda m: m.group("keep") + self.label, text)


# Order matters: the longer and more specific numbers first, then what could contain them.
MASKS: tuple[Mask, ...] = tuple(Mask(label, re.compile(pattern)) for label, pattern in (
    (EMAIL_MASK, _EMAIL),
    (ID_MASK, _ID_18),
    (CARD_MASK, _CARD),
    (ID_MASK, _ID_15),
    (PHONE_MASK, _MOBILE),
    (LANDLINE_MASK, _LANDLINE),
    (ACCOUNT_MASK, _ACCOUNT),
    (NAME_MASK, _NAME),
    (NAME_MASK, _SURNAME_ONLY),
    (ADDRESS_MASK, _ROAD),
    (ADDRESS_MASK, _ESTATE),
    (ADDRESS_MASK, _VILLAGE),
    (ADDRESS_MASK, _FLAT),
))
LABELS = frozenset(m.label for m in MASKS)


def mask_personal_data(text: str) -> str:
    """The text with every kind of personal data above replaced by its label."""
    if not text:
        return "" if text is None else text
    for mask in MASKS:
        text = mask.apply(text)
    return text
