package screening

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// IDKind tells which kind of document an 18-character ID number belongs to.
type IDKind string

const (
	// IDMainland is a resident identity card (居民身份证) of a mainland resident.
	IDMainland IDKind = "mainland"
	// IDHKMacaoTaiwan is a residence permit for Hong Kong, Macao and Taiwan
	// residents (港澳台居民居住证), number prefix 81, 82 or 83.
	IDHKMacaoTaiwan IDKind = "hk_macao_taiwan"
	// IDForeign is a foreign permanent resident ID card (外国人永久居留身份证),
	// first digit 9.
	IDForeign IDKind = "foreign"
)

// Label is the Chinese name of the document kind.
func (k IDKind) Label() string {
	switch k {
	case IDMainland:
		return "居民身份证"
	case IDHKMacaoTaiwan:
		return "港澳台居民居住证"
	case IDForeign:
		return "外国人永久居留身份证"
	}
	return "未知证件"
}

// ID is a parsed, valid 18-character ID number (GB 11643-1999).
type ID struct {
	Number string // normalised: upper-case X
	Birth  Date   // from characters 7–14
	Kind   IDKind
	Region string // first 6 digits (address code)
	Male   bool   // 17th digit odd
}

// Sentinel errors of ParseID. Returned errors wrap exactly one of them
// (errors.Is works) and carry a specific Chinese message.
var (
	ErrIDFormat    = errors.New("身份证号码格式不正确")
	ErrIDChecksum  = errors.New("身份证号码校验位不正确")
	ErrIDBirthDate = errors.New("身份证号码中的出生日期无效")
	ErrIDRegion    = errors.New("身份证号码中的行政区划代码无效")
)

// Rule A2-2: the first two digits of a mainland resident ID number are the province-level code
// that GB/T 2260 assigns (11–15 north, 21–23 north-east, 31–37 east, 41–46 central-south,
// 50–54 south-west, 61–65 north-west). 71 (Taiwan) and 81/82 (Hong Kong, Macao) are codes of
// GB/T 2260 too, but no resident ID card carries them: Hong Kong, Macao and Taiwan residents
// hold residence permits numbered 81, 82 and 83 (IDHKMacaoTaiwan).
func mainlandProvince(code string) bool {
	n, ok := atoiDigits(code)
	if !ok || len(code) != 2 {
		return false
	}
	switch {
	case n >= 11 && n <= 15, n >= 21 && n <= 23, n >= 31 && n <= 37, n >= 41 && n <= 46,
		n >= 50 && n <= 54, n >= 61 && n <= 65:
		return true
	}
	return false
}

// IDError is the error type returned by ParseID. Error() is a complete
// Chinese sentence for the applicant; Unwrap returns the sentinel
// (ErrIDFormat, ErrIDChecksum or ErrIDBirthDate).
type IDError struct {
	Sentinel error
	Msg      string
}

func (e *IDError) Error() string { return e.Msg }
func (e *IDError) Unwrap() error { return e.Sentinel }

func idErr(sentinel error, format string, args ...any) error {
	return &IDError{Sentinel: sentinel, Msg: fmt.Sprintf(format, args...)}
}

// GB 11643-1999 MOD 11-2: weights 2^(17-i) mod 11 for positions 1..17 and the
// check character for each remainder of the weighted sum.
var (
	idWeights    = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheckChars = "10X98765432"
)

// IDCheckChar returns the GB 11643-1999 MOD 11-2 check character ('0'–'9' or
// 'X') for the first 17 digits of an ID number. ok is false unless first17 is
// exactly 17 ASCII digits.
func IDCheckChar(first17 string) (c byte, ok bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		ch := first17[i]
		if ch < '0' || ch > '9' {
			return 0, false
		}
		sum += int(ch-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], true
}

// ParseID validates an 18-character ID number and extracts what it encodes.
//
// Rule A2-2: the applicant proves nationality with a resident ID number.
// Rule A2-3: the birth date (and so the age) comes only from this number.
//
// Surrounding spaces are trimmed; a lower-case x check character is accepted
// and normalised to X. Checks, in order: 18 characters, the first 17 digits
// and the last a digit or X (ErrIDFormat); the first two digits are a province
// code of GB/T 2260, 81–83 or start with 9 (ErrIDRegion); the MOD 11-2 check
// character (ErrIDChecksum); the birth date is a real date, not before 1900
// and not after today (ErrIDBirthDate). A zero today skips the "not after
// today" check.
//
// The kind follows the first digits: 81, 82, 83 are residence permits of Hong
// Kong, Macao and Taiwan residents; a province code (see mainlandProvince) is a
// mainland resident ID; 9 is a foreign permanent resident ID card, recognised
// so that rule A2-2 can say why it does not qualify. Anything else (10…, 71…,
// 80…, 84…) is not an ID number at all.
func ParseID(s string, today Date) (ID, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return ID{}, idErr(ErrIDFormat, "请填写身份证号码")
	}
	if n := utf8.RuneCountInString(s); n != 18 {
		return ID{}, idErr(ErrIDFormat, "身份证号码应为18位，当前为%d位", n)
	}
	if len(s) != 18 {
		return ID{}, idErr(ErrIDFormat, "身份证号码只能由数字和字母X组成，请使用半角字符（不要使用全角数字或其他符号）")
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return ID{}, idErr(ErrIDFormat, "身份证号码前17位应全部为数字，第%d位不是数字", i+1)
		}
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	if (last < '0' || last > '9') && last != 'X' {
		return ID{}, idErr(ErrIDFormat, "身份证号码最后一位应为数字或字母X")
	}
	number := s[:17] + string(last)
	if number[0] == '0' {
		return ID{}, idErr(ErrIDFormat, "身份证号码不能以0开头，请核对后重新填写")
	}
	kind := IDMainland
	switch p := number[:2]; {
	case number[0] == '9':
		kind = IDForeign
	case p == "81", p == "82", p == "83":
		kind = IDHKMacaoTaiwan
	case !mainlandProvince(p):
		// Rule A2-2: not a province of the mainland, nor a residence permit.
		return ID{}, idErr(ErrIDRegion, "身份证号码前两位“%s”不是有效的省级行政区划代码，请核对后重新填写", p)
	}
	want, _ := IDCheckChar(number[:17])
	if last != want {
		return ID{}, idErr(ErrIDChecksum, "身份证号码校验位不正确（最后一位），请逐位核对号码")
	}
	y, _ := atoiDigits(number[6:10])
	m, _ := atoiDigits(number[10:12])
	d, _ := atoiDigits(number[12:14])
	birth := Date{Year: y, Month: time.Month(m), Day: d}
	if !birth.Valid() {
		return ID{}, idErr(ErrIDBirthDate, "身份证号码第7至14位的出生日期 %s 不是有效日期", number[6:14])
	}
	if y < 1900 {
		return ID{}, idErr(ErrIDBirthDate, "身份证号码中的出生年份 %d 早于1900年，请核对", y)
	}
	if !today.IsZero() && birth.After(today) {
		return ID{}, idErr(ErrIDBirthDate, "身份证号码中的出生日期 %s 晚于今天，请核对", birth.Chinese())
	}
	return ID{
		Number: number,
		Birth:  birth,
		Kind:   kind,
		Region: number[:6],
		Male:   (number[16]-'0')%2 == 1,
	}, nil
}

// MaskID hides an ID number for display: the first 3 and the last 2
// characters stay, every other character becomes '*'
// ("32010219850701123X" → "320*************3X"). A lower-case x becomes X.
// Numbers of 5 characters or fewer are masked entirely.
//
// Why only the last 2: views below the reviewer's show the mask beside the age
// and the sex, and the town tells the region. With the last 4 shown (the three
// sequence digits and the check character), the 365 birth dates of one age and
// the checksum leave about 33 numbers, and with the birth date itself only one.
// With the last 2, the two hidden sequence digits multiply that by 100: about
// 3,300 numbers remain for one age, and still about 9 for a known birth date,
// which is why no such view shows the birth date (DESIGN.md: at least 1,000).
func MaskID(number string) string {
	r := []rune(strings.ToUpper(strings.TrimSpace(number)))
	n := len(r)
	if n <= 5 {
		return strings.Repeat("*", n)
	}
	return string(r[:3]) + strings.Repeat("*", n-5) + string(r[n-2:])
}
