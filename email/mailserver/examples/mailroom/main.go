// Command mailroom runs the desk's SMTP intake on a loopback port and sends it a short
// conversation over SMTP, as the customer's mail server would: a Russian customer's mail
// in windows-1251 from Outlook opens a ticket and is acknowledged, her out-of-office robot
// answers the acknowledgement and is ignored, her reply threads onto the ticket without
// the quoted history, the agent answers (the desk mails the answer by itself, in reply to
// her mail) and solves it, and a bounce of one notification names the failed address.
// It prints what the desk did with each message and the notifications it would send (a
// Sender prints them instead of sending), then closes the intake. The clock and
// Message-IDs are fixed, so the output is the same on every run.
//
//	cd email/mailserver && go run ./examples/mailroom
package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/email/mailserver"
	"github.com/supportkit/supportkit/ticket"
)

//go:embed mail/*.eml
var mailbox embed.FS

// deskAddress is the support address the intake accepts mail for.
const deskAddress = "support@desk.example"

// conversation is the mail sent to the intake, in order, with the envelope sender of
// each: the customer's address for her own mail, the null sender for the automatic
// replies (as RFC 3834 and RFC 3464 ask).
var conversation = []struct{ file, from string }{
	{"1-outlook-windows-1251.eml", "o.sidorova@sever-veter.ru"},
	{"2-out-of-office.eml", ""},
	{"3-reply.eml", "o.sidorova@sever-veter.ru"},
	{"4-bounce.eml", ""},
}

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err == nil {
		err = run(os.Stdout, l)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailroom:", err)
		os.Exit(1)
	}
}

// journal keeps what the intake's connections report, the desk's account of each message
// and the notifications it sent, until the sending side prints them in order. It is safe
// for concurrent use.
type journal struct {
	mu     sync.Mutex
	filed  bytes.Buffer
	mailed bytes.Buffer
	last   ticket.Ticket
}

// flush writes what was filed, then what was mailed, to w and empties the journal.
func (j *journal) flush(w io.Writer) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.filed.WriteTo(w); err != nil {
		return err
	}
	_, err := j.mailed.WriteTo(w)
	return err
}

// ticket returns the ticket of the last message that had one.
func (j *journal) ticket() ticket.Ticket {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.last
}

// clock is the desk's clock: the sending side moves it on, the intake reads it.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// run serves the intake on l, sends it the conversation, prints to w what happened, and
// closes the intake (and l) before it returns.
func run(w io.Writer, l net.Listener) error {
	clk := &clock{now: time.Date(2026, 3, 2, 9, 2, 11, 0, time.FixedZone("MSK", 3*3600))}
	j := &journal{}
	desk, room, err := newDesk(clk, j)
	if err != nil {
		_ = l.Close()
		return err
	}
	srv, err := mailserver.NewServer(mailserver.MailroomHandler(room, j.report),
		mailserver.ServerConfig{Recipients: []string{deskAddress}, Domain: "mx.desk.example"})
	if err != nil {
		_ = l.Close()
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, l) }()

	err = converse(ctx, w, l.Addr().String(), clk, j, desk, room)
	cancel()
	if serr := <-served; err == nil {
		err = serr
	}
	if err == nil {
		fmt.Fprintln(w, "== the intake is closed")
	}
	return err
}

// newDesk makes the in-memory desk and its Mailroom, which mails the acknowledgements and
// the agents' replies to the printing Sender.
func newDesk(clk *clock, j *journal) (*supportkit.Desk, *supportkit.Mailroom, error) {
	desk, err := supportkit.New(supportkit.Config{Now: clk.Now})
	if err != nil {
		return nil, nil, err
	}
	var n atomic.Int64
	room, err := supportkit.NewMailroom(desk, supportkit.MailConfig{
		Addresses:    []email.Address{{Name: "Служба поддержки", Address: deskAddress}},
		Sender:       outbox{j},
		Send:         []email.NoticeKind{email.NoticeReply},
		NewMessageID: func() string { return fmt.Sprintf("mailroom-%d", n.Add(1)) },
	})
	return desk, room, err
}

// converse sends the conversation to the intake at addr over SMTP, one message a
// connection, with the agent's work after her reply.
func converse(ctx context.Context, w io.Writer, addr string, clk *clock, j *journal, desk *supportkit.Desk, room *supportkit.Mailroom) error {
	for i, m := range conversation {
		raw, err := mailbox.ReadFile("mail/" + m.file)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "== %s\n", m.file)
		if err := smtp.SendMail(addr, nil, m.from, []string{deskAddress}, raw); err != nil {
			return fmt.Errorf("sending %s: %w", m.file, err)
		}
		fmt.Fprintf(w, "SMTP: MAIL FROM:<%s> RCPT TO:<%s>, accepted\n", m.from, deskAddress)
		if err := j.flush(w); err != nil {
			return err
		}
		fmt.Fprintln(w)
		clk.advance(30 * time.Minute)
		if i == 2 {
			if err := agentWork(ctx, w, j, desk, room, j.ticket()); err != nil {
				return err
			}
		}
	}
	return nil
}

// outbox is the desk's Sender: it writes each notification to the journal instead of
// sending it.
type outbox struct{ j *journal }

func (o outbox) Send(_ context.Context, _ string, to []string, msg []byte) error {
	m, err := email.Parse(msg)
	if err != nil {
		return err
	}
	o.j.mu.Lock()
	defer o.j.mu.Unlock()
	b := &o.j.mailed
	fmt.Fprintf(b, "  -> mail to %s\n", strings.Join(to, ", "))
	fmt.Fprintf(b, "     Subject: %s\n", m.Subject)
	if v := m.Header.Get("Auto-Submitted"); v != "" {
		fmt.Fprintf(b, "     Auto-Submitted: %s\n", v)
	}
	if len(m.InReplyTo) > 0 {
		fmt.Fprintf(b, "     In-Reply-To: <%s>\n", m.InReplyTo[0])
	}
	for _, line := range strings.Split(strings.TrimSpace(m.Text), "\n") {
		fmt.Fprintf(b, "     | %s\n", line)
	}
	return nil
}

// report writes what the desk made of one message to the journal.
func (j *journal) report(res supportkit.MailResult) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if res.Ticket.Number != "" {
		j.last = res.Ticket
	}
	w := &j.filed
	m := res.Message
	fmt.Fprintf(w, "From: %s <%s>\nSubject: %s\n", m.From.Name, m.From.Address, m.Subject)
	fmt.Fprintf(w, "Kind: %s", res.Class.Kind)
	if res.Class.Reason != "" {
		fmt.Fprintf(w, " (%s)", res.Class.Reason)
	}
	fmt.Fprintf(w, "\nAction: %s", res.Action)
	if res.Ticket.Number != "" {
		fmt.Fprintf(w, " %s, status %s, %d comment(s)", res.Ticket.Number, res.Ticket.Status, res.Ticket.CommentCount)
	}
	fmt.Fprintln(w)
	if res.Body != "" {
		fmt.Fprintf(w, "Filed text:\n")
		for _, line := range strings.Split(res.Body, "\n") {
			fmt.Fprintf(w, "  | %s\n", line)
		}
	}
	for _, a := range m.Attachments {
		fmt.Fprintf(w, "Attachment: %s (%s, %d bytes)\n", a.Filename, a.ContentType, a.Size)
	}
	if len(res.Class.Failed) > 0 {
		fmt.Fprintf(w, "Failed recipients: %s (original message <%s>)\n", strings.Join(res.Class.Failed, ", "), res.Class.Original)
	}
	if res.Refused != nil {
		fmt.Fprintf(w, "No acknowledgement: %s\n", res.Refused.Reason)
	}
}

// agentWork is the agent's side: a public answer, which the desk mails to the customer by
// itself (MailConfig.Send), then the solve and its survey, which the host sends with
// Notify to the customer and to a colleague's address the agent mistyped.
func agentWork(ctx context.Context, w io.Writer, j *journal, desk *supportkit.Desk, room *supportkit.Mailroom, tk ticket.Ticket) error {
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "ivan", Name: "Иван Петров"}
	svc := desk.Tickets()
	answer := "Ольга, добрый день!\nМастер будет у вас сегодня до 15:00, он почистит барабан."
	if _, err := svc.Assign(ctx, agent, tk.ID, agent.ID); err != nil {
		return err
	}
	fmt.Fprintf(w, "== the agent answers %s\n", tk.Number)
	if _, err := svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: answer}); err != nil {
		return err
	}
	if err := j.flush(w); err != nil {
		return err
	}
	solved, err := svc.Solve(ctx, agent, tk.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "== %s is %s\n", solved.Number, solved.Status)
	to := []email.Address{{Name: tk.Requester.Name, Address: tk.Requester.Email}, {Address: "o.sidorva@sever-veter.ru"}}
	_, err = room.Notify(ctx, solved, email.Notice{Kind: email.NoticeSolved, To: to, Customer: tk.Requester.Name,
		SurveyURL: "https://desk.example/survey/" + solved.Number})
	if err != nil {
		return err
	}
	err = j.flush(w)
	fmt.Fprintln(w)
	return err
}
