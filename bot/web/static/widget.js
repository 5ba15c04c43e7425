// 医保助手 chat widget. Plain browser JavaScript, no libraries.
// Safety: every text from the resident or the bot is put on the page with textContent /
// createTextNode only (never innerHTML), so markup in a message is shown as the characters typed.
// The conversation id is issued and signed by the server; it is kept in localStorage so that a
// reload continues the conversation (the server sends its history back, masked, with its cards).
// An answer with a figure comes with an answer card (bot/dialogue/card.py), drawn by card.js
// (YibaoCard) with its 朗读 text and its follow-up buttons here; the display modes are
// modes.js's (YibaoModes). Both scripts load before this one.
(function () {
  "use strict";

  const API = "/webhooks/widget";
  const SENDER_KEY = "yibao.sender";
  const TIMEOUT_MS = 30000;
  const BUSY = "系统繁忙,请稍后再试。";
  const NO_REPLY = "暂时没有收到回复,请换个说法,或稍后再试。";
  const WELCOME =
    "您好!我是医保助手,可以帮您算:\n" +
    "1. 断保后再参保要等多久才能报销\n" +
    "2. 大病保险、住院、门诊能报多少\n" +
    "3. 医疗救助、个人账户等\n" +
    "目前覆盖山东、烟台、山西、江西、新疆。请点下面的常见问题,或直接说您的问题。";
  const TEXT = {
    starters: "常见问题",
    followups: "您可能还想问",
    quick: "快捷回复",
    retry: "重试",
    speak: "朗读",
    stop: "停止朗读",
    typing: "正在输入"
  };

  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("input");
  const send = document.getElementById("send");
  const counter = document.getElementById("counter");
  const restart = document.getElementById("restart");
  const handoff = document.getElementById("handoff");

  const state = {
    sender: null, busy: false, starters: [],
    maxChars: input.maxLength > 0 ? input.maxLength : 500
  };

  // -- storage (may be unavailable, e.g. in private windows) ------------------------------------
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); } else { window.localStorage.setItem(key, value); }
    } catch (e) { /* the setting then lasts as long as the page */ }
  }

  // -- building the page (text only ever via textContent) ---------------------------------------
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function button(className, text) {
    const b = element("button", className, text);
    b.type = "button";
    return b;
  }

  // Follow the conversation while the reader is at its end, also when the log's box shrinks
  // (a growing input, a phone keyboard); leave it alone while they scroll back to read.
  let following = true;
  function scrollToEnd() { log.scrollTop = log.scrollHeight; following = true; }
  log.addEventListener("scroll", function () {
    following = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
  });
  if (window.ResizeObserver) {
    new ResizeObserver(function () { if (following) { log.scrollTop = log.scrollHeight; } }).observe(log);
  }

  function row(who, bubble) {
    const line = element("div", "row " + who);
    const avatar = element("div", "avatar", who === "bot" ? "医保" : "我");
    avatar.setAttribute("aria-hidden", "true");
    line.appendChild(avatar);
    const stack = element("div", "stack");
    stack.appendChild(bubble);
    line.appendChild(stack);
    log.appendChild(line);
    scrollToEnd();
    return stack;
  }

  function addUser(text) {
    row("user", element("div", "bubble", text));
  }

  function clearQuickReplies() {
    log.querySelectorAll(".quick").forEach(function (node) { node.remove(); });
  }

  // buttons: [{title, payload}]; label: what the group is (快捷回复, 常见问题, 您可能还想问)
  function addQuickReplies(stack, buttons, label) {
    if (!buttons || !buttons.length) { return; }
    const box = element("div", "quick");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", label || TEXT.quick);
    buttons.forEach(function (item) {
      const title = String(item.title || "");
      const payload = String(item.payload || "");
      if (!title) { return; }
      // Payloads here are plain words the assistant understands; never send "/intent" syntax.
      const said = payload && payload.charAt(0) !== "/" ? payload : title;
      const b = button("", title);
      b.disabled = state.busy;
      b.addEventListener("click", function () { submit({ message: said }, said); });
      box.appendChild(b);
    });
    stack.appendChild(box);
    scrollToEnd();
  }

  function starterButtons() {
    return state.starters.map(function (s) { return { title: s.label, payload: s.question }; });
  }

  // -- 朗读: the browser's speech synthesis, in Chinese; no button where there is none ---------
  const speech = window.speechSynthesis && window.SpeechSynthesisUtterance ? window.speechSynthesis : null;
  let speaking = null;                              // the 朗读 button of what is being read
  function stopSpeaking() {
    if (speaking) {
      speaking.textContent = TEXT.speak;
      speaking.setAttribute("aria-pressed", "false");
      speaking = null;
    }
  }
  function chineseVoice() {
    const voices = speech.getVoices ? speech.getVoices() : [];
    return voices.filter(function (v) { return /^zh[-_]CN/i.test(v.lang); })[0] ||
      voices.filter(function (v) { return /^zh/i.test(v.lang); })[0] || null;
  }
  function speak(b, text) {
    const again = speaking === b;
    speech.cancel();
    stopSpeaking();
    if (again) { return; }                          // a second press stops
    const utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    const voice = chineseVoice();
    if (voice) { utterance.voice = voice; }
    utterance.rate = 0.9;
    utterance.onend = utterance.onerror = function () { if (speaking === b) { stopSpeaking(); } };
    speaking = b;
    b.textContent = TEXT.stop;
    b.setAttribute("aria-pressed", "true");
    speech.speak(utterance);
  }
  // what(): the text to read, worked out when pressed (a card reads its steps once unfolded)
  function addSpeak(stack, what) {
    if (!speech) { return; }
    const tools = element("div", "tools");
    const b = button("speak", TEXT.speak);
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", function () { speak(b, what()); });
    tools.appendChild(b);
    stack.appendChild(tools);
  }

  // -- bot messages -----------------------------------------------------------------------------
  function addBot(text, buttons, label) {
    const stack = row("bot", element("div", "bubble", text));
    addSpeak(stack, function () { return text; });
    addQuickReplies(stack, buttons, label);
    return stack;
  }

  // An answer with its card: the card instead of the text; its follow-ups as buttons.
  function addCard(text, card, offerFollowups) {
    const bubble = window.YibaoCard.render(card, { className: "bubble" });
    const stack = row("bot", bubble);
    stack.classList.add("wide");
    addSpeak(stack, function () { return window.YibaoCard.spoken(card, bubble); });
    const followups = offerFollowups && Array.isArray(card.followups) ? card.followups : [];
    addQuickReplies(stack, followups.map(function (f) {
      return { title: f.label, payload: f.question };
    }), TEXT.followups);
  }

  function addReply(message, offerButtons) {
    const text = String(message.text || "");
    if (message.card && typeof message.card === "object") {
      addCard(text, message.card, offerButtons);
    } else {
      addBot(text, offerButtons ? message.buttons : []);
    }
  }

  function addNotice(text, retry) {
    const stack = row("bot", element("div", "bubble notice", text));
    addSpeak(stack, function () { return text; });
    if (retry) {
      const box = element("div", "quick");
      const b = button("", TEXT.retry);
      b.addEventListener("click", function () { box.remove(); retry(); });
      box.appendChild(b);
      stack.appendChild(box);
      scrollToEnd();
    }
  }

  let typingRow = null;
  function showTyping() {
    const bubble = element("div", "bubble");
    const dots = element("span", "typing");
    dots.setAttribute("role", "img");
    dots.setAttribute("aria-label", TEXT.typing);
    dots.appendChild(element("span"));
    dots.appendChild(element("span"));
    dots.appendChild(element("span"));
    bubble.appendChild(dots);
    row("bot", bubble);
    typingRow = bubble.closest(".row");
  }
  function hideTyping() {
    if (typingRow) { typingRow.remove(); typingRow = null; }
  }

  // -- input ------------------------------------------------------------------------------------
  function updateComposer() {
    const length = input.value.length;
    counter.textContent = length + "/" + state.maxChars;
    counter.classList.toggle("near", length >= state.maxChars * 0.9 && length < state.maxChars);
    counter.classList.toggle("full", length >= state.maxChars);
    send.disabled = state.busy || input.value.trim() === "";
    input.style.height = "auto";                       // grow with the text, up to max-height
    input.style.height = input.scrollHeight + "px";
  }

  function setBusy(busy) {
    state.busy = busy;
    restart.disabled = busy;
    handoff.disabled = busy;
    log.querySelectorAll(".quick button").forEach(function (b) { b.disabled = busy; });
    updateComposer();
  }

  // -- talking to the server --------------------------------------------------------------------
  async function post(path, body) {
    const controller = new AbortController();
    const timer = window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    try {
      const response = await fetch(API + path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        signal: controller.signal,
        cache: "no-store",
        credentials: "omit"
      });
      let data = null;
      try { data = await response.json(); } catch (e) { data = null; }
      if (data && typeof data.sender === "string") {
        state.sender = data.sender;
        save(SENDER_KEY, data.sender);
      }
      return { status: response.status, ok: response.ok, data: data };
    } catch (e) {
      return { status: 0, ok: false, data: null };   // network error or timeout
    } finally {
      window.clearTimeout(timer);
    }
  }

  function replies(data) {
    return data && Array.isArray(data.messages) ? data.messages : [];
  }

  function showFailure(result, retry) {
    const texts = replies(result.data).map(function (m) { return String(m.text || ""); })
      .filter(function (t) { return t; });
    const retryable = result.status === 0 || result.status >= 500;
    addNotice(texts.length ? texts.join("\n") : BUSY, retryable ? retry : null);
  }

  // body: {message: text} or {command: "restart" | "handoff"}; shown: the user's bubble text
  async function submit(body, shown) {
    if (state.busy) { return; }
    clearQuickReplies();
    if (shown) { addUser(shown); }
    await deliver(body);
  }

  async function deliver(body) {
    setBusy(true);
    showTyping();
    const result = await post("/webhook", Object.assign({ sender: state.sender }, body));
    hideTyping();
    setBusy(false);
    if (!result.ok) {
      showFailure(result, function () { deliver(body); });
      return;
    }
    const messages = replies(result.data);
    if (body.command === "restart") { log.textContent = ""; }
    if (!messages.length) { addNotice(NO_REPLY, null); }
    messages.forEach(function (m) { addReply(m, true); });
    if (body.command === "restart") {
      addQuickReplies(log.lastElementChild.querySelector(".stack"), starterButtons(), TEXT.starters);
    }
    input.focus({ preventScroll: true });
  }

  async function start() {
    setBusy(true);
    const result = await post("/session", { sender: state.sender });
    setBusy(false);
    log.textContent = "";
    const data = result.data || {};
    state.starters = Array.isArray(data.starters) ? data.starters : [];
    const history = result.ok && Array.isArray(data.history) ? data.history : [];
    addBot(WELCOME, history.length ? [] : starterButtons(), TEXT.starters);
    if (!result.ok) {
      showFailure(result, start);
      return;
    }
    if (data.max_chars > 0) {
      state.maxChars = data.max_chars;
      input.maxLength = state.maxChars;
    }
    let lastUser = -1;
    history.forEach(function (line, i) { if (line.who === "user") { lastUser = i; } });
    history.forEach(function (line, i) {
      if (line.who === "user") {
        addUser(String(line.text || ""));
      } else {
        // only the answers after the last question still offer their buttons
        addReply(line, i > lastUser);
      }
    });
    updateComposer();
  }

  // -- wiring -----------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || state.busy) { return; }
    input.value = "";
    updateComposer();
    submit({ message: text }, text);
  });

  input.addEventListener("input", updateComposer);
  input.addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter is a new line; never while an input method is composing
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  restart.addEventListener("click", function () { submit({ command: "restart" }, "重新开始"); });
  handoff.addEventListener("click", function () { submit({ command: "handoff" }, "转人工"); });

  // the display modes (modes.js): a new size changes the input's height
  window.YibaoModes.onChange(updateComposer);
  state.sender = load(SENDER_KEY);
  start();
})();
