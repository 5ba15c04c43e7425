"""Chinese text to search tokens: normalisation, jieba segmentation, safe FTS5 MATCH expressions."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import jieba
from opencc import OpenCC

from .loader import PROJECT_ROOT

# The insurance terms jieba keeps whole; the same file the extractor and Rasa's JiebaTokenizer load
# (bot/nlp/userdict.py writes it); a test checks that the file exists.
USER_DICT = PROJECT_ROOT / "bot" / "nlp" / "jieba_dict" / "userdict.txt"

# Longest query text we segment; anything beyond is ignored (bounded work on hostile input).
MAX_QUERY_CHARS = 500
# Most distinct tokens one MATCH expression may carry.
MAX_QUERY_TOKENS = 32

# Function words and filler that carry no meaning for retrieval.
STOP_TOKENS: frozenset[str] = frozenset(
    """
    的 地 得 了 着 过 吗 嘛 呢 吧 啊 呀 哦 哈 呗 啦 喔 噢 么 嗯 呃 哎 唉 诶
    我 你 您 他 她 它 我们 你们 他们 咱 咱们 俺 俺们 自己 人家
    不 是 在 和 与 及 或 或者 跟 就 都 也 还 又 再 才 这 那 这个 那个 这样 那样 这种 那种 一个 个 些 一些 一下 下
    请问 问 问一下 想 想问 想知道 知道 请 谢谢 麻烦 你好 您好 老师 同志 客服
    能 能不能 可以 可不可以 会 会不会 要 要不要 得 该 应该
    怎么 怎么样 怎样 如何 什么 啥 咋 咋办 怎么办 多少 几 哪 哪里 哪儿 哪个 为什么 为啥 是不是 有没有
    现在 那么 然后 就是 还是 但是 可是 因为 所以 如果 的话 呢 吗
    """.split()
)

_TOKEN_CHAR = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    """Traditional → Simplified converter."""
    return OpenCC("t2s")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), Traditional → Simplified, lower case, collapsed spaces."""
    text = unicodedata.normalize("NFKC", text)
    converter = _t2s()
    if converter is not None:
        text = converter.convert(text)
    return _SPACE.sub(" ", text).strip().lower()


@lru_cache(maxsize=8)
def tokenizer(extra_words: tuple[str, ...] = ()) -> jieba.Tokenizer:
    """A private jieba tokenizer (the global one stays untouched).

    Loads the insurance terms (USER_DICT; a missing file is an error, not a silent fallback),
    then the FAQ keywords as extra words, so that index and query are segmented the same way.
    """
    tk = jieba.Tokenizer()
    tk.load_userdict(str(USER_DICT))
    for word in extra_words:
        word = normalize(word)
        if word and " " not in word:
            tk.add_word(word)
    return tk


def tokens(text: str, tk: jieba.Tokenizer) -> list[str]:
    """Segment text for search: fine-grained jieba tokens, no stop words or punctuation."""
    out: list[str] = []
    for token in tk.cut_for_search(normalize(text)):
        token = token.strip()
        if not token or token in STOP_TOKENS or not _TOKEN_CHAR.search(token):
            continue
        if len(token) == 1 and token.isascii():  # stray letters/digits ("1=1", "a") match noise
            continue
        out.append(token)
    return out


def index_text(parts: Iterable[str], tk: jieba.Tokenizer) -> str:
    """Space-joined tokens for an FTS column."""
    return " ".join(token for part in parts for token in tokens(part, tk))


def match_expression(query: str, tk: jieba.Tokenizer) -> str:
    """An FTS5 MATCH expression that can never be a syntax error.

    Every token becomes a double-quoted string (embedded quotes doubled) and the strings are
    joined with OR, so operators, column filters, prefixes and parentheses in user text are just
    text. Returns "" when nothing searchable is left.
    """
    seen: dict[str, None] = {}
    for token in tokens(query[:MAX_QUERY_CHARS], tk):
        if len(seen) >= MAX_QUERY_TOKENS:
            break
        seen.setdefault(token, None)
    return " OR ".join('"' + token.replace('"', '""') + '"' for token in seen)
