package screening

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var idToday = Date{2026, time.June, 30}

func TestParseID_A2_2_Checksum(t *testing.T) {
	// A published sample number in the real format (GB 11643-1999 appendix style).
	const known = "11010519491231002X"
	if got := checkChar(known[:17]); got != 'X' {
		t.Fatalf("test helper disagrees with the known-good sample: %c", got)
	}
	tests := []struct {
		name    string
		in      string
		wantErr error
		want    string // normalised number
	}{
		{"known good sample", known, nil, known},
		{"known good sample, lower-case x", strings.ToLower(known), nil, known},
		{"known good sample, spaces trimmed", "  " + known + " \t", nil, known},
		{"known good sample, full-width space trimmed", "\u3000" + known, nil, known},
		{"computed 1", mkID("320684", "19850701", "123"), nil, mkID("320684", "19850701", "123")},
		{"computed 2", mkID("440305", "20000229", "456"), nil, mkID("440305", "20000229", "456")},
		{"computed 3", mkID("650102", "19900101", "001"), nil, mkID("650102", "19900101", "001")},
		{"known sample, wrong check digit", "110105194912310021", ErrIDChecksum, ""},
		{"computed, wrong check digit", flipCheck(mkID("320684", "19850701", "123")), ErrIDChecksum, ""},
		{"transposed digits", "11010519491231020X", ErrIDChecksum, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := ParseID(tt.in, idToday)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ParseID(%q) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseID(%q): %v", tt.in, err)
			}
			if id.Number != tt.want {
				t.Errorf("Number = %q, want %q", id.Number, tt.want)
			}
		})
	}
}

// Every X-check and every digit check must round-trip through IDCheckChar.
func TestIDCheckChar_A2_2_AllRemainders(t *testing.T) {
	seen := map[byte]bool{}
	for seq := 0; seq < 1000 && len(seen) < 11; seq++ {
		s := fmt.Sprintf("32068419850701%03d", seq)
		got, ok := IDCheckChar(s)
		if !ok || got != checkChar(s) {
			t.Fatalf("IDCheckChar(%s) = %c,%v want %c", s, got, ok, checkChar(s))
		}
		seen[got] = true
	}
	if len(seen) != 11 {
		t.Errorf("expected to see all 11 check characters, saw %d", len(seen))
	}
	for _, bad := range []string{"", "1234567890123456", "12345678901234567X", "1234567890123456a"} {
		if _, ok := IDCheckChar(bad); ok {
			t.Errorf("IDCheckChar(%q) ok", bad)
		}
	}
}

func TestParseID_A2_2_Format(t *testing.T) {
	valid := mkID("320684", "19850701", "123")
	tests := []struct {
		name    string
		in      string
		wantErr error
		msg     string // substring of the Chinese message
	}{
		{"empty", "", ErrIDFormat, "请填写"},
		{"spaces only", "   ", ErrIDFormat, "请填写"},
		{"17 chars", valid[:17], ErrIDFormat, "应为18位，当前为17位"},
		{"19 chars", valid + "1", ErrIDFormat, "应为18位，当前为19位"},
		{"15-digit old format", "110105491231002", ErrIDFormat, "应为18位，当前为15位"},
		{"letter in body", valid[:5] + "A" + valid[6:], ErrIDFormat, "第6位不是数字"},
		{"X in body", "X" + valid[1:], ErrIDFormat, "第1位不是数字"},
		{"inner space", valid[:8] + " " + valid[9:], ErrIDFormat, "第9位不是数字"},
		{"last char letter other than X", valid[:17] + "Y", ErrIDFormat, "最后一位应为数字或字母X"},
		{"full-width digits, 15", "３２０６８４１９８５０７０１１", ErrIDFormat, "应为18位，当前为15位"},
		{"full-width digits, 18", "３２０６８４１９８５０７０１１２３Ｘ", ErrIDFormat, "半角"},
		{"full-width X", valid[:17] + "Ｘ", ErrIDFormat, "半角"},
		{"prefix 0", mkID("020684", "19850701", "123"), ErrIDFormat, "不能以0开头"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseID(tt.in, idToday)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseID(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.msg)
			}
			var ie *IDError
			if !errors.As(err, &ie) {
				t.Errorf("error is not *IDError: %T", err)
			}
		})
	}
}

func TestParseID_A2_3_BirthDate(t *testing.T) {
	tests := []struct {
		name    string
		birth   string
		today   Date
		wantErr error
		want    Date
	}{
		{"ordinary", "19850701", idToday, nil, d("1985-07-01")},
		{"leap day in leap year", "20000229", idToday, nil, d("2000-02-29")},
		{"born today", "20260630", idToday, nil, d("2026-06-30")},
		{"year 1900", "19000101", idToday, nil, d("1900-01-01")},
		{"zero today skips the future check", "20990101", Date{}, nil, d("2099-01-01")},
		{"30 February", "19900230", idToday, ErrIDBirthDate, Date{}},
		{"29 February in a common year", "20230229", idToday, ErrIDBirthDate, Date{}},
		{"1900 is not a leap year", "19000229", idToday, ErrIDBirthDate, Date{}},
		{"31 April", "19900431", idToday, ErrIDBirthDate, Date{}},
		{"month 13", "19901301", idToday, ErrIDBirthDate, Date{}},
		{"month 00", "19900001", idToday, ErrIDBirthDate, Date{}},
		{"day 00", "19900100", idToday, ErrIDBirthDate, Date{}},
		{"before 1900", "18991231", idToday, ErrIDBirthDate, Date{}},
		{"tomorrow", "20260701", idToday, ErrIDBirthDate, Date{}},
		{"far future", "20990101", idToday, ErrIDBirthDate, Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := ParseID(mkID("320684", tt.birth, "123"), tt.today)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				if errors.Is(err, ErrIDFormat) || errors.Is(err, ErrIDChecksum) {
					t.Errorf("error %v matches more than one sentinel", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id.Birth != tt.want {
				t.Errorf("Birth = %v, want %v", id.Birth, tt.want)
			}
		})
	}
}

func TestParseID_A2_2_Kinds(t *testing.T) {
	tests := []struct {
		region string
		want   IDKind
	}{
		{"110105", IDMainland},
		{"320684", IDMainland},
		{"650102", IDMainland},
		{"810000", IDHKMacaoTaiwan},
		{"820000", IDHKMacaoTaiwan},
		{"830000", IDHKMacaoTaiwan},
		{"910000", IDForeign},
		{"931000", IDForeign},
		{"156000", IDMainland},
		{"460100", IDMainland},
		{"540100", IDMainland},
		{"610100", IDMainland},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			id, err := ParseID(mkID(tt.region, "19850701", "123"), idToday)
			if err != nil {
				t.Fatal(err)
			}
			if id.Kind != tt.want {
				t.Errorf("Kind = %q, want %q", id.Kind, tt.want)
			}
			if id.Region != tt.region {
				t.Errorf("Region = %q, want %q", id.Region, tt.region)
			}
			if id.Kind.Label() == "未知证件" {
				t.Errorf("Label missing for %q", id.Kind)
			}
		})
	}
}

// Rule A2-2: only the province codes of GB/T 2260 (11–15, 21–23, 31–37, 41–46, 50–54, 61–65)
// are mainland resident ID numbers; 81/82/83 are residence permits and 9… foreign cards; every
// other pair of first digits is not an ID number at all.
func TestParseID_A2_2_RegionCodes(t *testing.T) {
	valid := map[int]bool{}
	for _, r := range [][2]int{{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}, {81, 83}, {90, 99}} {
		for n := r[0]; n <= r[1]; n++ {
			valid[n] = true
		}
	}
	for n := 10; n <= 99; n++ {
		code := fmt.Sprintf("%02d", n)
		_, err := ParseID(mkID(code+"0100", "19850701", "123"), idToday)
		switch {
		case valid[n] && err != nil:
			t.Errorf("%s…: %v, want accepted", code, err)
		case !valid[n] && !errors.Is(err, ErrIDRegion):
			t.Errorf("%s…: err = %v, want ErrIDRegion", code, err)
		case !valid[n] && !strings.Contains(err.Error(), code):
			t.Errorf("%s…: message %q does not name the code", code, err)
		}
	}
}

func TestParseID_Sex(t *testing.T) {
	tests := []struct {
		seq  string
		male bool
	}{
		{"001", true}, {"002", false}, {"119", true}, {"120", false}, {"999", true}, {"000", false},
	}
	for _, tt := range tests {
		id, err := ParseID(mkID("320684", "19850701", tt.seq), idToday)
		if err != nil {
			t.Fatal(err)
		}
		if id.Male != tt.male {
			t.Errorf("seq %s: Male = %v, want %v", tt.seq, id.Male, tt.male)
		}
	}
}

func TestParseID_ErrorsAreChinese(t *testing.T) {
	inputs := []string{"", "123", "11010519491231002Y", "110105194912310021", mkID("320684", "19900230", "123"), "01010519491231002X"}
	for _, in := range inputs {
		_, err := ParseID(in, idToday)
		if err == nil {
			t.Fatalf("ParseID(%q) succeeded", in)
		}
		if !strings.Contains(err.Error(), "身份证") && !strings.Contains(err.Error(), "出生") {
			t.Errorf("message for %q is not a clear Chinese sentence: %q", in, err.Error())
		}
	}
	for _, s := range []error{ErrIDFormat, ErrIDChecksum, ErrIDBirthDate, ErrIDRegion} {
		if !strings.Contains(s.Error(), "身份证号码") {
			t.Errorf("sentinel %q should be Chinese", s)
		}
	}
}

func TestMaskID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"32068419850701123X", "320*************3X"},
		{"32068419850701123x", "320*************3X"},
		{" 11010519491231002X ", "110*************2X"},
		{"12345678", "123***78"},
		{"123456", "123*56"},
		{"12345", "*****"},
		{"123", "***"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskID(tt.in); got != tt.want {
			t.Errorf("MaskID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// CandidatesFor is what an attacker can do with a view below the reviewer's: every ID number
// consistent with its mask, the age on the reference date and the sex, assuming the whole
// 6-digit region is known (the town tells it).
func candidatesFor(mask, region string, age int, ref Date, male bool) int {
	n := 0
	for b := ref.AddDays(-366 * (age + 1)); !b.After(ref); b = b.AddDays(1) {
		if AgeOn(b, ref) != age {
			continue
		}
		date := strings.ReplaceAll(b.String(), "-", "")
		for seq := 0; seq < 1000; seq++ {
			first := fmt.Sprintf("%s%s%03d", region, date, seq)
			c, _ := IDCheckChar(first)
			id, err := ParseID(first+string(c), Date{})
			if err != nil || id.Male != male || MaskID(id.Number) != mask {
				continue
			}
			n++
		}
	}
	return n
}

// DESIGN.md, personal data: what a view below the reviewer's shows of an applicant (the mask,
// the age, the sex, the town) must leave at least 1,000 candidate ID numbers. Brute-forced for
// several numbers, including leap-day births.
func TestMaskID_A2_2_LeavesAtLeast1000Candidates(t *testing.T) {
	ref := Date{2026, time.June, 30}
	for _, tt := range []struct{ birth, seq string }{
		{"19850701", "123"}, {"19960229", "010"}, {"20080630", "999"}, {"19810701", "000"}, {"19920315", "458"},
	} {
		number := mkID("320684", tt.birth, tt.seq)
		id, err := ParseID(number, Date{})
		if err != nil {
			t.Fatal(err)
		}
		n := candidatesFor(MaskID(number), "320684", AgeOn(id.Birth, ref), ref, id.Male)
		if n < 1000 {
			t.Errorf("%s: only %d candidates remain from its mask, age and sex", number, n)
		}
	}
}
