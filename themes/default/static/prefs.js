// Applies the reader's saved 无障碍 settings before the page is drawn. Loaded without defer
// on purpose: it only sets classes on <html>. toolbar.js changes and saves them.
(function () {
  "use strict";
  var prefs;
  try { prefs = JSON.parse(localStorage.getItem("gongkai-a11y") || "{}"); } catch (e) { prefs = {}; }
  var root = document.documentElement;
  if (prefs.size && prefs.size !== 100) root.style.fontSize = (root.classList.contains("elder") ? 1.5 : 1) * prefs.size + "%";
  if (prefs.scheme) root.classList.add(prefs.scheme);
  ["spacing", "guide", "cursor", "textonly"].forEach(function (name) {
    if (prefs[name]) root.classList.add(name === "cursor" ? "big-cursor" : name === "textonly" ? "text-only" : name);
  });
}());
