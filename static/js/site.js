/*
 * Small enhancements for the reading site. Every page works without this
 * file: the table of contents is an open <details> element by default.
 *
 * 1. On phones, the table of contents starts folded so the essay comes first;
 *    on wide screens (where it is a side column) it stays open.
 * 2. While reading, the table of contents marks the part being read.
 * 3. Reader tools: 字号 and 长辈模式 (stored in localStorage; prefs.js applies
 *    them before the first paint), 朗读 with the browser's speech synthesis,
 *    打印本页, copy the essay's link, reading progress, back to top.
 * 4. On an essay page, one view is reported with a beacon (the count must not
 *    depend on the page being rendered by Django: pages may be cached).
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

  var root = document.documentElement;

  function store(name, value) {
    try {
      if (value === null) {
        window.localStorage.removeItem(name);
      } else {
        window.localStorage.setItem(name, value);
      }
    } catch (error) {
      // No storage: the choice holds for this page only.
    }
  }

  function readerTools() {
    var tools = document.querySelector("[data-reader-tools]");
    if (!tools) {
      return;
    }
    var sizeButtons = tools.querySelectorAll("[data-font-size]");
    var elder = tools.querySelector("[data-elder-toggle]");
    function show() {
      var size = root.getAttribute("data-font-size") || "medium";
      sizeButtons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-font-size") === size));
      });
      elder.setAttribute("aria-pressed", String(root.hasAttribute("data-elder")));
    }
    sizeButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        var size = button.getAttribute("data-font-size");
        if (size === "medium") {
          root.removeAttribute("data-font-size");
          store("reader.fontSize", null);
        } else {
          root.setAttribute("data-font-size", size);
          store("reader.fontSize", size);
        }
        show();
      });
    });
    elder.addEventListener("click", function () {
      if (root.hasAttribute("data-elder")) {
        root.removeAttribute("data-elder");
        store("reader.elder", null);
      } else {
        root.setAttribute("data-elder", "");
        store("reader.elder", "1");
      }
      show();
    });
    show();
    tools.hidden = false;
  }

  function essayText() {
    var parts = [];
    document.querySelectorAll(
      ".essay__title, .essay__subtitle, .essay__lead, .essay__body h2, .essay__body h3, .essay__body .rich, .essay__unit"
    ).forEach(function (element) {
      var text = element.textContent.replace(/\s+/g, " ").trim();
      if (text) {
        parts.push(text);
      }
    });
    return parts;
  }

  function readAloud() {
    var start = document.querySelector("[data-speak]");
    var stop = document.querySelector("[data-speak-stop]");
    if (!start || !("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) {
      return;
    }
    var synth = window.speechSynthesis;
    var state = "idle";
    // Where the page says that it cannot read aloud (a live region, present
    // and empty from the start so that screen readers announce the message).
    var status = document.createElement("p");
    status.className = "essay-tools__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    start.closest(".essay-tools").appendChild(status);
    function show(next) {
      state = next;
      start.textContent = state === "speaking" ? "暂停朗读" : state === "paused" ? "继续朗读" : "朗读全文";
      start.setAttribute("aria-pressed", String(state === "speaking"));
      stop.hidden = state === "idle";
    }
    function chineseVoice() {
      var voices = synth.getVoices();
      for (var i = 0; i < voices.length; i++) {
        if (/^(zh|cmn)([-_]|$)/i.test(voices[i].lang)) {
          return voices[i];
        }
      }
      return null;
    }
    // The voices may arrive a little after the page (voiceschanged): wait
    // for them for a moment before deciding there is no Chinese voice.
    function withVoice(callback) {
      var voice = chineseVoice();
      if (voice) {
        callback(voice);
        return;
      }
      var answered = false;
      function answer() {
        if (!answered) {
          answered = true;
          synth.removeEventListener("voiceschanged", answer);
          callback(chineseVoice());
        }
      }
      synth.addEventListener("voiceschanged", answer);
      window.setTimeout(answer, 1000);
    }
    function speak(voice) {
      if (!voice) {
        show("idle");
        status.textContent = "本设备没有中文语音，无法朗读。可在系统设置中安装中文语音后再试。";
        return;
      }
      status.textContent = "";
      synth.cancel();
      var parts = essayText();
      parts.forEach(function (text, index) {
        // One utterance per paragraph: long utterances are cut off by some engines.
        var utterance = new SpeechSynthesisUtterance(text);
        utterance.lang = "zh-CN";
        utterance.voice = voice;
        if (index === parts.length - 1) {
          utterance.onend = function () { show("idle"); };
        }
        synth.speak(utterance);
      });
      show("speaking");
    }
    var asking = false;
    start.addEventListener("click", function () {
      if (state === "speaking") {
        synth.pause();
        show("paused");
        return;
      }
      if (state === "paused") {
        synth.resume();
        show("speaking");
        return;
      }
      if (asking) {
        return;
      }
      asking = true;
      withVoice(function (voice) {
        asking = false;
        speak(voice);
      });
    });
    stop.addEventListener("click", function () {
      synth.cancel();
      show("idle");
      start.focus();
    });
    window.addEventListener("pagehide", function () { synth.cancel(); });
    start.hidden = false;
  }

  function printing() {
    var button = document.querySelector("[data-print]");
    // The printed essay carries its whole table of contents.
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll(".toc details").forEach(function (details) {
        details.setAttribute("data-was-open", String(details.open));
        details.open = true;
      });
    });
    window.addEventListener("afterprint", function () {
      document.querySelectorAll(".toc details[data-was-open]").forEach(function (details) {
        details.open = details.getAttribute("data-was-open") === "true";
        details.removeAttribute("data-was-open");
      });
    });
    if (button && window.print) {
      button.addEventListener("click", function () { window.print(); });
      button.hidden = false;
    }
  }

  function copyLinks() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = button.closest(".share__panel").querySelector(".share__status");
      button.addEventListener("click", function () {
        function done(ok) {
          status.textContent = ok ? "链接已复制，可以粘贴到微信等处分享。" : "未能自动复制，请长按或选中链接后手动复制。";
        }
        input.select();
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () {
            done(document.execCommand && document.execCommand("copy"));
          });
        } else {
          done(document.execCommand && document.execCommand("copy"));
        }
      });
      button.hidden = false;
    });
  }

  // 回到顶部 must never sit on the text being read. Where the page leaves a
  // margin beside the text column wide enough for it (wide screens), it is
  // shown once the reader is past the first screen. Otherwise (phones,
  // tablets, large type) it is offered only when the reader scrolls back up,
  // which is when they look for it, and at the very end of the page, where
  // the footer keeps room for it; reading on downwards hides it again.
  function backToTopControl(button) {
    var column = document.querySelector(".essay__body") || document.querySelector("main .page") || document.querySelector("main");
    var layout = "";
    var inMargin = false;
    var lastY = window.scrollY;
    var goingUp = false;
    var STEP = 8; // px of scrolling that count as a direction, not a jitter

    function measure() {
      // The button's place against the text column's content box, for this
      // width and type size (字号 and 长辈模式 change the column).
      var key = window.innerWidth + "|" + window.getComputedStyle(document.documentElement).fontSize;
      if (key === layout) {
        return;
      }
      layout = key;
      var wasHidden = button.hidden;
      button.hidden = false;
      var b = button.getBoundingClientRect();
      var c = column.getBoundingClientRect();
      var style = window.getComputedStyle(column);
      var textRight = c.right - parseFloat(style.paddingRight || "0");
      button.hidden = wasHidden;
      inMargin = b.left >= textRight;
    }

    return function update() {
      var y = window.scrollY;
      if (Math.abs(y - lastY) >= STEP) {
        goingUp = y < lastY;
        lastY = y;
      }
      if (y < window.innerHeight) {
        button.hidden = true;
        return;
      }
      measure();
      var atEnd = y + window.innerHeight >= document.documentElement.scrollHeight - 2;
      button.hidden = !(inMargin || goingUp || atEnd);
    };
  }

  function scrolling() {
    var progress = document.querySelector(".reading-progress");
    var essay = document.querySelector(".essay__body");
    var backToTop = document.querySelector(".back-to-top");
    var updateBackToTop = backToTop ? backToTopControl(backToTop) : null;
    var waiting = false;
    function update() {
      waiting = false;
      if (progress && essay) {
        var box = essay.getBoundingClientRect();
        var span = box.height - window.innerHeight;
        var done = span > 0 ? (-box.top / span) : (box.top < window.innerHeight ? 1 : 0);
        progress.value = Math.round(Math.min(Math.max(done, 0), 1) * 100);
      }
      if (updateBackToTop) {
        updateBackToTop();
      }
    }
    if (progress) {
      progress.hidden = false;
    }
    window.addEventListener("scroll", function () {
      if (!waiting) {
        waiting = true;
        window.requestAnimationFrame(update);
      }
    }, { passive: true });
    update();
  }

  function countView() {
    var essay = document.querySelector("[data-view-url]");
    if (!essay) {
      return;
    }
    var url = essay.getAttribute("data-view-url");
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else if (window.fetch) {
      window.fetch(url, { method: "POST", keepalive: true, credentials: "omit" });
    }
  }

  function start() {
    foldTablesOfContents();
    if (wide.addEventListener) {
      wide.addEventListener("change", foldTablesOfContents);
    }
    markCurrentSection();
    readerTools();
    readAloud();
    printing();
    copyLinks();
    scrolling();
    countView();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
