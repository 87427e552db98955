/*
 * Small enhancements for the reading site. Every page works without this
 * file: the table of contents is an open <details> element by default.
 *
 * 1. On phones, the table of contents starts folded so the essay comes first;
 *    on wide screens (where it is a side column) it stays open.
 * 2. While reading, the table of contents marks the part being read.
 */
(function () {
  "use strict";

  var wide = window.matchMedia("(min-width: 68rem)");

  function foldTablesOfContents() {
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
      details.open = wide.matches;
    });
  }

  function markCurrentSection() {
    var toc = document.querySelector(".toc");
    if (!toc || !("IntersectionObserver" in window)) {
      return;
    }
    var links = {};
    toc.querySelectorAll("a[href^='#']").forEach(function (link) {
      links[decodeURIComponent(link.getAttribute("href").slice(1))] = link;
    });
    var headings = Array.prototype.filter.call(
      document.querySelectorAll(".essay__body h2[id], .essay__body h3[id]"),
      function (heading) { return links[heading.id]; }
    );
    if (!headings.length) {
      return;
    }
    var current = null;
    function setCurrent(id) {
      if (current === id) {
        return;
      }
      if (current && links[current]) {
        links[current].removeAttribute("aria-current");
      }
      current = id;
      links[id].setAttribute("aria-current", "location");
    }
    var observer = new IntersectionObserver(function () {
      // The current part is the last heading that has scrolled above the
      // upper third of the screen (or the first heading before any has).
      var line = window.innerHeight / 3;
      var candidate = headings[0];
      headings.forEach(function (heading) {
        if (heading.getBoundingClientRect().top <= line) {
          candidate = heading;
        }
      });
      setCurrent(candidate.id);
    }, { rootMargin: "0px 0px -66% 0px" });
    headings.forEach(function (heading) { observer.observe(heading); });
  }

  function start() {
    foldTablesOfContents();
    if (wide.addEventListener) {
      wide.addEventListener("change", foldTablesOfContents);
    }
    markCurrentSection();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
