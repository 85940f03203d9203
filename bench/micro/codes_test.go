package micro

import (
	"context"
	"fmt"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/notices"
	"auxportal/notices/sms"
)

// The timing shape of a code request (issue 8): a registered and an unregistered number must
// cost about the same, or the time of the answer tells which numbers are registered. Each pair
// of sub-benchmarks runs the same purpose on a pool of 200 registered or 200 unregistered
// numbers, on a fake clock that moves past the cooldown between requests (no request is
// refused); compare their ns/op:
//
//	go test -run '^$' -bench 'RequestCode' -benchtime 2000x ./bench/micro/
func BenchmarkRequestCode(b *testing.B) {
	for _, purpose := range []string{models.CodeRegister, models.CodeReset} {
		for _, registered := range []bool{true, false} {
			name := fmt.Sprintf("%s/unregistered", purpose)
			if registered {
				name = fmt.Sprintf("%s/registered", purpose)
			}
			b.Run(name, func(b *testing.B) { benchRequestCode(b, purpose, registered) })
		}
	}
}

func benchRequestCode(b *testing.B, purpose string, registered bool) {
	ctx := context.Background()
	st := storetest.Open(b)
	clk := clock.NewFake(time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC))
	notes := notices.New(st, clk, nil, sms.New(&sms.Recorder{}, "海门城管"))
	acc, err := accounts.New(st, clk, accounts.WithCheapHashing(), accounts.WithNotices(notes), accounts.WithoutSourceLimit())
	if err != nil {
		b.Fatal(err)
	}
	phones := make([]string, 200)
	for i := range phones {
		phones[i] = fmt.Sprintf("1370000%04d", i)
		if registered {
			if _, err := acc.CreateApplicant(ctx, accounts.RegisterInput{Phone: phones[i], Password: "bench-pass-word", Name: "测试"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	ci := accounts.ClientInfo{IP: "bench"}
	b.ResetTimer()
	for i := range b.N {
		clk.Advance(accounts.CodeCooldown + time.Second)
		req := accounts.CodeRequest{Purpose: purpose, Phone: phones[i%len(phones)], Account: phones[i%len(phones)]}
		if _, err := acc.RequestCode(ctx, req, ci); err != nil {
			b.Fatal(err)
		}
	}
}
