"""`python -m bot check`: scripted dialogues, the answers' real figures, the --html page."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.dialogue.short_answers import UNREADABLE_NUMBER_REPLY
from bot.selfcheck.terminal import GOODBYE, Console, main, run
from bot.selfcheck.answers import (QUESTIONS, BadAnswer, find_region, parse_amount,
                                            parse_choice)
from bot.selfcheck.printable import Fact, Report, render_html
from bot.cli import main as cli_main
from bot.policy import CALCULATORS, CapInputs, InpatientInputs, WaitingInputs, load_rulebook
from bot.policy.model import fmt_money

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CTRL_C = object()          # a scripted answer that presses Ctrl-C
RESULT_MARK = "—— 查询结果 ——"


@dataclass
class Script:
    """A resident who gives these answers in turn, then closes the input (EOF)."""

    answers: list
    lines: list[str] = field(default_factory=list)

    def ask(self, prompt: str) -> str:
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        if answer is CTRL_C:
            raise KeyboardInterrupt
        self.lines.append(f"{prompt}{answer}")
        return answer

    def say(self, text: str) -> None:
        self.lines.extend(text.split("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def questions(self) -> list[str]:
        """The questions asked, in order, each once (a re-ask repeats the same line)."""
        asked = [line.split(" · ", 1)[1] for line in self.lines if line.startswith("第 ") and " · " in line]
        return list(dict.fromkeys(asked))

    def answer(self) -> str:
        """The answer text printed after the dialogue (without the saved-page line)."""
        after = self.text.split(RESULT_MARK + "\n", 1)[1]
        return "\n".join(line for line in after.split("\n") if not line.startswith("可打印的结果页"))


def dialogue(answers: list, html: Path | None = None) -> tuple[int, Script]:
    script = Script(list(answers))
    code = run(Console(ask=script.ask, say=script.say), html)
    return code, script


def calc_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert cli_main(["calc", *argv]) == 0
    return capsys.readouterr().out.rstrip("\n")


# ---- full dialogues: the real figures, the same text as `python -m bot calc` -------------

def test_yining_two_year_gap_is_four_months(capsys: pytest.CaptureFixture[str]) -> None:
    code, s = dialogue(["伊宁", "1", "两年"])
    assert code == 0
    assert s.answer().startswith("待遇等待期:4 个月。")
    assert s.answer() == calc_text(capsys, "waiting", "--region", "伊宁", "--gap-years", "2")
    assert s.questions() == ["您在哪里参保?请输入省、市或县的名称(例如:伊宁、龙口、平遥、南昌)。",
                             "您想了解什么?请输入序号:",
                             "这次参保前,您连续断保了几年?(没有断保就说「没有断保」)(例如:两年、1.5、0)"]
    # 新疆's document is a draft: said when the region is chosen and again under the answer
    assert "注意:我们掌握的新疆文件是征求意见稿(草案),正式文件可能不同。" in s.lines
    assert "提示:该文件为征求意见稿;以当地医保经办机构核定为准,可拨打 12393 咨询。" in s.lines


def test_pingyao_county_hospital_20000(capsys: pytest.CaptureFixture[str]) -> None:
    # 山西 has one calculation: no menu; the hospital in the resident's words, the amount as 2万
    code, s = dialogue(["平遥", "县医院", "2万"])
    assert code == 0
    assert s.answer().startswith("居民医保住院报销:14,700 元。")
    assert s.answer() == calc_text(capsys, "inpatient", "--region", "平遥", "--price-class", "2-county",
                                   "--expense", "20000")
    assert s.questions() == ["您在哪里参保?请输入省、市或县的名称(例如:伊宁、龙口、平遥、南昌)。",
                             "您住的医院属于哪个收费价格类别?(括号里是常见对应,仅供参考,以医院公示为准)",
                             "这次住院的政策范围内费用是多少元?(例如:20000、3.5万、一万二)"]
    assert "断保" not in s.text and "连续参保" not in s.text and "人员类别" not in s.text
    assert "提示:以当地医保经办机构核定为准,可拨打 12393 咨询。" in s.lines
    assert "征求意见稿" not in s.text


def test_yantai_dibao_whole_chain(capsys: pytest.CaptureFixture[str]) -> None:
    code, s = dialogue(["我在龙口市", "6", "居民医保", "2", "5万"])
    assert code == 0
    assert s.answer().startswith("个人最后还需负担:4,410 元。")
    assert "  · 医疗救助:17,640 元" in s.lines
    assert s.answer() == calc_text(capsys, "chain", "--region", "烟台", "--group", "dibao",
                                   "--burden", "50000")
    assert s.questions()[2:] == ["您参加的是居民医保还是职工医保?", "您属于下面哪类人员?",
                                 "基本医保报销后,今年政策范围内您自己负担了多少元?(例如:50000、5万)"]
    assert "依据:烟台《烟台市健全重特大疾病医疗保险和救助制度实施方案》三、(四)1" in s.answer()


def test_nanchang_outpatient_retired_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, s = dialogue(["南昌", "门诊", "三级", "退休了", "一万二"])
    assert code == 0
    assert s.answer() == calc_text(capsys, "outpatient", "--region", "南昌", "--level", "3",
                                   "--retired", "--expense", "12000")
    assert s.answer().startswith("职工普通门诊统筹报销:")
    assert [q.split("?")[0] for q in s.questions()[2:]] == [
        "您看病的是几级医院", "您是在职职工还是退休人员", "今年在门诊花的政策范围内费用一共多少元"]


def test_no_gap_asks_about_the_concentrated_period(capsys: pytest.CaptureFixture[str]) -> None:
    code, s = dialogue(["济南", "1", "没有断过", "不是"])
    assert code == 0
    assert s.questions()[-1] == "您是在集中缴费期内交的费吗?"
    assert s.answer() == calc_text(capsys, "waiting", "--region", "济南")
    code, s = dialogue(["济南", "1", "0", "是的"])
    assert s.answer().startswith("待遇等待期:0 个月。")


# ---- the menu: only what the region has ---------------------------------------------------

@pytest.mark.parametrize("place, entries", [
    ("伊宁", ["待遇等待期", "最高支付限额"]),
    ("济南", ["待遇等待期", "最高支付限额"]),
    ("烟台", ["待遇等待期", "最高支付限额", "大病保险能补偿", "特殊药品", "医疗救助和再救助", "全流程"]),
    ("南昌", ["普通门诊统筹", "个人账户"]),
])
def test_menu_lists_only_the_calculations_of_the_region(place: str, entries: list[str]) -> None:
    code, s = dialogue([place])
    assert code == 1                                   # input ended at the menu
    menu = [line for line in s.lines if line.startswith("  ") and ". " in line]
    assert len(menu) == len(entries)
    for line, entry in zip(menu, entries):
        assert entry in line


def test_shanxi_has_no_menu_and_never_asks_for_gap_years() -> None:
    code, s = dialogue(["太原", "1", "8000"])
    assert code == 0
    assert "在山西省太原市,我们可以帮您算:住院能报销多少(居民医保住院)。" in s.lines
    assert len(s.questions()) == 3
    assert s.answer().startswith("居民医保住院报销:")


# ---- bad answers are refused politely and asked again -------------------------------------

def test_bad_answers_are_asked_again() -> None:
    answers = ["", "<script>alert(1)</script>", "北京", "伊宁",
               "9", "abc", "1",
               "", "很久", "-2", "200", "两年"]
    code, s = dialogue(answers)
    assert code == 0
    text = s.text
    assert text.count("您在哪里参保?") == 4
    assert "抱歉,没有找到这个地名。" in text
    assert "抱歉,北京市不在我们掌握的文件范围内。我们目前只能回答山东省" in text
    assert "抱歉,请输入 1 到 2 之间的序号。" in text
    assert "抱歉,没有看懂您的选择,请输入序号(1 到 2)。" in text
    assert text.count("抱歉,您还没有输入内容。") == 2
    assert "抱歉,没有看懂,请用数字回答,例如:两年、1.5、0。" in text
    assert "抱歉,断保年数不能是负数,请核对后重新输入。" in text
    assert "抱歉,断保年数200 年不合常理(最多 80 年),请核对后重新输入。" in text
    assert text.count("这次参保前,您连续断保了几年?") == 5
    assert s.answer().startswith("待遇等待期:4 个月。")


def test_absurd_amount_and_unreadable_number_are_refused() -> None:
    code, s = dialogue(["平遥", "1", "2亿", "1e9", "一点五万", "3万 5万", "3.5万"])
    assert code == 0
    assert "抱歉,住院政策范围内费用200,000,000 元超出了合理范围(1 亿元以内),请核对后重新输入。" in s.text
    assert "抱歉,请只回答一个数,例如:20000、3.5万、一万二。" in s.text
    assert UNREADABLE_NUMBER_REPLY in s.text                  # 1e9: never read as 1 and 9
    assert "抱歉,这个数没有看懂,请直接写数字,例如:20000、3.5万、一万二。" in s.text   # 一点五万
    assert s.text.count("这次住院的政策范围内费用是多少元?") == 5
    # 三类 hospital, 35000 yuan: the same as the engine
    expected = CALCULATORS["inpatient"](load_rulebook(), InpatientInputs(
        region="平遥", price_class="3", expense=Decimal(35000)))
    assert s.answer().startswith(f"居民医保住院报销:{expected.value:,.0f} 元。")


@pytest.mark.parametrize("slot, said, value", [
    ("gap_years", "两年", 2), ("gap_years", "两年半", Decimal("2.5")), ("gap_years", "六个月", Decimal("0.5")),
    ("gap_years", "一直没断", 0), ("gap_years", "断了3年", 3),
    ("expense", "3.5万", 35000), ("expense", "一万二", 12000), ("expense", "12,000元", 12000),
    ("burden", "五万块钱", 50000), ("contribution_base", "六千", 6000),
    ("years_insured", "三年", 3), ("zero_claim_years", "没有", 0),
])
def test_numbers_in_the_residents_words(slot: str, said: str, value: Decimal | int) -> None:
    assert parse_amount(QUESTIONS[slot], said) == Decimal(value)


@pytest.mark.parametrize("slot, said", [
    ("years_insured", "2.5"), ("expense", "很多"), ("expense", "-100"), ("gap_years", "1和2"),
])
def test_numbers_refused(slot: str, said: str) -> None:
    with pytest.raises(BadAnswer):
        parse_amount(QUESTIONS[slot], said)


@pytest.mark.parametrize("slot, said, value", [
    ("group", "低保户", "dibao"), ("group", "低保边缘", "dibao-edge"), ("group", "五保", "tekun"),
    ("group", "因病致贫", "illness-poverty"), ("group", "都不是", "none"), ("group", "7", "none"),
    ("in_period", "不在", False), ("in_period", "是的,没错", True), ("in_period", "第1个", True),
    ("retired", "还没退休", False), ("insured_type", "单位交的职工医保", "employee"),
    ("price_class", "乡镇卫生院", "3"), ("hospital_level", "三甲医院", 3),
])
def test_choices_in_the_residents_words(slot: str, said: str, value: object) -> None:
    assert parse_choice(QUESTIONS[slot], said, "山西省平遥县") == value


@pytest.mark.parametrize("said, which", [("二类", "第 2、3 项"), ("二類", "第 2、3 项")])
def test_part_of_several_choices_names_them(said: str, which: str) -> None:
    with pytest.raises(BadAnswer, match=which):
        parse_choice(QUESTIONS["price_class"], said, "山西省平遥县")


def test_an_unknown_choice_asks_for_a_number() -> None:
    with pytest.raises(BadAnswer, match="1 到 4"):
        parse_choice(QUESTIONS["price_class"], "不清楚", "山西省平遥县")


def test_region_in_a_sentence_or_traditional_characters() -> None:
    assert find_region("我在龍口").rule_set == "yantai"
    assert find_region("我是伊宁的").name == "伊宁市"
    assert find_region("火星") is None


# ---- leaving ------------------------------------------------------------------------------

def test_end_of_input_says_goodbye_with_code_1() -> None:
    code, s = dialogue(["伊宁", "1"])
    assert code == 1
    assert s.lines[-1] == GOODBYE
    assert RESULT_MARK not in s.text


def test_ctrl_c_says_goodbye_with_code_130() -> None:
    code, s = dialogue(["烟台", CTRL_C])
    assert code == 130
    assert s.lines[-1] == GOODBYE


def test_quit_word_ends_with_code_0() -> None:
    code, s = dialogue(["平遥", "退出"])
    assert code == 0
    assert s.lines[-1] == GOODBYE
    assert RESULT_MARK not in s.text


def _bot(args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


def test_subprocess_with_piped_stdin() -> None:
    done = _bot(["check"], "伊宁\n1\n两年\n")
    assert done.returncode == 0, done.stderr
    assert "待遇等待期:4 个月。" in done.stdout
    assert "Traceback" not in done.stderr
    ended = _bot(["check"], "伊宁\n")
    assert ended.returncode == 1
    assert GOODBYE in ended.stdout
    assert "Traceback" not in ended.stderr


def test_bad_options_exit_2_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--bogus"])
    assert stopped.value.code == 2
    assert "错误:无法识别的参数: --bogus" in capsys.readouterr().err
    assert main(["--html", "/nonexistent-dir/result.html"]) == 2
    assert "错误:目录 /nonexistent-dir 不存在,无法保存结果页。" in capsys.readouterr().err


# ---- the printable page ------------------------------------------------------------------

class Page(HTMLParser):
    """Texts of the page by element id and class, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.stack: list[tuple[str, str]] = []
        self.texts: dict[str, list[str]] = {}
        self.attrs_seen: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs_seen.extend(attrs)
        a = dict(attrs)
        key = a.get("id") or a.get("class") or ""
        self.stack.append((tag, key))
        if key:
            self.texts.setdefault(key, []).append("")

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _tag, key in self.stack:
            if key:
                self.texts[key][-1] += data

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs_seen.extend(attrs)


def parse_page(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_html_page_of_the_whole_chain(tmp_path: Path) -> None:
    out = tmp_path / "result.html"
    code, s = dialogue(["<script>alert(1)</script>", "烟台", "6", "1", "低保", "50000"], out)
    assert code == 0
    assert f"可打印的结果页已保存:{out}" in s.lines
    text = out.read_text(encoding="utf-8")
    page = parse_page(text)
    assert page.texts["figure"] == ["4,410 元"]
    assert page.texts["label"] == ["个人最后还需负担"]
    assert page.texts["cite"] == ["烟台《烟台市健全重特大疾病医疗保险和救助制度实施方案》三、(四)1;三、(六)1"]
    assert page.texts["question"] == ["大病保险加医疗救助,最后自己还要付多少(全流程)"]
    facts = page.texts["facts"][0]
    for fact in ("地区山东省烟台市", "参保类型居民医保", "人员类别低保对象", "基本医保报销后的个人负担50,000 元"):
        assert fact in facts
    assert f"查询日期:{dt.date.today().isoformat()}" in page.texts["meta"][0]
    assert "以当地医保经办机构核定为准,可拨打 12393 咨询。" in page.texts["office"]
    assert "<title>医保自助查询结果</title>" in text
    assert "@page { size: A4" in text
    # what the resident typed that was not a fact is not on the page; no script, nothing external
    assert "script" not in text and "alert" not in text
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert not any(v and ("http" in v or "//" in v) for _k, v in page.attrs_seen)


def test_html_escapes_everything() -> None:
    result = CALCULATORS["waiting"](load_rulebook(), WaitingInputs(region="伊宁", gap_years=2))
    evil = "<script>alert('x')</script>"
    page_text = render_html(Report(region=evil, question=evil, facts=(Fact(evil, evil),),
                                   result=result, on=dt.date(2026, 1, 5), year=2026))
    assert "<script>" not in page_text
    assert page_text.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") == 4
    page = parse_page(page_text)
    assert "script" not in page.tags
    assert page.texts["figure"] == ["4 个月"]
    assert "本结果依据的是征求意见稿" in page.texts["draft"][0]
    assert page.texts["cite"][0].endswith("(征求意见稿)》二、(五)")


def test_screenshot_of_the_page(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium 不存在:跳过结果页截图测试(apt-get install chromium)")
    # Imported only once Chromium is known to exist: the test is skipped without it.
    from playwright.sync_api import sync_playwright

    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    html = var / "selfcheck.html"
    code, _s = dialogue(["伊宁", "1", "两年"], html)
    assert code == 0
    shot = var / "selfcheck.png"
    longest = tmp_path / "cap.html"
    assert dialogue(["伊宁", "2", "6", "3"], longest)[0] == 0
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 794, "height": 1123})   # A4 at 96 dpi
            page.goto(html.as_uri())
            figure = page.locator("#figure")
            assert figure.is_visible()
            assert figure.inner_text() == "4 个月"
            box = figure.bounding_box()
            assert box is not None and box["y"] + box["height"] < 1123      # on the first screen
            assert page.locator(".draft").is_visible()
            page.screenshot(path=str(shot), full_page=True)
            # the longest page we know (three clauses, a note, a reading) still prints on one A4 sheet
            page.goto(longest.as_uri())
            cap = CALCULATORS["cap"](load_rulebook(), CapInputs(region="伊宁", years_insured=6,
                                                                 zero_claim_years=3))
            assert page.locator("#figure").inner_text() == f"{fmt_money(cap.value)} 元"   # year-dependent
            pdf = page.pdf(format="A4", prefer_css_page_size=True)
            assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
