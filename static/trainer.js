// auxportal trainer pages: small, dependency-free progressive enhancement. The exam-day control
// room refreshes its table from GET /api/v1/sittings/{id}/live every few seconds (without it the
// page has a reload link); the blueprint form adds up its cells as they are typed.
(function () {
  "use strict";

  var every = 5000; // ms between refreshes of the control room

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // china writes an RFC 3339 time as China time (UTC+8, no daylight saving), whatever zone
  // the browser is in, as the server writes it.
  function china(iso, seconds) {
    if (!iso) { return ""; }
    var d = new Date(Date.parse(iso) + 8 * 3600 * 1000);
    var s = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
    return seconds ? s + ":" + pad(d.getUTCSeconds()) : s;
  }

  function span(cls, text) {
    var s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    return s;
  }

  function fill(td, nodes) {
    if (!td) { return; }
    td.textContent = "";
    nodes.forEach(function (n) { td.appendChild(typeof n === "string" ? document.createTextNode(n) : n); });
  }

  function controlRoom(box) {
    var src = box.getAttribute("data-src");
    var labels = {};
    try { labels = JSON.parse(box.getAttribute("data-labels") || "{}"); } catch (e) { labels = {}; }
    var status = document.getElementById("live-updated");
    var busy = false, stopped = false, last = "";

    function cell(tr, f) { return tr.querySelector('[data-f="' + f + '"]'); }

    // row writes one candidate exactly as the server renders the page.
    function row(r) {
      var tr = box.querySelector('tr[data-id="' + r.id + '"]');
      if (!tr) { return; }
      fill(cell(tr, "state"), [span("lv lv-" + r.state, r.state_label)]);
      var timing = "";
      if (r.state === "in_progress") { timing = "截止 " + china(r.deadline); }
      if (r.state === "handed_in" || r.state === "closed") { timing = "交卷 " + china(r.handed_in_at); }
      if (r.extra_minutes > 0 && !r.started_at) { timing = "延长 " + r.extra_minutes + " 分钟"; }
      fill(cell(tr, "timing"), [timing]);
      if (r.last_save) {
        fill(cell(tr, "save"), [china(r.last_save, true), document.createElement("br"),
          span("muted small", (r.seconds_since_save || 0) + " 秒前")]);
      } else {
        fill(cell(tr, "save"), ["—"]);
      }
      fill(cell(tr, "answered"), [r.answered + "/" + r.items]);
      var ev = [];
      (labels.evidence || []).forEach(function (k) {
        var n = r.events && r.events[k];
        if (n) { ev.push(span("ev", (labels.events[k] || k) + " ×" + n), " "); }
      });
      fill(cell(tr, "events"), ev.length ? ev : ["—"]);
      fill(cell(tr, "receipt"), [r.receipt || ""]);
      var res = [];
      if (r.outcome) {
        if (r.score) { res.push(r.score + " 分"); }
        res.push((labels.outcomes || {})[r.outcome] || r.outcome);
        var g = (labels.gates || {})[r.gate];
        if (g) { res.push(g); }
      }
      fill(cell(tr, "result"), [res.join(" · ")]);
    }

    function sitting(s) {
      var st = document.getElementById("sitting-status");
      if (st) { st.textContent = s.status_label; }
      var btn = document.getElementById("publish"), why = document.getElementById("publish-blocker");
      if (btn && why) {
        btn.disabled = !s.can_publish;
        if (s.can_publish) { btn.removeAttribute("aria-describedby"); } else { btn.setAttribute("aria-describedby", "publish-blocker"); }
        why.hidden = !!s.can_publish;
        why.textContent = s.publish_blocker ? "暂不能发布：" + s.publish_blocker : "";
      }
    }

    function show(room) {
      (room.rows || []).forEach(row);
      Array.prototype.forEach.call(box.querySelectorAll("[data-count]"), function (el) {
        el.textContent = (room.counts && room.counts[el.getAttribute("data-count")]) || 0;
      });
      if (room.sitting) { sitting(room.sitting); }
      last = china(room.server_now, true);
      if (status) { status.textContent = "更新于 " + last + "（每 " + every / 1000 + " 秒自动刷新）"; }
    }

    function refresh() {
      if (busy || stopped || document.hidden) { return; }
      busy = true;
      fetch(src, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
        if (r.status === 401 || r.status === 403) {
          stopped = true;
          throw new Error("登录已失效，请刷新页面后重新登录");
        }
        if (!r.ok) { throw new Error("自动刷新失败，稍后重试"); }
        return r.json();
      }).then(show).catch(function (e) {
        if (status) { status.textContent = e.message + (last ? "（上次更新 " + last + "）" : ""); }
      }).then(function () { busy = false; });
    }

    setInterval(refresh, every);
    document.addEventListener("visibilitychange", refresh);
  }

  // The blueprint form: questions and points of the cells as typed.
  function blueprintTotals(table) {
    var count = document.getElementById("bp-count"), total = document.getElementById("bp-total");
    if (!count || !total) { return; }
    function sum() {
      var n = 0, h = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
        var c = tr.querySelector('[data-cell="count"]'), p = tr.querySelector('[data-cell="points"]');
        var k = parseInt(c && c.value, 10), pts = parseFloat(p && p.value);
        if (k > 0 && pts > 0) {
          n += k;
          h += k * Math.round(pts * 100);
        }
      });
      count.textContent = n;
      total.textContent = (h / 100).toFixed(2);
    }
    table.addEventListener("input", sum);
  }

  var live = document.getElementById("live");
  if (live && live.getAttribute("data-src") && window.fetch) { controlRoom(live); }
  var cells = document.getElementById("bp-cells");
  if (cells) { blueprintTotals(cells); }
})();
