package notices

import (
	"context"
	"time"

	"auxportal/models"
)

// PageSize is how many notices one page of the inbox holds.
const PageSize = 50

// NoticeView is one notice as its recipient sees it.
type NoticeView struct {
	ID        uint64     `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	Read      bool       `json:"read"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// Inbox is a page of the signed-in user's notices, newest first.
type Inbox struct {
	Notices []NoticeView `json:"notices"`
	Unread  int64        `json:"unread"`
	// NextBefore, when not 0, asks for the next (older) page: pass it as before.
	NextBefore uint64 `json:"next_before,omitempty"`
}

// signedIn is the check of every inbox call: a notice belongs to a user, so a visitor has none.
func signedIn(actor models.Actor) error {
	if actor.Anonymous() {
		return models.Deny(actor, "请先登录")
	}
	return nil
}

// Inbox returns a page of the actor's own notices: the newest, or those older than the notice
// before when before is not 0.
func (s *Service) Inbox(ctx context.Context, actor models.Actor, before uint64) (*Inbox, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	ns, err := s.store.ListNotices(ctx, actor.UserID, before, PageSize+1)
	if err != nil {
		return nil, err
	}
	unread, err := s.store.CountUnreadNotices(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	in := &Inbox{Notices: make([]NoticeView, 0, min(len(ns), PageSize)), Unread: unread}
	if len(ns) > PageSize {
		ns = ns[:PageSize]
		in.NextBefore = ns[PageSize-1].ID
	}
	for _, n := range ns {
		in.Notices = append(in.Notices, NoticeView{ID: n.ID, Kind: n.Kind, Title: n.Title, Body: n.Body,
			Link: n.Link, CreatedAt: n.CreatedAt, Read: n.ReadAt != nil, ReadAt: n.ReadAt})
	}
	return in, nil
}

// UnreadCount is how many of the actor's notices are unread (0 for a visitor), for the badge in
// the page header.
func (s *Service) UnreadCount(ctx context.Context, actor models.Actor) (int64, error) {
	if actor.Anonymous() {
		return 0, nil
	}
	return s.store.CountUnreadNotices(ctx, actor.UserID)
}

// MarkRead marks one of the actor's notices read; marking it again changes nothing. Another
// user's notice does not exist for the actor.
func (s *Service) MarkRead(ctx context.Context, actor models.Actor, id uint64) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	return s.store.MarkNoticeRead(ctx, actor.UserID, id, s.clock.Now())
}

// MarkAllRead marks every unread notice of the actor read and returns how many it marked.
func (s *Service) MarkAllRead(ctx context.Context, actor models.Actor) (int64, error) {
	if err := signedIn(actor); err != nil {
		return 0, err
	}
	return s.store.MarkAllNoticesRead(ctx, actor.UserID, s.clock.Now())
}
