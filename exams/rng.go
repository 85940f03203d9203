package exams

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"math"
)

// CandidateSeed derives one candidate's paper seed from a sitting's seed
// (random bytes the service draws once per sitting and keeps secret) and a
// key naming the candidate in that sitting (e.g. "attempt:42" or the
// enrolment id): HMAC-SHA256(key = sitting, message = a format tag, a zero
// byte, candidate). Different candidates get unrelated seeds; the same
// candidate always gets the same seed, so a paper can be rebuilt.
func CandidateSeed(sitting []byte, candidate string) []byte {
	m := hmac.New(sha256.New, sitting)
	m.Write([]byte("auxportal.exams.candidate-seed.v1\x00"))
	m.Write([]byte(candidate))
	return m.Sum(nil)
}

// stream is a deterministic random stream: HMAC-SHA256(seed, label ‖ 0 ‖
// counter) blocks, read 8 bytes at a time. It is defined here rather than
// taken from math/rand so that a seed gives the same paper on every Go
// version. Each purpose (a cell's draw, a section's order, a question's
// options) has its own label, so one purpose does not shift another.
type stream struct {
	mac   []byte // seed
	label string
	ctr   uint64
	buf   []byte
}

func newStream(seed []byte, label string) *stream {
	return &stream{mac: seed, label: label}
}

func (s *stream) uint64() uint64 {
	if len(s.buf) < 8 {
		m := hmac.New(sha256.New, s.mac)
		m.Write([]byte(s.label))
		var c [9]byte
		binary.BigEndian.PutUint64(c[1:], s.ctr)
		m.Write(c[:])
		s.ctr++
		s.buf = m.Sum(nil)
	}
	v := binary.BigEndian.Uint64(s.buf)
	s.buf = s.buf[8:]
	return v
}

// intn returns a uniform int in [0, n), n > 0, by rejection (no modulo bias).
func (s *stream) intn(n int) int {
	un := uint64(n)
	limit := math.MaxUint64 - math.MaxUint64%un
	for {
		if v := s.uint64(); v < limit {
			return int(v % un)
		}
	}
}

// shuffle is Fisher–Yates from the end.
func (s *stream) shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i > 0; i-- {
		swap(i, s.intn(i+1))
	}
}
