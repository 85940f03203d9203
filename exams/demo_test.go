package exams

import (
	"strings"
	"testing"
	"time"
)

func TestDemoBank_T4(t *testing.T) {
	bank := DemoBank()
	if len(bank) < 80 {
		t.Fatalf("demo bank has %d questions, want at least 80", len(bank))
	}
	cover := map[Category]map[Type]int{}
	hashes := map[string]int{}
	stems := map[string]int{}
	for i, q := range bank {
		if err := q.Validate(); err != nil {
			t.Errorf("question %d (%s): %v", i, q.Stem, err)
		}
		if q.Tidy().Hash() != q.Hash() {
			t.Errorf("question %d is not tidy", i)
		}
		if strings.TrimSpace(q.Explanation) == "" {
			t.Errorf("question %d has no explanation", i)
		}
		if j, dup := hashes[q.Hash()]; dup {
			t.Errorf("questions %d and %d are the same", j, i)
		}
		hashes[q.Hash()] = i
		if j, dup := stems[q.Stem]; dup {
			t.Errorf("questions %d and %d have the same stem", j, i)
		}
		stems[q.Stem] = i
		if cover[q.Category] == nil {
			cover[q.Category] = map[Type]int{}
		}
		cover[q.Category][q.Type]++
		for _, o := range q.Options {
			if strings.Contains(o.Text, "以上") && !q.FixedOrder {
				t.Errorf("question %d has an order-dependent option but shuffles", i)
			}
		}
		if q.Type == Short && !strings.Contains(q.Rubric, "共 15 分") {
			t.Errorf("question %d: rubric should add up to the 15 points of the demo cell", i)
		}
	}
	for _, c := range DefaultCategories() {
		for _, ty := range Types() {
			if cover[c][ty] == 0 {
				t.Errorf("no %s %s", c, ty.Label())
			}
		}
	}
	if len(cover) != 4 {
		t.Errorf("categories %v", cover)
	}
}

func TestDemoBlueprint_T1_FilledWithSpares(t *testing.T) {
	bp := DemoBlueprint()
	if err := bp.Validate(); err != nil {
		t.Fatal(err)
	}
	if bp.Count() != 30 || bp.Total() != 10000 || bp.PassMark != 6000 || bp.Duration() != 60*time.Minute {
		t.Errorf("demo blueprint %d questions %d points pass %d %d min", bp.Count(), bp.Total(), bp.PassMark, bp.DurationMinutes)
	}
	inv := InventoryOf(bankOf(DemoBank()))
	if err := bp.CheckBank(inv); err != nil {
		t.Fatal(err)
	}
	// Every cell has at least one spare question, so draws differ.
	for i := range bp.Cells {
		short := bp
		short.Cells = append([]Cell(nil), bp.Cells...)
		short.Cells[i].Count++
		if err := short.CheckBank(inv); err != nil {
			t.Errorf("cell %d (%s) has no spare question: %v", i+1, bp.Cells[i].Label(), err)
		}
	}
}
