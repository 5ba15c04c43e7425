"""Write the jieba user dictionary (bot/nlp/jieba_dict/userdict.txt) from the extractor's vocabulary.

The file is committed; `python -m bot.nlp.userdict` regenerates it and a test checks it is current.
Rasa's JiebaTokenizer reads the same directory (config.yml: dictionary_path: bot/nlp/jieba_dict).
"""
from __future__ import annotations

import sys
from pathlib import Path

from bot.nlp.patterns import HOSPITAL_WORDS, LEXICON
from bot.nlp.quantities import AFTER_CUES, BEFORE_CUES

USERDICT = Path(__file__).with_name("jieba_dict") / "userdict.txt"
FREQ = 100_000  # high enough that jieba keeps every term as one token

EXTRA_TERMS = ("医保 报销 断保 断缴 参保 补缴 缴费 封顶 封顶线 起付线 等待期 待遇等待期 集中缴费期 "
               "大病保险 医保卡 个人账户 统筹 政策范围内 自付 零报销 医疗救助 门诊共济 省级统筹 "
               "缴费基数 最高支付限额 报销比例 异地就医 定点医院 医保局 经办机构").split()


def terms() -> list[str]:
    words: set[str] = set(LEXICON) | set(HOSPITAL_WORDS) | set(EXTRA_TERMS)
    for _slot, (_kind, _strength, cue_words) in BEFORE_CUES.items():
        words.update(w for w in cue_words.split() if len(w) >= 2)
    for _slot, (_kind, cue_words) in AFTER_CUES.items():
        words.update(w for w in cue_words.split() if len(w) >= 2 and not w[0].isdigit())
    # no spaces (jieba's format is "word freq tag"), no single characters
    return sorted(w for w in words if len(w) >= 2 and " " not in w and "(" not in w)


def render() -> str:
    return "".join(f"{w} {FREQ} n\n" for w in terms())


def main() -> int:
    USERDICT.parent.mkdir(parents=True, exist_ok=True)
    USERDICT.write_text(render(), encoding="utf-8")
    print(f"wrote {USERDICT} ({len(terms())} terms)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
