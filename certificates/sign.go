package certificates

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// A permit's QR code holds the URL of its public verification page,
//
//	{public address}/verify/{permit number}?sig={signature}
//
// where the signature is Ed25519 (RFC 8032, pure, no pre-hash) by the district's permit key over
// the bytes of
//
//	"auxportal-permit-v1:" + permit number
//
// written as unpadded base64url (RFC 4648 §5; 86 characters). Only the number is signed, never the
// status or the dates: a printed card cannot change, while its status can; the page looks the
// status up. So anyone holding the public key can tell offline whether a number was issued by the
// district (a forged or altered number, or a tampered signature, fails) and must ask the page
// whether it is still valid. docs/permits.md says the same for inspectors' tools.
const signContext = "auxportal-permit-v1:"

// SignatureParam is the URL's query parameter that carries the signature.
const SignatureParam = "sig"

// ErrBadSignature is returned for a URL whose signature does not verify: a forged number, a
// changed character, another key.
var ErrBadSignature = errors.New("签名无效：该上岗证号码不是本区签发的，或二维码内容被改动")

// Signer signs permit numbers with the district's Ed25519 key.
type Signer struct {
	priv ed25519.PrivateKey
}

// NewSigner returns a signer for the 32-byte Ed25519 seed (the key file keeps the seed).
func NewSigner(seed []byte) (*Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("certificates: permit key seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return &Signer{priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// PublicKey is the key anyone verifies with.
func (s *Signer) PublicKey() ed25519.PublicKey { return s.priv.Public().(ed25519.PublicKey) }

// Sign is the signature of a permit number, unpadded base64url.
func (s *Signer) Sign(permitNo string) string {
	return base64.RawURLEncoding.EncodeToString(ed25519.Sign(s.priv, []byte(signContext+permitNo)))
}

// URL is the verification URL of a permit number under the portal's public address.
func (s *Signer) URL(publicURL, permitNo string) string {
	return strings.TrimRight(publicURL, "/") + "/verify/" + url.PathEscape(permitNo) + "?" + SignatureParam + "=" + s.Sign(permitNo)
}

// Verify reports whether sig is the district's signature of permitNo. A signature that is not
// exactly 64 bytes of unpadded base64url fails.
func Verify(pub ed25519.PublicKey, permitNo, sig string) bool {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(sig)
	if err != nil || len(raw) != ed25519.SignatureSize || len(pub) != ed25519.PublicKeySize {
		return false
	}
	return ed25519.Verify(pub, []byte(signContext+permitNo), raw)
}

// VerifyURL reads a verification URL (as a QR code gives it) and returns the permit number if
// its signature verifies. The host is not checked: the signature is what proves the number.
func VerifyURL(pub ed25519.PublicKey, raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("不是有效的网址: %w", err)
	}
	no, ok := strings.CutPrefix(u.EscapedPath(), "/verify/")
	if !ok {
		// The portal may sit under a path prefix: take the last two segments.
		i := strings.LastIndex(u.EscapedPath(), "/verify/")
		if i < 0 {
			return "", errors.New("网址中没有 /verify/{证号}")
		}
		no = u.EscapedPath()[i+len("/verify/"):]
	}
	if no, err = url.PathUnescape(no); err != nil || no == "" || strings.Contains(no, "/") {
		return "", errors.New("网址中的证号无法识别")
	}
	if !Verify(pub, no, u.Query().Get(SignatureParam)) {
		return no, ErrBadSignature
	}
	return no, nil
}

// PublicKeyPEM is the public key as a PEM "PUBLIC KEY" block (PKIX, what openssl and most
// libraries read).
func PublicKeyPEM(pub ed25519.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(fmt.Sprintf("certificates: marshal Ed25519 public key: %v", err)) // cannot fail for a valid key
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// ParsePublicKeyPEM reads what PublicKeyPEM wrote.
func ParsePublicKeyPEM(b []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New("certificates: no PEM PUBLIC KEY block")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certificates: public key: %w", err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, errors.New("certificates: the public key is not Ed25519")
	}
	return pub, nil
}

// KeyID is a short fingerprint of a public key (the first 8 bytes of its SHA-256, hex), to
// tell keys apart on the key page and in logs.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}
