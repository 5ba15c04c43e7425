"""Small, behaviour-preserving speed fixes to Rasa 3.6.21 internals, one module each.

Installed together by bot.rasa.overrides.install(), never on import; see there for the switch and
the version check.
"""
