package mailserver_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-imap/backend/memory"
	imapserver "github.com/emersion/go-imap/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/email/mailserver"
)

// selfSigned returns a server certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "imap test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

func TestPollerSpeaksTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	be := memory.New()
	u, err := be.Login(nil, "username", "password")
	require.NoError(t, err)
	mb, err := u.GetMailbox("INBOX")
	require.NoError(t, err)
	inbox := mb.(*memory.Mailbox)
	inbox.Messages = nil
	add(t, inbox, customerMail)
	s := imapserver.New(be)
	s.ErrorLog = nopLog{}
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	require.NoError(t, err)
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { s.Close() })

	room, res := newRoom(t)
	p, err := mailserver.NewPoller(mailserver.MailroomHandler(room, res.add), mailserver.PollerConfig{
		Addr: l.Addr().String(), TLS: &tls.Config{RootCAs: pool}, Username: "username", Password: "password"})
	require.NoError(t, err)
	n, err := p.Poll(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	untrusting, err := mailserver.NewPoller(mailserver.MailroomHandler(room, res.add), mailserver.PollerConfig{
		Addr: l.Addr().String(), TLS: &tls.Config{}, Username: "username", Password: "password"})
	require.NoError(t, err)
	_, err = untrusting.Poll(context.Background())
	require.Error(t, err, "a certificate the client does not trust is refused")
}

func TestServerOffersSTARTTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	room, res := newRoom(t)
	s, err := mailserver.NewServer(mailserver.MailroomHandler(room, res.add), mailserver.ServerConfig{
		Recipients: []string{deskAddr}, TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	require.NoError(t, err)
	addr := serve(t, s)
	sender := &email.SMTPSender{Addr: addr, TLS: &tls.Config{RootCAs: pool}}
	require.NoError(t, sender.Send(context.Background(), "ann@example.com", []string{deskAddr}, []byte(customerMail)))
	assert.Len(t, res.all(), 1)

	plain, err := mailserver.NewServer(mailserver.MailroomHandler(room, res.add), mailserver.ServerConfig{Recipients: []string{deskAddr}})
	require.NoError(t, err)
	err = (&email.SMTPSender{Addr: serve(t, plain), TLS: &tls.Config{RootCAs: pool}}).Send(context.Background(), "ann@example.com", []string{deskAddr}, []byte(customerMail))
	var se *email.SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "starttls", se.Step, "a sender that wants TLS does not fall back to plain text")
}
