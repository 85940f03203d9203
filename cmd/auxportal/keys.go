package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"auxportal/certificates"
	"auxportal/pii"
)

// keySet is the portal's secrets. They never live in source: they come from the environment
// (AUXPORTAL_ID_KEY, AUXPORTAL_ID_HASH_KEY, AUXPORTAL_PERMIT_KEY, base64) or from a key file the
// first start creates with mode 0600. Every replica must use the same keys.
type keySet struct {
	IDKey     string `json:"id_number_key"`      // AES-256-GCM key for ID numbers, base64
	IDHashKey string `json:"id_number_hash_key"` // HMAC-SHA256 key for ID-number lookups, base64
	// PermitKey is the Ed25519 seed the work permits' QR codes are signed with, base64. Losing it
	// means every printed card's QR code stops verifying.
	PermitKey string `json:"permit_signing_key"`
}

func loadKeys(path string, getenv func(string) string) (keySet, error) {
	if k, h := getenv("AUXPORTAL_ID_KEY"), getenv("AUXPORTAL_ID_HASH_KEY"); k != "" || h != "" {
		if k == "" || h == "" {
			return keySet{}, errors.New("set both AUXPORTAL_ID_KEY and AUXPORTAL_ID_HASH_KEY, or neither")
		}
		p := getenv("AUXPORTAL_PERMIT_KEY")
		if p == "" {
			return keySet{}, errors.New("with the keys in the environment, set AUXPORTAL_PERMIT_KEY too (base64 of 32 random bytes, e.g. `head -c32 /dev/urandom | base64`), the same on every replica")
		}
		return keySet{IDKey: k, IDHashKey: h, PermitKey: p}, nil
	}
	ks, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKeys(path)
	}
	if err != nil {
		return keySet{}, err
	}
	if ks.PermitKey == "" {
		// A key file from before the permits: add the signing key to it once. Replicas that
		// share the file by copying must get the new copy.
		if ks.PermitKey, err = newKey(); err != nil {
			return ks, err
		}
		if err := replaceKeyFile(path, ks); err != nil {
			return ks, err
		}
	}
	return ks, nil
}

// readKeyFile reads the key file as it is, never writing it (the verify-permit command's view).
func readKeyFile(path string) (keySet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return keySet{}, fmt.Errorf("read key file: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return keySet{}, fmt.Errorf("key file %s is readable by others (mode %v); chmod 600 it", path, fi.Mode().Perm())
	}
	var ks keySet
	if err := json.Unmarshal(b, &ks); err != nil {
		return keySet{}, fmt.Errorf("key file %s: %w", path, err)
	}
	return ks, nil
}

func newKey() (string, error) {
	b := make([]byte, pii.KeySize)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate keys: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// replaceKeyFile writes ks to path through a temporary file renamed over it, so a crash never
// leaves a half-written key file.
func replaceKeyFile(path string, ks keySet) error {
	b, _ := json.MarshalIndent(ks, "", "  ")
	tmp := path + ".new"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replace key file: %w", err)
	}
	return nil
}

func createKeys(path string) (keySet, error) {
	var ks keySet
	var err error
	for _, k := range []*string{&ks.IDKey, &ks.IDHashKey, &ks.PermitKey} {
		if *k, err = newKey(); err != nil {
			return ks, err
		}
	}
	b, _ := json.MarshalIndent(ks, "", "  ")
	// O_EXCL: if another process created the file a moment ago, use its keys rather than ours.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadKeys(path, func(string) string { return "" })
	}
	if err != nil {
		return ks, fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return ks, fmt.Errorf("write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return ks, fmt.Errorf("write key file: %w", err)
	}
	return ks, nil
}

func (ks keySet) cipher() (*pii.Cipher, error) {
	k, err := base64.StdEncoding.DecodeString(ks.IDKey)
	if err != nil {
		return nil, fmt.Errorf("id number key: %w", err)
	}
	h, err := base64.StdEncoding.DecodeString(ks.IDHashKey)
	if err != nil {
		return nil, fmt.Errorf("id number hash key: %w", err)
	}
	return pii.New(k, h)
}

func (ks keySet) signer() (*certificates.Signer, error) {
	seed, err := base64.StdEncoding.DecodeString(ks.PermitKey)
	if err != nil {
		return nil, fmt.Errorf("permit signing key: %w", err)
	}
	return certificates.NewSigner(seed)
}
