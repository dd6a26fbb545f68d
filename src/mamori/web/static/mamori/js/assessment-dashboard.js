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
 * and mamori/js/charts.js (which draws) before this file (all deferred). No inline
 * script or style: CSP allows 'self' only.
 */
(function () {
  "use strict";

  if (!window.mamoriCharts) return;

  window.mamoriCharts.draw(document, {
    attribute: "data-assessment-chart",
    flag: "asdDrawn",
    colours: [
      ["--color-primitive-blue-900", "#0017c1"],
      ["--color-primitive-green-700", "#1d8b56"],
      ["--color-primitive-orange-700", "#e25100"],
    ],
    height: { bar: 26, min: 200, factor: 0.75, extra: 60 },
    prepare: function (config, valueAxis) {
      config.options.percent = true;
      config.options.plugins = config.options.plugins || {};
      config.options.plugins.tooltip = {
        callbacks: {
          label: function (context) {
            var value = context.parsed[valueAxis];
            var text = value === null || value === undefined ? "—" : value + "%";
            return (context.dataset.label ? context.dataset.label + ": " : "") + text;
          },
        },
      };
    },
  });
})();
