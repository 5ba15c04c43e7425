// The answer card (bot/dialogue/card.py's JSON), one renderer for the chat page (/) and the
// self-check (/check); card.css styles it. Plain browser JavaScript, no libraries; every text
// goes on the page through textContent only, so markup in a text is shown as its characters.
//
//   YibaoCard.render(card, {className}) → an element: the figure large and first with its unit,
//       what it is, the «征求意见稿» badge (draft answers), what it means, the parts and notes,
//       «怎么算的» folded (the steps, our readings, warnings), the sources as short name + clause
//       with the full title on tap, the small print. `className` is added to the card's classes.
//   YibaoCard.spoken(card, element) → the text 朗读 reads: the figure, what it means, the draft
//       note, the steps when unfolded, the small print.
(function () {
  "use strict";

  var TEXT = {
    steps: "怎么算的",
    sources: "依据",
    draft: "征求意见稿",
    noFigure: "文件未给出",
    reading: "我们的理解:",
    warning: "注意:"
  };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function text(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  function strings(list) {
    return Array.isArray(list) ? list.map(text).filter(Boolean) : [];
  }

  function folded(className, title) {
    var details = element("details", className);
    details.appendChild(element("summary", "", title));
    return details;
  }

  function figure(card) {
    var line = element("p", "card-figure");
    if (card.figure) {
      line.appendChild(element("span", "figure-value", text(card.figure)));
      line.appendChild(element("span", "figure-unit", text(card.unit)));
    } else {
      line.appendChild(element("span", "figure-none", TEXT.noFigure));
    }
    return line;
  }

  function steps(card) {
    var details = folded("card-steps", TEXT.steps);
    var ordered = element("ol");
    strings(card.steps).forEach(function (s) { ordered.appendChild(element("li", "", s)); });
    details.appendChild(ordered);
    strings(card.readings).forEach(function (r) { details.appendChild(element("p", "", TEXT.reading + r)); });
    strings(card.warnings).forEach(function (w) { details.appendChild(element("p", "", TEXT.warning + w)); });
    return details;
  }

  function source(s) {
    var details = element("details", "card-source");
    var summary = element("summary");
    var named = element("span");
    named.appendChild(element("span", "card-source-name", text(s.name)));
    named.appendChild(document.createTextNode(" "));
    named.appendChild(element("span", "card-source-clause", text(s.clause)));
    summary.appendChild(named);
    details.appendChild(summary);
    details.appendChild(element("p", "", text(s.region) + "《" + text(s.title) + "》" + text(s.clause)));
    return details;
  }

  function render(card, options) {
    var extra = options && options.className ? " " + options.className : "";
    var box = element("div", "card" + extra);
    box.appendChild(figure(card));
    box.appendChild(element("p", "card-label", text(card.label)));
    if (card.draft) {
      box.appendChild(element("p", "card-badge", TEXT.draft));
      if (card.draft_note) { box.appendChild(element("p", "card-draft-note", text(card.draft_note))); }
    }
    box.appendChild(element("p", "card-meaning", text(card.meaning)));
    var parts = strings(card.parts);
    if (parts.length) {
      var list = element("ul", "card-parts");
      parts.forEach(function (p) { list.appendChild(element("li", "", p)); });
      box.appendChild(list);
    }
    strings(card.notes).forEach(function (n) { box.appendChild(element("p", "card-note", n)); });
    box.appendChild(steps(card));
    var sources = Array.isArray(card.sources) ? card.sources : [];
    if (sources.length) {
      box.appendChild(element("p", "card-sources-label", TEXT.sources));
      sources.forEach(function (s) { box.appendChild(source(s || {})); });
    }
    box.appendChild(element("p", "card-small", text(card.small_print)));
    return box;
  }

  function spoken(card, box) {
    var said = [text(card.label) + ":" +
      (card.figure ? text(card.figure) + " " + text(card.unit) : TEXT.noFigure) + "。",
      text(card.meaning)];
    if (card.draft && card.draft_note) { said.push(text(card.draft_note)); }
    var folded = box.querySelector(".card-steps");
    if (folded && folded.open) { said.push(TEXT.steps + ":" + strings(card.steps).join(";")); }
    said.push(text(card.small_print));
    return said.join("\n");
  }

  window.YibaoCard = { render: render, spoken: spoken };
}());
