package certificates

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func sampleAppForm(t testing.TB, name string) AppForm {
	return AppForm{
		Title: "南通市海门区城市管理辅助人员招聘报名表", Opening: "三星镇 · 城市管理辅助人员", ApplicationNo: "1024",
		Submitted: "2026年6月10日 09:30", Copy: "本人留存（身份证号码已隐去中间部分）",
		Name: name, Gender: "男", Birth: "1996年3月15日", Ethnicity: "汉族", Political: "共青团员",
		IDNumber: "320684199603154213", Education: "大学专科", Major: "城市管理", School: "南通职业大学",
		Graduated: "2017.06", Hukou: "江苏省南通市海门区三星镇", Address: "江苏省南通市海门区三星镇叠石桥村5组18号",
		Phone: "13800000001", Phone2: "13706281234", Emergency: "王建国（父亲） 13962800001",
		Claims: "退役军人：否；中共党员：否；曾从事城市管理辅助工作：否；见义勇为积极分子：否",
		Photo:  testPhoto(t, 300, 420),
		Resume: []AppFormLine{{"2011.09—2014.06", "江苏省海门中学", "学生"}, {"2014.09—2017.06", "南通职业大学", "学生"},
			{"2017.07—至今", "海门叠石桥家纺城", "营业员"}},
		Family:       []AppFormLine{{"父亲", "王建国", "三星镇叠石桥村村民"}, {"母亲", "李秀英", "退休"}},
		Declarations: []string{"本人承诺：以上所填信息及所提交材料真实、准确、完整，如有虚假，自愿取消报名及录用资格。"},
	}
}

func renderAppForm(t testing.TB, f AppForm) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := RenderAppForm(&b, f); err != nil {
		t.Fatalf("RenderAppForm: %v", err)
	}
	return b.Bytes()
}

// squeeze is text without the spaces and line breaks of pdftotext's layout: labels are spread
// over their cells (分散对齐), and a wrapped value continues on a later line.
func squeeze(s string) string {
	return strings.NewReplacer(" ", "", "\n", "", "\f", "").Replace(s)
}

// inOrder reports whether the characters of want appear in s in their order: a section's name
// printed down its label column comes out one character a line, between the lines beside it.
func inOrder(s, want string) bool {
	for _, r := range want {
		i := strings.IndexRune(s, r)
		if i < 0 {
			return false
		}
		s = s[i+len(string(r)):]
	}
	return true
}

// withoutLabels is squeezed text without the labels, which sit beside the middle line of a
// wrapped value.
func withoutLabels(s string) string {
	for _, l := range []string{"户籍所在地", "现居住地址", "紧急联系人", "身份情况"} {
		s = strings.ReplaceAll(s, l, "")
	}
	return s
}

// The 报名表 is real text: every field a reviewer reads is found by pdftotext, rare GBK name
// characters included, and the photo is printed instead of the empty frame.
func TestAppForm_TextExtracts(t *testing.T) {
	for _, name := range []string{"王喆", "李堃", "赵龑", "欧阳玥昇", "邝赟"} {
		t.Run(name, func(t *testing.T) {
			f := sampleAppForm(t, name)
			text := pdfText(t, renderAppForm(t, f))
			for _, want := range []string{f.Title, f.Name, f.IDNumber, f.Birth, f.Ethnicity, f.Political, f.School,
				f.Graduated, f.Hukou, f.Phone, f.Phone2, f.Emergency, "江苏省海门中学", "2017.07—至今", "海门叠石桥家纺城",
				"三星镇叠石桥村村民", "李秀英", "报名号：1024", f.Copy} {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext lacks %q; got:\n%s", want, text)
				}
			}
			sq := squeeze(text)
			for _, want := range []string{"姓名", "出生日期", "政治面貌", "户籍所在地", "现居住地址", "紧急联系人",
				"报名人签名", f.Address, squeeze(f.Declarations[0])} {
				if !strings.Contains(sq, want) {
					t.Errorf("pdftotext lacks %q", want)
				}
			}
			for _, want := range []string{"学习与工作经历", "家庭主要成员", "本人承诺", "资格审查意见"} {
				if !inOrder(sq, want) {
					t.Errorf("pdftotext lacks the section %q", want)
				}
			}
			if strings.Contains(text, "照片") {
				t.Error("a form with a photo shows the empty 照片 frame")
			}
			if p := pdfPages(t, renderAppForm(t, f)); p != "1" {
				t.Errorf("%s pages, want 1", p)
			}
		})
	}
}

// Long text wraps inside its cell, line breaks included, and a form with every line of both
// tables filled goes on to a second page instead of printing over the foot.
func TestAppForm_LongTextWrapsAndFlowsOnToASecondPage(t *testing.T) {
	f := sampleAppForm(t, "王喆")
	f.Photo = nil
	f.Address = strings.Repeat("江苏省南通市海门区三星镇叠石桥村", 6) + "尾号END"
	f.Declarations = []string{"一、本人承诺所填信息真实。", "二、本人已阅读招聘公告。\n三、如有虚假，自愿取消资格。"}
	for i := range 8 {
		f.Resume = append(f.Resume, AppFormLine{"2018.01—2019.01", strings.Repeat("海门区城市管理局", 5) + string(rune('甲'+i)), "辅助人员"})
	}
	f.Resume = f.Resume[:8]
	for range 4 {
		f.Family = append(f.Family, AppFormLine{"弟弟", "王小明", "海门区某某有限公司职员"})
	}
	b := renderAppForm(t, f)
	text := pdfText(t, b)
	sq := withoutLabels(squeeze(text))
	for _, want := range []string{f.Address, "二、本人已阅读招聘公告。", "三、如有虚假，自愿取消资格。", "照片"} {
		if !strings.Contains(sq, squeeze(want)) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
	if !inOrder(sq, "资格审查意见") {
		t.Error("the review box is missing")
	}
	// The address took more than one line of its cell.
	if strings.Contains(text, f.Address) {
		t.Error("a 100-character address printed on one line: it cannot have fitted its cell")
	}
	if p := pdfPages(t, b); p != "2" {
		t.Errorf("%s pages, want 2", p)
	}
}

func TestAppForm_Refused(t *testing.T) {
	cases := []struct {
		name  string
		mod   func(*AppForm)
		glyph bool
		want  string
	}{
		{"no name", func(f *AppForm) { f.Name = " " }, false, "缺少姓名"},
		{"no number", func(f *AppForm) { f.ApplicationNo = "" }, false, "缺少报名号"},
		{"a character beyond the font", func(f *AppForm) { f.Address = "海门区𠀀村" }, true, "现居住地址"},
		{"a control character", func(f *AppForm) { f.Family[0][2] = "村民\x07" }, true, "家庭成员第1行的工作单位及职务"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := sampleAppForm(t, "王喆")
			c.mod(&f)
			var b bytes.Buffer
			err := RenderAppForm(&b, f)
			if err == nil || !strings.Contains(err.Error(), c.want) || b.Len() != 0 {
				t.Fatalf("err %v (%d bytes written), want one naming %q and nothing written", err, b.Len(), c.want)
			}
			var ge *GlyphError
			if errors.As(err, &ge) != c.glyph {
				t.Errorf("GlyphError %v, want %v", errors.As(err, &ge), c.glyph)
			}
			if !c.glyph && !errors.Is(err, ErrInvalid) {
				t.Errorf("%v does not wrap ErrInvalid", err)
			}
		})
	}
}
