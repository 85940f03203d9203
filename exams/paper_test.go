package exams

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func demoPaper(t *testing.T, candidate string) Paper {
	t.Helper()
	p, err := Assemble(DemoBlueprint(), bankOf(DemoBank()), CandidateSeed([]byte("sitting-seed-0123456789"), candidate))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func versions(p Paper) []uint64 {
	var v []uint64
	for _, it := range p.Items() {
		v = append(v, it.VersionID)
	}
	return v
}

func TestCandidateSeed(t *testing.T) {
	s := []byte("sitting")
	a, b := CandidateSeed(s, "attempt:1"), CandidateSeed(s, "attempt:2")
	if len(a) != 32 || bytes.Equal(a, b) || !bytes.Equal(a, CandidateSeed(s, "attempt:1")) {
		t.Error("candidate seeds must be 32 bytes, stable, and differ between candidates")
	}
	if bytes.Equal(a, CandidateSeed([]byte("other"), "attempt:1")) {
		t.Error("seed ignores the sitting")
	}
}

func TestAssemble_T1_DeterministicPerSeed(t *testing.T) {
	p1, p2 := demoPaper(t, "attempt:1"), demoPaper(t, "attempt:1")
	b1, _ := p1.Canonical()
	b2, _ := p2.Canonical()
	if !bytes.Equal(b1, b2) {
		t.Fatal("same seed, different papers")
	}
	// The bank's order does not matter.
	bank := bankOf(DemoBank())
	slices.Reverse(bank)
	p3, err := Assemble(DemoBlueprint(), bank, CandidateSeed([]byte("sitting-seed-0123456789"), "attempt:1"))
	if err != nil {
		t.Fatal(err)
	}
	b3, _ := p3.Canonical()
	if !bytes.Equal(b1, b3) {
		t.Fatal("bank order changes the paper")
	}
}

func TestAssemble_T1_DiffersAcrossCandidates(t *testing.T) {
	seen := map[string]bool{}
	draws := map[string]bool{}
	for _, c := range []string{"a", "b", "c", "d", "e", "f"} {
		p := demoPaper(t, c)
		b, _ := p.Canonical()
		seen[string(b)] = true
		v := versions(p)
		slices.Sort(v)
		draws[string(mustJSON(t, v))] = true
	}
	if len(seen) != 6 {
		t.Errorf("6 candidates got %d distinct papers", len(seen))
	}
	if len(draws) < 2 {
		t.Error("every candidate drew the same questions although the bank has spares")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAssemble_T1_FollowsBlueprint(t *testing.T) {
	bp := DemoBlueprint()
	bank := DemoBank()
	p := demoPaper(t, "x")
	if p.Total() != bp.Total() || len(p.Items()) != bp.Count() {
		t.Fatalf("paper total %d / %d items", p.Total(), len(p.Items()))
	}
	// Sections in type order, numbered 1…N without gaps.
	var types []Type
	no := 0
	for _, s := range p.Sections {
		types = append(types, s.Type)
		for _, it := range s.Items {
			no++
			if it.No != no || it.Type != s.Type {
				t.Fatalf("item %d: no %d type %s in section %s", no, it.No, it.Type, s.Type)
			}
		}
	}
	if !slices.Equal(types, Types()) {
		t.Errorf("sections %v", types)
	}
	if p.Sections[0].Title != "一、单选题（共 12 题，24 分）" || p.Sections[4].Title != "五、简答题（共 2 题，30 分）" {
		t.Errorf("titles %q, %q", p.Sections[0].Title, p.Sections[4].Title)
	}
	// Every cell's count is met with questions of the cell's slot; no question twice.
	ids := map[uint64]bool{}
	count := map[Slot]int{}
	hard := 0
	for _, it := range p.Items() {
		if ids[it.QuestionID] {
			t.Fatalf("question %d twice", it.QuestionID)
		}
		ids[it.QuestionID] = true
		q := bank[it.QuestionID-1]
		if it.Hash != q.Hash() || it.Stem != q.Stem || it.Category != q.Category || it.Difficulty != q.Difficulty {
			t.Fatalf("item %d does not carry question %d", it.No, it.QuestionID)
		}
		count[Slot{it.Category, it.Type, AnyDifficulty}]++
		if it.Category == Law && it.Type == Single && it.Difficulty == Hard {
			hard++
		}
	}
	want := map[Slot]int{}
	for _, c := range bp.Cells {
		want[Slot{c.Category, c.Type, AnyDifficulty}] += c.Count
	}
	if !reflect.DeepEqual(count, want) {
		t.Errorf("counts %v, want %v", count, want)
	}
	if hard < 1 {
		t.Error("the 法律法规·单选题·难度难 cell was not filled")
	}
}

func TestAssemble_OptionsRelabelled(t *testing.T) {
	bank := DemoBank()
	p := demoPaper(t, "relabel")
	moved := 0
	for _, it := range p.Items() {
		if !it.Type.Choice() {
			if it.Options != nil || it.Origin != nil || it.Correct != nil {
				t.Fatalf("item %d (%s) has options", it.No, it.Type)
			}
			continue
		}
		q := bank[it.QuestionID-1]
		for i, o := range it.Options {
			if o.Key != OptionKey(i) {
				t.Fatalf("display keys not A, B, …: %v", it.Options)
			}
			orig := q.Options[int(it.Origin[i][0]-'A')]
			if orig.Key != it.Origin[i] || orig.Text != o.Text {
				t.Fatalf("origin mapping wrong for item %d", it.No)
			}
			if it.Origin[i] != o.Key {
				moved++
			}
		}
		// Correct display keys point at the bank's correct options.
		var texts, want []string
		for _, k := range it.Correct {
			texts = append(texts, it.Options[int(k[0]-'A')].Text)
		}
		for _, k := range q.Correct {
			want = append(want, q.Options[int(k[0]-'A')].Text)
		}
		slices.Sort(texts)
		slices.Sort(want)
		if !slices.Equal(texts, want) {
			t.Fatalf("item %d: correct %v ↔ %v", it.No, texts, want)
		}
	}
	if moved == 0 {
		t.Error("ShuffleOptions moved no option")
	}
}

func TestAssemble_NoShuffle(t *testing.T) {
	bp := smallBlueprint()
	bp.Cells = []Cell{{Law, Single, AnyDifficulty, 3, 100}}
	bp.PassMark = 100
	qs := genBank(Law, Single, Easy, 3)
	qs[1].FixedOrder = true
	p, err := Assemble(bp, bankOf(qs), []byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	// All three drawn; in cell order then drawn order, options in bank order.
	for _, it := range p.Items() {
		if !slices.Equal(it.Origin, []string{"A", "B", "C", "D"}) || !slices.Equal(it.Correct, []string{"B"}) {
			t.Errorf("options moved without ShuffleOptions: %v", it.Origin)
		}
	}
	bp.ShuffleOptions = true
	moved := false
	for _, seed := range []string{"0123456789abcdef", "fedcba9876543210", "0000000000000000"} {
		p, _ := Assemble(bp, bankOf(qs), []byte(seed))
		for _, it := range p.Items() {
			if it.QuestionID == 2 && !slices.Equal(it.Origin, []string{"A", "B", "C", "D"}) {
				t.Errorf("FixedOrder question shuffled: %v", it.Origin)
			}
			if it.QuestionID != 2 && !slices.Equal(it.Origin, []string{"A", "B", "C", "D"}) {
				moved = true
			}
		}
	}
	if !moved {
		t.Error("ShuffleOptions never moved an option")
	}
}

func TestAssemble_Errors(t *testing.T) {
	bp := smallBlueprint()
	good := append(genBank(Law, Single, Easy, 2), genBank(Skills, TrueFalse, Medium, 2)...)
	if _, err := Assemble(bp, bankOf(good), []byte("short")); err == nil || !strings.Contains(err.Error(), "16 字节") {
		t.Errorf("short seed: %v", err)
	}
	var se *ShortageError
	if _, err := Assemble(bp, bankOf(good[:3]), []byte("0123456789abcdef")); !errors.As(err, &se) {
		t.Errorf("short bank: %v", err)
	}
	bad := bankOf(good)
	bad[0].Correct = nil
	if _, err := Assemble(bp, bad, []byte("0123456789abcdef")); err == nil || !strings.Contains(err.Error(), "试题 1") {
		t.Errorf("invalid question: %v", err)
	}
	dup := bankOf(good)
	dup[1].QuestionID = 1
	if _, err := Assemble(bp, dup, []byte("0123456789abcdef")); err == nil || !strings.Contains(err.Error(), "不止一个版本") {
		t.Errorf("two versions: %v", err)
	}
	bp.PassMark = 0
	var be *BlueprintError
	if _, err := Assemble(bp, bankOf(good), []byte("0123456789abcdef")); !errors.As(err, &be) {
		t.Errorf("invalid blueprint: %v", err)
	}
}

func TestSeal(t *testing.T) {
	p := demoPaper(t, "seal")
	s, err := Seal(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.SHA256) != 64 || bytes.Contains(s.JSON, []byte("\\u003c")) {
		t.Fatalf("sealed %q", s.SHA256)
	}
	back, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Error("Open does not give the paper back")
	}
	s2, _ := Seal(back)
	if s2.SHA256 != s.SHA256 {
		t.Error("re-sealing changes the hash")
	}
	// Tampering: a changed key, a changed hash, non-canonical spacing.
	tampered := Sealed{JSON: bytes.Replace(s.JSON, []byte(`"correct":["A"]`), []byte(`"correct":["B"]`), 1), SHA256: s.SHA256}
	if bytes.Equal(tampered.JSON, s.JSON) {
		t.Fatal("test did not tamper")
	}
	for name, bad := range map[string]Sealed{
		"content": tampered,
		"hash":    {JSON: s.JSON, SHA256: strings.Repeat("0", 64)},
		"respaced": func() Sealed {
			var b bytes.Buffer
			_ = json.Indent(&b, s.JSON, "", " ")
			return Sealed{JSON: b.Bytes(), SHA256: hexSum(b.Bytes())}
		}(),
	} {
		if _, err := Open(bad); !errors.Is(err, ErrSealBroken) {
			t.Errorf("%s: Open = %v, want ErrSealBroken", name, err)
		}
	}
}

// TestCandidateView_NoKey: the candidate's type has no field that could carry a
// key, rubric, reference answer, explanation or option mapping, and its JSON
// has none of their values.
func TestCandidateView_NoKey(t *testing.T) {
	forbidden := []string{"Correct", "Truth", "Accepted", "Blanks []", "Reference", "Rubric", "Explanation", "Origin", "Hash", "QuestionID", "VersionID"}
	var walk func(rt reflect.Type, path string)
	seenT := map[reflect.Type]bool{}
	walk = func(rt reflect.Type, path string) {
		for rt.Kind() == reflect.Slice || rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Map {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seenT[rt] {
			return
		}
		seenT[rt] = true
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			for _, bad := range forbidden {
				name, _, _ := strings.Cut(bad, " ")
				if f.Name == name && (name != "Blanks" || f.Type.Kind() == reflect.Slice) {
					t.Errorf("candidate type has field %s.%s", path, f.Name)
				}
			}
			walk(f.Type, path+"."+f.Name)
		}
	}
	walk(reflect.TypeOf(CandidatePaper{}), "CandidatePaper")

	p := demoPaper(t, "view")
	b := string(mustJSON(t, p.CandidateView()))
	for _, key := range []string{`"correct"`, `"truth"`, `"accepted"`, `"reference"`, `"rubric"`, `"explanation"`, `"origin"`, `"hash"`, `"question_id"`, `"version_id"`} {
		if strings.Contains(b, key) {
			t.Errorf("candidate JSON contains %s", key)
		}
	}
	for _, it := range p.Items() {
		for _, secret := range []string{it.Explanation, it.Reference, it.Rubric} {
			if secret != "" && strings.Contains(b, jsonString(t, secret)) {
				t.Errorf("candidate JSON contains item %d's %q", it.No, secret)
			}
		}
	}
	cv := p.CandidateView()
	if cv.Total != 10000 || cv.DurationMinutes != 60 || cv.Multi != Partial || len(cv.Sections) != 5 {
		t.Errorf("candidate view header %+v", cv)
	}
	for _, s := range cv.Sections {
		for _, it := range s.Items {
			orig, _ := p.Item(it.No)
			if it.Stem != orig.Stem || it.Points != orig.Points || !reflect.DeepEqual(it.Options, orig.Options) {
				t.Errorf("item %d differs from the paper", it.No)
			}
			if it.Type == Fill && it.Blanks != len(orig.Blanks) {
				t.Errorf("item %d: %d blanks", it.No, it.Blanks)
			}
		}
	}
}

func jsonString(t *testing.T, s string) string {
	b := mustJSON(t, s)
	return string(b[1 : len(b)-1])
}

func TestFormatPoints(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{{0, "0"}, {200, "2"}, {250, "2.5"}, {1525, "15.25"}, {1000, "10"}, {10000, "100"}, {5, "0.05"}, {1010, "10.1"}} {
		if got := FormatPoints(c.in); got != c.want {
			t.Errorf("FormatPoints(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}
