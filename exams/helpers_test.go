package exams

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// bankOf gives questions ids 1… and version ids 1001….
func bankOf(qs []Question) []BankQuestion {
	out := make([]BankQuestion, len(qs))
	for i, q := range qs {
		out[i] = BankQuestion{QuestionID: uint64(i + 1), VersionID: uint64(1001 + i), Question: q}
	}
	return out
}

// genBank makes n valid questions of one slot, numbered in their stems.
func genBank(cat Category, t Type, d Difficulty, n int) []Question {
	var qs []Question
	for i := 0; i < n; i++ {
		stem := fmt.Sprintf("%s%s%s第%d题（　）", cat, t.Label(), d.Label(), i+1)
		switch t {
		case Single:
			qs = append(qs, qSingle(cat, d, stem, qOpts("甲", "乙", "丙", "丁"), "B", "解析"))
		case Multiple:
			qs = append(qs, qMultiple(cat, d, stem, qOpts("甲", "乙", "丙", "丁"), "ACD", "解析"))
		case TrueFalse:
			qs = append(qs, qJudge(cat, d, stem, i%2 == 0, "解析"))
		case Fill:
			qs = append(qs, qFill(cat, d, stem+"填____和____", "一|1;二|2", "解析"))
		case Short:
			qs = append(qs, qShort(cat, d, stem, "参考答案", "要点", "解析"))
		}
	}
	return qs
}

func ptr[T any](v T) *T { return &v }

// problems returns the messages of a *QuestionError (nil error: none).
func fieldProblems(t *testing.T, err error) []FieldError {
	t.Helper()
	if err == nil {
		return nil
	}
	var qe *QuestionError
	if !errors.As(err, &qe) {
		t.Fatalf("error %v is not a *QuestionError", err)
	}
	return qe.Problems
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
