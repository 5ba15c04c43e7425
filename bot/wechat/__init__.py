"""WeChat: the Official Account channel (bot.wechat.channel) and the WeCom self-built app channel
(bot.wechat.wecom), on one core: the settings, the plain-text rendering of replies, the ledger
that runs each message once, the customer-service API client and the desk that answers within
WeChat's five seconds."""
