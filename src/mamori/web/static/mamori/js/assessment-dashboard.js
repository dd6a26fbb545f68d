/*
 * mamori — the self-assessment dashboard's charts (/self-assessment/dashboard/).
 *
 *   <div class="asd-chart" data-bars="12">
 *     <canvas data-assessment-chart="json-script-id"></canvas>
 *   </div>
 *   {{ config|json_script:"json-script-id" }}
 *
 * Values are percentages (0–100, or null when nothing counts yet): the value axis runs
 * from 0 to 100 and ticks and tooltips get a "%". The box grows with the number of bars
 * (horizontal bars need room for their labels). The page loads vendor/chart.umd.min.js
 * before this file (both deferred). No inline script or style: CSP allows 'self' only;
 * sizes are set through the CSSOM, which the policy permits.
 */
(function () {
  "use strict";

  var BAR_HEIGHT = 26; // px per bar group
  var MIN_HEIGHT = 200;

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function colours() {
    return [
      cssVar("--color-primitive-blue-900", "#0017c1"),
      cssVar("--color-primitive-green-700", "#1d8b56"),
      cssVar("--color-primitive-orange-700", "#e25100"),
    ];
  }

  function percent(value) {
    return value + "%";
  }

  function draw(canvas) {
    if (!window.Chart || canvas.dataset.asdDrawn) return;
    var source = document.getElementById(canvas.getAttribute("data-assessment-chart"));
    if (!source) return;
    var config;
    try {
      config = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    var palette = colours();
    var datasets = (config.data && config.data.datasets) || [];
    datasets.forEach(function (dataset, i) {
      dataset.backgroundColor = dataset.backgroundColor || palette[i % palette.length];
      dataset.borderColor = dataset.borderColor || palette[i % palette.length];
    });

    var labels = (config.data && config.data.labels) || [];
    var box = canvas.parentElement;
    if (box) {
      var height = Math.max(MIN_HEIGHT, labels.length * BAR_HEIGHT * Math.max(1, datasets.length) * 0.75 + 60);
      box.style.height = Math.round(height) + "px";
    }

    config.options = config.options || {};
    config.options.maintainAspectRatio = false;
    var valueAxis = config.options.indexAxis === "y" ? "x" : "y";
    config.options.scales = config.options.scales || {};
    config.options.scales[valueAxis] = {
      beginAtZero: true,
      min: 0,
      max: 100,
      ticks: { callback: percent },
    };
    config.options.plugins = config.options.plugins || {};
    config.options.plugins.tooltip = {
      callbacks: {
        label: function (context) {
          var value = context.parsed[valueAxis];
          var text = value === null || value === undefined ? "—" : percent(value);
          return (context.dataset.label ? context.dataset.label + ": " : "") + text;
        },
      },
    };

    var Chart = window.Chart;
    Chart.defaults.font.family = cssVar("--mamori-font", "sans-serif");
    Chart.defaults.color = cssVar("--mamori-text", "#333333");
    canvas.dataset.asdDrawn = "1";
    new Chart(canvas, config);
  }

  function drawAll(root) {
    root.querySelectorAll("canvas[data-assessment-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll(document);
    });
  } else {
    drawAll(document);
  }
})();
