package exams

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"strings"
)

// crockford is Crockford's base32 alphabet (no I, L, O, U).
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Receipt is the short code a candidate is shown when handing in, e.g.
// "7F3K-9QX2": the first 40 bits of SHA-256(format tag ‖ attempt id ‖
// canonical answers) in Crockford base32, split 4-4. The canonical answers
// are the JSON of the answers' Canonical forms with empty answers left out,
// in item order, so the code is the same however the answers were saved and
// changes if any stored answer changes. It is not a secret: it lets the
// candidate and the service agree later on what was handed in.
func Receipt(attemptID uint64, answers Answers) string {
	canon := Answers{}
	for no, a := range answers {
		if c := a.Canonical(); !c.Empty() {
			canon[no] = c
		}
	}
	b, err := json.Marshal(canon) // map keys sorted: deterministic
	if err != nil {               // cannot happen
		panic(err)
	}
	h := sha256.New()
	h.Write([]byte("auxportal.exams.receipt.v1\x00" + strconv.FormatUint(attemptID, 10) + "\x00"))
	h.Write(b)
	sum := h.Sum(nil)
	v := binary.BigEndian.Uint64(sum[:8]) >> 24 // top 40 bits
	var out [9]byte
	for i := 8; i >= 0; i-- {
		if i == 4 {
			out[i] = '-'
			continue
		}
		out[i] = crockford[v&31]
		v >>= 5
	}
	return string(out[:])
}

// NormalizeReceipt reads a receipt as a person types it back: case, spaces
// and hyphens ignored, and O → 0, I/L → 1 as Crockford's base32 prescribes.
// It returns "" if the text is not a receipt.
func NormalizeReceipt(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		case !strings.ContainsRune(crockford, r):
			return ""
		}
		b.WriteRune(r)
	}
	if b.Len() != 8 {
		return ""
	}
	t := b.String()
	return t[:4] + "-" + t[4:]
}
