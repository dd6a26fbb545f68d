/*
 * mamori — what the pages' Chart.js charts share: one function, mamoriCharts.draw.
 *
 *   <canvas data-some-chart="json-script-id"></canvas>
 *   {{ config|json_script:"json-script-id" }}
 *
 *   mamoriCharts.draw(root, {
 *     attribute: "data-some-chart",  // the canvases under root to draw (each once)
 *     flag: "someDrawn",             // the canvas dataset key that marks it drawn
 *     colours: [["--css-variable", "#fallback"], …],
 *     paint: function (dataset, i, colours, config) {…},  // optional; by default a
 *                                    // dataset without colours gets colours[i] for both
 *     height: { bar: 22, min: 220, factor: 0.6, extra: 80 },  // optional: the canvas's
 *                                    // box grows with the number of bars
 *     prepare: function (config, valueAxis) {…},  // optional: the page's own options
 *   });
 *
 * A config with options.percent = true gets a 0–100 value axis with "%" ticks; without
 * maintainAspectRatio the chart fills its box. Before the page is parsed, draw waits for
 * DOMContentLoaded. Load vendor/chart.umd.min.js and this file before the page's script.
 * No inline script or style (CSP 'self' only); heights are set through the CSSOM, which
 * the policy permits.
 */
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function fill(dataset, i, colours) {
    dataset.backgroundColor = dataset.backgroundColor || colours[i % colours.length];
    dataset.borderColor = dataset.borderColor || colours[i % colours.length];
  }

  function percent(value) {
    return value + "%";
  }

  function drawOne(canvas, spec) {
    if (canvas.dataset[spec.flag]) return;
    var source = document.getElementById(canvas.getAttribute(spec.attribute));
    if (!source) return;
    var config;
    try {
      config = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    var colours = spec.colours.map(function (colour) {
      return cssVar(colour[0], colour[1]);
    });
    var datasets = (config.data && config.data.datasets) || [];
    datasets.forEach(function (dataset, i) {
      (spec.paint || fill)(dataset, i, colours, config);
    });

    var labels = (config.data && config.data.labels) || [];
    var box = canvas.parentElement;
    if (spec.height && box) {
      var size = spec.height;
      var height = Math.max(size.min, labels.length * size.bar * Math.max(1, datasets.length) * size.factor + size.extra);
      box.style.height = Math.round(height) + "px";
    }

    config.options = config.options || {};
    var valueAxis = config.options.indexAxis === "y" ? "x" : "y";
    if (spec.prepare) spec.prepare(config, valueAxis);
    var percentAxis = !!config.options.percent;
    delete config.options.percent;
    if (config.options.maintainAspectRatio === undefined) config.options.maintainAspectRatio = false;
    if (percentAxis) {
      config.options.scales = config.options.scales || {};
      config.options.scales[valueAxis] = {
        beginAtZero: true,
        min: 0,
        max: 100,
        ticks: { callback: percent },
      };
    }

    var Chart = window.Chart;
    Chart.defaults.font.family = cssVar("--mamori-font", "sans-serif");
    Chart.defaults.color = cssVar("--mamori-text", "#333333");
    canvas.dataset[spec.flag] = "1";
    new Chart(canvas, config);
  }

  function draw(root, spec) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        draw(root, spec);
      });
      return;
    }
    if (!window.Chart) return;
    root.querySelectorAll("canvas[" + spec.attribute + "]").forEach(function (canvas) {
      drawOne(canvas, spec);
    });
  }

  window.mamoriCharts = { draw: draw };
})();
