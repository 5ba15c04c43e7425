"""Command-line parsing in Chinese: argparse's error messages translated, with where to find help."""
from __future__ import annotations

import argparse


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        translated = message
        # Longest phrases first: «unrecognized arguments» must not become «unrecognized 参数s».
        for english, chinese in (("the following arguments are required", "缺少必需的参数"),
                                 ("unrecognized arguments", "无法识别的参数"),
                                 ("expected one argument", "需要一个值"),
                                 ("invalid choice", "无效的选项"), ("choose from", "可选"),
                                 ("argument", "参数")):
            translated = translated.replace(english, chinese)
        self.exit(2, f"错误:{translated}\n用法见:{self.prog} --help\n")
