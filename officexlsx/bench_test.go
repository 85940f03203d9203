package officexlsx_test

import (
	"fmt"
	"testing"
	"time"

	"auxportal/officexlsx"
)

// BenchmarkRoster2000 renders a 报名花名册 of 2,000 applicants (15 columns), the size of a
// large town's opening: the export's cost beyond the queries.
func BenchmarkRoster2000(b *testing.B) {
	cols := []officexlsx.Column{{Header: "序号", Kind: officexlsx.Integer}, {Header: "报名号", Kind: officexlsx.Integer},
		{Header: "姓名"}, {Header: "性别"}, {Header: "年龄", Kind: officexlsx.Integer}, {Header: "身份证号"}, {Header: "手机号"},
		{Header: "学历"}, {Header: "专业"}, {Header: "退役军人"}, {Header: "报名时间"}, {Header: "状态"},
		{Header: "成绩", Kind: officexlsx.Score}, {Header: "加试成绩", Kind: officexlsx.Score}, {Header: "排名", Kind: officexlsx.Integer}}
	rows := make([][]any, 2000)
	for i := range rows {
		rows[i] = []any{i + 1, 1000 + i, "欧阳建国", "男", 28, "320*************12", fmt.Sprintf("138%08d", i), "高中（含中专、职高、技校）",
			"城市管理", "否", "2026-06-12 09:58", "资格审查合格", "85.50", "", i + 1}
	}
	book := officexlsx.Book{Title: "花名册", Created: time.Now(), Sheets: []officexlsx.Sheet{{Name: "报名花名册", Title: "三星镇 报名花名册",
		Note: "共 2000 人", Columns: cols, Rows: rows}}}
	b.ReportAllocs()
	for b.Loop() {
		out, err := book.Bytes()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}
