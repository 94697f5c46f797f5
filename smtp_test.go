package supportkit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/internal/smtptest"
)

// mailServer is the test SMTP server (smtptest) seen as the messages it accepted, parsed;
// a message the email package cannot parse is refused and fails the test.
type mailServer struct {
	*smtptest.Server
	t *testing.T
}

// received is one message the server accepted.
type received struct {
	to  []string
	msg *email.Message
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	check := func(data string) error {
		_, err := email.Parse([]byte(data))
		return err
	}
	return &mailServer{Server: smtptest.Start(t, check), t: t}
}

func (s *mailServer) sender() *email.SMTPSender { return &email.SMTPSender{Addr: s.Addr()} }

// mail returns the messages accepted so far, in order.
func (s *mailServer) mail() []received {
	var out []received
	for _, d := range s.Deliveries() {
		m, err := email.Parse([]byte(d.Data))
		require.NoError(s.t, err)
		out = append(out, received{to: d.To, msg: m})
	}
	return out
}
