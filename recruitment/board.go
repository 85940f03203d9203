package recruitment

import (
	"context"
	"sort"
)

// Board is the public list of openings as the home page shows it: those taking applications
// first, then those about to open, then the closed ones, optionally of one town.
type Board struct {
	Open   []OpeningView `json:"open"`   // accepting today, the nearest deadline first
	Soon   []OpeningView `json:"soon"`   // published, not open yet, the nearest start first
	Closed []OpeningView `json:"closed"` // past the deadline, the latest closed first
	// Towns are the towns with a published opening, for the filter; TownID is the chosen one (0: all).
	Towns  []TownOption `json:"towns"`
	TownID uint64       `json:"town_id"`
}

// TownOption is one choice of the board's town filter.
type TownOption struct {
	ID   uint64 `json:"id"`
	Name string `json:"name"`
}

// PublicBoard sorts the published openings for the home page; townID 0 lists every town.
func (s *Service) PublicBoard(ctx context.Context, townID uint64) (*Board, error) {
	all, err := s.PublicOpenings(ctx)
	if err != nil {
		return nil, err
	}
	return boardOf(all, townID), nil
}

// boardOf groups and orders openings; the dates are YYYY-MM-DD, so strings compare as dates.
func boardOf(all []OpeningView, townID uint64) *Board {
	b := &Board{TownID: townID}
	seen := map[uint64]bool{}
	for _, o := range all {
		if !seen[o.TownID] {
			seen[o.TownID] = true
			b.Towns = append(b.Towns, TownOption{ID: o.TownID, Name: o.Town})
		}
		if townID != 0 && o.TownID != townID {
			continue
		}
		switch {
		case o.Accepting:
			b.Open = append(b.Open, o)
		case o.PastDeadline:
			b.Closed = append(b.Closed, o)
		default:
			b.Soon = append(b.Soon, o)
		}
	}
	sort.Slice(b.Towns, func(i, j int) bool { return b.Towns[i].ID < b.Towns[j].ID })
	sort.SliceStable(b.Open, func(i, j int) bool { return b.Open[i].ClosesAt < b.Open[j].ClosesAt })
	sort.SliceStable(b.Soon, func(i, j int) bool { return b.Soon[i].OpensAt < b.Soon[j].OpensAt })
	sort.SliceStable(b.Closed, func(i, j int) bool { return b.Closed[i].ClosesAt > b.Closed[j].ClosesAt })
	return b
}
