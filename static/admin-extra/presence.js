/* Presence on an essay's change page: "某某 正在编辑此文稿".
 *
 * The page is rendered with the names already known (ArticleAdmin records a
 * visit on every GET); this script keeps the editor's presence alive with a
 * POST heartbeat every few seconds and refreshes the line. No inline script:
 * the URL and interval come from data attributes of #presence.
 */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function beat(line) {
    var request = new XMLHttpRequest();
    request.open("POST", line.dataset.url);
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.onload = function () {
      if (request.status !== 200) return;
      try {
        var message = JSON.parse(request.responseText).message || "";
        line.textContent = message;
        line.hidden = !message;
      } catch (error) {
        /* keep the last known line */
      }
    };
    request.send();
  }

  function init() {
    var line = document.getElementById("presence");
    if (!line || !line.dataset.url) return;
    var seconds = parseInt(line.dataset.interval, 10) || 20;
    window.setInterval(function () {
      if (!document.hidden) beat(line);
    }, seconds * 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
