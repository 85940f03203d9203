// Package screening implements the eligibility rules of Attachment 2 (附件2,
// 城市管理辅助人员基本招聘条件) of 海政办发〔2022〕8号, the towns' extra conditions
// (rule R-2) and the preference tie-break ranking (rule R-3).
//
// Everything here is a pure function over plain values: no I/O, no clock, no
// mutable package state. The reference date ("today", the opening's reference
// date) is always a parameter. Rule ids refer to seed/RULES.md; every place
// that enforces a rule cites it in a comment (// Rule A2-3: ...).
//
// Messages meant for applicants and reviewers are Simplified Chinese.
package screening
