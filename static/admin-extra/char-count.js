/* 字数 under every CKEditor 5 field of the admin.
 *
 * CKEditor's WordCount plugin counts words by spaces, which tells nothing
 * about Chinese ("单词数: 1" for a whole paragraph); it is removed in
 * settings.CKEDITOR_5_CONFIGS ("removePlugins"). This script shows
 * "字数：N" instead: the characters of the editor's text, whitespace left
 * out, counted as the reader sees them (one per character, whatever its
 * encoding). It goes where django-ckeditor-5's widget leaves room for the
 * plugin (<span id="…_script-word-count">).
 *
 * django-ckeditor-5 creates editors asynchronously and keeps them in
 * window.editors (textarea id → editor), also for inline rows added later;
 * the script looks for new ones twice a second.
 */
(function () {
  "use strict";

  var seen = {};

  function plainText(editor) {
    var model = editor.model;
    var text = "";
    var root = model.document.getRoot();
    for (var item of model.createRangeIn(root).getItems()) {
      if (item.is("$textProxy")) text += item.data;
    }
    return text;
  }

  function countCharacters(text) {
    return Array.from(text.replace(/\s+/g, "")).length;
  }

  function attach(id, editor) {
    var holder = document.getElementById(id + "_script-word-count");
    if (!holder) return;
    var output = document.createElement("span");
    output.className = "char-count";
    holder.textContent = "";
    holder.appendChild(output);
    var pending = null;
    function update() {
      pending = null;
      output.textContent = "字数：" + countCharacters(plainText(editor));
    }
    update();
    editor.model.document.on("change:data", function () {
      if (pending === null) pending = window.setTimeout(update, 150);
    });
  }

  function scan() {
    var editors = window.editors || {};
    Object.keys(editors).forEach(function (id) {
      var editor = editors[id];
      if (!editor || seen[id] === editor) return;
      seen[id] = editor;
      attach(id, editor);
    });
  }

  window.portalCountCharacters = countCharacters;

  function start() {
    scan();
    window.setInterval(scan, 500);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
