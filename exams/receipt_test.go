package exams

import (
	"regexp"
	"testing"
)

func TestReceipt(t *testing.T) {
	base := Answers{1: {Choices: []string{"A"}}, 2: {Choices: []string{"A", "C"}}, 3: {Truth: ptr(false)},
		4: {Blanks: []string{"管理", "15"}}, 5: {Text: "先劝导，后报告。"}}
	r := Receipt(42, base)
	if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`).MatchString(r) {
		t.Fatalf("receipt %q is not XXXX-XXXX in Crockford base32", r)
	}
	// Stable: same answers in another form, plus unanswered items.
	same := Answers{5: {Text: " 先劝导，后报告。\r\n"}, 4: {Blanks: []string{" 管理", "15", ""}}, 3: {Truth: ptr(false)},
		2: {Choices: []string{"c", "Ａ"}}, 1: {Choices: []string{"A"}}, 6: {}, 7: {Blanks: []string{""}}}
	for i := 0; i < 20; i++ {
		if Receipt(42, same) != r {
			t.Fatal("receipt not stable")
		}
	}
	// Sensitive: every change of a stored answer, and the attempt id.
	changes := map[string]Answers{
		"choice":      {1: {Choices: []string{"B"}}},
		"multi":       {2: {Choices: []string{"A"}}},
		"truth":       {3: {Truth: ptr(true)}},
		"truth unset": {3: {}},
		"blank":       {4: {Blanks: []string{"管理", "16"}}},
		"blank moved": {4: {Blanks: []string{"15", "管理"}}},
		"text":        {5: {Text: "先劝导，再报告。"}},
		"new answer":  {6: {Text: "补答"}},
		"item moved":  {1: {}, 9: {Choices: []string{"A"}}},
	}
	for name, ch := range changes {
		a := Answers{}
		for k, v := range base {
			a[k] = v
		}
		for k, v := range ch {
			a[k] = v
		}
		if Receipt(42, a) == r {
			t.Errorf("%s: receipt unchanged", name)
		}
	}
	if Receipt(43, base) == r {
		t.Error("attempt id not in the receipt")
	}
	if Receipt(42, nil) != Receipt(42, Answers{}) {
		t.Error("nil and empty answers differ")
	}
}

func TestNormalizeReceipt(t *testing.T) {
	r := Receipt(7, Answers{1: {Text: "x"}})
	for _, typed := range []string{r, " " + r + " ", lower(r), r[:4] + r[5:]} {
		if NormalizeReceipt(typed) != r {
			t.Errorf("NormalizeReceipt(%q) = %q, want %q", typed, NormalizeReceipt(typed), r)
		}
	}
	if NormalizeReceipt("7f3k-9qx2") != "7F3K-9QX2" || NormalizeReceipt("O1IL-0000") != "0111-0000" {
		t.Error("confusable letters")
	}
	for _, bad := range []string{"", "7F3K", "7F3K-9QX2X", "7F3K-9QU2", "７F3K-9QX2"} {
		if NormalizeReceipt(bad) != "" {
			t.Errorf("NormalizeReceipt(%q) accepted", bad)
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
