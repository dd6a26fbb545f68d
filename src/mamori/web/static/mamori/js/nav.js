/*
 * mamori — the primary navigation's comforts. The menu works without this file: each
 * group is a native <details> disclosure (see includes/header.html and css/nav.css).
 *
 *   - opening one group closes the others (browsers that honour <details name> do so already);
 *   - Escape closes the open group and returns focus to its summary;
 *   - a click outside the menu, or moving the focus out of a group, closes it.
 *
 * No inline handlers, no eval: the CSP allows scripts from 'self' only.
 */
(function () {
  "use strict";

  var nav = document.querySelector(".primary-nav");
  if (!nav) return;
  var groups = Array.prototype.slice.call(nav.querySelectorAll("details.primary-nav__group"));
  if (!groups.length) return;

  function closeAll(except) {
    groups.forEach(function (group) {
      if (group !== except && group.open) group.open = false;
    });
  }

  groups.forEach(function (group) {
    group.addEventListener("toggle", function () {
      if (group.open) closeAll(group);
    });
    group.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (group.open && next && !group.contains(next)) group.open = false;
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var open = groups.filter(function (group) {
      return group.open;
    })[0];
    if (!open) return;
    var hadFocus = open.contains(document.activeElement);
    open.open = false;
    if (hadFocus) open.querySelector("summary").focus();
  });

  document.addEventListener("click", function (event) {
    if (!nav.contains(event.target)) closeAll(null);
  });
})();
