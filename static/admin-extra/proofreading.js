/* 导入文稿 review: per-rule “全部接受 / 全部拒绝” and the in-text marks.
 *
 * Without this script the page still works: each rule has a select
 * (逐条 / 全部接受 / 全部拒绝) that the server honours, and each finding a
 * checkbox. The buttons only tick the boxes and keep the select in step.
 */
(function () {
  "use strict";

  function markFor(checkbox) {
    var item = checkbox.closest(".pr-item");
    if (!item || !item.id) return null;
    return document.getElementById(item.id.replace(/^finding-/, "mark-"));
  }

  function show(checkbox) {
    var mark = markFor(checkbox);
    if (mark) mark.classList.toggle("pr-rejected", !checkbox.checked);
  }

  function setAll(group, checked) {
    group.querySelectorAll('input[type="checkbox"][name="accept"]').forEach(function (box) {
      box.checked = checked;
      show(box);
    });
  }

  function init() {
    document.querySelectorAll(".import-check .pr-group").forEach(function (group) {
      var select = group.querySelector(".pr-rule-choice");
      var tools = group.querySelector(".pr-js-only");
      if (tools) tools.hidden = false;
      var acceptAll = group.querySelector(".pr-accept-all");
      var rejectAll = group.querySelector(".pr-reject-all");
      if (acceptAll) acceptAll.addEventListener("click", function () {
        setAll(group, true);
        if (select) select.value = "accept";
      });
      if (rejectAll) rejectAll.addEventListener("click", function () {
        setAll(group, false);
        if (select) select.value = "reject";
      });
      if (select) select.addEventListener("change", function () {
        if (select.value === "accept") setAll(group, true);
        if (select.value === "reject") setAll(group, false);
      });
      group.querySelectorAll('input[type="checkbox"][name="accept"]').forEach(function (box) {
        box.addEventListener("change", function () {
          show(box);
          // A single choice overrides “all”: the server reads the boxes again.
          if (select) select.value = "each";
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
