"""Rasa's own command line, with the project's Rasa fixes installed first (bot.rasa_fixes):

    python -m bot.rasa_cli train --config config.yml …
    python -m bot.rasa_cli shell --model models/yibao.tar.gz

bot.run uses it for training and `rasa shell`, so they run the same code as the server.
"""
from __future__ import annotations

import sys

from bot import rasa_fixes


def main() -> None:
    rasa_fixes.install()
    from rasa.__main__ import main as rasa_main     # after the fixes: Rasa loads its modules here
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
