package recruitment_test

import (
	"testing"

	"auxportal/auditlog"
	"auxportal/recruitment"
)

// The steps' audit actions are built from the step's name, so the audit log's test that walks
// the source for literal actions cannot see them: each must still read in Chinese.
func TestStepActions_AreNamedInTheAuditLog(t *testing.T) {
	for _, step := range []string{recruitment.StepMedical, recruitment.StepVetting} {
		for _, outcome := range []string{"_pass", "_fail"} {
			if a := "application." + step + outcome; !auditlog.Known(a) {
				t.Errorf("action %q has no Chinese name in auditlog", a)
			}
		}
	}
}
