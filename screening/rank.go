package screening

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Candidate is one applicant in an opening's ranking.
type Candidate struct {
	Key        string              `json:"key"`         // application id as string
	Score      int64               `json:"score"`       // recruitment score in hundredths of a point (85.5 => 8550)
	Prefs      map[Preference]bool `json:"prefs"`       // VERIFIED preferences only
	ExtraScore *int64              `json:"extra_score"` // 加试 score in hundredths, entered for tied candidates; nil = none
}

// Step says what ordered two neighbours in a ranking.
type Step string

const (
	StepScore      Step = "score"
	StepPreference Step = "preference"
	StepExtraTest  Step = "extra_test"
	StepTie        Step = "tie"
)

// Decision explains, in Chinese, how a candidate was ordered against the next one.
type Decision struct {
	Step       Step       `json:"step"`
	Preference Preference `json:"preference,omitempty"`
	Message    string     `json:"message"`
}

// Ranked is a candidate with its place in the ranking.
type Ranked struct {
	Candidate
	Rank   int       `json:"rank"`    // 1-based; tied candidates share the same rank (competition ranking 1,1,3)
	Tied   bool      `json:"tied"`    // true if tied with a neighbour (needs extra test)
	VsNext *Decision `json:"vs_next"` // how this one was ordered against the next one in the list; nil for the last
}

// rankItem is a candidate with the ordering keys precomputed.
type rankItem struct {
	c        Candidate
	prefs    []bool // has chain[i]
	group    string // Score + prefs: candidates equal in score and preferences
	useExtra bool   // every member of the group has an extra-test score
	partial  bool   // some, but not all, members of the group have one
}

// Rank orders candidates for an opening (rule R-1: merit; rule R-3: the
// preference tie-break).
//
//  1. Higher Score first.
//  2. Rule R-3: equal scores are compared along chain; the first preference
//     that exactly one of the two holds decides, and its holder goes first.
//     Preferences are a tie-break, never bonus points.
//  3. Still equal: the extra test (加试). Extra scores decide within a group
//     of candidates equal in score and preferences only once every member of
//     that group has one; until then the whole group stays a visible tie.
//     (Comparing only the pairs that both have a score would not be a
//     consistent order: A 90 ahead of C 80, yet both tied with B who has none.)
//  4. Otherwise a visible tie: the same Rank, Tied set, Decision StepTie.
//     Tied candidates are listed by Key (numeric keys numerically, numeric
//     before non-numeric), for display only.
//
// The order is total and depends only on the candidates, not on the order of
// cands. cands is not modified.
func Rank(cands []Candidate, chain []Preference) []Ranked {
	items := prepare(cands, chain)
	sort.Slice(items, func(i, j int) bool { return lessItem(&items[i], &items[j]) })

	out := make([]Ranked, len(items))
	for i := range items {
		out[i].Candidate = items[i].c
		if i > 0 && sameRank(&items[i-1], &items[i]) {
			out[i].Rank = out[i-1].Rank
			out[i].Tied = true
			out[i-1].Tied = true
		} else {
			out[i].Rank = i + 1
		}
		if i+1 < len(items) {
			d := decide(&items[i], &items[i+1], chain)
			out[i].VsNext = &d
		}
	}
	return out
}

// prepare computes the ordering keys of Rank, including each candidate's
// equal-score-and-preferences group and whether that group is complete for
// the extra test.
func prepare(cands []Candidate, chain []Preference) []rankItem {
	items := make([]rankItem, len(cands))
	groupSize := map[string]int{}
	groupExtras := map[string]int{}
	for i, c := range cands {
		it := rankItem{c: c, prefs: make([]bool, len(chain))}
		var g strings.Builder
		g.WriteString(strconv.FormatInt(c.Score, 10))
		g.WriteByte(':')
		for j, p := range chain {
			it.prefs[j] = c.Prefs[p]
			if it.prefs[j] {
				g.WriteByte('1')
			} else {
				g.WriteByte('0')
			}
		}
		it.group = g.String()
		groupSize[it.group]++
		if c.ExtraScore != nil {
			groupExtras[it.group]++
		}
		items[i] = it
	}
	for i := range items {
		n, x := groupSize[items[i].group], groupExtras[items[i].group]
		items[i].useExtra = n > 1 && x == n
		items[i].partial = n > 1 && x > 0 && x < n
	}
	return items
}

// lessItem is the total order of Rank: merit keys first, then display keys.
func lessItem(a, b *rankItem) bool {
	if c := compareMerit(a, b); c != 0 {
		return c < 0
	}
	if c := compareKeys(a.c.Key, b.c.Key); c != 0 {
		return c < 0
	}
	// Identical keys (a caller's mistake): still deterministic.
	if c := compareExtra(a.c.ExtraScore, b.c.ExtraScore); c != 0 {
		return c < 0
	}
	return prefSignature(a.c.Prefs) < prefSignature(b.c.Prefs)
}

// compareMerit returns -1 if a ranks ahead of b, +1 if behind, 0 if tied.
func compareMerit(a, b *rankItem) int {
	if a.c.Score != b.c.Score {
		if a.c.Score > b.c.Score {
			return -1
		}
		return 1
	}
	// Rule R-3: walk the chain.
	for j := range a.prefs {
		if a.prefs[j] != b.prefs[j] {
			if a.prefs[j] {
				return -1
			}
			return 1
		}
	}
	// Same group from here on, so useExtra is the same for a and b.
	if a.useExtra && *a.c.ExtraScore != *b.c.ExtraScore {
		if *a.c.ExtraScore > *b.c.ExtraScore {
			return -1
		}
		return 1
	}
	return 0
}

func sameRank(a, b *rankItem) bool { return compareMerit(a, b) == 0 }

// decide explains why a (listed first) is ahead of b, or that they are tied.
func decide(a, b *rankItem, chain []Preference) Decision {
	if a.c.Score != b.c.Score {
		return Decision{Step: StepScore, Message: fmt.Sprintf("成绩 %s 高于 %s", FormatScore(a.c.Score), FormatScore(b.c.Score))}
	}
	for j := range a.prefs {
		if a.prefs[j] != b.prefs[j] {
			return Decision{Step: StepPreference, Preference: chain[j], Message: fmt.Sprintf("成绩相同，%s优先", chain[j].Label())}
		}
	}
	if a.useExtra {
		ea, eb := *a.c.ExtraScore, *b.c.ExtraScore
		if ea != eb {
			return Decision{Step: StepExtraTest, Message: fmt.Sprintf("成绩及优先条件均相同，加试成绩 %s 高于 %s", FormatScore(ea), FormatScore(eb))}
		}
		return Decision{Step: StepTie, Message: fmt.Sprintf("成绩、优先条件及加试成绩（%s）均相同，需再次加试或另行决定", FormatScore(ea))}
	}
	if a.partial {
		return Decision{Step: StepTie, Message: "成绩及优先条件均相同，需加试（加试成绩尚未全部录入）"}
	}
	return Decision{Step: StepTie, Message: "成绩及优先条件均相同，需加试"}
}

// compareKeys orders keys for display: numeric keys (ASCII digits only)
// numerically and before non-numeric keys, which compare as strings; equal
// numbers with different spellings ("007", "7") fall back to string order.
func compareKeys(a, b string) int {
	an, bn := a != "" && allDigits(a), b != "" && allDigits(b)
	switch {
	case an && bn:
		ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(ta) != len(tb) {
			return cmpInt(len(ta), len(tb))
		}
		if c := strings.Compare(ta, tb); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	case an:
		return -1
	case bn:
		return 1
	}
	return strings.Compare(a, b)
}

func compareExtra(a, b *int64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	case *a < *b:
		return -1
	case *a > *b:
		return 1
	}
	return 0
}

// prefSignature is a canonical text of the preferences held, for ordering.
func prefSignature(m map[Preference]bool) string {
	var ps []string
	for p, ok := range m {
		if ok {
			ps = append(ps, string(p))
		}
	}
	sort.Strings(ps)
	return strings.Join(ps, ",")
}

// ProposedCut proposes the hires for seats places from a ranking: the first
// seats entries. If the tie group at the boundary straddles it (the entries
// at positions seats-1 and seats, 0-based, share a rank), blockedByTie is true
// and hires are only those strictly above that tie group; the tie must be
// settled (extra test) before the remaining seats are filled. The result
// shares r's backing array (capacity clipped).
func ProposedCut(r []Ranked, seats int) (hires []Ranked, blockedByTie bool) {
	if seats <= 0 || len(r) == 0 {
		return nil, false
	}
	if seats >= len(r) {
		return r[:len(r):len(r)], false
	}
	if r[seats-1].Rank != r[seats].Rank {
		return r[:seats:seats], false
	}
	k := seats - 1
	for k > 0 && r[k-1].Rank == r[seats].Rank {
		k--
	}
	return r[:k:k], true
}
