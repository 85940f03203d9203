package accounts

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"auxportal/models"
)

// Password policy. Argon2id and the login throttle make guessing slow, but not slow enough for
// a password that is the first guess of every list: 12345678, 88888888, woaini1314, the phone
// number itself. So a new password is refused when it is
//
//   - shorter than 8 characters (applicants) or 12 (staff: trainers and town or district admins,
//     whose accounts reach every applicant's personal data), or longer than 128;
//   - one of the common passwords of common_passwords.txt, or one of them followed by a date,
//     a lucky number or a short run of digits or symbols (password2026, woaini520, admin1234!);
//   - one character repeated, a short unit repeated (12341234), or an ascending or descending
//     run of digits or letters (12345678, 87654321, abcdefgh, 1234567890);
//   - the account's username, phone number or display name, alone or with such an addition
//     (13800138000, 13800138000a, zhangsan2026, 张三19900101), or made of the phone number's
//     digits (00138000).
const (
	MinPasswordApplicant = 8
	MinPasswordStaff     = 12
	maxPassword          = 128
)

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is the embedded list as a set.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonPasswordsText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// The field messages.
const (
	msgPasswordLong     = "密码不能超过 128 位"
	msgPasswordCommon   = "这个密码太常见，很容易被猜中，请换一个"
	msgPasswordPattern  = "密码不能是重复或连续的字符（如 88888888、12345678、abcdefgh），请换一个"
	msgPasswordPersonal = "密码不能是账号、手机号或姓名，也不能只在它们前后加几个字符，请换一个"
)

func msgPasswordShort(min int) string {
	if min >= MinPasswordStaff {
		return "工作人员账号的密码至少 12 位"
	}
	return "密码至少 8 位"
}

// checkNewPassword records in fe why pw may not be a new password of an account whose login
// name, phone number and display name are among personal.
func checkNewPassword(fe models.FieldErrors, field, pw string, min int, personal ...string) {
	if msg := passwordProblem(pw, min, personal...); msg != "" {
		fe.Add(field, msg)
	}
}

// passwordProblem returns the message for the first rule pw breaks, or "".
func passwordProblem(pw string, min int, personal ...string) string {
	switch n := utf8.RuneCountInString(pw); {
	case n < min:
		return msgPasswordShort(min)
	case n > maxPassword:
		return msgPasswordLong
	}
	lower := strings.ToLower(pw)
	for _, p := range personal {
		if derivedFrom(lower, strings.ToLower(strings.TrimSpace(p))) {
			return msgPasswordPersonal
		}
		if phoneDigits(lower, p) {
			return msgPasswordPersonal
		}
	}
	if isCommon(lower) {
		return msgPasswordCommon
	}
	if trivialPattern(stripSeparators(lower)) {
		return msgPasswordPattern
	}
	need := minUnguessable
	if min >= MinPasswordStaff {
		need = minUnguessableStaff
	}
	if unguessable(pw, personal...) < need {
		return msgPasswordGuessable
	}
	return ""
}

// isCommon reports whether pw (lower case) is a listed password, or one followed by a common
// suffix: a year, 1314/520 and friends, or up to four digits or symbols.
func isCommon(pw string) bool {
	if commonPasswords[pw] {
		return true
	}
	base := strings.TrimRightFunc(pw, func(r rune) bool {
		return unicode.IsDigit(r) || isSeparator(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	})
	if base == pw || base == "" {
		return false
	}
	if !commonPasswords[base] {
		return false
	}
	return weakSuffix(pw[len(base):])
}

// weakSuffix reports whether s is what people append to a password to make it "new": a few
// digits or symbols, a pattern, a date (a year, a birthday) or a lucky number.
func weakSuffix(s string) bool {
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
	if utf8.RuneCountInString(s) <= 4 || trivialPattern(s) || dateLike(s) {
		return true
	}
	switch s {
	case "5201314", "1314520", "7758521", "666666", "888888":
		return true
	}
	return false
}

// dateLike reports whether s is digits reading as a date: YYYYMMDD, YYMMDD or YYYYMM.
func dateLike(s string) bool {
	if strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return false
	}
	month := func(m string) bool { return m >= "01" && m <= "12" }
	day := func(d string) bool { return d >= "01" && d <= "31" }
	switch len(s) {
	case 6:
		return month(s[2:4]) && day(s[4:]) || (s[:2] == "19" || s[:2] == "20") && month(s[4:])
	case 8:
		return (s[:2] == "19" || s[:2] == "20") && month(s[4:6]) && day(s[6:])
	}
	return false
}

// derivedFrom reports whether pw is token, or token with only a trivial addition: what is left
// once every occurrence of token is taken out is short, a pattern, a common suffix or a common
// password.
func derivedFrom(pw, token string) bool {
	if utf8.RuneCountInString(token) < 2 || !strings.Contains(pw, token) {
		return false
	}
	rest := stripSeparators(strings.ReplaceAll(pw, token, ""))
	return utf8.RuneCountInString(rest) < 4 || trivialPattern(rest) || weakSuffix(rest) || isCommon(rest)
}

// phoneDigits reports whether pw is made of the phone number's digits: a run of at least six of
// them (its last eight, its middle), possibly behind +86, or the number backwards.
func phoneDigits(pw, phone string) bool {
	phone = strings.TrimSpace(phone)
	if len(phone) < 6 || strings.IndexFunc(phone, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return false
	}
	d := stripSeparators(pw)
	d = strings.TrimPrefix(d, "+")
	if strings.IndexFunc(d, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return false
	}
	if len(d) > len(phone) {
		d = strings.TrimPrefix(d, "86")
	}
	return len(d) >= 6 && (strings.Contains(phone, d) || strings.Contains(reverse(phone), d))
}

// trivialPattern reports whether s is one character repeated, a short unit repeated, or an
// ascending or descending run of digits or letters.
func trivialPattern(s string) bool {
	rs := []rune(s)
	if len(rs) == 0 {
		return true
	}
	if sequential(rs) {
		return true
	}
	for unit := 1; unit <= 4 && unit <= len(rs)/2; unit++ {
		if len(rs)%unit == 0 && strings.Repeat(string(rs[:unit]), len(rs)/unit) == s {
			return true
		}
	}
	return false
}

// sequential reports whether rs steps by +1 throughout or by -1 throughout; digits wrap
// (1234567890, 0987654321). At least three characters.
func sequential(rs []rune) bool {
	if len(rs) < 3 {
		return false
	}
	digits, letters := true, true
	for _, r := range rs {
		digits = digits && r >= '0' && r <= '9'
		letters = letters && r >= 'a' && r <= 'z'
	}
	if !digits && !letters {
		return false
	}
	for _, dir := range []int{1, -1} {
		ok := true
		for i := 1; i < len(rs) && ok; i++ {
			step := int(rs[i] - rs[i-1])
			if digits {
				step = (step + 10) % 10
				ok = step == (dir+10)%10
			} else {
				ok = step == dir
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func isSeparator(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '.' || r == '@' }

func stripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if isSeparator(r) {
			return -1
		}
		return r
	}, s)
}

func reverse(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}
