"""Numbers in normalised text and the slot each one fills, decided by its context.

The same number means different things: 断保2年 (gap_years) vs 交了2年 (years_insured) vs
补缴2年 (paid_back_years) vs 2年前 (a time ago, no slot); 花了30000 (expense) vs 自付30000
(burden) vs 缴费基数6000 vs 原来封顶400000 vs 今年已经报了30000. Each number is classified by
its unit (years / money / calendar year) and then given to the nearest cue before it (no
punctuation or other number in between), or to a cue right after it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Literal

Kind = Literal["years", "money", "calendar"]

NUMBER_RE = re.compile(
    # a minus sign is kept (花了-5元 must be refused, not read as 5); 2-3 is a range, not -3
    r"(?<![0-9.])(?P<n>(?:(?<![0-9A-Za-z.年月元块天])-)?[0-9]+(?:\.[0-9]+)?)(?![0-9])"
    r"(?P<unit>个月|个半月|年前|年后|年级|年|岁|%|元|块钱|块|次|天|号|日|月份|月|级|类|分|个(?![人账])|周|遍|人|家|口)?"
)

_BEFORE_GAP = ("中断参保 中断了参保 停止参保 断保 断缴 断了 断档 中断 断过 停保 停缴 停了 没交 没缴 没续 没参保 脱保 漏交 漏缴 断开 "
               "欠费 欠缴 断 "
               # said with a pause (断 交了 两年), which the homophone fix (断交 → 断缴) misses
               "断交 停交")
_BEFORE_INSURED = ("连续参保 连续缴费 连续缴纳 连续交 连续缴 连着交 连着缴 一直交 一直缴 交了 缴了 缴纳了 "
                   "参保了 交过 参保 已经交 交够 缴够 累计缴费 累计参保 缴费年限 参保年限 买了 交医保 "
                   "交满 缴满 交")
_BEFORE_INSURED_WEAK = "连续 连着 一直 累计"
_BEFORE_PAID_BACK = "补缴 补了 补齐 补上 补缴了 补 往回补 补足"
_BEFORE_EXPENSE = ("花了 花费 花 费用 医药费 住院费 治疗费 医疗费 总共 一共 总费用 总花费 药费 手术费 "
                   "门诊费 用了 开销 合规费用 政策范围内费用 政策范围内 政策内 总额 产生 医疗费用 "
                   "看病 治病 发生 全部 共计 合计 消费 前后")
_BEFORE_BURDEN = ("自付 自己负担 个人负担 自己掏 自己出 自己承担 自负 个人自付 剩下 还剩 剩 个人承担 "
                  "自己花 个人支付 负担 自己还得掏 自己还要掏 自己拿 个人出 掏了 自掏 还要出 还得出 还要掏 还得掏 "
                  "自己要出 要自己出 自己要掏 个人还要出 个人还得出")
_BEFORE_BASE = "缴费基数 基数 工资 月薪 缴费工资 月工资 工资基数"
_BEFORE_CAP = ("原来封顶 原封顶 原来的封顶 原来最高 原最高 原来的最高 封顶线 封顶 最高支付限额 最高限额 "
               "原来限额 原来的限额 原有封顶 原来能报 原来最多 原来上限 上限 原来是 原本封顶 原本")
_BEFORE_PAID_THIS_YEAR = ("今年已经报了 今年报了 今年已报 今年已经报销了 今年已经报销 已经报了 已经报销了 "
                          "已报销 已经报销 基金已经付了 基金已付 统筹已经支付 已经支付了 今年已经用了 "
                          "今年报销了 已经报 今年已经报 统筹已经付了 已经给报了 已报了 已经报过 今年报过 "
                          "统筹已付 已付 今年统筹已付 统筹给付了 今年统筹已经报了 统筹已经报了")
# Numbers that are figures of the policy asked about, or phone numbers, not the user's facts.
_BEFORE_NONE = ("起付线 起付标准 起付 门槛 超过 超出 高于 低于 最多 最少 至少 少 多了 减 减少 涨 增加 提高 降低 "
                "每年 每次 每个月 每月 一年 1年 打 拨 拨打 电话 热线 封顶是不是 是不是 不超过 以内 "
                "比例 标准 报销比例 加 奖励 多给 多加 降 扣 扣掉 封顶是 限额是 "
                # the figure said by mistake (我刚说成200000了): the right one is said elsewhere
                "说成 写成 打成 记成 听成 说错成 写错成 打错成 错说成")
_BEFORE_BENEFIT_YEAR = "到 等到 到了 在 那 要是 等 算到 直到 按"
# 是2029年 / 就问2030年的 / 算2029年的: the year asked about, unless it dates an event (see
# _YEAR_OF_EVENT_RE) or a person (孩子是2025年的: a birth year)
_BEFORE_BENEFIT_YEAR_WEAK = "是 问 算 查"

_AFTER_GAP = ("没交 没缴 没参保 没续 没买 没保 没有交 没有缴 没有参保 没续保 不交 都没交 没上 断保 "
              "断缴 断了 断档 没有续 没续费 没管 没缴费 的断保 没交费 的空档")
_AFTER_INSURED = "连续参保 一直交 都交了 没断过 没断 连续缴费 参保 交的 都交 一直在交 的参保 医保"
_AFTER_PAID_BACK = "补缴 补交 的补缴 补上"
_AFTER_ZERO = ("零报销 没报销 没报过 没用过 没有报销 没看过病 没住过院 没报 都没报 没有用过 零理赔 "
               "没用医保 没花过 没动过 一分钱没报 1分钱没报 一分钱都没报 没有报过 没有住过院 零赔付 "
               "没用过医保 都没报销 都没用 没生过病 都零报销")
_AFTER_EXPENSE = "的费用 费用 医药费 的医药费 的住院费 住院费"
_AFTER_NONE = "封顶 以上 以下 以内 的部分 部分 起付 的起付 吗 嘛 么 对吧 对吗 是吧 是不是 还是"
_AFTER_BENEFIT_YEAR = ("的时候 时 以后 封顶 的封顶 大病 能 可以 会 最高 的大病 那年 的话 年度 待遇 "
                       "的待遇 开始享受 算")

# Cues whose words vary in order or have fillers inside: regular expressions, same strength as
# the slot's words (2). They are not jieba terms (numbers are read from the text, not tokens).
_PAID_BY_FUND = r"(?:今年的?(?:统筹基金|统筹|基金)?|(?:统筹基金|统筹|基金)今年|统筹基金|统筹|基金)"
BEFORE_PATTERNS: dict[str, str] = {
    # 原来大病封顶是 / 原来的大病限额是 / 之前的大病保险最高支付限额 / 原来大病最多报
    "original_cap": r"(?:原来|原本|原先|以前|之前|本来)(?:的|那个|这个)?(?:大病保险|大病医保|大病)?的?"
                    r"(?:(?:封顶线|封顶|最高支付限额|最高限额|限额|上限)(?:是|为|有)?"
                    r"|(?:最多|最高)(?:能|可以)?(?:给)?(?:报销|报|赔|支付|付)?(?:到)?)",
    # 统筹今年已经付了 / 今年统筹已经给我付了 / 统筹基金今年给报了; 医疗救助 already paid out:
    # 今年已经救助了 / 今年救助了 / 已经救助了 (a pattern, not words: 救助 must stay a jieba token)
    "paid_this_year": rf"{_PAID_BY_FUND}(?:已经|已|都)?(?:给我|给)?(?:支付|付|报销|报|赔付|赔|救助)了"
                      rf"|{_PAID_BY_FUND}(?:已经|已|都)?(?:给我|给)(?:支付|付|报销|报|救助)"
                      r"|(?:已经|已)(?:给我|给)?救助了?",
    # 自己还得拿 / 自己还担了 / 个人最后要出 / 报完以后自己还出了 / 报销完还花了
    "burden": r"(?:自己|个人|自个儿?)(?:还|又|也|最后|总共)?(?:得|要|需要|需)?"
              r"(?:负担|承担|拿|掏|出|担|垫)了?"
              r"|报(?:销)?完(?:了|以后|之后|后)?(?:自己|个人|自个儿?)?(?:还|又|也)?(?:得|要)?"
              r"(?:出|掏|花|付|拿|垫)了?",
    # 零报销2年 / 没报销三年了 (the words of _AFTER_ZERO, said before the number)
    "zero_claim_years": r"(?:连续|连着)?(?:零报销|零理赔|零赔付|没有报销|没报销|没报过|没用过医保)(?:了|过|的)?",
}

# slot → (strength, words). Strong before-cues beat after-cues, after-cues beat weak ones.
BEFORE_CUES: dict[str, tuple[Kind, int, str]] = {
    "gap_years": ("years", 2, _BEFORE_GAP),
    "years_insured": ("years", 2, _BEFORE_INSURED),
    "years_insured_weak": ("years", 0, _BEFORE_INSURED_WEAK),
    "paid_back_years": ("years", 2, _BEFORE_PAID_BACK),
    "expense": ("money", 2, _BEFORE_EXPENSE),
    "burden": ("money", 2, _BEFORE_BURDEN),
    "contribution_base": ("money", 2, _BEFORE_BASE),
    "original_cap": ("money", 2, _BEFORE_CAP),
    "paid_this_year": ("money", 2, _BEFORE_PAID_THIS_YEAR),
    "benefit_year": ("calendar", 2, _BEFORE_BENEFIT_YEAR),
    "benefit_year_weak": ("calendar", 1, _BEFORE_BENEFIT_YEAR_WEAK),
    "none": ("money", 3, _BEFORE_NONE),
}
AFTER_CUES: dict[str, tuple[Kind, str]] = {
    "none": ("money", _AFTER_NONE),
    "zero_claim_years": ("years", _AFTER_ZERO),
    "gap_years": ("years", _AFTER_GAP),
    "paid_back_years": ("years", _AFTER_PAID_BACK),
    "years_insured": ("years", _AFTER_INSURED),
    "expense": ("money", _AFTER_EXPENSE),
    "benefit_year": ("calendar", _AFTER_BENEFIT_YEAR),
}
MAX_BEFORE_GAP = 6   # characters allowed between a cue and its number (了/有/大概/医保 …)
CLAUSE_LOOKBACK = 30   # characters searched back for the start of a clause
MIN_BARE_AMOUNT = 100  # a bare number below this (65了, 30多) is an age or a count, not money
MAX_AFTER_GAP = 3    # characters allowed between a number's unit and a cue after it

_STOP = set(",，。.!?！？;；:：、()（）[]【】\n")
_AFTER_STOP = _STOP | {" "}
HOTLINES = frozenset({"12393", "12345", "12333", "12320", "12315", "120", "110", "114", "10086"})
# Numbers people type as words: 88 / 886 (bye), 666, 520.
SLANG_NUMBERS = frozenset({"88", "886", "8888", "666", "520", "233", "2333", "555"})


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))


# Words that contain a cue but are none: 打错了 (a correction, not 打 as in 打12393). Matched as
# part of the cue alternation so that the shorter cue inside them is not; they fill no slot.
NOT_CUES = "打错 打错了"
_NOT_A_CUE = "not_a_cue"


def _compile_before() -> tuple[re.Pattern[str], dict[str, str]]:
    # One alternation for all cues: longest surface first, so 今年已经报了 wins over 报了.
    surfaces: dict[str, str] = {}
    for slot, (_kind, _strength, words) in BEFORE_CUES.items():
        for w in words.split():
            surfaces.setdefault(w, slot)
    for w in NOT_CUES.split():
        surfaces.setdefault(w, _NOT_A_CUE)
    return re.compile(_alternation(surfaces)), surfaces


_BEFORE_RE, _BEFORE_SLOT = _compile_before()
_BEFORE_PATTERN_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (slot, re.compile(pattern)) for slot, pattern in BEFORE_PATTERNS.items())
_AFTER_RES: tuple[tuple[str, Kind, re.Pattern[str]], ...] = tuple(
    (slot, kind, re.compile(rf"(?:了|都|也|还|已经|医保|的)?(?:{_alternation(words.split())})"))
    for slot, (kind, words) in AFTER_CUES.items()
)


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    kind: Kind | None       # None: not a slot quantity (年前, 岁, %, 3月 …)
    start: int
    end: int                # end of number + unit


@dataclass(frozen=True)
class Filled:
    slot: str
    value: Decimal
    start: int
    end: int
    corrects: bool = False  # said after 不对/说错了: replaces the earlier value of the slot


def find_quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    for m in NUMBER_RE.finditer(text):
        value = Decimal(m.group("n"))
        unit = m.group("unit") or ""
        kind: Kind | None
        if unit == "年" and "." not in m.group("n") and 1990 <= value <= 2100:
            kind = "calendar"
        elif unit == "年":
            kind = "years"
        elif unit == "个月":
            kind, value = "years", (value / 12).quantize(Decimal("0.01")).normalize()
        elif unit == "个半月":
            kind, value = "years", ((value + Decimal("0.5")) / 12).quantize(Decimal("0.01")).normalize()
        elif unit in ("元", "块", "块钱"):
            kind = "money"
        elif unit == "" and (m.group("n") in HOTLINES or m.group("n") in SLANG_NUMBERS):
            kind = None
        elif unit == "" and value >= 10:
            kind = "money"
        else:
            kind = None
        if kind is not None and _in_range(text, m):
            kind = None  # 2-3年, 2020-2023年, 2万到3万, 2023-05-01: not one figure; asked again
        out.append(Quantity(value=value, kind=kind, start=m.start(), end=m.end()))
    return out


_RANGE_AFTER_RE = re.compile(r"(?:-|~|到|至|/)-?(?P<other>[0-9]+)(?P<year>年)?")
_RANGE_BEFORE_RE = re.compile(r"(?P<other>[0-9]+)(?:元|块)?(?:-|~|到|至|/)$")
_CALENDAR_RE = re.compile(r"(?:19|20)[0-9]{2}")
_YEAR_RANGE_RE = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}年? ?(?:-|~|到|至) ?$")


def _in_range(text: str, m: re.Match[str]) -> bool:
    """The number is one end of a range, a date or a fraction left unread: 2-3, 2020-2023,
    20000到30000, 2023-05-01, 2023/5/1, 1/0, 2020年到2022年 (but 交了15年到2030年 is two figures)."""
    after = _RANGE_AFTER_RE.match(text, m.end()) if m.group("unit") in (None, "元", "块") else None
    # 350000到2032年 is an amount and a year, not a range
    if after and not (after.group("year") and _CALENDAR_RE.fullmatch(after.group("other"))
                      and not _CALENDAR_RE.fullmatch(m.group("n"))):
        return True
    lo = max(0, m.start() - 8)
    before = _RANGE_BEFORE_RE.search(text, lo, m.start())
    if before and not (m.group("unit") == "年" and _CALENDAR_RE.fullmatch(m.group("n"))
                       and not _CALENDAR_RE.fullmatch(before.group("other"))):
        return True
    return (m.group("unit") == "年" and _CALENDAR_RE.fullmatch(m.group("n")) is not None
            and _YEAR_RANGE_RE.search(text, lo, m.start()) is not None)


def _without_spaces(window: str) -> tuple[str, list[int]]:
    """The window with its spaces removed, and where each remaining character was."""
    where = [i for i, ch in enumerate(window) if ch != " "]
    return "".join(window[i] for i in where), where


def _cue_candidates(window: str) -> list[tuple[int, int, str]]:
    """(start, end, slot) of every cue in the window. Cues are matched as if the window had no
    spaces, so an ASR pause inside one (已经 报了, 自己 还 出了) does not hide it."""
    compact, where = _without_spaces(window)
    found = [(m.start(), m.end(), _BEFORE_SLOT[m.group(0)]) for m in _BEFORE_RE.finditer(compact)]
    for slot, pattern in _BEFORE_PATTERN_RES:
        found.extend((m.start(), m.end(), slot) for m in pattern.finditer(compact))
    return [(where[start], where[end - 1] + 1, slot) for start, end, slot in found if end > start]


def _before_cue(text: str, q: Quantity, floor: int, kinds: dict[str, Kind]) -> tuple[str, int] | None:
    """Nearest cue ending at most MAX_BEFORE_GAP chars before q, in the same clause."""
    lo = max(floor, q.start - MAX_BEFORE_GAP - 12)
    window = text[lo:q.start]
    candidates = _cue_candidates(window)
    best: tuple[str, int] | None = None
    best_key = (-1, 0)
    for start, end, slot in candidates:
        gap = window[end:]
        if len(gap) > MAX_BEFORE_GAP or any(ch in _STOP for ch in gap):
            continue
        if kinds.get(slot) != q.kind:
            continue
        key = (end, end - start)  # the nearest cue; of two ending together, the longer
        if key > best_key:
            best, best_key = (slot, lo + start), key
    return best


def _after_cue(text: str, q: Quantity) -> str | None:
    tail = text[q.end:q.end + MAX_AFTER_GAP + 8]
    for slot, kind, pattern in _AFTER_RES:
        if kind != q.kind:
            continue
        m = pattern.search(tail)
        if m and m.start() <= MAX_AFTER_GAP and not any(ch in _AFTER_STOP for ch in tail[:m.start()]):
            return slot
    return None


_NONE_WORDS_RE = re.compile(_alternation(_BEFORE_NONE.split() + ["封顶", "比例", "最高", "起付线", "涨"]))


def _clause_start(text: str, start: int) -> int:
    """Where the clause holding `start` begins (after a space or punctuation, at most
    CLAUSE_LOOKBACK characters back)."""
    lo = max(0, start - CLAUSE_LOOKBACK)
    return max((i + 1 for i in range(start - 1, lo - 1, -1) if text[i] in _AFTER_STOP), default=lo)


def _policy_figure_clause(text: str, start: int) -> bool:
    """The clause before `start` talks about a figure of the policy (起付线, 封顶, 比例 …)."""
    return bool(_NONE_WORDS_RE.search(text, _clause_start(text, start), start))


# 一年给涨多少, 一个月划多少: "per year / per month", a rate asked about, not a duration.
_PER_PERIOD_RE = re.compile(r"(?:能|给|可以|会|能给|大概|最多|就)?"
                            r"(?:(?:涨|加|提高|提|划入|划|打|进|返|给)[^,，。!?！？\s]{0,4}?(?:多少|几)|有多少)")
# 3个月内, 两年以内, 一年之内: a time window (of a rule), not a number of years the resident has.
_WITHIN_RE = re.compile(r"(?:以内|之内|内)")
# 一次性交了四年的, 一口气把三年的都交了: years paid ahead in one go, not years insured.
_LUMP_SUM_RE = re.compile(r"(?:一次性|1次性|1次|一口气)(?:把|就|都)?[^,，。!?！？0-9]{0,8}$")
# 花了13000多 不对 是13200: a number said right after a correction replaces the one before it.
_CORRECTION_RE = re.compile(r"(?:(?<!对)不对|说错了|说错|打错了|打错|错了|口误|更正一下|更正|纠正一下|纠正)")
_CORRECTION_TAIL_RE = re.compile(r"[\s,，]*(?:应该|其实|实际)?(?:是|为)?\s*$")


def _corrected(text: str, lo: int, hi: int, tail: bool) -> bool:
    """A correction word between lo and hi (tail: and nothing but 是/应该是 after it)."""
    m = None
    for m in _CORRECTION_RE.finditer(text, lo, hi):
        pass
    return m is not None and (not tail or bool(_CORRECTION_TAIL_RE.fullmatch(text, m.end(), hi)))


def _corrected_cue(text: str, q: Quantity, floor: int) -> str | None:
    """The slot named right before a correction that q follows: 缴费基数写错了 应该是6200."""
    m = None
    for m in _CORRECTION_RE.finditer(text, max(floor, q.start - 12), q.start):
        pass
    if m is None or not _CORRECTION_TAIL_RE.fullmatch(text, m.end(), q.start):
        return None
    named = _before_cue(text, Quantity(q.value, q.kind, m.start(), m.start()), floor, _KINDS)
    return named[0] if named and _STRENGTH[named[0]] >= 2 else None  # a slot's own word


# 2029年呢 / 2030年的: particles after a year said on its own
_TRAILING_PARTICLES_RE = re.compile(r"(?:的|呢|吧|啊|呀|嘛)*")


def _standalone(text: str, q: Quantity) -> bool:
    """The number is a phrase of its own: between spaces, punctuation or the ends of the text
    (particles such as 的/呢 may follow it)."""
    before = text[q.start - 1] if q.start else " "
    particles = _TRAILING_PARTICLES_RE.match(text, q.end)
    end = particles.end() if particles else q.end
    after = text[end] if end < len(text) else " "
    return before in _AFTER_STOP and after in _AFTER_STOP


# 是2025年参保的, 2024年出台的文件: the year of an event, not the year whose benefits are asked.
_YEAR_OF_EVENT_RE = re.compile(r"(?:的|就|才|底|初|年底|年初)?(?:出生|生|出台|发布|印发|下发|实施|参保|"
                               r"交|缴|续|断|停|退休|办|买|入职|开始|文件|通知|政策文件)")
# 孩子是2025年的: a person's year is a birth year.
_PERSON_IS_RE = re.compile(r"(?:孩子|娃|宝宝|小孩|儿子|女儿|孙子|孙女|闺女|外孙女?|老人|我|他|她|俺)"
                           r"(?:也|都|就)?是$")
# 全省统一是2027年吗, 新政策实施是2026年: the date of a policy event, asked about.
_EVENT_BEFORE_RE = re.compile(r"统一|实施|施行|出台|执行|调整|落地|生效|截止|结束|开始|启动|取消|发布|印发|改革")


def _weak_benefit_year(text: str, q: Quantity, cue_start: int) -> bool:
    """A year after a weak cue (是/问/算) is the benefit year unless it dates an event or a person."""
    return not (_YEAR_OF_EVENT_RE.match(text, q.end)
                or _PERSON_IS_RE.search(text, max(0, cue_start - 4), cue_start + 1)
                or _EVENT_BEFORE_RE.search(text, _clause_start(text, cue_start), cue_start))


_KINDS = {slot: kind for slot, (kind, _s, _w) in BEFORE_CUES.items()}
_KINDS["zero_claim_years"] = "years"   # a pattern cue only (BEFORE_PATTERNS)
_STRENGTH = {slot: strength for slot, (_k, strength, _w) in BEFORE_CUES.items()}
_STRENGTH["zero_claim_years"] = 2


def fill_quantities(text: str) -> list[Filled]:
    """Every number that fills a slot, in text order."""
    filled: list[Filled] = []
    floor = 0
    for q in find_quantities(text):
        if q.kind is None:
            floor = q.end
            continue
        before = _before_cue(text, q, floor, _KINDS)
        after = _after_cue(text, q)
        strong = bool(before) and _STRENGTH[before[0]] >= 2
        corrects = False
        slot: str | None
        if q.kind == "years" and q.value in (1, Decimal("0.08")) and _PER_PERIOD_RE.match(text, q.end):
            slot = None  # 一年给涨多少, 一个月划多少
        elif q.kind == "years" and _WITHIN_RE.match(text, q.end):
            slot = None  # 出生3个月内参保: a time limit of the policy, not the resident's years
        elif (q.kind == "years" and (not strong or before[0] == "years_insured")
              and _LUMP_SUM_RE.search(text, max(0, q.start - 14), q.start)):
            slot = None  # 一次性交了四年的
        elif (not strong and after is None and filled and filled[-1].value != q.value
              and _KINDS.get(filled[-1].slot) == q.kind
              and _corrected(text, max(floor, q.start - 12), q.start, tail=True)):
            slot, corrects = filled[-1].slot, True
        elif not strong and after is None and (named := _corrected_cue(text, q, floor)):
            slot, corrects = named, True  # 缴费基数写错了 应该是6200
        elif q.kind == "calendar" and not before and not after and _standalone(text, q):
            slot = "benefit_year"  # 威海 2029年 原来封顶…: the year asked about
        elif before and _STRENGTH[before[0]] >= 3:
            slot = before[0]
        elif before and _STRENGTH[before[0]] >= 2 and after not in ("zero_claim_years", "none"):
            slot = before[0]
        elif after:
            slot = after
        elif before:
            slot = before[0]
        elif q.kind == "money" and q.value >= MIN_BARE_AMOUNT and not _policy_figure_clause(text, q.start):
            slot = "expense"  # a bare amount is what was spent
        else:
            slot = None
        if slot == "years_insured_weak":
            slot = "years_insured"
        if slot == "benefit_year_weak":
            slot = "benefit_year" if _weak_benefit_year(text, q, before[1]) else None
        if slot == "none":
            slot = None
        if slot == "benefit_year" and q.value < 2025:
            slot = None
        if slot and not corrects and filled and any(f.slot == slot for f in filled):
            corrects = _corrected(text, floor, q.start, tail=False)  # 补缴两年 不对 补缴三年
        if slot:
            filled.append(Filled(slot=slot, value=q.value, start=q.start, end=q.end, corrects=corrects))
        floor = q.end
    return filled
