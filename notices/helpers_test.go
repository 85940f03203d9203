package notices_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/notices"
	"auxportal/notices/email"
	"auxportal/notices/smtptest"
)

// start is when every test begins: 2026-06-10 10:00 in China.
var start = time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)

// env is one test's world: a fresh database (SQLite, or MariaDB with AUXPORTAL_TEST_MYSQL_DSN),
// a fake clock, an SMTP server on loopback and the notice service sending to it.
type env struct {
	t     *testing.T
	ctx   context.Context
	store *models.Store
	clock *clock.Fake
	smtp  *smtptest.Server
	svc   *notices.Service
	logs  *storetest.LogBuffer

	holder, other, district, town models.Actor
	seq                           int
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), store: storetest.Open(t), clock: clock.NewFake(start),
		smtp: smtptest.Start(t), logs: &storetest.LogBuffer{}}
	e.svc = e.service(e.smtp)
	e.holder = e.user("13800000001", models.RoleApplicant, "张三", "zhang.san@163.example")
	e.other = e.user("13800000002", models.RoleApplicant, "李四", "li.si@qq.example")
	e.district = e.user("district", models.RoleDistrictAdmin, "区管理员", "")
	e.town = e.user("sanxing", models.RoleTownAdmin, "三星镇管理员", "")
	return e
}

// service is a replica of the notice service: its own Service on the shared store and clock,
// sending to srv (nil: no e-mail configured).
func (e *env) service(srv *smtptest.Server) *notices.Service {
	e.t.Helper()
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if srv == nil {
		return notices.New(e.store, e.clock, log)
	}
	return notices.New(e.store, e.clock, log, e.sender(srv))
}

func (e *env) sender(srv *smtptest.Server) *email.Sender {
	e.t.Helper()
	s, err := email.New(email.Config{Host: srv.Host, Port: srv.Port, TLS: email.NoTLS,
		From: "海门区城市管理局 <noreply@haimen.example>", PublicURL: "https://rczp.haimen.example"})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// user creates an account with an optional e-mail address and returns it as an Actor.
func (e *env) user(username, role, name, mail string) models.Actor {
	e.t.Helper()
	u := &models.User{Username: username, PasswordHash: "x", Role: role, DisplayName: name}
	if mail != "" {
		u.Email = &mail
	}
	if err := e.store.CreateUser(e.ctx, u); err != nil {
		e.t.Fatal(err)
	}
	return models.Actor{UserID: u.ID, Username: username, Name: name, Role: role}
}

// message is a refresher-style notice to a, with a fresh dedup key unless key is given.
func (e *env) message(a models.Actor, key string, channels ...string) notices.Message {
	if key == "" {
		e.seq++
		key = fmt.Sprintf("test:%d:user:%d", e.seq, a.UserID)
	}
	return notices.Message{UserID: a.UserID, Kind: "refresher.window_open", DedupKey: key,
		Title: "年度复训报名窗口已开放", Body: "您的上岗证将于 2027-07-10 到期，请在到期前参加年度复训考试。",
		Link: "/me/notices", Channels: channels}
}

// notify records m inside its own transaction, as a caller does.
func (e *env) notify(svc *notices.Service, m notices.Message) bool {
	e.t.Helper()
	var created bool
	err := e.store.WithTx(e.ctx, func(tx *models.Store) error {
		var err error
		created, err = svc.Notify(e.ctx, tx, m)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return created
}

// deliveries returns every delivery row, oldest first.
func (e *env) deliveries() []models.NoticeDelivery {
	e.t.Helper()
	var ds []models.NoticeDelivery
	if err := e.store.DB().Order("id").Find(&ds).Error; err != nil {
		e.t.Fatal(err)
	}
	return ds
}

func (e *env) delivery(id uint64) models.NoticeDelivery {
	e.t.Helper()
	d, err := e.store.DeliveryByID(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return *d
}

func (e *env) deliver(svc *notices.Service) int {
	e.t.Helper()
	n, err := svc.DeliverDue(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) count(table string) int64 {
	e.t.Helper()
	var n int64
	if err := e.store.DB().Table(table).Count(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}
