// Idle logout warning (accounts/policy.py: IdleTimeoutMiddleware). The server logs a
// session out after data-timeout seconds without a request; data-warning seconds
// before that, a banner offers to stay signed in (one request to data-keepalive).
// Typing or clicking on the page does not reach the server, so only a request counts.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var timeout = parseInt(script.dataset.timeout, 10) * 1000;
  var warning = parseInt(script.dataset.warning, 10) * 1000;
  var keepalive = script.dataset.keepalive;
  if (!(timeout > 0)) { return; }
  var banner = null;
  var timers = [];

  function clear() {
    timers.forEach(function (t) { window.clearTimeout(t); });
    timers = [];
    if (banner) { banner.remove(); banner = null; }
  }

  function showWarning() {
    banner = document.createElement("div");
    banner.className = "messagelist session-timeout-warning";
    banner.setAttribute("role", "alertdialog");
    var text = document.createElement("p");
    text.className = "warning";
    text.textContent = "您已较长时间未操作，" + Math.round(warning / 60000) + " 分钟后将自动退出。未保存的修改请及时保存。";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "继续使用";
    button.addEventListener("click", function () {
      fetch(keepalive, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { if (response.ok) { schedule(); } else { window.location.reload(); } });
    });
    text.appendChild(document.createTextNode(" "));
    text.appendChild(button);
    banner.appendChild(text);
    var main = document.getElementById("main") || document.body;
    main.insertBefore(banner, main.firstChild);
    button.focus();
  }

  function schedule() {
    clear();
    timers.push(window.setTimeout(showWarning, Math.max(timeout - warning, 0)));
    // At the limit the server has logged the session out: reloading shows the login page.
    timers.push(window.setTimeout(function () { window.location.reload(); }, timeout + 1000));
  }
  schedule();
})();
