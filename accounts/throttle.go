package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/netip"
	"strings"
	"time"

	"auxportal/models"
)

// The login throttle. Every attempt takes a slot under two keys before its password is checked:
//
//   - the account name (lower-cased) with the client address: MaxFailuresPerSource in a
//     LoginWindow. One address guessing at one account is stopped after five tries, and only that
//     address: the owner signing in from elsewhere is not locked out (five wrong passwords from
//     anywhere used to lock any account, the district admin's included, for 15 minutes);
//   - the account name alone: MaxFailuresPerAccount in a LoginWindow, against guessing spread over
//     many addresses. An attempt from a browser that has signed in to the account before (it
//     brings the device cookie that login issued, ClientInfo.Device) is counted under that
//     device instead, MaxFailuresPerSource a window, and not under this limit: guessing from
//     many addresses can keep strangers out, never the owner at a browser they use.
//
// A successful login deletes its address's key and gives back the slot it took under the
// account's. Names that do not exist are throttled exactly like those that do, with the same keys,
// limits and answers, so neither the throttle nor its answer tells which names exist. The rows
// live in the database, so every replica counts the same attempts.

// throttleKeys are the two keys of one attempt: hex SHA-256, fixed length whatever was typed.
type throttleKeys struct {
	source  string // account name + client address
	account string // account name
}

func throttleKeysOf(username, ip string) throttleKeys {
	name := strings.ToLower(strings.TrimSpace(username))
	return throttleKeys{
		source:  throttleKey("source", name, sourceOf(ip)),
		account: throttleKey("account", name),
	}
}

func throttleKey(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// sourceOf is the address a throttle counts: an IPv4 address as it is, an IPv6 address by its
// /64, since one subscriber gets a whole /64 and could otherwise move to a fresh address per try.
func sourceOf(ip string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		p, err := a.Prefix(64)
		if err == nil {
			return p.String()
		}
	}
	return a.String()
}

// reserveLogin takes the attempt's slots: the address's first, so that an address already
// stopped cannot use up the account's budget. A full key answers errThrottled.
func (s *Service) reserveLogin(ctx context.Context, k throttleKeys, now time.Time) error {
	for _, c := range []struct {
		key   string
		limit int
	}{{k.source, MaxFailuresPerSource}, {k.account, MaxFailuresPerAccount}} {
		if c.key == "" {
			continue // a trusted device has no account-wide key
		}
		ok, err := s.store.ReserveLoginAttempt(ctx, c.key, c.limit, now, LoginWindow)
		if err != nil {
			return err
		}
		if !ok {
			return s.throttled(ctx, c.key, now)
		}
	}
	return nil
}

// throttled is the answer to an attempt refused by the throttle: the same for every account
// name, known or not, saying when to try again.
func (s *Service) throttled(ctx context.Context, key string, now time.Time) error {
	start, err := s.store.LoginThrottleStart(ctx, key)
	if err != nil {
		return err
	}
	mins := int(math.Ceil(start.Add(LoginWindow).Sub(now).Minutes()))
	mins = max(1, min(mins, int(LoginWindow/time.Minute)))
	return models.E(models.ErrRateLimited, "too_many_logins", "登录失败次数过多，请 %d 分钟后再试", mins)
}
