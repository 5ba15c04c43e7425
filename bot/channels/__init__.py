"""Public channels of 医保助手 (the chat widget, the REST API) and what they serve."""
