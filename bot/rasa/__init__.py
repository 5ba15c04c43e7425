"""Everything that touches Rasa's internals: NLU components, the tracker store, the server's
start-up, the in-process action endpoint, and the overrides (fixes/, turn_guards.py), all installed
by one explicit call, bot.rasa.overrides.install(). Nothing here patches Rasa on import."""
