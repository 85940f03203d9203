// auxportal page scripts: small, dependency-free progressive enhancement.
(function () {
  "use strict";

  // Signing out forgets the exam pages' local journals: on a shared PC at the venue, the next
  // person must not find this candidate's answers in the browser.
  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    if (!f.getAttribute || f.getAttribute("action") !== "/logout") { return; }
    try {
      Object.keys(localStorage).forEach(function (k) { if (k.indexOf("auxportal-exam-") === 0) { localStorage.removeItem(k); } });
    } catch (e) { /* storage off */ }
  });

  // Forms with data-confirm ask before submitting.
  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    var msg = f.getAttribute && f.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });

  // Forms with data-once go once: a second tap while the first is on its way is dropped (the
  // server refuses a second application anyway). The pressed button is not disabled, since a
  // disabled button's name and value would not be sent.
  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    if (!f.hasAttribute || !f.hasAttribute("data-once")) { return; }
    if (f.getAttribute("data-sent")) { ev.preventDefault(); return; }
    f.setAttribute("data-sent", "1");
    f.setAttribute("aria-busy", "true");
  });

  // The application form: judge the answers rule by rule as the applicant types, through the
  // same engine the submission uses (POST /api/v1/openings/{id}/eligibility, stores nothing).
  var form = document.getElementById("apply-form");
  if (!form) { return; }
  var panel = document.getElementById("screening");
  var outcome = document.getElementById("screening-outcome");
  var list = document.getElementById("screening-checks");
  var opening = form.getAttribute("data-opening");
  var bools = ["veteran", "former_aux_staff", "party_member", "heroic_honor", "accepts_conditions", "healthy",
    "has_hukou", "has_licence"];
  // The 是/否 questions of rule A2-6: unanswered is null, never "no".
  var answers = ["under_discipline", "criminal_penalty_unfinished", "under_investigation", "other_bar"];
  var labels = { pass: "符合", fail: "不符合", relaxed: "放宽，待复核" };
  var outcomes = { eligible: "符合报名条件", ineligible: "不符合报名条件", pending_review: "需人工复核（放宽条件）" };
  var timer = null, seq = 0;

  function value(name) {
    var el = form.elements[name];
    return el ? el.value.trim() : "";
  }
  function payload() {
    var p = { name: value("name") || "报名人", id_number: value("id_number"), education: value("education"),
      major: value("major"), former_aux_end: value("former_aux_end") };
    bools.forEach(function (b) { var el = form.elements[b]; p[b] = !!(el && el.checked); });
    answers.forEach(function (a) {
      var el = form.querySelector('input[name="' + a + '"]:checked');
      p[a] = el ? el.value === "true" : null;
    });
    return p;
  }
  function show(text, cls, checks) {
    panel.hidden = false;
    outcome.textContent = text;
    outcome.className = "outcome " + (cls || "");
    list.textContent = "";
    (checks || []).forEach(function (c) {
      var li = document.createElement("li");
      li.className = "c-" + c.outcome;
      var rule = document.createElement("strong");
      rule.textContent = (c.rule_name || "报名条件") + " " + (labels[c.outcome] || c.outcome) + "：";
      li.appendChild(rule);
      li.appendChild(document.createTextNode(c.message));
      list.appendChild(li);
    });
  }
  // 性别 and 出生日期 on the form come from the server's reading of the ID number, never typed.
  var gender = document.getElementById("derived-gender"), birth = document.getElementById("derived-birth");
  var waiting = gender ? gender.textContent : "";
  function derived(g, b) {
    if (!gender || !birth) { return; }
    gender.textContent = g || waiting;
    birth.textContent = b || waiting;
  }
  function chineseDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : s;
  }
  function check() {
    var p = payload();
    if (p.id_number.length < 18) { derived("", ""); }
    if (p.id_number.length < 18 || !p.education) { return; }
    var mine = ++seq;
    fetch("/api/v1/openings/" + encodeURIComponent(opening) + "/eligibility", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(p)
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (mine !== seq) { return; }
      if (!res.ok) {
        var e = res.body && res.body.error;
        if (e && e.fields && e.fields.id_number) { derived("", ""); }
        show(e ? e.message : "暂时无法预审", "o-ineligible", []);
        return;
      }
      var b = res.body, text = outcomes[b.outcome] || b.outcome;
      derived(b.gender, chineseDate(b.birth_date));
      if (b.birth_date) { text += "（出生日期 " + b.birth_date + "，基准日 " + b.age + " 周岁）"; }
      show(text, "o-" + b.outcome, b.checks);
    }).catch(function () { if (mine === seq) { show("网络异常，暂时无法预审；提交后仍会审查。", "", []); } });
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(check, 250); }

  // Shrink big phone photos in the browser before they are sent: a 12-megapixel photo is often
  // over the 5 MB limit, slow on a mobile connection, and the server keeps at most 1600 px anyway.
  // The browser applies the photo's EXIF orientation while drawing. Without these APIs the file
  // goes as chosen, and the server still checks and re-encodes it.
  var maxSide = 1600;
  Array.prototype.forEach.call(form.querySelectorAll('input[type="file"]'), function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !/^image\/(jpeg|png)$/.test(file.type) || typeof DataTransfer === "undefined" ||
          !window.createImageBitmap) { return; }
      createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bmp) {
        var big = Math.max(bmp.width, bmp.height);
        if (big <= maxSide && file.size <= 1500000) { return; }
        var scale = Math.min(1, maxSide / big);
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bmp.width * scale);
        canvas.height = Math.round(bmp.height * scale);
        var ctx = canvas.getContext("2d");
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(bmp, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          if (!blob || input.files[0] !== file) { return; }
          var dt = new DataTransfer();
          dt.items.add(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }));
          input.files = dt.files;
        }, "image/jpeg", 0.85);
      }).catch(function () { /* keep the original */ });
    });
  });
  // The 报名表's tables (经历, 家庭成员) come with a few blank lines; a button adds one more, up to
  // the most the form takes (data-max), numbered like the server's: resume_org_4 is line 4.
  Array.prototype.forEach.call(form.querySelectorAll("fieldset.lines[data-max]"), function (set) {
    var max = Number(set.getAttribute("data-max")), unit = set.getAttribute("data-unit") || "行";
    var add = document.createElement("button");
    add.type = "button";
    add.className = "secondary small add-line";
    add.textContent = "增加一" + unit;
    function lines() { return set.querySelectorAll("fieldset.line"); }
    function refresh() { add.hidden = lines().length >= max; }
    add.addEventListener("click", function () {
      var all = lines(), last = all[all.length - 1], n = all.length + 1;
      var copy = last.cloneNode(true);
      copy.querySelector("legend").textContent = "第 " + n + " " + unit;
      Array.prototype.forEach.call(copy.querySelectorAll(".field-error"), function (e) { e.remove(); });
      Array.prototype.forEach.call(copy.querySelectorAll("[id], [for], [aria-describedby]"), function (el) {
        ["id", "for", "aria-describedby"].forEach(function (a) {
          var v = el.getAttribute(a);
          if (v) { el.setAttribute(a, v.replace(/_\d+(-err)?$/, "_" + n + "$1")); }
        });
        if (el.value !== undefined && el.tagName === "INPUT") { el.value = ""; }
      });
      last.after(copy);
      copy.querySelector("input").focus();
      refresh();
    });
    set.appendChild(add);
    refresh();
  });

  // Show the chosen photo at once, beside its requirements (a data: URL: the page's policy
  // allows no blob: images).
  var photo = form.elements.photo, preview = document.getElementById("photo-preview");
  if (photo && preview && window.FileReader) {
    photo.addEventListener("change", function () {
      var file = photo.files && photo.files[0];
      if (!file || !/^image\/(jpeg|png)$/.test(file.type)) { return; }
      var r = new FileReader();
      r.onload = function () { preview.src = r.result; preview.hidden = false; };
      r.readAsDataURL(file);
    });
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  check();
})();
