package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/recruitment"
)

// handInShortAnswers has the exam fixture's candidate answer every short-answer item and hand
// the paper in; it returns the short-answer items.
func (f *fixture) handInShortAnswers(ex examFixture, text string) []exams.Item {
	f.t.Helper()
	ctx := context.Background()
	c, err := f.store.CandidateByID(ctx, ex.candidate)
	if err != nil {
		f.t.Fatal(err)
	}
	p, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
	if err != nil {
		f.t.Fatal(err)
	}
	var shorts []exams.Item
	var saves []training.SaveInput
	for _, it := range p.Items() {
		if it.Type == exams.Short {
			shorts = append(shorts, it)
			saves = append(saves, training.SaveInput{No: it.No, Seq: int64(len(saves) + 1), Answer: exams.Answer{Text: text}})
		}
	}
	if _, err := f.exams.Save(ctx, f.actors[applicant], ex.candidate, saves); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.exams.HandIn(ctx, f.actors[applicant], ex.candidate); err != nil {
		f.t.Fatal(err)
	}
	return shorts
}

// snapshot is what the trainers' forms may change: the bank, blueprints, sittings, the audit
// log, the grading progress and the candidates' times. A refused form changes none of it.
func (f *fixture) snapshot(ex examFixture) string {
	f.t.Helper()
	ctx := context.Background()
	tr := f.actors[trainer]
	bank, err := f.exams.Bank(ctx, tr, models.BankFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	bps, _ := f.exams.Blueprints(ctx, tr)
	sts, _ := f.exams.Sittings(ctx, tr)
	audit, _ := f.rec.AuditLog(ctx, f.actors[district], 1000)
	queue, _ := f.exams.GradingQueue(ctx, tr, ex.sitting)
	live, _ := f.exams.Live(ctx, tr, ex.sitting)
	var times []string
	for _, r := range live.Rows {
		times = append(times, fmt.Sprint(r.ExtraMinutes, r.Deadline, r.Events))
	}
	q, _ := json.Marshal(queue)
	return fmt.Sprint(bank.Total, len(bps), len(sts), len(audit), string(q), times)
}

// Every trainer form refuses bad input on the page, in Chinese, with a 4xx status and the
// message on its field, and stores nothing.
func TestTrainerForms_BadInputStoresNothing(t *testing.T) {
	f := newFixture(t)
	ex := f.examFixture()
	shorts := f.handInShortAnswers(ex, "先劝导，再报告执法人员。")
	if len(shorts) == 0 {
		t.Fatal("the demo paper has no short answer")
	}
	sit := fmt.Sprintf("/trainer/sittings/%d", ex.sitting)
	tf := ""
	qs, err := f.exams.PaperQuestions(context.Background(), f.actors[trainer], ex.sitting)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Type == exams.TrueFalse {
			tf = fmt.Sprint(q.VersionID)
		}
	}
	blueprint := url.Values{"name": {"测试方案"}, "purpose": {"pre_job"}, "duration_minutes": {"60"}, "pass_mark": {"60"},
		"multi": {"all_or_nothing"}, "cell_category_0": {"法律法规"}, "cell_type_0": {"single"}, "cell_difficulty_0": {"0"},
		"cell_count_0": {""}, "cell_points_0": {""}}
	withCell := func(count, points string) string {
		v := url.Values{}
		for k, vs := range blueprint {
			v[k] = vs
		}
		v.Set("cell_count_0", count)
		v.Set("cell_points_0", points)
		return v.Encode()
	}
	cases := []struct {
		name, path string
		body       any
		status     int
		want       []string
	}{
		{"question without a correct option", "/trainer/bank/new",
			url.Values{"type": {"single"}, "category": {"法律法规"}, "difficulty": {"2"}, "stem": {"下列哪项属于辅助人员的职责？"},
				"option_A": {"宣传劝导"}, "option_B": {"独立执法"}}.Encode(),
			http.StatusBadRequest, []string{"请给出正确答案", `id="correct-err"`, `value="宣传劝导"`}},
		{"fill-in with a blank without answers", "/trainer/bank/new",
			url.Values{"type": {"fill"}, "category": {"法律法规"}, "difficulty": {"1"}, "stem": {"违法行为在 ____ 年内未被发现的，不再给予 ____。"},
				"blank_0": {"二|2"}}.Encode(),
			http.StatusBadRequest, []string{`id="blanks.1-err"`}},
		{"blueprint with no cells", "/trainer/blueprints/new", withCell("", ""),
			http.StatusBadRequest, []string{"请至少设置一个组卷条目", `id="spec-err"`}},
		{"blueprint with a pass mark above the total", "/trainer/blueprints/new", withCell("5", "2"),
			http.StatusBadRequest, []string{"合格分数线 60.00 分高于试卷总分 10.00 分"}},
		{"blueprint cell that is not a number", "/trainer/blueprints/new", withCell("五", "2"),
			http.StatusBadRequest, []string{"第 1 行：题数须为整数", `id="cells.0-err"`}},
		{"sitting that ends before it starts", "/trainer/sittings/new",
			url.Values{"title": {"第二期岗前培训考试"}, "blueprint_id": {fmt.Sprint(ex.blueprint)}, "opens": {"2026-06-20T10:00"},
				"closes": {"2026-06-20T09:00"}, "venue": {"区城管局考场"}, "opening_ids": {fmt.Sprint(f.opening)}}.Encode(),
			http.StatusBadRequest, []string{"考试结束时间必须晚于开始时间", `id="closes-err"`, `value="第二期岗前培训考试"`}},
		{"add time without a reason", sit + "/time", "candidate_id=0&minutes=5&reason=",
			http.StatusBadRequest, []string{"请填写加时原因", `id="time_reason-err"`, `href="#time_reason"`}},
		{"accommodation without a reason", sit + "/accommodation", fmt.Sprintf("candidate_id=%d&extra_minutes=10&reason=", ex.candidate),
			http.StatusBadRequest, []string{"请填写延长考试时间的原因", `id="acc_reason-err"`}},
		{"a mark above the full points", fmt.Sprintf("%s/grading/%d", sit, shorts[0].VersionID), func() string {
			task, err := f.exams.NextToMark(context.Background(), f.actors[trainer], ex.sitting, shorts[0].VersionID)
			if err != nil || task == nil {
				t.Fatalf("no task: %v", err)
			}
			return url.Values{"anon_code": {task.Anon}, "points": {"99"}, "comment": {"太高"}}.Encode()
		}(), http.StatusBadRequest, []string{"得分不能超过本题满分", `id="points-err"`, `value="99"`}},
		{"a key fix without a reason", sit + "/key-fix", "version_id=" + tf + "&truth=true&reason=",
			http.StatusBadRequest, []string{"请填写更正答案的原因", `id="reason-err"`}},
		{"an import of a file that is not a workbook", "/trainer/bank/import",
			multipartForm(t, nil, map[string][]byte{"file": []byte("%PDF-1.4 not a workbook")}),
			http.StatusBadRequest, []string{"无法读取该文件", "上传"}},
		{"an import without a file", "/trainer/bank/import", multipartForm(t, map[string]string{"x": "1"}, nil),
			http.StatusBadRequest, []string{"请选择要上传的文件", `id="file-err"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := f.snapshot(ex)
			w := f.do(trainer, "POST", tc.path, tc.body)
			body := w.Body.String()
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d; %.400s", w.Code, tc.status, body)
			}
			if !strings.Contains(body, `class="error-summary"`) {
				t.Error("no error summary on the page")
			}
			for _, want := range tc.want {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if after := f.snapshot(ex); after != before {
				t.Errorf("something was stored:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// A rejected workbook is reported cell by cell in a table, and nothing of it is imported.
func TestImportPage_EveryProblemByRowAndColumn(t *testing.T) {
	f := newFixture(t)
	qs := exams.DemoBank()[:3]
	var b bytes.Buffer
	if err := exams.ExportXLSX(&b, qs); err != nil {
		t.Fatal(err)
	}
	good := b.Bytes()
	w := f.do(trainer, "POST", "/trainer/bank/import", multipartForm(t, nil, map[string][]byte{"file": good}))
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "added=3") {
		t.Fatalf("import: %d %s", w.Code, w.Header().Get("Location"))
	}
	page := f.do(trainer, "GET", w.Header().Get("Location"), nil).Body.String()
	if !strings.Contains(page, "已导入 3 题") {
		t.Errorf("import page after the import: %.300s", page)
	}
	// The same file again adds nothing.
	w = f.do(trainer, "POST", "/trainer/bank/import", multipartForm(t, nil, map[string][]byte{"file": good}))
	if !strings.Contains(w.Header().Get("Location"), "added=0&skipped=3") {
		t.Errorf("import again: %s", w.Header().Get("Location"))
	}
	// A workbook with two bad rows: both are listed, nothing is imported.
	wb := badWorkbook(t)
	before, _ := f.exams.Bank(context.Background(), f.actors[trainer], models.BankFilter{})
	w = f.do(trainer, "POST", "/trainer/bank/import", multipartForm(t, nil, map[string][]byte{"file": wb}))
	body := w.Body.String()
	if w.Code != http.StatusBadRequest || !strings.Contains(body, "未导入任何试题") || !strings.Contains(body, `<table class="problems data stack">`) {
		t.Fatalf("bad workbook: %d %.500s", w.Code, body)
	}
	if n := strings.Count(body, `<tr><td data-label="行" class="num">`); n < 2 {
		t.Errorf("%d problem rows, want at least 2", n)
	}
	after, _ := f.exams.Bank(context.Background(), f.actors[trainer], models.BankFilter{})
	if after.Total != before.Total {
		t.Errorf("bank %d → %d after a rejected import", before.Total, after.Total)
	}
}

// badWorkbook is an exported bank of two questions spoiled in two cells: an unknown correct
// option and a missing stem.
func badWorkbook(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := exams.ExportXLSX(&b, exams.DemoBank()[:2]); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for cell, v := range map[string]string{"M2": "Z", "D3": ""} {
		if err := x.SetCellValue(exams.SheetBank, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := x.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// The question form round-trips every type: what is saved is what the edit page shows.
func TestQuestionForm_FiveTypesRoundTrip(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name string
		form url.Values
		want []string
	}{
		{"single", url.Values{"type": {"single"}, "category": {"法律法规"}, "difficulty": {"1"}, "stem": {"单选题干"},
			"option_A": {"甲"}, "option_B": {"乙"}, "option_C": {"丙"}, "correct": {"B"}, "explanation": {"解析一"}},
			[]string{`value="丙"`, `value="B" id="correct-B" checked`, "解析一"}},
		{"multiple", url.Values{"type": {"multiple"}, "category": {"业务技能"}, "difficulty": {"2"}, "stem": {"多选题干"},
			"option_A": {"甲"}, "option_B": {"乙"}, "option_C": {"丙"}, "correct": {"A", "C"}, "fixed_order": {"on"}},
			[]string{`type="checkbox" name="correct" value="A" id="correct" checked`, `value="C" id="correct-C" checked`, `name="fixed_order" id="fixed_order" checked`}},
		{"true/false", url.Values{"type": {"truefalse"}, "category": {"纪律作风"}, "difficulty": {"3"}, "stem": {"判断题干"}, "truth": {"false"}},
			[]string{`value="false" id="truth-false" checked`}},
		{"fill-in", url.Values{"type": {"fill"}, "category": {"职业道德"}, "difficulty": {"2"}, "stem": {"____ 和 ____"},
			"blank_0": {"十五|15"}, "blank_1": {"五｜5"}},
			[]string{`value="十五|15"`, `value="五|5"`}},
		{"short answer in a new category", url.Values{"type": {"short"}, "category": {"法律法规"}, "new_category": {"安全生产"},
			"difficulty": {"2"}, "stem": {"简答题干"}, "reference": {"参考答案"}, "rubric": {"要点一 5 分"}},
			[]string{"参考答案", "要点一 5 分", "<option selected>安全生产</option>"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do(trainer, "POST", "/trainer/bank/new", tc.form.Encode())
			if w.Code != http.StatusSeeOther {
				t.Fatalf("create: %d %.600s", w.Code, w.Body.String())
			}
			page := f.do(trainer, "GET", w.Header().Get("Location"), nil)
			if page.Code != http.StatusOK {
				t.Fatalf("edit page: %d", page.Code)
			}
			for _, want := range tc.want {
				if !strings.Contains(page.Body.String(), want) {
					t.Errorf("edit page lacks %q", want)
				}
			}
			// Saving the page unchanged keeps the version.
			loc := w.Header().Get("Location")
			form := tc.form
			if form.Get("new_category") != "" {
				form.Set("category", form.Get("new_category"))
				form.Del("new_category")
			}
			if w := f.do(trainer, "POST", strings.TrimSuffix(loc, "?ok=question_saved"), form.Encode()); w.Code != http.StatusSeeOther {
				t.Errorf("save again: %d", w.Code)
			}
			if !strings.Contains(f.do(trainer, "GET", loc, nil).Body.String(), "第 1 版") {
				t.Error("saving unchanged made a new version")
			}
		})
	}
}

// Blind grading (the MarkTask rule): the marking page shows the answer and an anonymous code,
// never the candidate's name, ID number, ticket number or town; a mark moves on to the next.
func TestGradingPage_Blind(t *testing.T) {
	f := newFixture(t)
	ex := f.examFixture()
	shorts := f.handInShortAnswers(ex, "发现占道经营，先宣传劝导，劝导无效的报告执法人员。")
	live, err := f.exams.Live(context.Background(), f.actors[trainer], ex.sitting)
	if err != nil {
		t.Fatal(err)
	}
	row := live.Rows[0]
	sit := fmt.Sprintf("/trainer/sittings/%d/grading", ex.sitting)
	queue := f.do(trainer, "GET", sit, nil)
	mark := f.do(trainer, "GET", fmt.Sprintf("%s/%d", sit, shorts[0].VersionID), nil)
	for name, w := range map[string]string{"queue": queue.Body.String(), "mark": mark.Body.String()} {
		for _, secret := range []string{row.Name, row.IDMasked, row.TicketNo, row.Town} {
			if secret != "" && strings.Contains(w, secret) {
				t.Errorf("the %s page shows %q", name, secret)
			}
		}
	}
	body := mark.Body.String()
	task, _ := f.exams.NextToMark(context.Background(), f.actors[trainer], ex.sitting, shorts[0].VersionID)
	if mark.Code != http.StatusOK || !strings.Contains(body, "劝导无效的报告执法人员") || !strings.Contains(body, task.Anon) {
		t.Fatalf("mark page: %d %.500s", mark.Code, body)
	}
	w := f.do(trainer, "POST", fmt.Sprintf("%s/%d", sit, shorts[0].VersionID),
		url.Values{"anon_code": {task.Anon}, "points": {"8"}, "comment": {"要点齐全"}}.Encode())
	if w.Code != http.StatusSeeOther {
		t.Fatalf("mark: %d %.300s", w.Code, w.Body.String())
	}
	next := f.do(trainer, "GET", w.Header().Get("Location"), nil).Body.String()
	if !strings.Contains(next, "评分已保存") || !strings.Contains(next, "本题已没有需要您评分的答卷") {
		t.Errorf("after marking the only answer: %.600s", next)
	}
}

// The admission ticket's QR target shows the candidate to staff; the control room shows each
// candidate's state with the words the service uses.
func TestTicketAndControlRoomPages(t *testing.T) {
	f := newFixture(t)
	ex := f.examFixture()
	ctx := context.Background()
	if err := f.exams.RecordEvents(ctx, f.actors[applicant], ex.candidate, []training.EventInput{{Kind: "hidden"}, {Kind: "hidden"}, {Kind: "paste"}}); err != nil {
		t.Fatal(err)
	}
	live, _ := f.exams.Live(ctx, f.actors[trainer], ex.sitting)
	row := live.Rows[0]
	page := f.do(ownTown, "GET", "/trainer/tickets/"+row.TicketNo, nil).Body.String()
	for _, want := range []string{row.Name, row.IDMasked, "三星镇", "作答中", "第一期岗前培训考试"} {
		if !strings.Contains(page, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	room := f.do(trainer, "GET", fmt.Sprintf("/trainer/sittings/%d", ex.sitting), nil).Body.String()
	for _, want := range []string{row.TicketNo, row.IDMasked, "作答中", training.EventLabel("hidden") + " ×2",
		training.EventLabel("paste") + " ×1", `src="/static/trainer.js"`, "暂不能发布：考试尚未结束", "disabled", `data-confirm=`} {
		if !strings.Contains(room, want) {
			t.Errorf("control room lacks %q", want)
		}
	}
	// A town admin watches but does not run the sitting.
	if town := f.do(ownTown, "GET", fmt.Sprintf("/trainer/sittings/%d", ex.sitting), nil).Body.String(); strings.Contains(town, "/time") {
		t.Error("a town admin is offered to add time")
	}
}

// proposedHire makes the applicant a proposed hire of a new opening of 三星镇 (rule T-1: due
// for the unified training) and returns the opening; the clock ends on 2026-06-11 09:00.
func (f *fixture) proposedHire() uint64 {
	f.t.Helper()
	ctx := context.Background()
	o, err := f.rec.CreateOpening(ctx, f.actors[district], recruitment.OpeningInput{
		TownID: f.town.ID, Title: "巡查岗（已截止）", Seats: 1, OpensAt: "2026-06-10", ClosesAt: "2026-06-10", PublicityDays: new(int)})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rec.Publish(ctx, f.actors[district], o.ID); err != nil {
		f.t.Fatal(err)
	}
	form := eligibleForm(f.idNumber("1994-09-09"))
	form.Major = "法学"
	app := f.apply(applicant, o.ID, form)
	f.clock.Set(time.Date(2026, 6, 11, 1, 0, 0, 0, time.UTC))
	if err := f.rec.SetScores(ctx, f.actors[district], o.ID, []recruitment.ScoreInput{{ApplicationID: app, Score: "80"}}); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rec.Propose(ctx, f.actors[district], o.ID); err != nil {
		f.t.Fatal(err)
	}
	for r, u := range f.users { // a day went by: staff sessions have ended
		f.login(r, u, fixturePassword)
	}
	return o.ID
}

// Scheduling from the page (rule T-1): a bank that cannot fill the blueprint is refused with
// every short cell listed and nothing stored; once the bank is filled the sitting is made and
// its page shows the candidate.
func TestSittingForm_ShortBankThenScheduled_T1(t *testing.T) {
	f := newFixture(t)
	opening := f.proposedHire()
	ctx := context.Background()
	bp, err := f.exams.CreateBlueprint(ctx, f.actors[trainer], training.BlueprintInput{Name: "演示方案", Spec: exams.DemoBlueprint()})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"title": {"第一期岗前培训考试"}, "blueprint_id": {fmt.Sprint(bp.ID)}, "opens": {"2026-06-11T09:30"},
		"closes": {"2026-06-11T12:00"}, "venue": {"区城管局考场"}, "opening_ids": {fmt.Sprint(opening)}}.Encode()
	if page := f.do(trainer, "GET", "/trainer/sittings/new", nil).Body.String(); !strings.Contains(page, "拟录用 1 人，可安排考试 1 人") {
		t.Errorf("the form does not count the hire waiting for a sitting:\n%.2000s", page)
	}
	w := f.do(trainer, "POST", "/trainer/sittings/new", form)
	body := w.Body.String()
	if w.Code != http.StatusBadRequest || !strings.Contains(body, `<section class="shortage"`) ||
		!strings.Contains(body, "法律法规·单选题·难度难：需要 1 题，题库只有 0 题，缺 1 题") {
		t.Fatalf("short bank: %d %.800s", w.Code, body)
	}
	if ss, _ := f.exams.Sittings(ctx, f.actors[trainer]); len(ss) != 0 {
		t.Fatalf("%d sittings stored", len(ss))
	}
	// The blueprint page says so too, before anyone tries to schedule.
	if page := f.do(trainer, "GET", fmt.Sprintf("/trainer/blueprints/%d", bp.ID), nil).Body.String(); !strings.Contains(page, "按今日题库，该方案无法组卷") {
		t.Error("the blueprint page does not show today's shortages")
	}
	for _, q := range exams.DemoBank() {
		if _, err := f.exams.CreateQuestion(ctx, f.actors[trainer], q); err != nil {
			t.Fatal(err)
		}
	}
	w = f.do(trainer, "POST", "/trainer/sittings/new", form)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("schedule: %d %.600s", w.Code, w.Body.String())
	}
	page := f.do(trainer, "GET", w.Header().Get("Location"), nil).Body.String()
	for _, want := range []string{"考试已安排", "第一期岗前培训考试", "王五", "未开考"} {
		if !strings.Contains(page, want) {
			t.Errorf("sitting page lacks %q", want)
		}
	}
	// Booked now: the form offers the opening no more.
	if page := f.do(trainer, "GET", "/trainer/sittings/new", nil).Body.String(); !strings.Contains(page, "拟录用 1 人，均已安排考试") || !strings.Contains(page, fmt.Sprintf(`value="%d" disabled`, opening)) {
		t.Errorf("the form still offers an opening whose hires are booked:\n%.2000s", page)
	}
}
