package exams

import "strings"

// Builders for the demo bank. Options are given in order and keyed A, B, …;
// correct keys as a string ("ABD"); fill answers as "两|2;五|5" (blanks by
// ";", accepted answers by "|").

func qSingle(cat Category, d Difficulty, stem string, opts []string, key, expl string) Question {
	return qChoice(cat, Single, d, stem, opts, key, expl)
}

func qMultiple(cat Category, d Difficulty, stem string, opts []string, keys, expl string) Question {
	return qChoice(cat, Multiple, d, stem, opts, keys, expl)
}

func qChoice(cat Category, t Type, d Difficulty, stem string, opts []string, keys, expl string) Question {
	q := Question{Category: cat, Type: t, Difficulty: d, Stem: stem, Explanation: expl}
	for i, o := range opts {
		q.Options = append(q.Options, Option{Key: OptionKey(i), Text: o})
	}
	for _, k := range keys {
		q.Correct = append(q.Correct, string(k))
	}
	return q
}

func qJudge(cat Category, d Difficulty, stem string, truth bool, expl string) Question {
	return Question{Category: cat, Type: TrueFalse, Difficulty: d, Stem: stem, Truth: &truth, Explanation: expl}
}

func qFill(cat Category, d Difficulty, stem, answers, expl string) Question {
	q := Question{Category: cat, Type: Fill, Difficulty: d, Stem: stem, Explanation: expl}
	for _, b := range strings.Split(answers, ";") {
		q.Blanks = append(q.Blanks, Blank{Accepted: strings.Split(b, "|")})
	}
	return q
}

func qShort(cat Category, d Difficulty, stem, reference, rubric, expl string) Question {
	return Question{Category: cat, Type: Short, Difficulty: d, Stem: stem, Reference: reference, Rubric: rubric, Explanation: expl}
}

func qOpts(o ...string) []string { return o }
