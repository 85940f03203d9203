// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on loopback inside a
// test, records what arrives decoded (headers, body, envelope), and can answer as a troubled
// server would: 4xx for a while, 5xx, or not at all once stopped. Tests only.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Replies a test may have the server give.
var (
	// TryLater is a temporary refusal (451 4.3.0).
	TryLater = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	// NoSuchUser is a permanent refusal that quotes the recipient, as real servers do.
	NoSuchUser = func(to string) error {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + ">: Recipient address rejected: User unknown"}
	}
)

// Message is one message the server took.
type Message struct {
	From      string   // envelope sender
	To        []string // envelope recipients
	Raw       []byte
	Header    mail.Header
	Subject   string // decoded
	MessageID string
	Body      string // decoded from its transfer encoding
}

// Server is the test's SMTP server.
type Server struct {
	Host string
	Port int

	srv      *smtp.Server
	ln       net.Listener
	user     string
	pass     string
	implicit bool
	cert     *x509.Certificate
	tlsCfg   *tls.Config

	mu       sync.Mutex
	msgs     []Message
	attempts int                     // DATA commands seen, accepted or not
	onData   func(attempt int) error // nil: accept
	onRcpt   func(to string) error
	stopped  bool
}

// Option configures Start.
type Option func(*Server)

// WithAuth makes the server require AUTH PLAIN with these credentials.
func WithAuth(user, pass string) Option { return func(s *Server) { s.user, s.pass = user, pass } }

// WithSTARTTLS makes the server offer STARTTLS with a self-signed certificate for 127.0.0.1;
// ClientTLS trusts it.
func WithSTARTTLS() Option { return func(s *Server) { s.tlsCfg = selfSigned(s) } }

// WithImplicitTLS makes the server speak TLS from the first byte.
func WithImplicitTLS() Option {
	return func(s *Server) { s.tlsCfg, s.implicit = selfSigned(s), true }
}

// Start runs a server on 127.0.0.1 until the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{}
	for _, o := range opts {
		o(s)
	}
	var err error
	if s.implicit {
		s.ln, err = tls.Listen("tcp", "127.0.0.1:0", s.tlsCfg)
	} else {
		s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		tb.Fatalf("smtptest: listen: %v", err)
	}
	host, port, _ := net.SplitHostPort(s.ln.Addr().String())
	s.Host = host
	s.Port, _ = strconv.Atoi(port)
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "smtptest.localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.MaxMessageBytes, s.srv.MaxRecipients = 1<<20, 10
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	if !s.implicit {
		s.srv.TLSConfig = s.tlsCfg
	}
	go func() { _ = s.srv.Serve(s.ln) }()
	tb.Cleanup(s.Stop)
	return s
}

// Stop closes the server: from now on a connection to its port is refused.
func (s *Server) Stop() {
	s.mu.Lock()
	stopped := s.stopped
	s.stopped = true
	s.mu.Unlock()
	if !stopped {
		// The listener too: Serve may not have taken it yet, and go-smtp closes only those it has.
		_ = s.ln.Close()
		_ = s.srv.Close()
	}
}

// ClientTLS is a client configuration that trusts the server's certificate.
func (s *Server) ClientTLS() *tls.Config {
	pool := x509.NewCertPool()
	if s.cert != nil {
		pool.AddCert(s.cert)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

// OnData sets how the server answers the end of a message's data: fn gets the count of DATA
// commands so far (1 for the first) and returns nil to accept or an *smtp.SMTPError to refuse.
func (s *Server) OnData(fn func(attempt int) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onData = fn
}

// OnRcpt sets how the server answers RCPT TO.
func (s *Server) OnRcpt(fn func(to string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onRcpt = fn
}

// Messages returns what the server accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Attempts is how many messages were offered (DATA commands), accepted or refused.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.user || pass != ss.s.pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	fn := ss.s.onRcpt
	ss.s.mu.Unlock()
	if fn != nil {
		if err := fn(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.attempts++
	if ss.s.onData != nil {
		if err := ss.s.onData(ss.s.attempts); err != nil {
			return err
		}
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "smtptest: " + err.Error()}
	}
	m.From, m.To = ss.from, append([]string(nil), ss.to...)
	ss.s.msgs = append(ss.s.msgs, m)
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// parse reads a message as a mail client would: headers decoded, body decoded.
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, err
	}
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, msg.Body) // skips the line breaks
	case "quoted-printable":
		body = quotedprintable.NewReader(msg.Body)
	case "", "7bit", "8bit":
	default:
		return Message{}, errors.New("unknown transfer encoding")
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return Message{}, err
	}
	return Message{Raw: raw, Header: msg.Header, Subject: subject, MessageID: msg.Header.Get("Message-ID"), Body: string(b)}, nil
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, valid for a day.
func selfSigned(s *Server) *tls.Config {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, // its own root, for ClientTLS
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	s.cert, _ = x509.ParseCertificate(der)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
}
