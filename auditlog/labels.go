package auditlog

import (
	"sort"
	"strings"
)

// actionNames names every action the services record, in the words of the office. A test walks
// the source for audit calls and fails when an action is missing here.
var actionNames = map[string]string{
	// 招聘岗位
	"opening.create":         "新建招聘岗位",
	"opening.update":         "修改招聘岗位",
	"opening.publish":        "发布招聘岗位",
	"opening.extend":         "延长报名截止日期",
	"base_conditions.update": "修改全区基本条件",
	"town.existing_staff":    "修改在岗人数",
	// 资格复核
	"review.approved": "复核通过",
	"review.rejected": "复核不通过",
	"review.reopen":   "撤销复核结论，重新复核",
	// 成绩与录用
	"score.set":                      "录入成绩",
	"scoring.reopen":                 "重新开放成绩录入",
	"application.propose":            "确定为拟录用人员",
	"application.replace":            "递补为拟录用人员",
	"application.drop_out":           "登记放弃拟录用",
	"application.training_hired":     "通过岗前培训，正式录用",
	"application.training_makeup":    "未通过岗前培训，可补考一次",
	"application.training_not_hired": "未通过岗前培训，不予录用",
	// 账号
	"user.create":  "新建账号",
	"user.enable":  "启用账号",
	"user.disable": "停用账号",
	// 题库与考试
	"bank.question.create":       "新增试题",
	"bank.question.update":       "修改试题",
	"bank.question.archive":      "停用试题",
	"bank.question.restore":      "恢复试题",
	"bank.import":                "导入题库",
	"blueprint.create":           "新建组卷方案",
	"blueprint.update":           "修改组卷方案",
	"sitting.schedule":           "安排考试场次",
	"sitting.schedule_refresher": "安排年度复训考试",
	"sitting.publish":            "公布考试成绩",
	"exam.add_time":              "延长考试时间",
	"exam.key_fix":               "更正试题答案并重新评分",
	"exam.accommodation":         "调整考生照顾延时",
	// 上岗证
	"permit.issue":      "颁发上岗证",
	"permit.reissue":    "换发上岗证",
	"permit.revoked":    "吊销上岗证",
	"permit.superseded": "旧证因换发作废",
	"permit.suspended":  "暂停上岗证（复训逾期）",
	"permit.expired":    "上岗证失效",
	"permit.renewed":    "复训合格，上岗证续期",
	"permit.restored":   "复训合格，恢复上岗证",
	// 通知
	"notice_delivery.retry": "重新投递通知",
}

// ActionName is an action in words; an action recorded by a newer version than this one is
// still shown, plainly marked.
func ActionName(action string) string {
	if n, ok := actionNames[action]; ok {
		return n
	}
	return "其他操作（" + action + "）"
}

// Known reports whether action has a name.
func Known(action string) bool { _, ok := actionNames[action]; return ok }

// Group is a set of actions the filter offers as one choice (操作类别).
type Group struct {
	Key     string   `json:"key"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// groups are the filter's categories, by the first part of the action.
var groups = []struct{ key, name, prefixes string }{
	{"openings", "招聘岗位与条件", "opening. base_conditions. town."},
	{"review", "资格复核", "review."},
	{"hiring", "成绩与录用", "score. scoring. application."},
	{"users", "账号", "user."},
	{"exams", "题库与考试", "bank. blueprint. sitting. exam."},
	{"permits", "上岗证", "permit."},
	{"notices", "通知", "notice_delivery."},
}

// Groups lists the filter's categories, each with its actions in name order.
func Groups() []Group {
	out := make([]Group, 0, len(groups))
	for _, g := range groups {
		var acts []string
		for a := range actionNames {
			for _, p := range strings.Fields(g.prefixes) {
				if strings.HasPrefix(a, p) {
					acts = append(acts, a)
				}
			}
		}
		sort.Slice(acts, func(i, j int) bool { return actionNames[acts[i]] < actionNames[acts[j]] })
		out = append(out, Group{Key: g.key, Name: g.name, Actions: acts})
	}
	return out
}

// objectNames name the kinds of object an entry is about.
var objectNames = map[string]string{
	"application": "报名", "user": "账号", "permit": "上岗证", "exam_candidate": "考生", "opening": "招聘岗位",
	"town": "区镇", "sitting": "考试场次", "blueprint": "组卷方案", "question": "试题", "setting": "基本条件",
	"notice_delivery": "通知投递",
}

// fieldNames label the keys of entries' details. byAction overrides a key whose meaning
// depends on the action.
var fieldNames = map[string]string{
	"old": "原值", "new": "新值", "item": "复核事项", "status_before": "复核前状态", "status_after": "复核后状态",
	"rank": "名次", "score": "成绩", "old_score": "原成绩", "extra_score": "加试成绩", "old_extra_score": "原加试成绩",
	"absent": "缺考", "withdrawn_proposals": "撤回的拟录用人数", "title": "名称", "seats": "招聘人数",
	"conditions": "招聘条件", "reference_date": "年龄基准日", "closes_at": "报名截止日期",
	"old_closes_at": "原截止日期", "new_closes_at": "新截止日期", "result": "考试结果", "failures": "未通过次数",
	"no": "证号", "from": "原状态", "to": "新状态", "application": "报名号", "valid_until": "有效期至",
	"sha256": "证件文件指纹", "passed": "合格人数", "channel": "渠道", "status": "投递状态", "attempts": "已尝试次数",
	"last_error": "最近一次错误", "minutes": "延长（分钟）", "candidate": "考生", "candidates": "涉及考生数",
	"version": "试题版本", "question": "试题编号", "changed": "重新评分的作答数", "blueprint": "组卷方案编号",
	"openings": "岗位编号", "old_minutes": "原照顾延时（分钟）", "new_minutes": "新照顾延时（分钟）",
	"ticket": "准考证号", "category": "分类", "type": "题型", "old_version": "原版本", "new_version": "新版本",
	"added": "新增", "skipped": "跳过", "name": "名称", "username": "账号", "role": "角色",
}

var fieldNamesByAction = map[string]map[string]string{
	"permit.reissue":         {"old": "原证号", "no": "新证号"},
	"permit.renewed":         {"passed": "复训合格日期"},
	"permit.restored":        {"passed": "复训合格日期"},
	"town.existing_staff":    {"old": "原在岗人数", "new": "新在岗人数"},
	"base_conditions.update": {"old": "原条件", "new": "新条件"},
	"exam.add_time":          {"candidate": "考生编号（0 为全体）"},
}

func fieldName(action, key string) (string, bool) {
	if n, ok := fieldNamesByAction[action][key]; ok {
		return n, true
	}
	n, ok := fieldNames[key]
	return n, ok
}
