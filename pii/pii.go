// Package pii protects ID numbers at rest: AES-256-GCM for the number itself and an HMAC-SHA256
// keyed hash to find duplicates without decrypting anything.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// KeySize is the length of both keys.
const KeySize = 32

// Cipher encrypts and hashes ID numbers.
type Cipher struct {
	aead    cipher.AEAD
	hashKey []byte
}

// New returns a Cipher from a 32-byte encryption key and a 32-byte hash key.
func New(encKey, hashKey []byte) (*Cipher, error) {
	if len(encKey) != KeySize || len(hashKey) != KeySize {
		return nil, fmt.Errorf("pii: keys must be %d bytes", KeySize)
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("pii: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("pii: %w", err)
	}
	return &Cipher{aead: aead, hashKey: append([]byte(nil), hashKey...)}, nil
}

// Seal encrypts plain; the random nonce is prepended. aad binds the ciphertext to its context
// (e.g. the column name) so a value cannot be moved to another column unnoticed.
func (c *Cipher) Seal(plain, aad string) ([]byte, error) {
	nonce := make([]byte, c.aead.NonceSize(), c.aead.NonceSize()+len(plain)+c.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("pii: nonce: %w", err)
	}
	return c.aead.Seal(nonce, nonce, []byte(plain), []byte(aad)), nil
}

// Open decrypts what Seal made.
func (c *Cipher) Open(sealed []byte, aad string) (string, error) {
	n := c.aead.NonceSize()
	if len(sealed) < n+c.aead.Overhead() {
		return "", errors.New("pii: ciphertext too short")
	}
	plain, err := c.aead.Open(nil, sealed[:n], sealed[n:], []byte(aad))
	if err != nil {
		return "", fmt.Errorf("pii: open: %w", err)
	}
	return string(plain), nil
}

// Hash is the keyed hash of v, hex-encoded: equal inputs give equal hashes, and without the key
// nobody can test guesses of an ID number against the table.
func (c *Cipher) Hash(v string) string {
	m := hmac.New(sha256.New, c.hashKey)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}
