package certificates

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
)

func testSigner(t *testing.T, fill byte) *Signer {
	t.Helper()
	s, err := NewSigner(bytes.Repeat([]byte{fill}, ed25519.SeedSize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// flip changes one character of s at i to another character of the same alphabet.
func flip(s string, i int) string {
	b := []byte(s)
	if b[i] == 'A' {
		b[i] = 'B'
	} else if b[i] >= '0' && b[i] <= '9' {
		b[i] = '0' + (b[i]-'0'+1)%10
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// Rule T-2: a genuine permit URL verifies; a one-character change of the number or of the
// signature, another key, or a re-encoded signature does not.
func TestVerifyURL_T2_GenuineAndTampered(t *testing.T) {
	s, other := testSigner(t, 7), testSigner(t, 8)
	pub := s.PublicKey()
	genuine := s.URL("https://cg.haimen.gov.cn/", "HM2026-00042")
	if !strings.HasPrefix(genuine, "https://cg.haimen.gov.cn/verify/HM2026-00042?sig=") || len(genuine) != len("https://cg.haimen.gov.cn/verify/HM2026-00042?sig=")+86 {
		t.Fatalf("URL %s", genuine)
	}
	sig := genuine[strings.Index(genuine, "sig=")+4:]
	for _, c := range []struct {
		name, url string
		wantNo    string
		wantErr   bool
	}{
		{"genuine", genuine, "HM2026-00042", false},
		{"under a path prefix", "https://gov.example/aux/verify/HM2026-00042?sig=" + sig, "HM2026-00042", false},
		{"another host (the signature proves the number, not the host)", "http://localhost:8080/verify/HM2026-00042?sig=" + sig, "HM2026-00042", false},
		{"number changed by one digit", "https://cg.haimen.gov.cn/verify/HM2026-00043?sig=" + sig, "HM2026-00043", true},
		{"year changed", "https://cg.haimen.gov.cn/verify/HM2027-00042?sig=" + sig, "HM2027-00042", true},
		{"signature changed by one character", "https://cg.haimen.gov.cn/verify/HM2026-00042?sig=" + flip(sig, 10), "HM2026-00042", true},
		{"signature's last character changed", "https://cg.haimen.gov.cn/verify/HM2026-00042?sig=" + flip(sig, 85), "HM2026-00042", true},
		{"signature cut short", "https://cg.haimen.gov.cn/verify/HM2026-00042?sig=" + sig[:85], "HM2026-00042", true},
		{"signature padded", "https://cg.haimen.gov.cn/verify/HM2026-00042?sig=" + sig + "==", "HM2026-00042", true},
		{"no signature", "https://cg.haimen.gov.cn/verify/HM2026-00042", "HM2026-00042", true},
		{"signed by another key", other.URL("https://cg.haimen.gov.cn", "HM2026-00042"), "HM2026-00042", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			no, err := VerifyURL(pub, c.url)
			if no != c.wantNo || (err != nil) != c.wantErr {
				t.Fatalf("VerifyURL = %q, %v; want %q, error %v", no, err, c.wantNo, c.wantErr)
			}
			if c.wantErr && !errors.Is(err, ErrBadSignature) {
				t.Errorf("error %v is not ErrBadSignature", err)
			}
		})
	}
	for _, bad := range []string{"", "not a url %zz", "https://cg.haimen.gov.cn/permits/HM2026-00042?sig=" + sig, "https://x/verify/?sig=" + sig} {
		if _, err := VerifyURL(pub, bad); err == nil || errors.Is(err, ErrBadSignature) {
			t.Errorf("VerifyURL(%q) = %v, want a malformed-URL error", bad, err)
		}
	}
}

func TestPublicKeyPEM_RoundTrip(t *testing.T) {
	s := testSigner(t, 9)
	pemBytes := PublicKeyPEM(s.PublicKey())
	if !bytes.HasPrefix(pemBytes, []byte("-----BEGIN PUBLIC KEY-----\n")) {
		t.Fatalf("PEM %s", pemBytes)
	}
	pub, err := ParsePublicKeyPEM(pemBytes)
	if err != nil || !pub.Equal(s.PublicKey()) {
		t.Fatalf("round trip: %v", err)
	}
	if len(KeyID(pub)) != 16 || KeyID(pub) == KeyID(testSigner(t, 10).PublicKey()) {
		t.Errorf("key id %q", KeyID(pub))
	}
	if _, err := ParsePublicKeyPEM([]byte("garbage")); err == nil {
		t.Error("garbage parsed as a key")
	}
	if _, err := NewSigner([]byte("short")); err == nil {
		t.Error("a short seed made a signer")
	}
}

func TestPermitNo(t *testing.T) {
	for _, c := range []struct {
		year   int
		serial int64
		want   string
	}{{2026, 42, "HM2026-00042"}, {2026, 1, "HM2026-00001"}, {2027, 99999, "HM2027-99999"}, {2027, 100000, "HM2027-100000"}} {
		if got := FormatPermitNo(c.year, c.serial); got != c.want || !ValidPermitNo(got) {
			t.Errorf("FormatPermitNo(%d, %d) = %q (valid %v), want %q", c.year, c.serial, got, ValidPermitNo(got), c.want)
		}
	}
	for _, bad := range []string{"", "HM2026-42", "hm2026-00042", "HM2026-00042 ", "HM2026-00042/x", "HM202600042", "<script>"} {
		if ValidPermitNo(bad) {
			t.Errorf("ValidPermitNo(%q) = true", bad)
		}
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"张三明": "张*明", "李四": "李*", "欧阳明锋": "欧**锋", "王": "*", "": "", "买买提·艾力": "买****力"} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}
