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

  /* Search (Pagefind): the index is fetched only when someone searches, in small pieces.
     form.wb-search on search.html; ?q= from any page's header link fills it. Result excerpts
     are parsed into an inert <template> and rebuilt as text plus <mark>, never as HTML. */
  var pagefind = null;

  function bundleUrl() {
    var me = document.querySelector("script[src$='assets/js/weibao.js']");
    return me ? me.src.replace(/assets\/js\/weibao\.js.*$/, "pagefind/pagefind.js") : "pagefind/pagefind.js";
  }

  function excerptInto(target, excerpt) {
    var tpl = document.createElement("template");
    tpl.innerHTML = excerpt;
    Array.prototype.forEach.call(tpl.content.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function search() {
    var form = document.querySelector("form.wb-search");
    if (!form) return;
    var input = form.querySelector("input[type=search]");
    var status = document.querySelector(".wb-search__status");
    var list = document.querySelector(".wb-search__results");
    var latest = 0;
    var run = function () {
      var query = input.value.trim();
      var mine = ++latest;
      list.textContent = "";
      if (!query) { status.textContent = ""; return; }
      status.textContent = "正在搜索……";
      var ready = pagefind ? Promise.resolve(pagefind) : import(bundleUrl()).then(function (pf) {
        pagefind = pf;
        return pf.options({ excerptLength: 40 }).then(function () { return pf; });
      });
      ready.then(function (pf) { return pf.search(query); }).then(function (found) {
        if (mine !== latest) return null;
        return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); }));
      }).then(function (items) {
        if (items === null || mine !== latest) return;
        status.textContent = items.length ? "找到 " + items.length + (items.length === 10 ? "+" : "") + " 个页面" : "没有找到“" + query + "”，请换一个词试试。";
        items.forEach(function (item) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = item.url;
          a.textContent = (item.meta && item.meta.title) || item.url;
          var p = document.createElement("p");
          excerptInto(p, item.excerpt || "");
          li.appendChild(a);
          li.appendChild(p);
          list.appendChild(li);
        });
      }).catch(function () {
        status.textContent = "搜索暂时不可用（直接打开文件时浏览器不允许加载搜索索引，请通过网址访问）。";
      });
    };
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { input.value = q; run(); }
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
        if (count) {
          count.textContent = shown ? "显示 " + shown + " / " + items.length + " 项"
            : "没有同时符合这些条件的项目。请把某一项改回“全部”。";
        }
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
    search();
    filters();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
