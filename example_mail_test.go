package supportkit_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
)

// A Mailroom files a customer's mail as a ticket and acknowledges it; the customer's
// out-of-office robot answering the acknowledgement is recognized and changes nothing.
func ExampleMailroom() {
	ctx := context.Background()
	desk, err := supportkit.New(supportkit.Config{Now: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		panic(err)
	}
	room, err := supportkit.NewMailroom(desk, supportkit.MailConfig{
		Addresses:    []email.Address{{Name: "Support", Address: "support@desk.example"}},
		NewMessageID: func() string { return "ack1" },
	})
	if err != nil {
		panic(err)
	}
	res, err := room.Receive(ctx, strings.NewReader("From: Ann Lee <ann@example.com>\r\nTo: support@desk.example\r\n"+
		"Subject: VPN is down\r\nMessage-ID: <a1@example.com>\r\n\r\nThe VPN does not connect since 9:00.\r\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Action, res.Ticket.Number, res.Ticket.Subject)
	ack := res.Notices[0]
	fmt.Println(ack.Subject, "|", ack.AutoSubmitted, "|", ack.MessageID)

	res, err = room.Receive(ctx, strings.NewReader("From: ann@example.com\r\nSubject: Out of Office: "+ack.Subject+"\r\n"+
		"In-Reply-To: <"+ack.MessageID+">\r\n\r\nI am out of the office until Monday.\r\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Action, res.Class.Kind, len(res.Notices))
	// Output:
	// created SUP-1 VPN is down
	// [SUP-1] Request received: VPN is down | auto-replied | sk.ack1@desk.example
	// ignored out-of-office 0
}
