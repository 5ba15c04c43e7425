// Display modes shared by the chat page (/) and the self-check (/check): 标准 / 大字 / 特大字 and
// 高对比, remembered in the browser (localStorage, the same keys on both pages, so a mode chosen
// on one page holds on the other). Fills the element marked data-modes with the mode buttons and
// sets the html classes that modes.css styles. Plain browser JavaScript, no libraries.
// window.YibaoModes.onChange(fn) calls fn() after every change (the chat page re-measures its input).
(function () {
  "use strict";

  var SIZE_KEY = "yibao.size";
  var CONTRAST_KEY = "yibao.contrast";
  var OLD_FONT_KEY = "yibao.font";          // the former 大字 toggle: "large"
  var SIZES = [["normal", "标准"], ["large", "大字"], ["xlarge", "特大字"]];
  var TEXT = { group: "显示设置", sizes: "字号", contrast: "高对比" };
  var listeners = [];
  var sizeButtons = [];
  var contrastButton = null;

  // storage may be unavailable (private windows): the setting then lasts as long as the page
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); } else { window.localStorage.setItem(key, value); }
    } catch (e) { /* kept for this page only */ }
  }

  function known(size) {
    return SIZES.some(function (s) { return s[0] === size; });
  }

  function changed() {
    listeners.forEach(function (fn) { fn(); });
  }

  function applySize(size) {
    var root = document.documentElement;
    root.classList.toggle("size-large", size === "large");
    root.classList.toggle("size-xlarge", size === "xlarge");
    sizeButtons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-size") === size ? "true" : "false");
    });
  }

  function applyContrast(high) {
    document.documentElement.classList.toggle("contrast", high);
    if (contrastButton) { contrastButton.setAttribute("aria-pressed", high ? "true" : "false"); }
  }

  function modeButton(id, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "mode";
    b.id = id;
    b.textContent = text;
    b.setAttribute("aria-pressed", "false");
    return b;
  }

  function build(box) {
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", TEXT.group);
    var sizes = document.createElement("div");
    sizes.className = "sizes";
    sizes.setAttribute("role", "group");
    sizes.setAttribute("aria-label", TEXT.sizes);
    SIZES.forEach(function (s) {
      var b = modeButton("size-" + s[0], s[1]);
      b.setAttribute("data-size", s[0]);
      b.addEventListener("click", function () {
        save(SIZE_KEY, s[0] === "normal" ? null : s[0]);
        save(OLD_FONT_KEY, null);
        applySize(s[0]);
        changed();
      });
      sizeButtons.push(b);
      sizes.appendChild(b);
    });
    box.appendChild(sizes);
    contrastButton = modeButton("contrast", TEXT.contrast);
    contrastButton.addEventListener("click", function () {
      var high = !document.documentElement.classList.contains("contrast");
      save(CONTRAST_KEY, high ? "high" : null);
      applyContrast(high);
      changed();
    });
    box.appendChild(contrastButton);
  }

  var box = document.querySelector("[data-modes]");
  if (box) { build(box); }
  var stored = load(SIZE_KEY) || (load(OLD_FONT_KEY) === "large" ? "large" : "normal");
  applySize(known(stored) ? stored : "normal");
  applyContrast(load(CONTRAST_KEY) === "high");

  window.YibaoModes = {
    onChange: function (fn) { listeners.push(fn); }
  };
}());
