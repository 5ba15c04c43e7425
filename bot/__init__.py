"""医保助手 (yibao-assistant): policy engine, Chinese understanding, channels and CLIs."""
