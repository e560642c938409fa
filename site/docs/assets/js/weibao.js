/* weibao site: quick exit and list filters. Self-hosted, no dependencies; the pages work
   without it (the exit is a plain link, the lists are complete and grouped by region). */
(function () {
  "use strict";

  function quickExit() {
    var link = document.getElementById("wb-quick-exit");
    if (!link) return;
    var go = function () {
      document.body.style.visibility = "hidden";
      window.location.replace(link.href);
    };
    link.addEventListener("click", function (event) {
      event.preventDefault();
      go();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var t = event.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
      var searching = document.getElementById("__search");
      if (typing || (searching && searching.checked)) return;
      go();
    });
  }

  /* A form[data-wb-filter=ID] filters the [data-wb-item] elements inside #ID: each <select>
     name matches the item's data-<name> attribute (values separated by "|" or spaces). */
  function filters() {
    var forms = document.querySelectorAll("form[data-wb-filter]");
    Array.prototype.forEach.call(forms, function (form) {
      var list = document.getElementById(form.getAttribute("data-wb-filter"));
      if (!list) return;
      var items = list.querySelectorAll("[data-wb-item]");
      var groups = list.querySelectorAll("[data-wb-group]");
      var count = form.querySelector(".wb-filter__count");
      var selects = form.querySelectorAll("select");
      var apply = function () {
        var shown = 0;
        Array.prototype.forEach.call(items, function (item) {
          var ok = Array.prototype.every.call(selects, function (s) {
            if (!s.value) return true;
            var values = (item.getAttribute("data-" + s.name) || "").split(/[|\s]+/);
            return values.indexOf(s.value) !== -1;
          });
          item.hidden = !ok;
          if (ok) shown += 1;
        });
        Array.prototype.forEach.call(groups, function (g) {
          g.hidden = !g.querySelector("[data-wb-item]:not([hidden])");
        });
        if (count) count.textContent = "显示 " + shown + " / " + items.length + " 项";
      };
      form.addEventListener("change", apply);
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      form.hidden = false;
      apply();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { quickExit(); filters(); });
  } else {
    quickExit();
    filters();
  }
})();
