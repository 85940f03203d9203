package recruitment

import (
	"fmt"

	"auxportal/screening"
)

// DemoProfile is a complete, realistic 报名表 for the demo's applicants, the load tests and
// other packages' tests: someone of Haimen born on birth, schooled to education (a
// screening.Education value) and, after school, at work until today. seed varies the
// places, schools and family, so that a list of demo applicants does not read as one person.
func DemoProfile(seed int, birth, today screening.Date, education string) Profile {
	pick := func(list []string) string { return list[(seed%len(list)+len(list))%len(list)] }
	towns := []string{"三星镇", "海门街道", "三厂街道", "悦来镇", "四甲镇", "常乐镇", "余东镇", "正余镇"}
	town := pick(towns)
	streets := []string{"叠石桥村 5 组 18 号", "长江南路 88 号东洲小区 12 幢 302 室", "人民西路 216 号", "海南村 11 组 7 号",
		"北海路 1099 号 3 幢 501 室", "新海村 3 组 22 号"}
	father := []string{"王建国", "陈志强", "张卫东", "黄永明", "施建华", "沈国平"}
	mother := []string{"李秀英", "顾美华", "陆桂芳", "倪红梅", "茅玉兰", "袁凤英"}
	emPhones := []string{"13962800001", "13951300427", "15996500318", "18862900571", "13773600892", "15162700934"}

	// The years at school end at the last one education stands for, in June; someone too
	// young to have finished it by today is shown finishing junior high at 15.
	years, school := 18, "江苏省海门中学"
	switch screening.Education(education) {
	case screening.EduJuniorHigh:
		years, school = 15, "海门市"+town+"初级中学"
	case screening.EduJuniorCollege:
		years, school = 21, pick([]string{"南通职业大学", "江苏工程职业技术学院", "南通科技职业学院"})
	case screening.EduBachelor, screening.EduMaster:
		years, school = 22, pick([]string{"南通大学", "江苏科技大学", "扬州大学"})
	}
	grad := birth.Year + years
	if grad*12+5 > today.Year*12+int(today.Month)-1 {
		grad, school = birth.Year+15, "海门市"+town+"初级中学"
	}
	ym := func(y, m int) string { return fmt.Sprintf("%04d-%02d", y, m) }
	p := Profile{
		Ethnicity: "汉族", Political: pick([]string{"群众", "共青团员", "群众", "中共党员"}),
		Hukou: "江苏省南通市海门区" + town, Address: "江苏省南通市海门区" + town + pick(streets),
		School: school, Graduated: ym(grad, 6),
		EmergencyName: pick(father), EmergencyRelation: "父亲", EmergencyPhone: pick(emPhones),
	}
	if seed%7 == 3 {
		p.Ethnicity = "回族"
	}
	p.Resume = append(p.Resume, ResumeRow{From: ym(grad-3, 9), To: ym(grad, 6), Org: school, Role: "学生"})
	jobs := []string{"海门叠石桥国际家纺城", "南通四建集团有限公司", "海门区" + town + "人民政府（劳务派遣）", "江苏中南建设集团", "海门港新区物流园"}
	roles := []string{"营业员", "施工员", "综合协管员", "仓库管理员", "安保员"}
	from := grad
	if today.Year-from >= 4 {
		mid := from + (today.Year-from)/2
		p.Resume = append(p.Resume, ResumeRow{From: ym(from, 7), To: ym(mid, 12), Org: pick(jobs), Role: pick(roles)})
		from = mid + 1
		p.Resume = append(p.Resume, ResumeRow{From: ym(from, 1), Org: jobs[(seed+1)%len(jobs)], Role: roles[(seed+2)%len(roles)]})
	} else if today.Year > from {
		p.Resume = append(p.Resume, ResumeRow{From: ym(from, 7), Org: pick(jobs), Role: pick(roles)})
	}
	p.Family = []FamilyRow{
		{Relation: "父亲", Name: p.EmergencyName, Work: "海门区" + town + "村民"},
		{Relation: "母亲", Name: pick(mother), Work: pick([]string{"退休", "个体经营", "务农"})},
	}
	return p
}
