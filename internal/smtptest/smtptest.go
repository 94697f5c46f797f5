// Package smtptest is an SMTP server on 127.0.0.1 for the project's tests: it speaks EHLO,
// MAIL, RCPT, DATA (undoing dot-stuffing), RSET, NOOP and QUIT, keeps every message it
// accepts, refuses recipients at reject.example with 550, and can be told to refuse DATA
// with 451, as a server that is down for a while.
package smtptest

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
)

// Delivery is one message the server accepted.
type Delivery struct {
	From string   // the MAIL FROM address, without angle brackets
	To   []string // the accepted RCPT TO addresses, in order
	Data string   // the message as sent, dot-stuffing undone
}

// Server is a running test server. Its methods are safe for concurrent use.
type Server struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	got   []Delivery
	fail  bool
	check func(data string) error
	t     testing.TB
}

// Start starts a server on a free port of 127.0.0.1 and stops it when t ends. check, when
// not nil, is called on each message's data before it is accepted: a message it refuses
// is answered 554 and fails t.
func Start(t testing.TB, check func(data string) error) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{ln: ln, check: check, t: t}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

// Addr returns the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// SetFail makes the server refuse every DATA with 451 while fail is true.
func (s *Server) SetFail(fail bool) {
	s.mu.Lock()
	s.fail = fail
	s.mu.Unlock()
}

// Deliveries returns the messages accepted so far, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.got...)
}

func (s *Server) serve() {
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
			s.session(c)
		}()
	}
}

func (s *Server) session(c net.Conn) {
	r := bufio.NewReader(c)
	reply := func(line string) { c.Write([]byte(line + "\r\n")) }
	reply("220 127.0.0.1 test SMTP")
	var d Delivery
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(cmd, " ", 2)[0])
		switch {
		case verb == "EHLO" || verb == "HELO":
			reply("250-127.0.0.1 hello")
			reply("250 8BITMIME")
		case strings.HasPrefix(strings.ToUpper(cmd), "MAIL FROM:"):
			d = Delivery{From: angle(cmd)}
			reply("250 2.1.0 ok")
		case strings.HasPrefix(strings.ToUpper(cmd), "RCPT TO:"):
			to := angle(cmd)
			if strings.HasSuffix(to, "@reject.example") {
				reply("550 5.1.1 no such user")
				continue
			}
			d.To = append(d.To, to)
			reply("250 2.1.5 ok")
		case verb == "DATA":
			reply("354 go ahead")
			data, ok := readData(r)
			if !ok {
				return
			}
			d.Data = data
			reply(s.take(d))
		case verb == "RSET" || verb == "NOOP":
			reply("250 ok")
		case verb == "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 5.5.2 not implemented")
		}
	}
}

// take keeps d unless the server fails or check refuses it, and returns the reply.
func (s *Server) take(d Delivery) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return "451 try again later"
	}
	if s.check != nil {
		if err := s.check(d.Data); err != nil {
			s.t.Errorf("the server got a message it refuses: %v", err)
			return "554 bad message"
		}
	}
	s.got = append(s.got, d)
	return "250 2.0.0 queued"
}

// readData reads the lines of a DATA section up to the lone dot, undoing dot-stuffing; ok
// is false when the connection ends first.
func readData(r *bufio.Reader) (string, bool) {
	var b strings.Builder
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			return "", false
		}
		if l == ".\r\n" {
			return b.String(), true
		}
		b.WriteString(strings.TrimPrefix(l, "."))
	}
}

// angle returns the address between the angle brackets of a MAIL or RCPT command.
func angle(cmd string) string {
	i, j := strings.IndexByte(cmd, '<'), strings.IndexByte(cmd, '>')
	if i < 0 || j < i {
		return ""
	}
	return cmd[i+1 : j]
}
