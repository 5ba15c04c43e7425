"""`make eval`: what the whole assistant does with how residents really ask (tests/eval/)."""
