// 无障碍工具条: text size, colour schemes, line spacing, reading guide, large cursor, text-only,
// read-aloud (连读 and 指读, Web Speech API) and reset. Settings are saved in localStorage and
// applied on every page by prefs.js. Plain buttons in page order: focus is never trapped.
(function () {
  "use strict";
  var KEY = "gongkai-a11y";
  var SIZES = [100, 120, 140, 160, 180, 200];
  var SCHEMES = { "": "默认配色", "contrast-bw": "白底黑字", "contrast-yb": "黑底黄字" };
  var TOGGLES = {
    spacing: { label: "加大行距", cls: "spacing" },
    guide: { label: "辅助线", cls: "guide" },
    cursor: { label: "大鼠标", cls: "big-cursor" },
    textonly: { label: "纯文本", cls: "text-only" },
    continuous: { label: "连读" },
    point: { label: "指读" }
  };
  var root = document.documentElement;
  var toggle = document.querySelector(".toolbar-toggle");
  var bar = document.getElementById("a11y-toolbar");
  if (!toggle || !bar) return;
  var status = bar.querySelector(".toolbar-status");
  var prefs = load();

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(prefs)); } catch (e) { /* private mode: settings last for this page */ }
  }
  function say(text) {
    status.textContent = "";
    // A fresh text node each time, so the same message is announced again.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function applySize() {
    var size = prefs.size || 100;
    root.style.fontSize = size === 100 ? "" : (root.classList.contains("elder") ? 1.5 : 1) * size + "%";
  }
  function applyScheme() {
    Object.keys(SCHEMES).forEach(function (cls) { if (cls) root.classList.toggle(cls, prefs.scheme === cls); });
    bar.querySelectorAll("[data-scheme]").forEach(function (b) {
      b.setAttribute("aria-pressed", String((prefs.scheme || "") === b.dataset.scheme));
    });
  }
  function applyToggles() {
    Object.keys(TOGGLES).forEach(function (name) {
      var on = !!prefs[name];
      if (TOGGLES[name].cls) root.classList.toggle(TOGGLES[name].cls, on);
      var button = bar.querySelector('[data-toggle="' + name + '"]');
      if (button) button.setAttribute("aria-pressed", String(on));
    });
    guide(!!prefs.guide);
  }
  // Open only while the reader wants it: it does not reopen by itself on the next page.
  function setOpen(open) {
    bar.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  }

  // Reading guide: a cross of two lines following the pointer, or the keyboard focus.
  var lines = null;
  function guide(on) {
    if (on && !lines) {
      lines = ["h", "v"].map(function (axis) {
        var line = document.createElement("div");
        line.className = "reading-guide " + axis;
        line.setAttribute("aria-hidden", "true");
        document.body.appendChild(line);
        return line;
      });
      document.addEventListener("mousemove", followPointer);
      document.addEventListener("focusin", followFocus);
    } else if (!on && lines) {
      lines.forEach(function (line) { line.remove(); });
      lines = null;
      document.removeEventListener("mousemove", followPointer);
      document.removeEventListener("focusin", followFocus);
    }
  }
  function place(x, y) {
    if (!lines) return;
    lines[0].style.top = y + "px";
    lines[1].style.left = x + "px";
  }
  function followPointer(event) { place(event.clientX, event.clientY); }
  function followFocus(event) {
    var box = event.target.getBoundingClientRect();
    place(box.left, box.bottom + 2);
  }

  // Read-aloud through the browser's speech synthesis, with a Chinese voice when there is one.
  var synth = window.speechSynthesis;
  function chineseVoice() {
    if (!synth) return null;
    var voices = synth.getVoices();
    return voices.filter(function (v) { return /^zh[-_]CN/i.test(v.lang); })[0] ||
      voices.filter(function (v) { return /^zh/i.test(v.lang); })[0] || null;
  }
  function canSpeak() {
    if (chineseVoice()) return true;
    say("本浏览器没有可用的中文语音，无法朗读。可以在系统设置中安装中文语音后再试。");
    return false;
  }
  function speak(texts, elements) {
    synth.cancel();
    var voice = chineseVoice();
    texts.forEach(function (text, i) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "zh-CN";
      utterance.voice = voice;
      var element = elements && elements[i];
      if (element) {
        utterance.onstart = function () { element.classList.add("speaking"); };
        utterance.onend = function () { element.classList.remove("speaking"); };
      }
      synth.speak(utterance);
    });
  }
  var BLOCKS = "h1, h2, h3, h4, p, li, th, td, dt, dd, figcaption";
  function readFrom(start) {
    var scope = document.querySelector("[data-read-root]") || document.getElementById("main");
    var blocks = Array.prototype.filter.call(scope.querySelectorAll(BLOCKS), function (b) {
      return !b.closest(".a11y-toolbar") && b.textContent.trim() && !b.querySelector(BLOCKS);
    });
    var from = start ? blocks.indexOf(start.closest(BLOCKS)) : 0;
    blocks = blocks.slice(Math.max(0, from));
    speak(blocks.map(function (b) { return b.textContent.trim(); }), blocks);
  }
  function readElement(element) {
    var text = element.getAttribute("aria-label") || element.innerText || element.textContent || "";
    if (text.trim()) speak([text.trim().slice(0, 500)]);
  }
  document.addEventListener("click", function (event) {
    if (prefs.continuous && !event.target.closest(".a11y-toolbar, a, button, input, select")) readFrom(event.target);
  });
  var pointTimer = null;
  function pointAt(event) {
    if (!prefs.point || event.target.closest(".a11y-toolbar")) return;
    window.clearTimeout(pointTimer);
    var target = event.type === "focusin" ? event.target : event.target.closest(BLOCKS + ", a, button") || null;
    if (target) pointTimer = window.setTimeout(function () { readElement(target); }, 300);
  }
  document.addEventListener("mouseover", pointAt);
  document.addEventListener("focusin", pointAt);

  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var action = button.dataset.action;
    if (action === "smaller" || action === "larger") {
      var at = SIZES.indexOf(prefs.size || 100);
      at = Math.max(0, Math.min(SIZES.length - 1, at + (action === "larger" ? 1 : -1)));
      prefs.size = SIZES[at];
      applySize();
      say("字号：" + prefs.size + "%");
    } else if (button.hasAttribute("data-scheme")) {
      prefs.scheme = button.dataset.scheme;
      applyScheme();
      say("配色：" + SCHEMES[prefs.scheme]);
    } else if (button.dataset.toggle) {
      var name = button.dataset.toggle;
      var on = !prefs[name];
      if ((name === "continuous" || name === "point") && on && !canSpeak()) return;
      prefs[name] = on;
      applyToggles();
      if (!on && (name === "continuous" || name === "point") && synth) synth.cancel();
      say(TOGGLES[name].label + (on ? "：已开启" : "：已关闭") +
        (on && name === "continuous" ? "。点击正文中的段落，从该处开始朗读" : ""));
      if (on && name === "continuous") readFrom(null);
    } else if (action === "stop") {
      if (synth) synth.cancel();
      say("已停止朗读");
    } else if (action === "reset") {
      if (synth) synth.cancel();
      prefs = {};
      applySize();
      applyScheme();
      applyToggles();
      say("已恢复默认设置");
    } else if (action === "close") {
      setOpen(false);
      toggle.focus();
      return;
    }
    save();
  });
  bar.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      setOpen(false);
      toggle.focus();
    }
  });
  toggle.addEventListener("click", function () {
    var open = bar.hidden;
    setOpen(open);
    if (open) bar.querySelector("button").focus();
  });

  toggle.hidden = false;
  applyScheme();
  applyToggles();
  if (prefs.open !== undefined) { delete prefs.open; save(); } // older pages saved the open state
  if (synth && synth.onvoiceschanged !== undefined) synth.onvoiceschanged = function () {};
}());
