// The operator page: sign in, list the hand-off requests, claim them and mark them done.
// Texts from the server are shown with textContent only; nothing is built from HTML strings.
(function () {
  "use strict";

  var API = "/operator/api";
  var REFRESH_MS = 30000;
  var STATES = { "new": "新请求", "claimed": "处理中", "done": "已办结" };
  var WHO = { "user": "居民", "bot": "助手" };
  var TEXT = {
    failed: "网络不通或服务器繁忙,请稍后再试。",
    loaded: "已更新:",
    none: "暂时没有转人工的请求。",
    summary: "共 {all} 条,新请求 {new} 条,处理中 {claimed} 条。",
    conversation: "对话记录({n} 句)",
    noConversation: "没有对话记录。",
    unreadable: "对话记录暂时读不到,请稍后刷新。",
    unknownRegion: "未说明",
    claim: "接手",
    done: "办结",
    busy: "正在处理……",
    signedIn: "已登录:",
    needName: "请填写您的姓名或工号。",
    needToken: "请填写操作员口令。"
  };

  var me = null;
  var busy = false;
  var opened = {};      // request id -> whether its conversation is unfolded

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function call(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(API + path, options).then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (data) {
        return { status: reply.status, data: data || {} };
      });
    });
  }

  function when(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return iso || ""; }
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate()) + " " +
      two(date.getHours()) + ":" + two(date.getMinutes());
  }

  function show(view) {
    $("loading").hidden = true;
    $("signin").hidden = view !== "signin";
    $("desk").hidden = view !== "desk";
    $("who").hidden = view !== "desk";
  }

  function say(text) { $("status").textContent = text || ""; }

  function fact(list, term, value) {
    list.appendChild(el("dt", "", term));
    list.appendChild(el("dd", "", value));
  }

  function stateText(request) {
    var text = STATES[request.state] || request.state;
    return request.operator ? text + " · " + request.operator : text;
  }

  function conversation(request) {
    var lines = request.conversation;
    if (lines === null || lines === undefined) { return el("p", "note", TEXT.unreadable); }
    if (!lines.length) { return el("p", "note", TEXT.noConversation); }
    var details = el("details");
    details.open = opened[request.id] !== undefined ? opened[request.id] : request.state !== "done";
    details.addEventListener("toggle", function () { opened[request.id] = details.open; });
    details.appendChild(el("summary", "", TEXT.conversation.replace("{n}", lines.length)));
    var log = el("ol", "log");
    lines.forEach(function (line) {
      var item = el("li", line.who);
      item.appendChild(el("span", "speaker", (WHO[line.who] || line.who) + ":"));
      item.appendChild(document.createTextNode(line.text));
      log.appendChild(item);
    });
    details.appendChild(log);
    return details;
  }

  function actionButton(request, action, label) {
    var button = el("button", "", label);
    button.type = "button";
    button.setAttribute("data-focus", action + "-" + request.id);
    button.appendChild(el("span", "sr", "第 " + request.id + " 号请求"));
    button.addEventListener("click", function () { act(request.id, action); });
    return button;
  }

  function card(request) {
    var item = el("li", "request " + request.state);
    item.id = "request-" + request.id;
    var article = el("article");
    var heading = el("h3");
    heading.id = "request-title-" + request.id;
    heading.tabIndex = -1;
    heading.appendChild(el("span", "", "第 " + request.id + " 号"));
    heading.appendChild(el("span", "", when(request.created_at)));
    heading.appendChild(el("span", "state " + request.state, stateText(request)));
    article.setAttribute("aria-labelledby", heading.id);
    article.appendChild(heading);
    var facts = el("dl", "facts");
    fact(facts, "地区", request.region || TEXT.unknownRegion);
    fact(facts, "渠道", request.channel);
    fact(facts, "居民说", request.asked);
    article.appendChild(facts);
    article.appendChild(conversation(request));
    var actions = el("div", "actions");
    if (request.state === "new") { actions.appendChild(actionButton(request, "claim", TEXT.claim)); }
    if (request.state === "claimed" && request.operator === me) {
      actions.appendChild(actionButton(request, "done", TEXT.done));
    }
    if (actions.childNodes.length) { article.appendChild(actions); }
    item.appendChild(article);
    return item;
  }

  function render(requests) {
    var focused = document.activeElement && document.activeElement.getAttribute("data-focus");
    var list = $("requests");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var counts = { "new": 0, "claimed": 0 };
    requests.forEach(function (request) {
      if (counts[request.state] !== undefined) { counts[request.state] += 1; }
      list.appendChild(card(request));
    });
    $("summary").textContent = requests.length ? TEXT.summary.replace("{all}", requests.length)
      .replace("{new}", counts["new"]).replace("{claimed}", counts.claimed) : TEXT.none;
    if (focused) {
      var again = list.querySelector('[data-focus="' + focused + '"]');
      if (again) { again.focus(); }
    }
  }

  function signedOut(message) {
    me = null;
    show("signin");
    $("signin-error").textContent = message || "";
    $("name").focus();
  }

  function load(announce) {
    return call("GET", "/requests").then(function (reply) {
      if (reply.status === 401) { signedOut(); return; }
      if (reply.status !== 200) { say(reply.data.message || TEXT.failed); return; }
      me = reply.data.operator;
      $("who-name").textContent = TEXT.signedIn + me;
      show("desk");
      render(reply.data.requests || []);
      if (announce) { say(TEXT.loaded + when(new Date().toISOString()).slice(11)); }
    }, function () { say(TEXT.failed); });
  }

  function act(id, action) {
    if (busy) { return; }
    busy = true;
    say(TEXT.busy);
    call("POST", "/requests/" + id + "/" + action, {}).then(function (reply) {
      if (reply.status === 401) { signedOut(reply.data.message); return; }
      return load(false).then(function () {
        say(reply.data.message || TEXT.failed);
        var heading = $("request-title-" + id);
        if (heading && !(document.activeElement && document.activeElement.getAttribute("data-focus"))) {
          heading.focus();
        }
      });
    }, function () { say(TEXT.failed); }).then(function () { busy = false; });
  }

  function signIn(event) {
    event.preventDefault();
    var name = $("name").value.trim();
    var token = $("token").value;
    if (!name) { $("signin-error").textContent = TEXT.needName; $("name").focus(); return; }
    if (!token) { $("signin-error").textContent = TEXT.needToken; $("token").focus(); return; }
    $("signin-button").disabled = true;
    call("POST", "/session", { name: name, token: token }).then(function (reply) {
      if (reply.status !== 200) {
        $("signin-error").textContent = reply.data.message || TEXT.failed;
        $("token").focus();
        return;
      }
      $("token").value = "";
      $("signin-error").textContent = "";
      return load(false).then(function () {
        say(reply.data.message || "");
        $("desk-title").tabIndex = -1;
        $("desk-title").focus();
      });
    }, function () { $("signin-error").textContent = TEXT.failed; })
      .then(function () { $("signin-button").disabled = false; });
  }

  function signOut() {
    call("POST", "/signout", {}).then(function (reply) { signedOut(reply.data.message); },
      function () { say(TEXT.failed); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("signin-form").addEventListener("submit", signIn);
    $("refresh").addEventListener("click", function () { load(true); });
    $("signout").addEventListener("click", signOut);
    load(false);
    window.setInterval(function () {
      if (me && !busy && document.visibilityState === "visible") { load(false); }
    }, REFRESH_MS);
  });
}());
