/*
 * mamori — charts of the sharing indicators and the 浸透状況 survey rates
 * (/sharing/indicators/, /sharing/surveys/<id>/rates/).
 *
 *   <div class="chart shi-chart"><canvas data-sharing-chart="json-script-id"></canvas></div>
 *   {{ config|json_script:"json-script-id" }}
 *
 * Bars per sector. A config with options.percent = true gets a 0–100 value axis with "%"
 * ticks. The box grows with the number of sectors. The page loads vendor/chart.umd.min.js
 * before this file (both deferred). No inline script or style (CSP 'self' only); the
 * height is set through the CSSOM, which the policy permits.
 */
(function () {
  "use strict";

  var BAR_HEIGHT = 22;
  var MIN_HEIGHT = 220;

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function palette() {
    return [
      cssVar("--color-primitive-blue-900", "#0017c1"),
      cssVar("--color-primitive-orange-700", "#e25100"),
      cssVar("--color-primitive-green-700", "#1d8b56"),
      cssVar("--color-primitive-purple-700", "#6f23d0"),
    ];
  }

  function draw(canvas) {
    if (!window.Chart || canvas.dataset.shiDrawn) return;
    var source = document.getElementById(canvas.getAttribute("data-sharing-chart"));
    if (!source) return;
    var config;
    try {
      config = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    var colours = palette();
    var datasets = (config.data && config.data.datasets) || [];
    datasets.forEach(function (dataset, i) {
      dataset.backgroundColor = dataset.backgroundColor || colours[i % colours.length];
      dataset.borderColor = dataset.borderColor || colours[i % colours.length];
    });
    var labels = (config.data && config.data.labels) || [];
    var box = canvas.parentElement;
    if (box) {
      var height = Math.max(MIN_HEIGHT, labels.length * BAR_HEIGHT * Math.max(1, datasets.length) * 0.6 + 80);
      box.style.height = Math.round(height) + "px";
    }
    config.options = config.options || {};
    var percent = !!config.options.percent;
    delete config.options.percent;
    config.options.maintainAspectRatio = false;
    var valueAxis = config.options.indexAxis === "y" ? "x" : "y";
    config.options.scales = config.options.scales || {};
    if (percent) {
      config.options.scales[valueAxis] = {
        beginAtZero: true,
        min: 0,
        max: 100,
        ticks: {
          callback: function (value) {
            return value + "%";
          },
        },
      };
    }
    var Chart = window.Chart;
    Chart.defaults.font.family = cssVar("--mamori-font", "sans-serif");
    Chart.defaults.color = cssVar("--mamori-text", "#333333");
    canvas.dataset.shiDrawn = "1";
    new Chart(canvas, config);
  }

  function drawAll(root) {
    root.querySelectorAll("canvas[data-sharing-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll(document);
    });
  } else {
    drawAll(document);
  }
})();
