"""Custom actions of 医保助手 (rasa_sdk). Thin: the tracker → bot.dialogue → events and replies.

Modules: `decide` (the tracker as the decision's Reading and State, and a decision's reply),
`answer` (route + answer actions), `forms` (one FormValidationAction per calculation of
bot.dialogue.catalogue), `support` (FAQ, fallback, hand-off, and `action_restart`: 「重新开始」 clears every slot and the open
form as Rasa's default does; «再说一遍», which the NLU also reads as restart, repeats the last
answer).
"""

# Fail fast: the action server loads and validates every rules file when it imports this package
# (rasa_sdk does so before it listens), so a broken file stops it with a RuleFileError naming the
# file and the key, instead of a server that fails on the first calculation or runs with half the
# rules. The directory is rules/, or $YIBAO_RULES_DIR (bot.policy.rules.load_rulebook).
from bot.policy import load_rulebook as _load_rulebook  # noqa: E402

_load_rulebook()
