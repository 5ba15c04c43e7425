"""Clean-up of spoken / ASR text: fillers, stutter repeats, insurance homophones and dialect
negations (木有, 冇 → 没有).

Works on simplified, half-width text, before numerals are converted.
"""
from __future__ import annotations

import re

# Fillers that never carry meaning. 额 only when it is not 额度/额外; 那个/这个 only when
# followed by another filler, a pause or a pronoun (so 这个月 and 那个医院 survive).
_FILLER_RE = re.compile(
    r"(?=[嗯呃唔额啊哦噢诶欸哎唉咳呐怎就你我然那这])(?:"  # cheap first-character test
    r"嗯+|呃+|唔+|(?:(?<=^)|(?<=[\s,，.。!?！？、]))额+(?![度外头])|啊+|哦+|噢+|诶+|欸+|哎呀|哎+|唉+|咳+|呐"
    r"|怎么说呢|就是说|你知道吧|我跟你说|然后呢|然后"
    r"|(?:那个|这个)(?=[\s,，.。!?！？、]|$|那个|这个|就是|嗯|呃|我|你|他|她|我们|就)"
    r"|(?:(?<=^)|(?<=[\s,，.。!?！？、]))就是(?=[\s,，.。!?！？、]|$|那个|这个|我|我们))"
)
_PUNCT_RUN_RE = re.compile(r"([,，.。!?！？、\s])[,，.。!?！？、\s]*")
_LEADING_PUNCT_RE = re.compile(r"^[,，.。!?！？、\s]+")

# Real words made of a doubled character (never collapsed).
REDUPLICATED_WORDS: frozenset[str] = frozenset(
    "谢谢 常常 刚刚 看看 问问 试试 想想 等等 说说 听听 查查 算算 聊聊 帮帮 走走 歇歇 好好 慢慢 渐渐 "
    "仅仅 偏偏 往往 明明 稍稍 悄悄 默默 纷纷 轻轻 早早 多多 妈妈 爸爸 哥哥 姐姐 弟弟 妹妹 爷爷 奶奶 "
    "姥姥 宝宝 娃娃 叔叔 婶婶 舅舅 伯伯 婆婆 公公 太太 星星 乖乖 哈哈 呵呵 嘿嘿 嘻嘻 拜拜 平平 白白 "
    "区区 统统 通通 匆匆 淡淡 快快 高高 大大 小小 长长 远远 满满 重重 层层 步步 连连 频频 屡屡 久久 "
    "天天 年年 月月 个个 人人 家家 次次 回回 样样 处处 万万 堂堂 滔滔 哗哗 时时 刻刻 事事 点点 "
    "些些 俩俩 两两 一一 三三 五五 六六 八八 九九 看看 猩猩 蛐蛐 姑姑 爹爹 嫂嫂 舅舅 "
    "莹莹 丽丽 芳芳 婷婷 静静 晶晶 冰冰 亮亮 明明 欢欢 乐乐 洋洋 毛毛 豆豆 贝贝 甜甜".split()
)
_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千万亿幺")
# A character said twice is only a stutter for these (我我想问, 就就是); elsewhere a doubled
# character is usually two words meeting (在职职工, 医保保费), so only runs of three collapse.
_STUTTER_DOUBLES = frozenset("我你他她它就是那这想要能会问说在有也都还报交缴断医住门")
_CHAR_REPEAT_RE = re.compile(r"([\u4e00-\u9fff])\1+")
_PAIR_REPEAT_RE = re.compile(r"([\u4e00-\u9fff]{2})\1+")
# A whole word said again after a pause, as the start of the next word: 集中 集中缴费期, 还 还能报,
# 五保 五保户. The first copy must be a word of its own (after a pause or the start).
_SPACED_REPEAT_RE = re.compile(r"(?:(?<=^)|(?<=[\s,，、]))([\u4e00-\u9fff]{1,6}) (?=\1)")
# A figure said on its own and, after a pause, said again more precisely: the speaker's
# self-repair or a stutter (一万 一万二 → 一万二, 十 十万 → 十万, 两 两年 → 两年). The first copy is
# a numeral alone (after a pause, the start, or one of FIGURE_REPAIR_AFTER: 花了一万 一万二), the
# second starts with it and adds numerals or a unit of years (FIGURE_REPAIR_UNITS). Not in a list
# of figures (五千 一万 一万二, 一万 一万二 一万五), and never across 到/至 or another word
# (一万到一万二 is a range, 两年 两年前 and 一万 一万以上 are two figures).
FIGURE_REPAIR_AFTER = "了是"
FIGURE_REPAIR_UNITS = ("年", "个月", "个半月")
_NUMERAL_CLASS = "".join(sorted(_NUMERAL_CHARS))  # for character classes
_FIGURE_REPAIR_RE = re.compile(
    rf"(?:(?<=^)|(?<=[\s,，、{FIGURE_REPAIR_AFTER}]))([{_NUMERAL_CLASS}]+)(?: \1)* "
    rf"(?=\1(?:[{_NUMERAL_CLASS}]|{'|'.join(FIGURE_REPAIR_UNITS)}))")
_FIGURE_TOKEN_RE = re.compile(rf"[{_NUMERAL_CLASS}0-9.]+(?:元|块钱|块)?")

# Homophones and ASR confusions seen in insurance calls (simplified text). Ordered: longer first.
HOMOPHONES: tuple[tuple[str, str], ...] = (
    ("断报", "断保"), ("段保", "断保"), ("短保", "断保"), ("断宝", "断保"), ("断交", "断缴"),
    ("医宝", "医保"), ("衣保", "医保"), ("依保", "医保"), ("以保", "医保"), ("医疗宝", "医保"),
    ("抱销", "报销"), ("包销", "报销"), ("报消", "报销"), ("保销", "报销"), ("暴销", "报销"),
    ("大兵", "大病"), ("打病", "大病"), ("低宝", "低保"), ("地保", "低保"), ("滴保", "低保"),
    # 底保 only in these words: 兜底保障 must survive
    ("底保边缘", "低保边缘"), ("底保户", "低保户"), ("底保家庭", "低保家庭"), ("吃底保", "吃低保"),
    ("特捆", "特困"), ("特昆", "特困"), ("五宝", "五保"), ("参宝", "参保"), ("餐保", "参保"),
    ("缴废", "缴费"), ("交废", "缴费"), ("住源", "住院"), ("注院", "住院"), ("门真", "门诊"), ("门珍", "门诊"), ("门胗", "门诊"),
    ("门枕", "门诊"), ("封定", "封顶"), ("风顶", "封顶"), ("起服线", "起付线"), ("起伏线", "起付线"),
    ("起付限", "起付线"), ("职功", "职工"), ("灵话就业", "灵活就业"), ("零活就业", "灵活就业"),
    ("新农和", "新农合"), ("医疗就助", "医疗救助"), ("就助对象", "救助对象"), ("再就助", "再救助"),
    ("三假医院", "三甲医院"), ("三家医院看", "三甲医院看"), ("补交", "补缴"), ("待遇等带期", "待遇等待期"),
    ("等带期", "等待期"), ("退修", "退休"), ("监侧对象", "监测对象"), ("反贫", "返贫"), ("返频", "返贫"),
    ("停交", "停缴"),
)
_HOMOPHONE_RE = re.compile("|".join(re.escape(a) for a, _ in HOMOPHONES))
_HOMOPHONE_MAP = dict(HOMOPHONES)
# 一保 → 医保 unless the 一 is a numeral (第一保, 三万一保…) — rare, so only after non-numerals.
_YIBAO_RE = re.compile(r"(?<![零〇一二两三四五六七八九十百千万第0-9])一保(?!险)")

# Dialect words for 没有 ("have not"): 木有, 莫有, 冇 (冇得), 没得. 木有 only after a pause or a
# pronoun/adverb (神木有, 格尔木有 are places followed by 有); 没得 not in idioms (没得说, 没得治).
_DIALECT_NEGATION_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s,，。.!?！？、我你他她俺咱都也还就又可并]))木有"
    r"|莫有|冇得|冇有|冇"
    r"|没得(?![说治比挑选救商])"
)


def remove_fillers(text: str) -> str:
    for _ in range(3):  # 嗯那个就是 …: removing one filler can expose the next
        shorter = _FILLER_RE.sub("", text)
        if shorter == text:
            break
        text = shorter
    text = _PUNCT_RUN_RE.sub(r"\1", text)
    return _LEADING_PUNCT_RE.sub("", text)


def _collapse_char(match: re.Match[str]) -> str:
    run, ch = match.group(0), match.group(1)
    if ch in _NUMERAL_CHARS:
        return run
    pair = ch + ch
    if pair in REDUPLICATED_WORDS:
        return pair
    if len(run) >= 3:
        return ch
    if ch not in _STUTTER_DOUBLES:
        return run
    # AABB words (断断续续, 清清楚楚): a doubled character right before or after another double.
    text, start, end = match.string, match.start(), match.end()
    if end + 1 < len(text) and text[end] == text[end + 1] and text[end] != ch:
        return run
    if start >= 2 and text[start - 1] == text[start - 2] and text[start - 1] != ch:
        return run
    return ch


def _drop_spaced_repeat(match: re.Match[str]) -> str:
    word = match.group(1)
    return match.group(0) if _NUMERAL_CHARS & set(word) else ""  # 两年 两年前: two figures


def _in_figure_list(text: str, start: int, end: int) -> bool:
    """The figures from start to end have another figure right before or after them (a pause
    between): 五千 一万 一万二, 一万 一万二 一万五 are lists, not a repair."""
    before = text[:start].rstrip(" ").rsplit(" ", 1)[-1] if text[start - 1:start] == " " else ""
    after = text[end:].split(" ", 2)
    after_token = after[1] if len(after) > 1 else ""
    return any(_FIGURE_TOKEN_RE.fullmatch(t) for t in (before, after_token) if t)


def _drop_repaired_figure(match: re.Match[str]) -> str:
    text, first = match.string, match.group(1)
    second_end = match.end() + len(first)
    while second_end < len(text) and text[second_end] in _NUMERAL_CLASS:
        second_end += 1
    return match.group(0) if _in_figure_list(text, match.start(), second_end) else ""


def remove_stutter(text: str) -> str:
    """我我我想问 → 我想问, 医保医保 → 医保, 集中 集中缴费期 → 集中缴费期, 一万 一万二 → 一万二;
    keeps 谢谢, 常常, 断断续续 and separate numbers."""
    text = _SPACED_REPEAT_RE.sub(_drop_spaced_repeat, text)
    text = _FIGURE_REPAIR_RE.sub(_drop_repaired_figure, text)
    text = _PAIR_REPEAT_RE.sub(
        lambda m: m.group(0) if set(m.group(1)) <= _NUMERAL_CHARS else m.group(1), text)
    return _CHAR_REPEAT_RE.sub(_collapse_char, text)


def fix_homophones(text: str) -> str:
    text = _HOMOPHONE_RE.sub(lambda m: _HOMOPHONE_MAP[m.group(0)], text)
    text = _YIBAO_RE.sub("医保", text)
    return _DIALECT_NEGATION_RE.sub("没有", text)
