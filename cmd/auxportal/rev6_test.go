package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
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

// verify-permit only reads: pointed at a key file from before the permits it says the file has
// no signing key, and leaves the file as it was. Before, it added a fresh random key to the
// portal's key file (the start-up upgrade path) and then called every genuine card forged.
func TestVerifyPermitNeverWritesTheKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	old := `{"id_number_key":"` + strings.Repeat("A", 43) + `=","id_number_hash_key":"` + strings.Repeat("B", 43) + `="}`
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := verifyPermit([]string{"-key-file", path, "https://cg.haimen.example/verify/HM2026-00001?sig=x"}, func(string) string { return "" }, &out)
	if err == nil || !strings.Contains(err.Error(), "signing key") {
		t.Errorf("verify-permit with a key file without a permit key: %v\n%s", err, out.String())
	}
	if b, _ := os.ReadFile(path); string(b) != old {
		t.Errorf("verify-permit changed the key file:\n%s", b)
	}
}
