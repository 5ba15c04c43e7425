"""Custom actions of 医保助手 (rasa_sdk). Thin: slots → bot.policy → reply.

Modules: `inputs` (slots → engine Inputs, which slots each calculation needs), `topics`
(which calculation a message asks for), `answer` (route + answer actions), `forms`
(one FormValidationAction per calculation), `support` (FAQ, fallback, hand-off). 「重新开始」 is Rasa's default
`action_restart` (intent `restart`), which clears every slot and the open form.
"""
