package main

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"auxportal/certificates"
)

// verifyPermit is the "verify-permit" command: it checks the signature of permit QR codes
// offline, with the public key (a PEM file, as /verify/key.pem serves it) or the portal's key
// file. It prints one line per URL and fails if any does not verify. It says nothing of a
// permit's status, which only the portal knows (the verify page).
func verifyPermit(args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("auxportal verify-permit", flag.ContinueOnError)
	fs.SetOutput(out)
	pubFile := fs.String("public-key", "", "the permits' public key as PEM (from /verify/key.pem)")
	keyFile := fs.String("key-file", getenvOr(getenv, "AUXPORTAL_KEY_FILE", "auxportal.keys"), "the portal's key file, when no -public-key is given")
	fs.Usage = func() {
		fmt.Fprintln(out, "usage: auxportal verify-permit [-public-key key.pem | -key-file auxportal.keys] URL...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("verify-permit: give the URL of at least one QR code")
	}
	var pub ed25519.PublicKey
	if *pubFile != "" {
		b, err := os.ReadFile(*pubFile)
		if err != nil {
			return fmt.Errorf("verify-permit: %w", err)
		}
		if pub, err = certificates.ParsePublicKeyPEM(b); err != nil {
			return fmt.Errorf("verify-permit: %w", err)
		}
	} else {
		// Read only: loadKeys would add a signing key to an older file (the portal's
		// upgrade on start), and a checker must never change the portal's keys.
		ks, err := readKeyFile(*keyFile)
		if err != nil {
			return fmt.Errorf("verify-permit: no -public-key, and the key file: %w", err)
		}
		if ks.PermitKey == "" {
			return fmt.Errorf("verify-permit: key file %s has no permit signing key (the portal adds it on its next start); use -public-key with /verify/key.pem", *keyFile)
		}
		s, err := ks.signer()
		if err != nil {
			return err
		}
		pub = s.PublicKey()
	}
	bad := 0
	for _, u := range fs.Args() {
		no, err := certificates.VerifyURL(pub, u)
		switch {
		case err == nil:
			fmt.Fprintf(out, "%s\t签名有效：本区签发的上岗证（状态以核验页面为准）\n", no)
		case errors.Is(err, certificates.ErrBadSignature):
			bad++
			fmt.Fprintf(out, "%s\t签名无效：号码不是本区签发的，或二维码内容被改动\n", no)
		default:
			bad++
			fmt.Fprintf(out, "?\t无法识别：%v\n", err)
		}
	}
	fmt.Fprintf(out, "公钥 %s\n", certificates.KeyID(pub))
	if bad > 0 {
		return fmt.Errorf("verify-permit: %d of %d did not verify", bad, fs.NArg())
	}
	return nil
}

func getenvOr(getenv func(string) string, k, def string) string {
	if v := getenv(k); v != "" {
		return v
	}
	return def
}
