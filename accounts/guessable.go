package accounts

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// What a guesser tries first, beyond the list of common passwords: a surname's pinyin, a
// placeholder name, a date, a phone number, a keyboard walk, a run or a repeat, and the words of
// the portal itself, strung together (wang1234, zhangsan1, 19900101, 1qaz2wsx3edc, haimen2026).
// A password is refused when what is left once all of that is taken out is shorter than
// minUnguessable (applicants) or minUnguessableStaff characters (guessable.go's remainder).
const (
	minUnguessable      = 4
	minUnguessableStaff = 6
)

const msgPasswordGuessable = "密码太容易被猜到（姓名拼音、生日、手机号、键盘顺序、常见词加数字等），请换一个更难猜的，例如几个不相关的词加上数字"

// surnames are the pinyin of the most common Chinese surnames, and names people use as
// placeholders. Two-letter ones are taken out only at the start, where a name begins.
var surnames = strings.Fields(`wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng
liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai jia ding wei xue ye yan shi lu lv du
qian su ren shen cui wan hou tan yao fang jin xia zou qiu xiong meng qin bai hao kong lei fan mao shao gu long wen kang
chang niu yin qi lai wu fu xing zhan ou ouyang shangguan zhuge situ
zhangsan lisi wangwu zhaoliu sunqi zhouba wujiu zhengshi xiaoming xiaohong laowang`)

// portalWords are the words of this portal and its demo, which a guesser of its accounts tries.
var portalWords = strings.Fields(`haimen nantong jiangsu chengguan chengshi guanli fuzhu zhaopin peixun admin administrator
demo test user guest root password passwd pass pwd login welcome iloveyou woaini aini love qwer asdf zxcv abcd abc
district trainer sanxing portal auxportal`)

// keyboardRows are the walks of a QWERTY keyboard: rows, and the diagonal columns people zigzag.
var keyboardRows = []string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
	"1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik", "9ol", "0p",
	"qaz", "wsx", "edc", "rfv", "tgb", "yhn", "ujm", "zaq1", "xsw2", "cde3", "vfr4", "bgt5", "nhy6", "mju7"}

// shifted maps the symbols on the digit keys to their digits (!QAZ2wsx is 1qaz2wsx typed with
// shift held down).
var shifted = strings.NewReplacer("!", "1", "@", "2", "#", "3", "$", "4", "%", "5", "^", "6", "&", "7", "*", "8", "(", "9", ")", "0")

// luckyNumbers are the numbers of love, luck and famous phone lines.
var luckyNumbers = strings.Fields(`5201314 1314520 7758521 13800138000 1314 520 521 666 888 168 518 10086 10010 95588 110 120 119`)

// unguessable returns how many characters of pw are left once everything a guesser tries first
// is taken out; personal are the account's own words (login name, phone, display name).
func unguessable(pw string, personal ...string) int {
	s := shifted.Replace(strings.ToLower(pw))
	var tokens []string
	for _, p := range personal {
		if p = strings.ToLower(strings.TrimSpace(p)); utf8.RuneCountInString(p) >= 2 {
			tokens = append(tokens, p)
		}
	}
	for w := range commonPasswords {
		if len(w) >= 4 {
			tokens = append(tokens, w)
		}
	}
	tokens = append(tokens, portalWords...)
	tokens = append(tokens, luckyNumbers...)
	for _, n := range surnames {
		if len(n) >= 3 {
			tokens = append(tokens, n)
		} else if strings.HasPrefix(s, n) {
			s = "\x00" + s[len(n):]
		}
	}
	for _, row := range keyboardRows {
		for _, r := range []string{row, reverse(row)} {
			for i := 0; i+3 <= len(r); i++ {
				for j := i + 3; j <= len(r); j++ {
					tokens = append(tokens, r[i:j])
				}
			}
		}
	}
	// Longest first, so a walk is taken out whole before the words inside it.
	sort.Slice(tokens, func(i, j int) bool { return len(tokens[i]) > len(tokens[j]) })
	for _, t := range tokens {
		if strings.Contains(s, t) {
			s = strings.ReplaceAll(s, t, "\x00")
		}
	}
	left := 0
	for _, part := range strings.Split(s, "\x00") {
		left += partLeft(part)
	}
	return left
}

// partLeft is what a stretch between taken-out tokens adds: nothing for separators, digits that
// read as a date, a phone number, a run or a repeat; otherwise its characters, a repeated
// character counting once.
func partLeft(part string) int {
	part = strings.Map(func(r rune) rune {
		if isSeparator(r) {
			return -1
		}
		return r
	}, part)
	n := 0
	for _, run := range splitRuns(part) {
		switch {
		case run == "":
		case allDigits(run) && (dateLike(run) || yearLike(run) || phoneLike(run) || trivialPattern(run)):
		case trivialPattern(run) && utf8.RuneCountInString(run) >= 3:
		default:
			prev := rune(0)
			for _, r := range run {
				if r != prev {
					n++
				}
				prev = r
			}
		}
	}
	return n
}

// splitRuns cuts s into runs of digits and runs of everything else.
func splitRuns(s string) []string {
	var out []string
	start := 0
	for i := 1; i <= len(s); i++ {
		if i == len(s) || isDigit(s[i]) != isDigit(s[i-1]) {
			out = append(out, s[start:i])
			start = i
		}
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func allDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

func yearLike(s string) bool { return len(s) == 4 && (s[:2] == "19" || s[:2] == "20") }

func phoneLike(s string) bool { return len(s) == 11 && s[0] == '1' && s[1] >= '3' }
