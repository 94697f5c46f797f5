package email_test

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
)

// smtpServer is a minimal SMTP server on 127.0.0.1 for tests: it speaks EHLO, MAIL, RCPT,
// DATA (with dot-unstuffing), RSET, NOOP and QUIT, rejects recipients at reject.example
// with 550, and keeps what it received.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	got  []delivery
	wg   sync.WaitGroup
	addr string
}

type delivery struct {
	from string
	to   []string
	data string
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, addr: ln.Addr().String()}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *smtpServer) deliveries() []delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]delivery(nil), s.got...)
}

func (s *smtpServer) serve() {
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

func (s *smtpServer) session(c net.Conn) {
	r := bufio.NewReader(c)
	reply := func(line string) { c.Write([]byte(line + "\r\n")) }
	reply("220 127.0.0.1 test SMTP")
	var d delivery
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
			d = delivery{from: angle(cmd)}
			reply("250 2.1.0 ok")
		case strings.HasPrefix(strings.ToUpper(cmd), "RCPT TO:"):
			to := angle(cmd)
			if strings.HasSuffix(to, "@reject.example") {
				reply("550 5.1.1 no such user")
				continue
			}
			d.to = append(d.to, to)
			reply("250 2.1.5 ok")
		case verb == "DATA":
			reply("354 go ahead")
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
			d.data = b.String()
			s.mu.Lock()
			s.got = append(s.got, d)
			s.mu.Unlock()
			reply("250 2.0.0 queued")
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

func angle(cmd string) string {
	i, j := strings.IndexByte(cmd, '<'), strings.IndexByte(cmd, '>')
	if i < 0 || j < i {
		return ""
	}
	return cmd[i+1 : j]
}
