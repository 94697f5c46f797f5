package mailserver

import (
	"context"
	"io"

	"github.com/supportkit/supportkit"
)

// Handler files one raw message. It must read r to its end or return an error, be safe
// for concurrent use, and report a permanent failure (a message that will never be
// accepted) with an error wrapping email.ErrTooLarge or email.ErrInvalid; any other error
// is temporary: the SMTP client is told to retry, and the Poller leaves the message
// unseen for its next pass.
type Handler interface {
	// Handle files the message raw, received from the envelope sender from for the
	// envelope recipients to; it returns nil once the message is filed.
	Handle(ctx context.Context, from string, to []string, raw io.Reader) error
}

// HandlerFunc adapts a function to a Handler.
type HandlerFunc func(ctx context.Context, from string, to []string, raw io.Reader) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, from string, to []string, raw io.Reader) error {
	return f(ctx, from, to, raw)
}

// MailroomHandler files every message on room; results (ignored automatic mail
// included) are passed to report when it is not nil.
func MailroomHandler(room *supportkit.Mailroom, report func(supportkit.MailResult)) Handler {
	return HandlerFunc(func(ctx context.Context, _ string, _ []string, raw io.Reader) error {
		res, err := room.Receive(ctx, raw)
		if err == nil && report != nil {
			report(res)
		}
		return err
	})
}
