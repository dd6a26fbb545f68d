/*
 * 期限カレンダー: "all" / "none" buttons for the module filter.
 *
 *   <form data-cal-filter data-label-all="…" data-label-none="…">
 *     <fieldset> … <input type=checkbox name=module> … </fieldset> </form>
 *
 * The filter is an ordinary GET form: ticking a box changes nothing until the reader
 * presses the button (no change of context on input, WCAG 3.2.2). Without this script
 * the boxes are ticked one by one. No inline code (CSP). The button labels come
 * translated from the page (data-label-*), like every other string the reader sees.
 */
(function () {
  "use strict";

  function button(label, checked, boxes) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button button--small button--link";
    element.textContent = label;
    element.addEventListener("click", function () {
      boxes.forEach(function (box) {
        box.checked = checked;
      });
    });
    return element;
  }

  function setUp() {
    document.querySelectorAll("form[data-cal-filter]").forEach(function (form) {
      var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=module]"));
      var fieldset = form.querySelector("fieldset");
      var all = form.getAttribute("data-label-all");
      var none = form.getAttribute("data-label-none");
      if (boxes.length < 2 || !fieldset || !all || !none) {
        return;
      }
      var group = document.createElement("span");
      group.className = "cal-filter__all";
      group.appendChild(button(all, true, boxes));
      group.appendChild(button(none, false, boxes));
      fieldset.appendChild(group);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
