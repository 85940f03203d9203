package main

import (
	"io"
	"testing"
)

// Rule T-4's refresher window is a setting (60 days by default), within bounds that keep the
// rule: a window of 0 days would suspend every holder before a sitting could seat them, and one
// of a year or more is open on the day a permit is issued (and again the day after each
// renewal, so passes would stack years). A setting out of bounds stops the start.
func TestConfig_T4_RefresherWindowSetting(t *testing.T) {
	none := func(string) string { return "" }
	c, err := parseConfig(nil, none, io.Discard)
	if err != nil || c.Policy.WindowDays != 60 || c.Policy.ExpireAfterDays != 365 {
		t.Fatalf("default policy %+v %v", c.Policy, err)
	}
	c, err = parseConfig(nil, func(k string) string {
		return map[string]string{"AUXPORTAL_REFRESHER_WINDOW_DAYS": "90"}[k]
	}, io.Discard)
	if err != nil || c.Policy.WindowDays != 90 {
		t.Errorf("window from the environment %+v %v", c.Policy, err)
	}
	if c, err := parseConfig([]string{"-refresher-window-days", "45"}, none, io.Discard); err != nil || c.Policy.WindowDays != 45 {
		t.Errorf("window flag %+v %v", c.Policy, err)
	}
	for _, bad := range []string{"0", "-5", "29", "181", "400", "sixty"} {
		if _, err := parseConfig([]string{"-refresher-window-days", bad}, none, io.Discard); err == nil {
			t.Errorf("a window of %s days was accepted", bad)
		}
	}
}
