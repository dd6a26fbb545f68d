/*
 * mamori — small progressive enhancements. Every page works without this file.
 *
 *   <form data-confirm="取り消しますか？">      ask before submitting (also on a submit button)
 *   .alert[data-dismissible]                   adds a close button to a message
 *   <button data-copy="#new-token">            copies the text of the target to the clipboard
 *   <canvas data-chart="json-script-id">       draws a Chart.js chart from {{ config|json_script:"id" }}
 *                                               (the page loads vendor/chart.umd.min.js and
 *                                               mamori/js/charts.js itself)
 *
 * No inline handlers, no eval: the CSP allows scripts from 'self' only.
 */
(function () {
  "use strict";

  var lang = (document.documentElement.getAttribute("lang") || "ja").slice(0, 2);
  var TEXT = {
    ja: { close: "閉じる", copied: "コピーしました", copyFailed: "コピーできませんでした" },
    en: { close: "Close", copied: "Copied", copyFailed: "Could not copy" },
  };
  var t = TEXT[lang] || TEXT.ja;

  // --- confirm before submitting --------------------------------------------------
  // Capture phase, so a cancelled submit never reaches htmx or other listeners.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var submitter = event.submitter;
      var message =
        (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // --- dismissible messages -------------------------------------------------------
  function addCloseButtons(root) {
    root.querySelectorAll(".alert[data-dismissible]").forEach(function (alert) {
      if (alert.querySelector(".alert__close")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "alert__close";
      button.setAttribute("aria-label", t.close);
      button.textContent = "×";
      button.addEventListener("click", function () {
        var next = alert.nextElementSibling || alert.parentElement;
        alert.remove();
        // Keep keyboard focus somewhere sensible after the button disappears.
        var main = document.getElementById("main");
        if (next && next.focus && next.tabIndex >= 0) next.focus();
        else if (main) main.focus();
      });
      alert.appendChild(button);
    });
  }

  // --- copy to clipboard ------------------------------------------------------------
  function addCopyButtons(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      if (button.dataset.mamoriCopy) return;
      button.dataset.mamoriCopy = "1";
      button.addEventListener("click", function () {
        var target = document.querySelector(button.getAttribute("data-copy"));
        if (!target || !navigator.clipboard) return;
        var text = "value" in target ? target.value : target.textContent;
        var original = button.textContent;
        navigator.clipboard.writeText(text.trim()).then(
          function () {
            button.textContent = t.copied;
          },
          function () {
            button.textContent = t.copyFailed;
          }
        );
        window.setTimeout(function () {
          button.textContent = original;
        }, 2000);
      });
    });
  }

  // --- charts (mamori/js/charts.js draws them) -----------------------------------------
  var CHARTS = {
    attribute: "data-chart",
    flag: "mamoriChart",
    colours: [
      ["--color-primitive-blue-900", "#0017c1"],
      ["--color-primitive-green-700", "#1d8b56"],
      ["--color-primitive-orange-700", "#e25100"],
      ["--color-primitive-purple-700", "#6f23d0"],
      ["--color-primitive-light-blue-700", "#0877d7"],
      ["--color-primitive-red-900", "#ce0000"],
      ["--color-primitive-yellow-700", "#b78f00"],
      ["--color-neutral-solid-gray-536", "#767676"],
    ],
    paint: function (dataset, i, colours, config) {
      if (dataset.backgroundColor) return;
      var pie = config.type === "pie" || config.type === "doughnut";
      dataset.backgroundColor = pie ? colours : colours[i % colours.length];
      if (!pie) dataset.borderColor = colours[i % colours.length];
    },
  };

  function drawCharts(root) {
    if (window.mamoriCharts) window.mamoriCharts.draw(root, CHARTS);
  }

  function enhance(root) {
    addCloseButtons(root);
    addCopyButtons(root);
    drawCharts(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhance(document);
    });
  } else {
    enhance(document);
  }
  // Content swapped in by htmx gets the same treatment.
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) enhance(event.target);
  });
})();
