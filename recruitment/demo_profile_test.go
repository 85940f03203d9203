package recruitment

import (
	"fmt"
	"testing"

	"auxportal/models"
	"auxportal/screening"
)

// Every demo profile passes the checks a submission gets, whoever it is for: the demo, the
// load tests and other packages' tests file them as real applications.
func TestDemoProfile_PassesTheSubmissionChecks(t *testing.T) {
	today := screening.Date{Year: 2026, Month: 6, Day: 15}
	for _, birth := range []string{"1981-01-31", "1990-07-01", "1996-03-15", "2003-12-31", "2008-06-15"} {
		for _, edu := range []string{"junior_high", "high_school", "junior_college", "bachelor", "master"} {
			for seed := range 8 {
				t.Run(fmt.Sprintf("%s/%s/%d", birth, edu, seed), func(t *testing.T) {
					b, _ := screening.ParseDate(birth)
					fe := models.FieldErrors{}
					checkProfile(DemoProfile(seed, b, today, edu), profileCheck{today: today, birth: b, ownPhone: "13800000001", strict: true}, fe)
					if len(fe) > 0 {
						t.Errorf("%v", fe)
					}
				})
			}
		}
	}
}
