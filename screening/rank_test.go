package screening

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

type rankWant struct {
	key  string
	rank int
	tied bool
	step Step       // VsNext.Step; "" for the last
	pref Preference // VsNext.Preference
	msg  string     // substring of VsNext.Message
}

func prefs(ps ...Preference) map[Preference]bool {
	m := map[Preference]bool{}
	for _, p := range ps {
		m[p] = true
	}
	return m
}

func checkRanked(t *testing.T, got []Ranked, want []rankWant) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d ranked, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Key != w.key || g.Rank != w.rank || g.Tied != w.tied {
			t.Errorf("#%d = {key %s rank %d tied %v}, want {key %s rank %d tied %v}", i, g.Key, g.Rank, g.Tied, w.key, w.rank, w.tied)
		}
		if w.step == "" {
			if g.VsNext != nil {
				t.Errorf("#%d: VsNext = %+v, want nil", i, g.VsNext)
			}
			continue
		}
		if g.VsNext == nil {
			t.Errorf("#%d: VsNext nil, want %s", i, w.step)
			continue
		}
		if g.VsNext.Step != w.step || g.VsNext.Preference != w.pref || !strings.Contains(g.VsNext.Message, w.msg) {
			t.Errorf("#%d: VsNext = %+v, want step %s pref %q msg ~%q", i, *g.VsNext, w.step, w.pref, w.msg)
		}
	}
}

func TestRank_R_3(t *testing.T) {
	def := DefaultPreferenceChain()
	tests := []struct {
		name  string
		cands []Candidate
		chain []Preference
		want  []rankWant
	}{
		{
			name:  "empty",
			cands: nil,
			chain: def,
			want:  []rankWant{},
		},
		{
			name:  "single",
			cands: []Candidate{{Key: "1", Score: 8000}},
			chain: def,
			want:  []rankWant{{key: "1", rank: 1}},
		},
		{
			name: "R-1 score order",
			cands: []Candidate{
				{Key: "1", Score: 8600}, {Key: "2", Score: 8550}, {Key: "3", Score: 9000},
			},
			chain: def,
			want: []rankWant{
				{"3", 1, false, StepScore, "", "成绩 90.00 高于 86.00"},
				{"1", 2, false, StepScore, "", "成绩 86.00 高于 85.50"},
				{"2", 3, false, "", "", ""},
			},
		},
		{
			name: "score beats preferences (no bonus points)",
			cands: []Candidate{
				{Key: "1", Score: 8549, Prefs: prefs(PrefUrbanManagement, PrefVeteran, PrefHeroic)},
				{Key: "2", Score: 8550},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepScore, "", "成绩 85.50 高于 85.49"},
				{"1", 2, false, "", "", ""},
			},
		},
		{
			name: "urban-management graduate decides",
			cands: []Candidate{
				{Key: "1", Score: 8550}, {Key: "2", Score: 8550, Prefs: prefs(PrefUrbanManagement)},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepPreference, PrefUrbanManagement, "成绩相同，城市管理类专业毕业生优先"},
				{"1", 2, false, "", "", ""},
			},
		},
		{
			name: "veteran decides",
			cands: []Candidate{
				{Key: "1", Score: 8550}, {Key: "2", Score: 8550, Prefs: prefs(PrefVeteran)},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepPreference, PrefVeteran, "成绩相同，退伍军人优先"},
				{"1", 2, false, "", "", ""},
			},
		},
		{
			name: "heroic honour decides",
			cands: []Candidate{
				{Key: "1", Score: 8550, Prefs: map[Preference]bool{PrefHeroic: false}}, {Key: "2", Score: 8550, Prefs: prefs(PrefHeroic)},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepPreference, PrefHeroic, "成绩相同，见义勇为积极分子优先"},
				{"1", 2, false, "", "", ""},
			},
		},
		{
			name: "shared first preference, second decides",
			cands: []Candidate{
				{Key: "1", Score: 8550, Prefs: prefs(PrefUrbanManagement)},
				{Key: "2", Score: 8550, Prefs: prefs(PrefUrbanManagement, PrefVeteran)},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepPreference, PrefVeteran, "退伍军人优先"},
				{"1", 2, false, "", "", ""},
			},
		},
		{
			name: "first differing preference decides, not the count",
			cands: []Candidate{
				{Key: "1", Score: 8550, Prefs: prefs(PrefVeteran, PrefHeroic)},
				{Key: "2", Score: 8550, Prefs: prefs(PrefUrbanManagement)},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepPreference, PrefUrbanManagement, "城市管理类专业毕业生优先"},
				{"1", 2, false, "", "", ""},
			},
		},
		{
			name: "custom chain: veteran before urban management",
			cands: []Candidate{
				{Key: "1", Score: 8550, Prefs: prefs(PrefVeteran)},
				{Key: "2", Score: 8550, Prefs: prefs(PrefUrbanManagement)},
			},
			chain: []Preference{PrefVeteran, PrefUrbanManagement},
			want: []rankWant{
				{"1", 1, false, StepPreference, PrefVeteran, "退伍军人优先"},
				{"2", 2, false, "", "", ""},
			},
		},
		{
			name: "default chain on the same two: urban management first",
			cands: []Candidate{
				{Key: "1", Score: 8550, Prefs: prefs(PrefVeteran)},
				{Key: "2", Score: 8550, Prefs: prefs(PrefUrbanManagement)},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepPreference, PrefUrbanManagement, ""},
				{"1", 2, false, "", "", ""},
			},
		},
		{
			name: "preference not in the chain is ignored",
			cands: []Candidate{
				{Key: "1", Score: 8550, Prefs: prefs(PrefVeteran)},
				{Key: "2", Score: 8550, Prefs: prefs(PrefUrbanManagement)},
			},
			chain: []Preference{PrefHeroic},
			want: []rankWant{
				{"1", 1, true, StepTie, "", "成绩及优先条件均相同，需加试"},
				{"2", 1, true, "", "", ""},
			},
		},
		{
			name: "empty chain: equal scores tie",
			cands: []Candidate{
				{Key: "2", Score: 8550, Prefs: prefs(PrefVeteran)},
				{Key: "1", Score: 8550},
			},
			chain: nil,
			want: []rankWant{
				{"1", 1, true, StepTie, "", "需加试"},
				{"2", 1, true, "", "", ""},
			},
		},
		{
			name: "extra test decides",
			cands: []Candidate{
				{Key: "1", Score: 8550, ExtraScore: ptr(8800)},
				{Key: "2", Score: 8550, ExtraScore: ptr(9000)},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepExtraTest, "", "成绩及优先条件均相同，加试成绩 90.00 高于 88.00"},
				{"1", 2, false, "", "", ""},
			},
		},
		{
			name: "preference decides before the extra test",
			cands: []Candidate{
				{Key: "1", Score: 8550, ExtraScore: ptr(9900)},
				{Key: "2", Score: 8550, ExtraScore: ptr(6000), Prefs: prefs(PrefHeroic)},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepPreference, PrefHeroic, ""},
				{"1", 2, false, "", "", ""},
			},
		},
		{
			name: "extra test equal: still a tie",
			cands: []Candidate{
				{Key: "1", Score: 8550, ExtraScore: ptr(9000)},
				{Key: "2", Score: 8550, ExtraScore: ptr(9000)},
			},
			chain: def,
			want: []rankWant{
				{"1", 1, true, StepTie, "", "加试成绩（90.00）均相同"},
				{"2", 1, true, "", "", ""},
			},
		},
		{
			name: "extra test only partly entered: a tie",
			cands: []Candidate{
				{Key: "1", Score: 8550},
				{Key: "2", Score: 8550, ExtraScore: ptr(9000)},
			},
			chain: def,
			want: []rankWant{
				{"1", 1, true, StepTie, "", "加试成绩尚未全部录入"},
				{"2", 1, true, "", "", ""},
			},
		},
		{
			name: "extra score of a candidate who is not tied is ignored",
			cands: []Candidate{
				{Key: "1", Score: 8550, ExtraScore: ptr(1000)},
				{Key: "2", Score: 8000, ExtraScore: ptr(9999)},
			},
			chain: def,
			want: []rankWant{
				{"1", 1, false, StepScore, "", ""},
				{"2", 2, false, "", "", ""},
			},
		},
		{
			name: "3-way tie between others, numeric key order",
			cands: []Candidate{
				{Key: "10", Score: 8000}, {Key: "9", Score: 8000}, {Key: "1", Score: 9000},
				{Key: "2", Score: 8000}, {Key: "5", Score: 7000},
			},
			chain: def,
			want: []rankWant{
				{"1", 1, false, StepScore, "", "成绩 90.00 高于 80.00"},
				{"2", 2, true, StepTie, "", "需加试"},
				{"9", 2, true, StepTie, "", "需加试"},
				{"10", 2, true, StepScore, "", "成绩 80.00 高于 70.00"},
				{"5", 5, false, "", "", ""},
			},
		},
		{
			name: "3-way tie settled by the extra test",
			cands: []Candidate{
				{Key: "10", Score: 8000, ExtraScore: ptr(7000)},
				{Key: "9", Score: 8000, ExtraScore: ptr(9000)},
				{Key: "2", Score: 8000, ExtraScore: ptr(8000)},
			},
			chain: def,
			want: []rankWant{
				{"9", 1, false, StepExtraTest, "", "加试成绩 90.00 高于 80.00"},
				{"2", 2, false, StepExtraTest, "", "加试成绩 80.00 高于 70.00"},
				{"10", 3, false, "", "", ""},
			},
		},
		{
			name: "3-way tie, extra test partly: whole group stays tied",
			cands: []Candidate{
				{Key: "a", Score: 8000, ExtraScore: ptr(9000)},
				{Key: "b", Score: 8000},
				{Key: "c", Score: 8000, ExtraScore: ptr(8000)},
			},
			chain: def,
			want: []rankWant{
				{"a", 1, true, StepTie, "", "尚未全部录入"},
				{"b", 1, true, StepTie, "", "尚未全部录入"},
				{"c", 1, true, "", "", ""},
			},
		},
		{
			name: "3-way tie, extra test splits 1 + 2",
			cands: []Candidate{
				{Key: "3", Score: 8000, ExtraScore: ptr(8500)},
				{Key: "1", Score: 8000, ExtraScore: ptr(8500)},
				{Key: "2", Score: 8000, ExtraScore: ptr(9000)},
			},
			chain: def,
			want: []rankWant{
				{"2", 1, false, StepExtraTest, "", "85.00"},
				{"1", 2, true, StepTie, "", "均相同"},
				{"3", 2, true, "", "", ""},
			},
		},
		{
			name: "display order of tied keys: numeric numerically, then text",
			cands: []Candidate{
				{Key: "b", Score: 1}, {Key: "10", Score: 1}, {Key: "a", Score: 1}, {Key: "9", Score: 1}, {Key: "010", Score: 1},
			},
			chain: def,
			want: []rankWant{
				{"9", 1, true, StepTie, "", ""},
				{"010", 1, true, StepTie, "", ""},
				{"10", 1, true, StepTie, "", ""},
				{"a", 1, true, StepTie, "", ""},
				{"b", 1, true, "", "", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fmt.Sprintf("%+v", tt.cands)
			got := Rank(tt.cands, tt.chain)
			checkRanked(t, got, tt.want)
			if after := fmt.Sprintf("%+v", tt.cands); after != before {
				t.Errorf("Rank modified its input")
			}
		})
	}
}

// randomCandidates makes candidates with many collisions in score and
// preferences, some complete extra-test groups, some partial.
func randomCandidates(r *rand.Rand, n int) []Candidate {
	scores := []int64{7000, 8000, 8550, 8600, 9000}
	all := DefaultPreferenceChain()
	out := make([]Candidate, n)
	for i := range out {
		c := Candidate{Score: scores[r.IntN(len(scores))], Prefs: map[Preference]bool{}}
		if r.IntN(3) == 0 {
			c.Key = fmt.Sprintf("k%d", i)
		} else {
			c.Key = fmt.Sprint(i + 1)
		}
		for _, p := range all {
			if r.IntN(3) == 0 {
				c.Prefs[p] = true
			}
		}
		if r.IntN(2) == 0 {
			c.ExtraScore = ptr(int64(8000 + 500*r.IntN(3)))
		}
		out[i] = c
	}
	return out
}

// checkInvariants verifies what any correct ranking must satisfy.
func checkInvariants(t *testing.T, got []Ranked) {
	t.Helper()
	for i := range got {
		if i == 0 && len(got) > 0 && got[0].Rank != 1 {
			t.Fatalf("first rank %d", got[0].Rank)
		}
		if i+1 == len(got) {
			if got[i].VsNext != nil {
				t.Fatalf("last has VsNext")
			}
			break
		}
		a, b := got[i], got[i+1]
		if a.Score < b.Score {
			t.Fatalf("#%d score %d before %d", i, a.Score, b.Score)
		}
		same := a.Rank == b.Rank
		if !same && b.Rank != i+2 {
			t.Fatalf("#%d: rank %d after %d is not competition ranking", i+1, b.Rank, a.Rank)
		}
		if same != (a.VsNext.Step == StepTie) {
			t.Fatalf("#%d: same rank %v but step %s", i, same, a.VsNext.Step)
		}
		if same && (!a.Tied || !b.Tied) {
			t.Fatalf("#%d: tied pair not marked Tied", i)
		}
		if same && compareKeys(a.Key, b.Key) > 0 {
			t.Fatalf("#%d: tied keys %q, %q out of display order", i, a.Key, b.Key)
		}
		if a.Score == b.Score && a.VsNext.Step == StepScore {
			t.Fatalf("#%d: score step on equal scores", i)
		}
		if a.VsNext.Step == StepPreference && !(a.Prefs[a.VsNext.Preference] && !b.Prefs[a.VsNext.Preference]) {
			t.Fatalf("#%d: preference step %s not held by the first only", i, a.VsNext.Preference)
		}
	}
	for i := range got {
		neighbour := (i > 0 && got[i-1].Rank == got[i].Rank) || (i+1 < len(got) && got[i+1].Rank == got[i].Rank)
		if got[i].Tied != neighbour {
			t.Fatalf("#%d: Tied = %v, neighbour same rank = %v", i, got[i].Tied, neighbour)
		}
	}
}

// Rule R-3: the ranking depends only on the candidates, never on input order.
func TestRank_R_3_DeterministicUnderShuffles(t *testing.T) {
	chains := [][]Preference{DefaultPreferenceChain(), {PrefHeroic, PrefVeteran}, nil}
	for seed := uint64(1); seed <= 5; seed++ {
		for ci, chain := range chains {
			t.Run(fmt.Sprintf("seed%d/chain%d", seed, ci), func(t *testing.T) {
				r := rand.New(rand.NewPCG(seed, 42))
				cands := randomCandidates(r, 60)
				want := Rank(cands, chain)
				checkInvariants(t, want)
				for i := 0; i < 200; i++ {
					r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
					got := Rank(cands, chain)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("shuffle %d gave a different ranking", i)
					}
				}
			})
		}
	}
}

// The merit order must be a strict weak order (irreflexive, transitive, with
// transitive ties) and the full order total, so that sorting is well defined.
func TestRank_R_3_ComparatorIsConsistent(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		items := prepare(randomCandidates(r, 45), DefaultPreferenceChain())
		for i := range items {
			a := &items[i]
			if compareMerit(a, a) != 0 || lessItem(a, a) {
				t.Fatalf("not irreflexive on %+v", a.c)
			}
			for j := range items {
				b := &items[j]
				if compareMerit(a, b) != -compareMerit(b, a) {
					t.Fatalf("compareMerit not antisymmetric on %+v, %+v", a.c, b.c)
				}
				if i != j && lessItem(a, b) == lessItem(b, a) {
					t.Fatalf("lessItem not total on %+v, %+v", a.c, b.c)
				}
				for k := range items {
					c := &items[k]
					ab, bc, ac := compareMerit(a, b), compareMerit(b, c), compareMerit(a, c)
					if ab <= 0 && bc <= 0 && ac > 0 {
						t.Fatalf("compareMerit not transitive on %s, %s, %s", a.c.Key, b.c.Key, c.c.Key)
					}
					if ab == 0 && bc == 0 && ac != 0 {
						t.Fatalf("ties not transitive on %s, %s, %s", a.c.Key, b.c.Key, c.c.Key)
					}
					if lessItem(a, b) && lessItem(b, c) && !lessItem(a, c) {
						t.Fatalf("lessItem not transitive on %s, %s, %s", a.c.Key, b.c.Key, c.c.Key)
					}
				}
			}
		}
	}
	keys := []string{"", "0", "00", "1", "01", "2", "10", "9", "a", "b", "10a", "99999999999999999999999", "100000000000000000000000"}
	for _, a := range keys {
		if compareKeys(a, a) != 0 {
			t.Errorf("compareKeys(%q,%q) != 0", a, a)
		}
		for _, b := range keys {
			if compareKeys(a, b) != -compareKeys(b, a) {
				t.Errorf("compareKeys not antisymmetric on %q,%q", a, b)
			}
			for _, c := range keys {
				if compareKeys(a, b) < 0 && compareKeys(b, c) < 0 && compareKeys(a, c) >= 0 {
					t.Errorf("compareKeys not transitive on %q,%q,%q", a, b, c)
				}
			}
		}
	}
}

func TestProposedCut_R_3(t *testing.T) {
	mk := func(scores ...int64) []Ranked {
		cs := make([]Candidate, len(scores))
		for i, s := range scores {
			cs[i] = Candidate{Key: fmt.Sprint(i + 1), Score: s}
		}
		return Rank(cs, DefaultPreferenceChain())
	}
	tests := []struct {
		name     string
		r        []Ranked
		seats    int
		wantKeys []string
		blocked  bool
	}{
		{"clear cut", mk(90, 80, 70, 60), 2, []string{"1", "2"}, false},
		{"tie inside the seats", mk(90, 90, 70, 60), 2, []string{"1", "2"}, false},
		{"tie below the seats", mk(90, 80, 70, 70), 2, []string{"1", "2"}, false},
		{"tie straddles the boundary", mk(90, 80, 70, 70, 60), 3, []string{"1", "2"}, true},
		{"3-way tie straddles", mk(90, 70, 70, 70, 60), 3, []string{"1"}, true},
		{"3-way tie straddles at the top", mk(70, 70, 70), 1, []string{}, true},
		{"tie ends exactly at the boundary", mk(90, 70, 70, 60), 3, []string{"1", "2", "3"}, false},
		{"more seats than candidates", mk(90, 90), 5, []string{"1", "2"}, false},
		{"seats equal candidates", mk(90, 90), 2, []string{"1", "2"}, false},
		{"zero seats", mk(90, 80), 0, nil, false},
		{"negative seats", mk(90, 80), -1, nil, false},
		{"no candidates", mk(), 3, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hires, blocked := ProposedCut(tt.r, tt.seats)
			var keys []string
			if hires != nil {
				keys = []string{}
			}
			for _, h := range hires {
				keys = append(keys, h.Key)
			}
			if !reflect.DeepEqual(keys, tt.wantKeys) || blocked != tt.blocked {
				t.Errorf("ProposedCut(%d) = %v, %v; want %v, %v", tt.seats, keys, blocked, tt.wantKeys, tt.blocked)
			}
			if len(hires) > 0 && cap(hires) != len(hires) {
				t.Errorf("hires capacity not clipped: len %d cap %d", len(hires), cap(hires))
			}
		})
	}
}

func TestRanked_JSON(t *testing.T) {
	got := Rank([]Candidate{{Key: "1", Score: 8600}, {Key: "2", Score: 8550, Prefs: prefs(PrefVeteran)}}, DefaultPreferenceChain())
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"key":"1"`, `"rank":1`, `"vs_next":{"step":"score","message":"成绩 86.00 高于 85.50"}`, `"vs_next":null`, `"prefs":{"veteran":true}`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("%s lacks %s", b, w)
		}
	}
}
