package supportkit_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// outbox is a Sender that keeps what it is given.
type outbox struct {
	mu   sync.Mutex
	sent [][]byte
}

func (o *outbox) Send(_ context.Context, _ string, _ []string, msg []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, msg)
	return nil
}

func (o *outbox) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.sent)
}

type mailroomBundle struct {
	desk *supportkit.Desk
	room *supportkit.Mailroom
	out  *outbox
	now  *time.Time
}

func newMailroom(t *testing.T, cfg supportkit.MailConfig) mailroomBundle {
	t.Helper()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d, err := supportkit.New(supportkit.Config{Now: func() time.Time { return now }})
	require.NoError(t, err)
	out := &outbox{}
	cfg.Addresses = []email.Address{{Name: "Support", Address: "support@desk.example"}}
	cfg.Sender = out
	room, err := supportkit.NewMailroom(d, cfg)
	require.NoError(t, err)
	return mailroomBundle{desk: d, room: room, out: out, now: &now}
}

func (b mailroomBundle) receive(t *testing.T, raw string) supportkit.MailResult {
	t.Helper()
	res, err := b.room.Receive(context.Background(), strings.NewReader(strings.ReplaceAll(raw, "\n", "\r\n")))
	require.NoError(t, err)
	return res
}

func win1251(s string) string {
	b, err := charmap.Windows1251.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

func outlookRussian(id string) string {
	return "From: =?windows-1251?B?" + base64.StdEncoding.EncodeToString([]byte(win1251("Ольга Сидорова"))) + "?= <olga@buh.example>\n" +
		"To: support@desk.example\nSubject: =?windows-1251?B?" + base64.StdEncoding.EncodeToString([]byte(win1251("Не печатает принтер"))) + "?=\n" +
		"Message-ID: <" + id + ">\nX-Mailer: Microsoft Outlook 16.0\nMIME-Version: 1.0\n" +
		"Content-Type: text/plain; charset=\"windows-1251\"\nContent-Transfer-Encoding: base64\n\n" +
		base64.StdEncoding.EncodeToString([]byte(win1251("Добрый день!\r\nПринтер в бухгалтерии не печатает.\r\n\r\nС уважением,\r\nОльга"))) + "\n"
}

func TestMailroomFilesAConversation(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	first := b.receive(t, outlookRussian("0001@buh.example"))
	require.Equal(t, supportkit.MailCreated, first.Action)
	tk := first.Ticket
	assert.Equal(t, "Не печатает принтер", tk.Subject)
	assert.Equal(t, "olga@buh.example", tk.Requester.Email)
	assert.Equal(t, "Ольга Сидорова", tk.Requester.Name)
	assert.Equal(t, ticket.ChannelEmail, tk.Channel)
	require.Len(t, first.Notices, 1)
	ack := first.Notices[0]
	assert.Equal(t, "auto-replied", ack.AutoSubmitted)
	assert.Contains(t, ack.Subject, "["+tk.Number+"]")
	assert.Contains(t, ack.Text, "Здравствуйте, Ольга Сидорова!", "the ticket's detected language picks the template")
	assert.Equal(t, "0001@buh.example", ack.InReplyTo)
	assert.Equal(t, 1, b.out.count())

	// the customer's out-of-office answers the acknowledgement: nothing happens
	ooo := b.receive(t, "From: olga@buh.example\nSubject: =?utf-8?B?"+base64.StdEncoding.EncodeToString([]byte("Автоответ: "+ack.Subject))+"?=\n"+
		"Message-ID: <0002@buh.example>\nIn-Reply-To: <"+ack.MessageID+">\nAuto-Submitted: auto-replied\nContent-Type: text/plain; charset=utf-8\n\nЯ в отпуске до 10 марта.\n")
	assert.Equal(t, supportkit.MailIgnored, ooo.Action)
	assert.Equal(t, email.KindOutOfOffice, ooo.Class.Kind)
	assert.Empty(t, ooo.Notices)

	// a reply that lost the number threads by In-Reply-To; only the new text is kept
	reply := b.receive(t, "From: olga@buh.example\nSubject: =?utf-8?B?"+base64.StdEncoding.EncodeToString([]byte("Ответ: принтер"))+"?=\n"+
		"Message-ID: <0003@buh.example>\nIn-Reply-To: <"+ack.MessageID+">\nReferences: <0001@buh.example> <"+ack.MessageID+">\nContent-Type: text/plain; charset=utf-8\n\n"+
		"Картридж заменили, всё равно не печатает.\n\n-----Исходное сообщение-----\nОт: Support\nТема: ["+tk.Number+"]\n")
	require.Equal(t, supportkit.MailCommented, reply.Action)
	assert.Equal(t, tk.ID, reply.Ticket.ID)
	assert.Empty(t, reply.Notices, "comments are not acknowledged")
	comments, err := b.desk.Tickets().Comments(context.Background(), tk.ID)
	require.NoError(t, err)
	require.Len(t, comments, 2)
	assert.Equal(t, "Картридж заменили, всё равно не печатает.", comments[1].Body)
	assert.Equal(t, "0003@buh.example", comments[1].Key)
	assert.Equal(t, ticket.ActorCustomer, comments[1].Author.Kind)

	// a bounce of a notification changes nothing and names the failed address
	bounce := b.receive(t, "From: MAILER-DAEMON@mx.desk.example\nTo: support@desk.example\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <b1@mx.desk.example>\n"+
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n\n--R\nContent-Type: text/plain\n\nCould not deliver.\n"+
		"--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.desk.example\n\nFinal-Recipient: rfc822; olga@buh.example\nAction: failed\nStatus: 5.1.1\n\n--R--\n")
	assert.Equal(t, supportkit.MailIgnored, bounce.Action)
	assert.Equal(t, []string{"olga@buh.example"}, bounce.Class.Failed)

	got, err := b.desk.Tickets().Get(context.Background(), tk.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, got.CommentCount, "automatic mail added nothing")
	assert.Equal(t, 1, b.out.count(), "only the acknowledgement went out")
}

func TestMailroomRedeliveryChangesNothing(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	first := b.receive(t, outlookRussian("0001@buh.example"))
	again := b.receive(t, outlookRussian("0001@buh.example"))
	assert.Equal(t, supportkit.MailDuplicate, again.Action)
	assert.Equal(t, first.Ticket.ID, again.Ticket.ID)
	assert.Empty(t, again.Notices)
	assert.Equal(t, 1, b.out.count())
}

func TestMailroomReplyToAClosedTicketMakesAFollowUp(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	ctx := context.Background()
	first := b.receive(t, "From: Ann <ann@example.com>\nSubject: VPN\nMessage-ID: <a1@example.com>\n\nVPN is down.\n")
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "ag1"}
	svc := b.desk.Tickets()
	_, err := svc.Assign(ctx, agent, first.Ticket.ID, "ag1")
	require.NoError(t, err)
	_, err = svc.Solve(ctx, agent, first.Ticket.ID)
	require.NoError(t, err)
	_, err = svc.Close(ctx, agent, first.Ticket.ID)
	require.NoError(t, err)
	again := b.receive(t, "From: Ann <ann@example.com>\nSubject: Re: ["+first.Ticket.Number+"] VPN\nMessage-ID: <a2@example.com>\nIn-Reply-To: <a1@example.com>\n\nDown again.\n\nOn Mon, Ann wrote:\n> VPN is down.\n")
	require.Equal(t, supportkit.MailFollowUp, again.Action)
	assert.NotEqual(t, first.Ticket.ID, again.Ticket.ID)
	require.Len(t, again.Notices, 1, "a follow-up is a new ticket: acknowledged")
	assert.Contains(t, again.Notices[0].Subject, again.Ticket.Number)
}

func TestMailroomNeverFilesOrAnswersItsOwnMail(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	res := b.receive(t, "From: Support <SUPPORT@desk.example>\nSubject: [SUP-1] Request received\nMessage-ID: <sk.1@desk.example>\n\nHello\n")
	assert.Equal(t, supportkit.MailIgnored, res.Action)
	assert.Zero(t, b.out.count())
}

// Mail from a subaddress of the desk's own address ("support+x@") is the desk's own mail,
// as the Guard counts it: ignored, not filed as a ticket.
func TestMailroomTreatsSubaddressesOfItsOwnAddressAsOwn(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	for i, from := range []string{"support+x@desk.example", "Support+Notices@Desk.Example.", "support@desk.example."} {
		res := b.receive(t, "From: "+from+"\nSubject: Request received\nMessage-ID: <own"+string(rune('0'+i))+"@desk.example>\n\nHello\n")
		assert.Equal(t, supportkit.MailIgnored, res.Action, from)
		assert.Zero(t, res.Ticket.ID, from)
	}
	assert.Zero(t, b.out.count())
	res := b.receive(t, "From: supportx@desk.example\nSubject: Hi\nMessage-ID: <p1@desk.example>\n\nHello\n")
	assert.Equal(t, supportkit.MailCreated, res.Action, "another mailbox of the same domain is a person")
}

func TestMailroomFloodGuardStopsAcknowledgements(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{Guard: email.GuardConfig{MaxPerWindow: 2}})
	var refused int
	for i := range 4 {
		res := b.receive(t, "From: loop@example.com\nSubject: Request "+string(rune('A'+i))+"\nMessage-ID: <l"+string(rune('0'+i))+"@example.com>\n\nHelp\n")
		require.Equal(t, supportkit.MailCreated, res.Action, "a person's mail is still filed")
		if res.Refused != nil {
			refused++
			assert.Equal(t, "flood", res.Refused.Reason)
		}
	}
	assert.Equal(t, 2, refused)
	assert.Equal(t, 2, b.out.count())
	*b.now = b.now.Add(time.Hour + time.Second)
	res := b.receive(t, "From: loop@example.com\nSubject: Later\nMessage-ID: <l9@example.com>\n\nHelp\n")
	assert.Nil(t, res.Refused)
	assert.Equal(t, 3, b.out.count())
}

func TestMailroomKeepsAttachments(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	png := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 10))
	res := b.receive(t, "From: ann@example.com\nSubject: Screen\nMessage-ID: <s1@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"M\"\n\n"+
		"--M\nContent-Type: text/plain\n\nSee the screenshot.\n--M\nContent-Type: image/png\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment\n\n"+png+"\n--M--\n")
	comments, err := b.desk.Tickets().Comments(context.Background(), res.Ticket.ID)
	require.NoError(t, err)
	require.Len(t, comments[0].Attachments, 1)
	a := comments[0].Attachments[0]
	assert.Equal(t, "attachment-1.png", a.Name)
	assert.Equal(t, int64(40), a.Size)
	assert.Equal(t, "image/png", a.ContentType)
}

// TestMailroomNamesAttachmentsAsTheParserCleansThem: an attachment is filed under the name
// email.Parse gives it, so a long name keeps its extension and a bidi override cannot make
// "invoice\u202Efdp.exe" show as a PDF on the ticket.
func TestMailroomNamesAttachmentsAsTheParserCleansThem(t *testing.T) {
	for name, tc := range map[string]struct{ disposition, want string }{
		"long name":     {"filename*=utf-8''" + strings.Repeat("%D0%B6", 300) + ".pdf", strings.Repeat("ж", 125) + ".pdf"},
		"bidi override": {"filename*=utf-8''invoice%E2%80%AEfdp.exe", "invoicefdp.exe"},
		"device name":   {`filename="=?utf-8?Q?NUL.txt?="`, "_NUL.txt"},
	} {
		b := newMailroom(t, supportkit.MailConfig{})
		res := b.receive(t, "From: ann@example.com\nSubject: Files\nMessage-ID: <f1@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"M\"\n\n"+
			"--M\nContent-Type: text/plain\n\nSee the file.\n--M\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "+tc.disposition+"\n\ndata\n--M--\n")
		comments, err := b.desk.Tickets().Comments(context.Background(), res.Ticket.ID)
		require.NoError(t, err, name)
		require.Len(t, comments[0].Attachments, 1, name)
		assert.Equal(t, tc.want, comments[0].Attachments[0].Name, name)
	}
}

func TestMailroomNotifyRendersFromTheTicket(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{NoAcknowledgement: true})
	res := b.receive(t, "From: Ann Lee <ann@example.com>\nSubject: Printer\nMessage-ID: <p1@example.com>\n\nIt jams.\n")
	assert.Empty(t, res.Notices)
	out, err := b.room.Notify(context.Background(), res.Ticket, email.Notice{Kind: email.NoticeSolved, SurveyURL: "https://desk.example/s/1"})
	require.NoError(t, err)
	assert.Equal(t, "["+res.Ticket.Number+"] Solved: Printer", out.Subject)
	assert.Equal(t, "ann@example.com", out.To[0].Address)
	assert.Contains(t, out.Text, "Hello, Ann Lee!")
	// the customer's answer to it threads by the recorded Message-ID
	ans := b.receive(t, "From: ann@example.com\nSubject: Re: thanks\nMessage-ID: <p2@example.com>\nIn-Reply-To: <"+out.MessageID+">\n\nThanks!\n")
	assert.Equal(t, supportkit.MailCommented, ans.Action)
	assert.Equal(t, res.Ticket.ID, ans.Ticket.ID)
}

func TestNewMailroomRefusesBadConfig(t *testing.T) {
	d, err := supportkit.New(supportkit.Config{})
	require.NoError(t, err)
	_, err = supportkit.NewMailroom(d, supportkit.MailConfig{})
	require.ErrorIs(t, err, email.ErrInvalid)
	_, err = supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: []email.Address{{Address: "x"}}})
	require.ErrorIs(t, err, email.ErrInvalid)
	_, err = supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: []email.Address{{Address: "s@d.example"}}, Guard: email.GuardConfig{Now: time.Now}})
	require.ErrorIs(t, err, email.ErrInvalid)
	_, err = supportkit.NewMailroom(nil, supportkit.MailConfig{Addresses: []email.Address{{Address: "s@d.example"}}})
	require.ErrorIs(t, err, email.ErrInvalid)
	_, err = supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: []email.Address{{Address: "s@d.example"}},
		Guard: email.GuardConfig{Own: []string{"Support <help@d.example>"}}})
	require.ErrorIs(t, err, email.ErrInvalid, "a Guard.Own entry that is no address")
	_, err = supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: []email.Address{{Address: "s@d.example"}, {Address: "help"}}})
	require.ErrorIs(t, err, email.ErrInvalid, "an address after the first that is no address")
}

// slowIndex is a MemoryStore whose Message-ID lookups take a while, so that concurrent
// deliveries of one message all look before any of them files it.
type slowIndex struct{ *ticket.MemoryStore }

func (s slowIndex) TicketByMessageID(ctx context.Context, tenant, id string) (ticket.Ticket, error) {
	time.Sleep(5 * time.Millisecond)
	return s.MemoryStore.TicketByMessageID(ctx, tenant, id)
}

func TestMailroomConcurrentRedeliveriesAcknowledgeOnce(t *testing.T) {
	d, err := supportkit.New(supportkit.Config{Store: slowIndex{ticket.NewMemoryStore()}})
	require.NoError(t, err)
	out := &outbox{}
	room, err := supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: []email.Address{{Address: "support@desk.example"}}, Sender: out})
	require.NoError(t, err)
	b := mailroomBundle{desk: d, room: room, out: out}
	var wg sync.WaitGroup
	actions := make(chan supportkit.MailAction, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := b.room.Receive(context.Background(), strings.NewReader(strings.ReplaceAll(outlookRussian("race@buh.example"), "\n", "\r\n")))
			assert.NoError(t, err)
			actions <- res.Action
		}()
	}
	wg.Wait()
	close(actions)
	count := map[supportkit.MailAction]int{}
	for a := range actions {
		count[a]++
	}
	assert.Equal(t, map[supportkit.MailAction]int{supportkit.MailCreated: 1, supportkit.MailDuplicate: 7}, count)
	assert.Equal(t, 1, b.out.count())
}

// archive keeps raw messages by their digest.
type archive struct {
	mu   sync.Mutex
	kept map[string][]byte
}

func (a *archive) Store(_ context.Context, _ email.Attachment, r io.Reader) (string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	ref := "archive://" + hex.EncodeToString(sum[:8])
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.kept == nil {
		a.kept = map[string][]byte{}
	}
	a.kept[ref] = b
	return ref, nil
}

func TestMailroomArchivesTheOriginalOfFiledMail(t *testing.T) {
	arch := &archive{}
	b := newMailroom(t, supportkit.MailConfig{Archive: arch})
	raw := "From: ann@example.com\r\nSubject: Re: VPN\r\nMessage-ID: <r1@example.com>\r\nIn-Reply-To: <x@y>\r\n\r\nStill down.\r\n\r\nOn Mon, Support wrote:\r\n> Try again.\r\n"
	res, err := b.room.Receive(context.Background(), strings.NewReader(raw))
	require.NoError(t, err)
	assert.Equal(t, "Still down.\n\nOn Mon, Support wrote:\n> Try again.", res.Body, "it answers no ticket: a new ticket keeps the full text")
	comments, err := b.desk.Tickets().Comments(context.Background(), res.Ticket.ID)
	require.NoError(t, err)
	require.Len(t, comments[0].Attachments, 1)
	a := comments[0].Attachments[0]
	assert.Equal(t, "message.eml", a.Name)
	assert.Equal(t, "message/rfc822", a.ContentType)
	assert.Equal(t, raw, string(arch.kept[a.URL]), "the full original, quoted history included")

	_, err = b.room.Receive(context.Background(), strings.NewReader("From: x@example.com\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\naway\r\n"))
	require.NoError(t, err)
	assert.Len(t, arch.kept, 1, "ignored mail is not archived")
}

func TestMailroomCutsWhatTheTicketServiceWouldRefuse(t *testing.T) {
	d, err := supportkit.New(supportkit.Config{Tickets: ticket.Config{MaxSubject: 20, MaxBody: 64}})
	require.NoError(t, err)
	room, err := supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: []email.Address{{Address: "support@desk.example"}}})
	require.NoError(t, err)
	res, err := room.Receive(context.Background(), strings.NewReader("From: ann@example.com\r\nSubject: "+strings.Repeat("Принтер ", 10)+
		"\r\nMessage-ID: <c1@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+strings.Repeat("ж", 100)+"\r\n"))
	require.NoError(t, err)
	assert.Equal(t, 20, utf8.RuneCountInString(res.Ticket.Subject))
	assert.LessOrEqual(t, len(res.Body), 64)
	assert.True(t, utf8.ValidString(res.Body))
}

// TestMailroomFilesSendersUnderDirectoryCustomers: with a Directory, mail goes through
// Desk.Receive, so the sender becomes a customer, the ticket carries the customer's ID, and
// the sender's reply threads onto it.
func TestMailroomFilesSendersUnderDirectoryCustomers(t *testing.T) {
	ctx := context.Background()
	people, err := party.NewService(party.NewMemoryDirectory(), party.Config{})
	require.NoError(t, err)
	d, err := supportkit.New(supportkit.Config{Directory: people})
	require.NoError(t, err)
	room, err := supportkit.NewMailroom(d, supportkit.MailConfig{
		Addresses: []email.Address{{Address: "support@desk.example"}}, Sender: &outbox{}})
	require.NoError(t, err)
	first, err := room.Receive(ctx, strings.NewReader(strings.ReplaceAll(outlookRussian("0001@buh.example"), "\n", "\r\n")))
	require.NoError(t, err)
	require.Equal(t, supportkit.MailCreated, first.Action)
	olga, err := people.FindByEmail(ctx, "", "olga@buh.example")
	require.NoError(t, err)
	assert.Equal(t, olga.ID.String(), first.Ticket.Requester.ID)
	reply := "From: olga@buh.example\r\nSubject: Re: [" + first.Ticket.Number + "] printer\r\nMessage-ID: <0002@buh.example>\r\n\r\nStill broken.\r\n"
	again, err := room.Receive(ctx, strings.NewReader(reply))
	require.NoError(t, err)
	assert.Equal(t, supportkit.MailCommented, again.Action)
	assert.Equal(t, first.Ticket.ID, again.Ticket.ID)
}
