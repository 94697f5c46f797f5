package supportkit_test

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

// mailServer is an SMTP server on 127.0.0.1 for tests. It answers EHLO, MAIL, RCPT, DATA
// (undoing dot-stuffing), RSET, NOOP and QUIT, and keeps each message it accepts, parsed.
// With fail set it refuses every DATA with 451, as a server that is down for a while.
type mailServer struct {
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	got  []received
	fail bool
}

// received is one message the server accepted.
type received struct {
	to  []string
	msg *email.Message
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &mailServer{ln: ln}
	s.wg.Add(1)
	go s.accept(t)
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *mailServer) sender() *email.SMTPSender { return &email.SMTPSender{Addr: s.ln.Addr().String()} }

func (s *mailServer) setFail(v bool) {
	s.mu.Lock()
	s.fail = v
	s.mu.Unlock()
}

// mail returns the messages accepted so far, in order.
func (s *mailServer) mail() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func (s *mailServer) accept(t *testing.T) {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.session(t, c)
		}()
	}
}

func (s *mailServer) session(t *testing.T, c net.Conn) {
	r := bufio.NewReader(c)
	say := func(line string) { c.Write([]byte(line + "\r\n")) }
	say("220 127.0.0.1 ESMTP test")
	var to []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(cmd, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			say("250-127.0.0.1\r\n250 8BITMIME")
		case "MAIL":
			to = nil
			say("250 ok")
		case "RCPT":
			addr := strings.Trim(strings.TrimPrefix(strings.TrimPrefix(arg, "TO:"), "to:"), "<> ")
			to = append(to, addr)
			say("250 ok")
		case "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			s.mu.Lock()
			fail := s.fail
			s.mu.Unlock()
			if fail {
				say("451 try again later")
				continue
			}
			m, err := email.Parse([]byte(b.String()))
			if err != nil {
				t.Errorf("the server got a message it cannot parse: %v", err)
				say("554 bad message")
				continue
			}
			s.mu.Lock()
			s.got = append(s.got, received{to: to, msg: m})
			s.mu.Unlock()
			say("250 queued")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}
