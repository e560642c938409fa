/* weibao site: quick exit, "open now" of hotlines, and list filters. Self-hosted, no dependencies; the pages work
   without it (the exit is a plain link, the lists are complete and grouped by region). */
(function () {
  "use strict";

  /* Quick exit, after GOV.UK "Exit this page": blank the page at once, then leave with
     location.replace so Back does not come back here; Shift pressed three times within five
     seconds does the same; if the browser brings the page back from its cache, un-blank it. */
  function quickExit() {
    var link = document.getElementById("wb-quick-exit");
    if (!link) return;
    var leave = function () {
      document.documentElement.classList.add("wb-leaving");
      document.title = "";
      window.location.replace(link.href);
    };
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
    var presses = 0;
    var timer = null;
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") { presses = 0; return; }
      presses += 1;
      clearTimeout(timer);
      timer = setTimeout(function () { presses = 0; }, 5000);
      if (presses >= 3) { presses = 0; leave(); }
    });
    window.addEventListener("pageshow", function () {
      document.documentElement.classList.remove("wb-leaving");
    });
  }

  /* "现在可拨打 / 已下班" from [data-wb-hours] (JSON: periods of days 1-7 = Mon-Sun, open and
     close "HH:MM") in the repository's time zone (data-wb-tz), whatever the phone's zone. */
  var DAYS = ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"];
  var WEEKDAY = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

  function nowIn(zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", hour: "2-digit",
      minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date()).forEach(function (p) {
      parts[p.type] = p.value;
    });
    return { day: WEEKDAY[parts.weekday], minutes: parseInt(parts.hour, 10) * 60 + parseInt(parts.minute, 10) };
  }

  function toMinutes(hhmm) {
    var bits = hhmm.split(":");
    return parseInt(bits[0], 10) * 60 + parseInt(bits[1], 10);
  }

  function nextOpening(periods, now) {
    for (var ahead = 0; ahead <= 7; ahead += 1) {
      var day = ((now.day - 1 + ahead) % 7) + 1;
      var best = null;
      periods.forEach(function (p) {
        if (p.days.indexOf(day) === -1) return;
        var start = toMinutes(p.open);
        if (ahead === 0 && start <= now.minutes) return;
        if (best === null || start < toMinutes(best)) best = p.open;
      });
      if (best !== null) return (ahead === 0 ? "今天" : ahead === 1 ? "明天" : DAYS[day]) + " " + best;
    }
    return "";
  }

  function openNow() {
    var items = document.querySelectorAll("[data-wb-hours]");
    Array.prototype.forEach.call(items, function (el) {
      var periods;
      try { periods = JSON.parse(el.getAttribute("data-wb-hours")); } catch (e) { return; }
      var now = nowIn(el.getAttribute("data-wb-tz") || "Asia/Shanghai");
      var open = periods.some(function (p) {
        return p.days.indexOf(now.day) !== -1 && toMinutes(p.open) <= now.minutes &&
          now.minutes < toMinutes(p.close);
      });
      var next = open ? "" : nextOpening(periods, now);
      el.textContent = open ? "现在可拨打" : "已下班" + (next ? "，" + next + " 开始接听" : "");
      el.className = "wb-open " + (open ? "wb-open--yes" : "wb-open--no");
      el.hidden = false;
    });
  }

  /* Accessibility the theme leaves out: a name for the search dialog, and scroll containers
     (wide tables, code) that keyboard users can reach; a wide table says it scrolls. */
  function scrollRegions() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-search[role=dialog]"), function (el) {
      el.setAttribute("aria-label", "搜索本站");
    });
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset pre > code, .wb-table-wrap");
    Array.prototype.forEach.call(boxes, function (box) {
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) {
        var caption = box.querySelector("caption");
        box.setAttribute("aria-label", caption ? caption.textContent : (box.tagName === "CODE" ? "代码" : "表格"));
      }
      if (box.tagName === "CODE") return;
      var hint = document.createElement("p");
      hint.className = "wb-scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "表格较宽，可左右滑动查看 →";
      box.parentNode.insertBefore(hint, box);
      var update = function () { hint.hidden = box.scrollWidth <= box.clientWidth + 1; };
      update();
      window.addEventListener("resize", update);
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

  function start() {
    quickExit();
    openNow();
    scrollRegions();
    filters();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
