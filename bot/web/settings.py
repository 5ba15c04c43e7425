"""What a wrong web setting raises: the server refuses to start, saying which one and why.

bot.web.app.build_app reads the settings of the web doors from the environment
(bot.web.embedding: who may frame the chat page; bot.web.operator_access: the operator page's
token); a value it cannot use raises SettingError, and bot.rasa.server prints its Chinese message
and exits with code 2 instead of serving with a setting it did not understand.
"""
from __future__ import annotations


class SettingError(ValueError):
    """A setting from the environment is wrong; the message (Chinese) names it and says how to fix it."""
