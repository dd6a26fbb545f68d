/*
 * 公表前チェック / send check: drop files onto the zone around the file input.
 *
 *   <div data-scan-dropzone> … <input type=file multiple> … <ul data-scan-list> </div>
 *
 * Dropped files are put into the input itself (DataTransfer), so the ordinary form post
 * sends them; without this script the input works as it is. No inline code (CSP).
 */
(function () {
  "use strict";

  var lang = (document.documentElement.getAttribute("lang") || "ja").slice(0, 2);
  var TEXT = {
    ja: { selected: "選んだファイル", bytes: "バイト" },
    en: { selected: "Selected files", bytes: "bytes" },
  };
  var t = TEXT[lang] || TEXT.ja;

  function listFiles(zone, input) {
    var list = zone.querySelector("[data-scan-list]");
    if (!list) return;
    list.textContent = "";
    Array.prototype.forEach.call(input.files || [], function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + file.size.toLocaleString() + " " + t.bytes + ")";
      list.appendChild(item);
    });
    list.setAttribute("aria-label", t.selected);
  }

  function setUp(zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input || zone.dataset.scanReady) return;
    zone.dataset.scanReady = "1";
    zone.classList.add("scan-dropzone--active");
    input.addEventListener("change", function () {
      listFiles(zone, input);
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("scan-dropzone--over");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("scan-dropzone--over");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("scan-dropzone--over");
      var dropped = event.dataTransfer && event.dataTransfer.files;
      if (!dropped || !dropped.length) return;
      var transfer = new DataTransfer();
      Array.prototype.forEach.call(dropped, function (file) {
        transfer.items.add(file);
      });
      input.files = transfer.files;
      listFiles(zone, input);
      input.focus();
    });
  }

  function init() {
    document.querySelectorAll("[data-scan-dropzone]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
