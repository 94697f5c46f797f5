package supportkit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// TestMailroomFilesMessagesTheTicketServiceWouldRefuse checks that a message whose headers
// or text hold what a ticket may not (control characters, a tab in a subject, an overlong
// sender name or Message-ID, too many attachments) is still filed, cleaned to fit, rather
// than failing as invalid and being lost.
func TestMailroomFilesMessagesTheTicketServiceWouldRefuse(t *testing.T) {
	var many strings.Builder
	many.WriteString("From: Ann <ann@example.com>\nSubject: Logs\nMessage-ID: <m7@example.com>\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nAll logs.\n")
	for i := range 120 {
		fmt.Fprintf(&many, "--B\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"log%d.txt\"\n\nline\n", i)
	}
	many.WriteString("--B--\n")
	for name, raw := range map[string]string{
		"tab in subject":   "From: Ann <ann@example.com>\nSubject: Printer\tbroken\nMessage-ID: <m1@example.com>\n\nHelp.\n",
		"encoded CR LF":    "From: Ann <ann@example.com>\nSubject: =?utf-8?q?Printer=0D=0ABcc:_x?=\nMessage-ID: <m2@example.com>\n\nHelp.\n",
		"NUL in name":      "From: =?utf-8?q?Ann=00Lee?= <ann@example.com>\nSubject: x\nMessage-ID: <m3@example.com>\n\nHelp.\n",
		"NUL in text":      "From: Ann <ann@example.com>\nSubject: x\nMessage-ID: <m4@example.com>\nContent-Type: text/plain; charset=utf-8\n\nHelp\x00 me.\n",
		"long name":        "From: \"" + strings.Repeat("Ann ", 100) + "\" <ann@example.com>\nSubject: x\nMessage-ID: <m5@example.com>\n\nHelp.\n",
		"long Message-ID":  "From: Ann <ann@example.com>\nSubject: x\nMessage-ID: <" + strings.Repeat("a", 700) + "@example.com>\n\nHelp.\n",
		"many attachments": many.String(),
	} {
		b := newMailroom(t, supportkit.MailConfig{})
		res, err := b.room.Receive(context.Background(), strings.NewReader(strings.ReplaceAll(raw, "\n", "\r\n")))
		require.NoError(t, err, name)
		assert.Equal(t, supportkit.MailCreated, res.Action, name)
		tk := res.Ticket
		assert.False(t, strings.ContainsFunc(tk.Subject+tk.Requester.Name, unicode.IsControl), "%s: %q %q", name, tk.Subject, tk.Requester.Name)
		assert.Len(t, res.Notices, 1, "%s: acknowledged", name)
		again, err := b.room.Receive(context.Background(), strings.NewReader(strings.ReplaceAll(raw, "\n", "\r\n")))
		require.NoError(t, err, name)
		assert.Equal(t, supportkit.MailDuplicate, again.Action, "%s: a redelivery is recognized", name)
	}
}

// TestMailroomFilesMessagesWithoutText checks that a message with no text (only an
// attachment, or a body that does not decode) makes a ticket that is reported as created
// and acknowledged, and that such a reply is added to its ticket instead of failing.
func TestMailroomFilesMessagesWithoutText(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	res := b.receive(t, "From: Ann <ann@example.com>\nSubject: x\nMessage-ID: <n1@example.com>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n!!!***\n")
	assert.Equal(t, supportkit.MailCreated, res.Action)
	assert.Len(t, res.Notices, 1, "a new ticket is acknowledged")
	reply := b.receive(t, "From: Ann <ann@example.com>\nSubject: Re: ["+res.Ticket.Number+"] x\nMessage-ID: <n2@example.com>\nContent-Type: multipart/mixed; boundary=B\n\n"+
		"--B\nContent-Type: text/plain\n\n\n--B\nContent-Type: image/png\nContent-Disposition: attachment; filename=\"shot.png\"\n\nPNG\n--B--\n")
	assert.Equal(t, supportkit.MailCommented, reply.Action)
	comments, err := b.desk.Tickets().Comments(context.Background(), res.Ticket.ID)
	require.NoError(t, err)
	require.Len(t, comments, 2)
	require.Len(t, comments[1].Attachments, 1)
	assert.Equal(t, "shot.png", comments[1].Attachments[0].Name)
}

// TestMailroomReadReceiptLeavesASolvedTicketSolved checks that a customer's read receipt
// of the solved notice (a disposition notification, without robot headers, as Outlook
// sends it) is ignored: filed as the customer's reply it would reopen the ticket.
func TestMailroomReadReceiptLeavesASolvedTicketSolved(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	ctx := context.Background()
	first := b.receive(t, "From: Ann <ann@example.com>\nSubject: VPN\nMessage-ID: <a1@example.com>\n\nVPN is down.\n")
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "ag1"}
	_, err := b.desk.Tickets().Assign(ctx, agent, first.Ticket.ID, "ag1")
	require.NoError(t, err)
	solved, err := b.desk.Tickets().Solve(ctx, agent, first.Ticket.ID)
	require.NoError(t, err)
	sent := b.out.count()
	res := b.receive(t, "From: Ann <ann@example.com>\nSubject: Read: ["+first.Ticket.Number+"] VPN\nMessage-ID: <r1@example.com>\nIn-Reply-To: <a1@example.com>\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n--b\nContent-Type: text/plain\n\nYour message was read on Monday.\n--b\nContent-Type: message/disposition-notification\n\nFinal-Recipient: rfc822;ann@example.com\nDisposition: manual-action/MDN-sent-manually; displayed\n--b--\n")
	assert.Equal(t, supportkit.MailIgnored, res.Action)
	got, err := b.desk.Tickets().Get(ctx, first.Ticket.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusSolved, got.Status, "the read receipt reopened the ticket")
	assert.Equal(t, solved.Version, got.Version)
	assert.Equal(t, sent, b.out.count())
}

// TestMailroomFilesARequestAboutAutoReplies checks that a customer asking for help with
// their own auto-reply gets a ticket: the subject's words alone do not make it one.
func TestMailroomFilesARequestAboutAutoReplies(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	res := b.receive(t, "From: Ann <ann@example.com>\nSubject: Автоответ не работает в Outlook\nMessage-ID: <a1@example.com>\n\nНастроила автоответ на время отпуска, но он не отправляется. Помогите, пожалуйста.\n")
	assert.Equal(t, supportkit.MailCreated, res.Action)
	assert.Len(t, res.Notices, 1)
}
