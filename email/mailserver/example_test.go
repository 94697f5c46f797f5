package mailserver_test

import (
	"context"
	"fmt"
	"net"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/email/mailserver"
)

// The intake on a loopback port: a message sent to the desk's address becomes a ticket.
func ExampleServer() {
	desk, err := supportkit.New(supportkit.Config{})
	if err != nil {
		panic(err)
	}
	room, err := supportkit.NewMailroom(desk, supportkit.MailConfig{Addresses: []email.Address{{Address: "support@desk.example"}}})
	if err != nil {
		panic(err)
	}
	report := func(res supportkit.MailResult) {
		fmt.Println(res.Action, res.Ticket.Number, res.Ticket.Subject)
	}
	srv, err := mailserver.NewServer(mailserver.MailroomHandler(room, report), mailserver.ServerConfig{Recipients: []string{"support@desk.example"}})
	if err != nil {
		panic(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- srv.Serve(ctx, l) }()

	msg := "From: Ann <ann@example.com>\r\nTo: support@desk.example\r\nSubject: Printer jams\r\nMessage-ID: <a1@example.com>\r\n\r\nIt jams on every page.\r\n"
	sender := &email.SMTPSender{Addr: l.Addr().String()}
	if err := sender.Send(ctx, "ann@example.com", []string{"support@desk.example"}, []byte(msg)); err != nil {
		panic(err)
	}
	err = sender.Send(ctx, "ann@example.com", []string{"sales@desk.example"}, []byte(msg))
	fmt.Println(err)
	cancel()
	fmt.Println(<-done)
	// Output:
	// created SUP-1 Printer jams
	// email: smtp rcpt: 550 "5.1.1 No such mailbox here"
	// <nil>
}
