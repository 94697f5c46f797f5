// Command mailroom shows the email channel on the in-memory stores: a Russian customer's
// mail in windows-1251 from Outlook opens a ticket and is acknowledged, her out-of-office
// robot answers the acknowledgement and is ignored, her reply threads onto the ticket
// without the quoted history, the agent answers (the desk mails the answer by itself, in
// reply to her mail) and solves it, and a bounce of one notification names the failed
// address. The clock and Message-IDs are fixed, so the output
// is the same on every run.
//
//	go run ./examples/mailroom
package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/ticket"
)

//go:embed mail/*.eml
var mailbox embed.FS

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mailroom:", err)
		os.Exit(1)
	}
}

// outbox is the Sender: it writes each notification to a buffer, printed after the
// report of what caused it, instead of sending it.
type outbox struct{ w *bytes.Buffer }

func (o outbox) Send(_ context.Context, from string, to []string, msg []byte) error {
	m, err := email.Parse(msg)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.w, "  -> mail to %s\n", strings.Join(to, ", "))
	fmt.Fprintf(o.w, "     Subject: %s\n", m.Subject)
	if v := m.Header.Get("Auto-Submitted"); v != "" {
		fmt.Fprintf(o.w, "     Auto-Submitted: %s\n", v)
	}
	if len(m.InReplyTo) > 0 {
		fmt.Fprintf(o.w, "     In-Reply-To: <%s>\n", m.InReplyTo[0])
	}
	for _, line := range strings.Split(strings.TrimSpace(m.Text), "\n") {
		fmt.Fprintf(o.w, "     | %s\n", line)
	}
	return nil
}

func run(w io.Writer) error {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 2, 11, 0, time.FixedZone("MSK", 3*3600))
	desk, err := supportkit.New(supportkit.Config{Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	n := 0
	sent := &bytes.Buffer{}
	room, err := supportkit.NewMailroom(desk, supportkit.MailConfig{
		Addresses:    []email.Address{{Name: "Служба поддержки", Address: "support@desk.example"}},
		Sender:       outbox{sent},
		Send:         []email.NoticeKind{email.NoticeReply},
		NewMessageID: func() string { n++; return fmt.Sprintf("mailroom-%d", n) },
	})
	if err != nil {
		return err
	}
	files, err := mailbox.ReadDir("mail")
	if err != nil {
		return err
	}
	var tk ticket.Ticket
	for i, f := range files {
		raw, err := mailbox.ReadFile(path.Join("mail", f.Name()))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "== %s\n", f.Name())
		res, err := room.Receive(ctx, bytes.NewReader(raw))
		if err != nil {
			return err
		}
		report(w, res)
		if _, err := sent.WriteTo(w); err != nil {
			return err
		}
		fmt.Fprintln(w)
		if res.Ticket.Number != "" {
			tk = res.Ticket
		}
		now = now.Add(30 * time.Minute)
		if i == 2 {
			if err := agentWork(ctx, w, sent, desk, room, tk); err != nil {
				return err
			}
		}
	}
	return nil
}

// report prints what the desk made of one message.
func report(w io.Writer, res supportkit.MailResult) {
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
func agentWork(ctx context.Context, w io.Writer, sent *bytes.Buffer, desk *supportkit.Desk, room *supportkit.Mailroom, tk ticket.Ticket) error {
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
	if _, err := sent.WriteTo(w); err != nil {
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
	_, err = sent.WriteTo(w)
	fmt.Fprintln(w)
	return err
}
