/*
 * Reading preferences, applied before the page is drawn: this file is loaded
 * without `defer` in <head>, so the chosen type size and 长辈模式 are set on
 * <html> before the first paint and the page never flashes at the wrong size.
 * (The CSP allows no inline script, hence a file of its own.) site.js draws
 * the switches and stores changes.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  try {
    var size = window.localStorage.getItem("reader.fontSize");
    if (size === "small" || size === "large") {
      root.setAttribute("data-font-size", size);
    }
    if (window.localStorage.getItem("reader.elder") === "1") {
      root.setAttribute("data-elder", "");
    }
  } catch (error) {
    // Storage may be switched off (private mode): defaults apply.
  }
})();
