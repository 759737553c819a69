// Enhancements only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // The header menu and the metadata are <details>, closed for phones. Wide screens draw their
  // contents anyway through ::details-content (site.css); a browser without it gets them opened.
  var supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  var wide = window.matchMedia("(min-width: 48rem)");
  var panels = document.querySelectorAll(".site-menu, .doc-info");
  function fit() {
    if (!supported && wide.matches) panels.forEach(function (panel) { panel.open = true; });
  }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);
  // A printed page shows the metadata whether or not the reader opened it.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".doc-info").forEach(function (panel) { panel.open = true; });
  });
});
