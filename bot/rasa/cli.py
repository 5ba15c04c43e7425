"""Rasa's own command line, with the project's overrides installed first (bot.rasa.overrides):

    python -m bot.rasa.cli train --config config.yml …
    python -m bot.rasa.cli shell --model models/yibao.tar.gz

bot.run uses it for training and `rasa shell`, so they run the same code as the server.
"""
from __future__ import annotations

import sys

from bot.rasa import overrides


def main() -> None:
    overrides.install()
    # Imported after install(): Rasa's CLI loads its modules here, and a module that imports a
    # replaced function by name must bind the replacement, not the original.
    from rasa.__main__ import main as rasa_main
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
