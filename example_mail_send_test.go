package supportkit_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/ticket"
)

// printer is a Sender that prints the subject, the threading header and the recipients
// of what it is given.
type printer struct{}

func (printer) Send(_ context.Context, _ string, to []string, msg []byte) error {
	m, err := email.Parse(msg)
	if err != nil {
		return err
	}
	fmt.Printf("-> %s: %s (in reply to %v)\n", strings.Join(to, ", "), m.Subject, m.InReplyTo)
	return nil
}

// With MailConfig.Send the Desk mails by itself: an agent's public reply goes to the
// customer in reply to her mail, an agent's mail from his own mailbox is his reply on the
// ticket, and a ticket left pending reminds the customer once, when CheckClocks (or Tick,
// or Run) finds it due.
func ExampleMailConfig_send() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	desk, err := supportkit.New(supportkit.Config{Now: func() time.Time { return now }})
	if err != nil {
		panic(err)
	}
	room, err := supportkit.NewMailroom(desk, supportkit.MailConfig{
		Addresses:         []email.Address{{Name: "Support", Address: "support@desk.example"}},
		Sender:            printer{},
		Send:              []email.NoticeKind{email.NoticeReply, email.NoticeReminder},
		RemindAfter:       48 * time.Hour,
		Agents:            map[string]string{"ivan@desk.example": "ivan"},
		NoAcknowledgement: true,
	})
	if err != nil {
		panic(err)
	}
	res, err := room.Receive(ctx, strings.NewReader("From: Ann Lee <ann@example.com>\r\nSubject: VPN is down\r\n"+
		"Message-ID: <a1@example.com>\r\n\r\nThe VPN does not connect.\r\n"))
	if err != nil {
		panic(err)
	}
	res, err = room.Receive(ctx, strings.NewReader("From: Ivan <ivan@desk.example>\r\nSubject: Re: ["+res.Ticket.Number+"] VPN is down\r\n"+
		"Message-ID: <i1@desk.example>\r\n\r\nPlease restart the client and tell us.\r\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Action, "by", res.Ticket.Requester.Email, "stays the requester")
	pending := ticket.StatusPending
	if _, err := desk.Tickets().Update(ctx, ticket.Actor{Kind: ticket.ActorAgent, ID: "ivan"}, res.Ticket.ID, ticket.Changes{Status: &pending}); err != nil {
		panic(err)
	}
	wake, _ := desk.NextWake(ctx, now)
	fmt.Println("reminder due", wake.Format(time.DateTime))
	now = wake
	for range 2 {
		if err := desk.CheckClocks(ctx, now); err != nil {
			panic(err)
		}
	}
	// Output:
	// -> ann@example.com: Re: [SUP-1] VPN is down (in reply to [a1@example.com])
	// commented by ann@example.com stays the requester
	// reminder due 2026-03-04 09:00:00
	// -> ann@example.com: [SUP-1] Waiting for your reply: VPN is down (in reply to [])
}
