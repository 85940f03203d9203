// The exam page: server-timed countdown, saving each answer as it is given, a local journal
// re-sent after a network drop, the question navigator and the saved/unsaved indicator.
// Without this script the form still works: its buttons post every answer.
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) { return; }
  var id = root.getAttribute("data-id");
  var form = document.getElementById("exam-form");
  var timeEl = document.getElementById("time-left");
  var saveEl = document.getElementById("save-state");
  var announceEl = document.getElementById("time-announce");
  var api = "/api/v1/exams/" + encodeURIComponent(id);

  // Time. The deadline is the server's; the page never trusts the device clock: it takes the
  // server's time at load and counts elapsed time with performance.now(), which a changed or
  // wrong device clock does not move. Every save answer re-synchronises it.
  var deadline = Date.parse(root.getAttribute("data-deadline"));
  var serverAt = Date.parse(root.getAttribute("data-server-now"));
  var perfAt = performance.now();
  function serverNow() { return serverAt + (performance.now() - perfAt); }
  function sync(serverNowISO, deadlineISO) {
    if (serverNowISO) { serverAt = Date.parse(serverNowISO); perfAt = performance.now(); }
    if (deadlineISO) { deadline = Date.parse(deadlineISO); }
  }

  // The journal: every answer given, with its sequence number, kept in localStorage until the
  // server has it. A reload, a crash or a network drop loses nothing; a save is re-sent with the
  // same number, which the server treats as a repeat (never overwriting a newer answer).
  var key = "auxportal-exam-" + id;
  var journal = {};
  try { journal = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { journal = {}; }
  var lastSeq = parseInt(root.getAttribute("data-last-seq"), 10) || 0;
  Object.keys(journal).forEach(function (no) { lastSeq = Math.max(lastSeq, journal[no].seq); });
  // A save's number is the server's clock in milliseconds (kept increasing on this page): the
  // same candidate on a phone and a PC then numbers their answers in the order they were given,
  // so the later answer wins on the server whichever device gave it.
  function nextSeq() {
    lastSeq = Math.max(lastSeq + 1, Math.floor(serverNow()));
    return lastSeq;
  }
  function store() { try { localStorage.setItem(key, JSON.stringify(journal)); } catch (e) { /* full or private mode */ } }

  function fieldsetOf(no) { return form.querySelector('fieldset.q[data-no="' + no + '"]'); }
  function answerOf(fs) {
    var no = fs.getAttribute("data-no"), type = fs.getAttribute("data-type"), name = "a_" + no;
    var a = {};
    if (type === "single" || type === "multiple") {
      a.choices = [];
      fs.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (el) { a.choices.push(el.value); });
    } else if (type === "truefalse") {
      var el = fs.querySelector('input[name="' + name + '"]:checked');
      if (el) { a.truth = el.value === "true"; }
    } else if (type === "fill") {
      a.blanks = [];
      for (var i = 0; i < parseInt(fs.getAttribute("data-blanks"), 10); i++) {
        var b = fs.querySelector('[name="' + name + "_" + i + '"]');
        a.blanks.push(b ? b.value : "");
      }
    } else {
      var t = fs.querySelector('[name="' + name + '"]');
      a.text = t ? t.value : "";
    }
    return a;
  }
  function show(fs, a) {
    var no = fs.getAttribute("data-no"), type = fs.getAttribute("data-type"), name = "a_" + no;
    if (type === "single" || type === "multiple") {
      fs.querySelectorAll('input[name="' + name + '"]').forEach(function (el) { el.checked = (a.choices || []).indexOf(el.value) >= 0; });
    } else if (type === "truefalse") {
      fs.querySelectorAll('input[name="' + name + '"]').forEach(function (el) { el.checked = a.truth !== undefined && String(a.truth) === el.value; });
    } else if (type === "fill") {
      (a.blanks || []).forEach(function (v, i) { var b = fs.querySelector('[name="' + name + "_" + i + '"]'); if (b) { b.value = v; } });
    } else {
      var t = fs.querySelector('[name="' + name + '"]');
      if (t) { t.value = a.text || ""; }
    }
  }
  function answered(a) {
    return (a.choices && a.choices.length) || a.truth !== undefined ||
      (a.blanks && a.blanks.some(function (b) { return b.trim() !== ""; })) || (a.text && a.text.trim() !== "");
  }
  function mark(no, a) {
    var nav = document.getElementById("nav" + no);
    if (!nav) { return; }
    var yes = answered(a);
    nav.classList.toggle("answered", !!yes);
    nav.setAttribute("aria-label", "第 " + no + " 题" + (yes ? "（已答）" : "（未答）"));
  }

  // What the journal holds that the server does not (a newer answer given offline before a
  // reload) goes back into the form and is sent again.
  Object.keys(journal).forEach(function (no) {
    var fs = fieldsetOf(no);
    if (!fs) { delete journal[no]; return; }
    var stored = parseInt(fs.getAttribute("data-seq"), 10) || 0;
    if (journal[no].seq > stored) { show(fs, journal[no].answer); mark(no, journal[no].answer); } else { delete journal[no]; }
  });
  store();

  var closed = false, retry = 1000, pendingTimer = null, inflight = null, again = false;
  function pending() { return Object.keys(journal).filter(function (no) { return !journal[no].acked; }); }
  function state(text, cls) { saveEl.textContent = text; saveEl.className = "save-state " + (cls || ""); }
  function refreshState() {
    if (closed) { state("考试已结束，答案已锁定", "closed"); return; }
    var n = pending().length;
    if (n === 0) { state("已保存", "saved"); } else if (!navigator.onLine) { state(n + " 题未保存（网络断开，恢复后自动补传）", "unsaved"); } else { state(n + " 题保存中…", "saving"); }
  }
  // problem shows (or clears) what is wrong with a question's answer, in its box.
  function problem(fs, text) {
    if (!fs) { return; }
    var el = fs.querySelector(".q-problem");
    if (!text) { if (el) { el.remove(); } return; }
    if (!el) {
      el = document.createElement("p");
      el.className = "field-error q-problem";
      el.setAttribute("role", "alert");
      fs.appendChild(el);
    }
    el.textContent = text;
  }
  function later() {
    clearTimeout(pendingTimer);
    pendingTimer = setTimeout(flush, retry);
    retry = Math.min(retry * 2, 30000);
  }
  // flush sends what the server does not have yet. It resolves once nothing it can send is
  // left unsent (true) or sending failed for now (false); called while a save is in flight, it
  // waits for that one and sends again.
  function flush() {
    if (inflight) { again = true; return inflight; }
    var nos = pending();
    if (closed || nos.length === 0) { refreshState(); return Promise.resolve(nos.length === 0); }
    refreshState();
    var saves = nos.map(function (no) { return { no: parseInt(no, 10), seq: journal[no].seq, answer: journal[no].answer }; });
    inflight = fetch(api + "/saves", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ saves: saves })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; }, function () {
        return { ok: r.ok, status: r.status, body: {} };
      });
    }).then(function (res) {
      if (res.status === 401) { state("登录已过期，请重新登录后继续（答案已保存在本机）", "unsaved"); return false; }
      if (res.status === 400 && res.body.error && res.body.error.fields) {
        // Answers the server refuses (too long, say) are shown on their question and taken out
        // of the journal, so that they never hold the others back.
        var fields = res.body.error.fields;
        Object.keys(fields).forEach(function (k) {
          var m = /^saves\.(\d+)\./.exec(k);
          if (!m || !saves[+m[1]]) { return; }
          var no = saves[+m[1]].no;
          problem(fieldsetOf(no), fields[k] + "：未保存，请修改");
          delete journal[no];
        });
        store();
        return "again";
      }
      if (!res.ok) { throw new Error("save " + res.status); }
      retry = 1000;
      sync(res.body.server_now, res.body.deadline);
      var bump = false;
      (res.body.results || []).forEach(function (r) {
        var j = journal[r.no], fs = fieldsetOf(r.no);
        if (!j || j.seq !== r.seq) { return; } // answered again meanwhile: the newer one is pending
        if (fs && r.stored_seq) { fs.setAttribute("data-seq", r.stored_seq); }
        switch (r.outcome) {
        case "accepted": case "duplicate":
          delete journal[r.no];
          break;
        case "stale":
          // Another device of the candidate answered this question later: the server keeps
          // that answer, and so does this page.
          delete journal[r.no];
          if (fs && r.stored) { show(fs, r.stored); mark(r.no, r.stored); }
          problem(fs, "已按您在另一设备上的最新作答更新");
          break;
        case "closed":
          closed = true;
          break;
        default: // conflict, invalid: number it anew and send again, after a pause
          j.seq = nextSeq();
          bump = true;
        }
      });
      if (res.body.closed) { closed = true; }
      store();
      refreshState();
      if (closed) { finish(); return false; }
      if (bump) { later(); return false; }
      return pending().length ? "again" : true;
    }).catch(function () {
      refreshState();
      later();
      return false;
    }).then(function (done) {
      inflight = null;
      if (done === "again" || again) { again = false; return flush(); }
      return done;
    });
    return inflight;
  }

  var debounce = {};
  function changed(fs) {
    if (closed) { return; }
    var no = fs.getAttribute("data-no");
    var a = answerOf(fs);
    mark(no, a);
    journal[no] = { seq: nextSeq(), answer: a, acked: false };
    problem(fs, "");
    store();
    refreshState();
    clearTimeout(debounce[no]);
    debounce[no] = setTimeout(flush, fs.getAttribute("data-type") === "short" || fs.getAttribute("data-type") === "fill" ? 800 : 150);
  }
  form.addEventListener("input", function (ev) { var fs = ev.target.closest("fieldset.q"); if (fs) { changed(fs); } });
  form.addEventListener("change", function (ev) { var fs = ev.target.closest("fieldset.q"); if (fs) { changed(fs); } });
  window.addEventListener("online", function () { report("online"); flush(); });
  window.addEventListener("offline", function () { report("offline"); refreshState(); });

  // Handing in: everything pending is sent first; nothing is handed in while answers are still
  // unsaved (they would not count); then the server's hand-in gives the receipt.
  var handingIn = false;
  form.addEventListener("submit", function (ev) {
    var btn = ev.submitter;
    ev.preventDefault();
    if (!btn || btn.name !== "hand_in") { flush(); return; }
    if (handingIn || !window.confirm(btn.getAttribute("data-confirm"))) { return; }
    handingIn = true;
    flush().then(function () {
      var left = pending().length;
      if (left > 0 && !closed) {
        state("还有 " + left + " 题答案未保存到服务器，暂不能交卷：请检查网络后再点“交卷”", "unsaved");
        return null;
      }
      return fetch(api + "/submit", { method: "POST", credentials: "same-origin", headers: { "Accept": "application/json" } });
    }).then(function (r) {
      handingIn = false;
      if (r === null) { return; }
      if (r.ok) { forget(); window.location.href = "/exams/" + id + "?ok=handed_in"; }
      else { state("交卷失败，请重试", "unsaved"); }
    }).catch(function () { handingIn = false; state("网络异常，交卷未完成，请在网络恢复后重试", "unsaved"); });
  });
  function forget() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  // The clock is checked against the server every minute and when the page comes back into
  // view (time added by the invigilator, a device that slept), with a save of nothing.
  function clockCheck() {
    if (closed || inflight) { return; }
    fetch(api + "/saves", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" }, body: "{\"saves\":[]}" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (b) {
        if (!b) { return; }
        sync(b.server_now, b.deadline);
        if (b.closed) { closed = true; finish(); }
      }).catch(function () { /* offline: the next check */ });
  }
  setInterval(clockCheck, 60000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { clockCheck(); } });

  // The countdown, and what a screen reader hears: the time left at 10, 5 and 1 minutes, not
  // every second.
  var announced = {};
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, deadline - serverNow());
    var s = Math.floor(left / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    timeEl.textContent = (h ? h + ":" + two(m) : m) + ":" + two(s % 60);
    root.classList.toggle("ending", left < 5 * 60 * 1000);
    [10, 5, 1].forEach(function (mins) {
      if (left <= mins * 60000 && left > (mins * 60000 - 60000) && !announced[mins]) {
        announced[mins] = true;
        announceEl.textContent = "剩余 " + mins + " 分钟";
      }
    });
    if (left <= 0) {
      // Ask the server before closing: time may have been added since the last check.
      if (!tick.asked) {
        tick.asked = true;
        clockCheck();
        setTimeout(function () { tick.asked = false; if (!closed && deadline - serverNow() <= 0) { closed = true; finish(); } else if (!closed) { tick(); } }, 3000);
      }
      return;
    }
    setTimeout(tick, 1000 - (serverNow() % 1000) + 5);
  }
  var finishing = false;
  function finish() {
    if (finishing) { return; }
    finishing = true;
    state("时间到，系统已自动收卷", "closed");
    forget();
    form.querySelectorAll("input, textarea, button").forEach(function (el) { el.disabled = true; });
    // The server closes the attempt at its deadline whatever the browser does; the page shows
    // the receipt once it has.
    setTimeout(function () { window.location.href = "/exams/" + id; }, 1500);
  }

  // Evidence for the invigilator (never an automatic fail): leaving the page, switching tabs,
  // pasting, losing the network. Sent in small batches.
  var events = [];
  function report(kind, detail) {
    events.push({ kind: kind, detail: detail || "" });
    if (events.length >= 20) { sendEvents(); }
  }
  function sendEvents() {
    if (!events.length || closed) { return; }
    var batch = events.splice(0, 50);
    fetch(api + "/events", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ events: batch })
    }).catch(function () { events = batch.concat(events).slice(0, 200); });
  }
  document.addEventListener("visibilitychange", function () { report(document.hidden ? "hidden" : "visible"); });
  window.addEventListener("blur", function () { report("focus_lost"); });
  window.addEventListener("focus", function () { report("focus_back"); });
  form.addEventListener("paste", function (ev) {
    var text = (ev.clipboardData && ev.clipboardData.getData("text")) || "";
    report("paste", text.length + " 字");
  });
  setInterval(sendEvents, 5000);
  if (performance.getEntriesByType && performance.getEntriesByType("navigation").some(function (n) { return n.type === "reload"; })) {
    report("resumed");
  }

  refreshState();
  tick();
  flush();
})();
