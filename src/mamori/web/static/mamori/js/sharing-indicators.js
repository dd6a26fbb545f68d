/*
 * mamori — charts of the sharing indicators and the 浸透状況 survey rates
 * (/sharing/indicators/, /sharing/surveys/<id>/rates/).
 *
 *   <div class="chart shi-chart"><canvas data-sharing-chart="json-script-id"></canvas></div>
 *   {{ config|json_script:"json-script-id" }}
 *
 * Bars per sector. A config with options.percent = true gets a 0–100 value axis with "%"
 * ticks. The box grows with the number of sectors. The page loads vendor/chart.umd.min.js
 * and mamori/js/charts.js (which draws) before this file (all deferred). No inline
 * script or style (CSP 'self' only).
 */
(function () {
  "use strict";

  if (!window.mamoriCharts) return;

  window.mamoriCharts.draw(document, {
    attribute: "data-sharing-chart",
    flag: "shiDrawn",
    colours: [
      ["--color-primitive-blue-900", "#0017c1"],
      ["--color-primitive-orange-700", "#e25100"],
      ["--color-primitive-green-700", "#1d8b56"],
      ["--color-primitive-purple-700", "#6f23d0"],
    ],
    height: { bar: 22, min: 220, factor: 0.6, extra: 80 },
  });
})();
