package exams

import (
	"errors"
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
