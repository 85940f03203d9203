package pii

import (
	"bytes"
	"testing"
)

func testCipher(t *testing.T) *Cipher {
	t.Helper()
	c, err := New(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSealOpenRoundTrip(t *testing.T) {
	c := testCipher(t)
	const id = "11010519491231002X"
	a, err := c.Seal(id, "id_number")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Seal(id, "id_number")
	if bytes.Equal(a, b) {
		t.Error("two seals of one value are equal: nonce not random")
	}
	if bytes.Contains(a, []byte(id)) {
		t.Error("ciphertext contains the plain text")
	}
	got, err := c.Open(a, "id_number")
	if err != nil || got != id {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := c.Open(a, "other"); err == nil {
		t.Error("Open with another aad succeeded")
	}
	a[len(a)-1] ^= 1
	if _, err := c.Open(a, "id_number"); err == nil {
		t.Error("Open of tampered ciphertext succeeded")
	}
	if _, err := c.Open([]byte{1, 2}, "id_number"); err == nil {
		t.Error("Open of short ciphertext succeeded")
	}
}

func TestHash(t *testing.T) {
	c := testCipher(t)
	other, _ := New(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{3}, 32))
	tests := []struct {
		name string
		a, b string
		c1   *Cipher
		c2   *Cipher
		same bool
	}{
		{"same value same key", "x", "x", c, c, true},
		{"other value", "x", "y", c, c, false},
		{"other key", "x", "x", c, other, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c1.Hash(tt.a) == tt.c2.Hash(tt.b); got != tt.same {
				t.Errorf("equal = %v, want %v", got, tt.same)
			}
		})
	}
	if len(c.Hash("x")) != 64 {
		t.Error("hash is not 64 hex characters")
	}
}

func TestNewRejectsShortKeys(t *testing.T) {
	if _, err := New([]byte("short"), bytes.Repeat([]byte{2}, 32)); err == nil {
		t.Error("New accepted a short key")
	}
}
