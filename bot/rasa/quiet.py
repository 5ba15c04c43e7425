"""Rasa, TensorFlow and jieba kept quiet in the processes that run the assistant in bulk (the
hotline batch, its workers, the evaluation): warnings and errors only, on stderr."""
from __future__ import annotations

import logging
import os
import sys


def quiet_environment() -> None:
    """Before Rasa (and TensorFlow) are imported: no telemetry, no TensorFlow info lines."""
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def quiet_rasa() -> None:
    """Warnings and errors only, on stderr (Rasa's structlog prints debug lines otherwise)."""
    quiet_environment()
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    # Imported after quiet_environment(): TensorFlow reads TF_CPP_MIN_LOG_LEVEL when it loads,
    # and jieba's import sets its own logger to DEBUG.
    import jieba
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    jieba.setLogLevel(logging.WARNING)
    before = os.environ.get("LOG_LEVEL")
    configure_logging_and_warnings(logging.WARNING)   # also writes LOG_LEVEL into os.environ
    configure_structlog(logging.WARNING)
    # Keep this process's quietness to itself: child processes (rasa CLIs, servers) log as usual.
    if before is None:
        os.environ.pop("LOG_LEVEL", None)
    else:
        os.environ["LOG_LEVEL"] = before
