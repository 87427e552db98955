/* Charts of the 问题库/对策库 pages, drawn with Apache ECharts (served from
 * static/vendor/echarts/). The figures come from a json_script element next
 * to each chart; the table beside the chart holds the same figures, so a
 * reader without JavaScript, without ECharts or with a screen reader loses
 * nothing (the canvas is aria-hidden). No inline script: the site's CSP. */
(function () {
  "use strict";

  function cssColor(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name);
    return (value && value.trim()) || fallback;
  }

  function option(type, data) {
    var color = cssColor("--accent", "#b71c1c");
    var text = cssColor("--text", "#222");
    var horizontal = type === "hbar";
    var categories = { type: "category", data: data.labels, axisLabel: { color: text, width: 160, overflow: "truncate" } };
    var values = { type: "value", minInterval: 1, axisLabel: { color: text } };
    if (horizontal) {
      categories.inverse = true;
    }
    return {
      animation: false,
      color: [color],
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? categories : values,
      series: [{ name: data.name, type: type === "line" ? "line" : "bar", data: data.values }]
    };
  }

  function draw() {
    if (typeof window.echarts === "undefined") {
      return; // no ECharts (a clone without npm): the tables are the charts
    }
    var canvases = document.querySelectorAll("[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source) {
        return;
      }
      var data;
      try {
        data = JSON.parse(source.textContent);
      } catch (error) {
        return;
      }
      if (!data.values || !data.values.length) {
        return;
      }
      var type = canvas.getAttribute("data-chart-type") || "bar";
      canvas.hidden = false;
      canvas.style.height = type === "hbar" ? Math.max(160, data.values.length * 28 + 40) + "px" : "280px";
      var chart = window.echarts.init(canvas, null, { renderer: "svg" });
      chart.setOption(option(type, data));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
