// The self-check page: one question at a time, the answers kept here and sent with each step
// (the server keeps nothing). Texts from the server are shown with textContent only. The answer
// card is card.js's (YibaoCard), the display modes modes.js's; both load before this script.
(function () {
  "use strict";

  var API = "/check/api/step";
  var TEXT = {
    step: "第 {n} 步",
    example: "例如:{example}",
    empty: "请先填写,再点「下一步」。",
    failed: "网络不通或服务器繁忙,请稍后再试。",
    kind: "想了解"
  };

  var state = { place: "", kind: "", answers: {} };
  var taken = [];          // [step, slot] in the order answered, for 「上一步」
  var busy = false;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function setAnswer(step, slot, text) {
    if (step === "place") { state.place = text; }
    else if (step === "kind") { state.kind = text; }
    else { state.answers[slot] = text; }
    taken.push([step, slot]);
  }

  function dropLast() {
    var last = taken.pop();
    if (!last) { return; }
    if (last[0] === "place") { state.place = ""; }
    else if (last[0] === "kind") { state.kind = ""; }
    else { delete state.answers[last[1]]; }
  }

  function send() {
    busy = true;
    return fetch(API, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(state)
    }).then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (data) {
        return { status: reply.status, data: data || {} };
      });
    }).then(function (reply) {
      busy = false;
      if (reply.status !== 200) {
        dropLast();
        $("status").textContent = reply.data.message || TEXT.failed;
        return;
      }
      $("status").textContent = "";
      render(reply.data);
    }, function () {
      busy = false;
      dropLast();
      $("status").textContent = TEXT.failed;
    });
  }

  function answer(step, slot, text) {
    if (busy) { return; }
    setAnswer(step, slot, text);
    send();
  }

  function renderTaken(data) {
    var facts = $("facts");
    clear(facts);
    var shown = data.facts.slice();
    if (data.kind) { shown.splice(1, 0, { label: TEXT.kind, value: data.kind.label }); }
    shown.forEach(function (fact) {
      facts.appendChild(el("dt", "", fact.label));
      facts.appendChild(el("dd", "", fact.value));
    });
    var notices = $("notices");
    clear(notices);
    (data.place ? data.place.notices : []).forEach(function (notice) {
      notices.appendChild(el("li", "", notice));
    });
    $("taken").hidden = shown.length === 0;
  }

  function renderAsk(ask) {
    $("question").hidden = false;
    $("question-title").textContent = TEXT.step.replace("{n}", ask.number);
    $("error").textContent = ask.error || "";
    var choices = $("choices");
    clear(choices);
    if (ask.options.length) {
      $("answer-form").hidden = true;
      $("choose").hidden = false;
      $("choice-prompt").textContent = ask.prompt;
      ask.options.forEach(function (option) {
        var button = el("button", "", option.label);
        button.type = "button";
        button.addEventListener("click", function () { answer(ask.step, ask.slot, option.answer); });
        choices.appendChild(button);
      });
      return choices.firstChild;
    }
    $("choose").hidden = true;
    $("answer-form").hidden = false;
    $("prompt").textContent = ask.prompt;
    $("example").textContent = ask.example ? TEXT.example.replace("{example}", ask.example) : "";
    var input = $("answer");
    input.value = "";
    input.setAttribute("aria-invalid", ask.error ? "true" : "false");
    $("answer-form").onsubmit = function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) { $("error").textContent = TEXT.empty; input.focus(); return; }
      answer(ask.step, ask.slot, text);
    };
    return input;
  }

  // the chat's answer card (card.js), or the text when there is none (a refusal)
  function renderCard(card, text) {
    var box = $("card");
    clear(box);
    box.appendChild(card ? window.YibaoCard.render(card) : el("p", "text", text));
  }

  function render(data) {
    renderTaken(data);
    $("back").hidden = taken.length === 0;
    $("restart").hidden = taken.length === 0;
    var focus;
    if (data.ask) {
      $("result").hidden = true;
      focus = renderAsk(data.ask);
      if (data.ask.error) { dropLast(); }
    } else {
      $("question").hidden = true;
      $("result").hidden = false;
      renderCard(data.answer.card, data.answer.text);
      $("print-form").hidden = !data.answer.printable;
      $("print-state").value = JSON.stringify(state);
      focus = $("result-title");
    }
    if (focus && document.body.getAttribute("data-started") === "yes") { focus.focus(); }
    document.body.setAttribute("data-started", "yes");
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("back").addEventListener("click", function () {
      if (busy) { return; }
      dropLast();
      send();
    });
    $("restart").addEventListener("click", function () {
      if (busy) { return; }
      state = { place: "", kind: "", answers: {} };
      taken = [];
      send();
    });
    send();
  });
}());
