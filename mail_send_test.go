package supportkit_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// sendingDesk is a desk whose Mailroom sends by itself through a real SMTP server, over a
// store and ledger that outlive each Desk, as a database would.
type sendingDesk struct {
	store  *ticket.MemoryStore
	ledger *supportkit.MemoryLedger
	server *mailServer
	now    *time.Time
	mail   supportkit.MailConfig
	desk   supportkit.Config
}

func newSendingDesk(t *testing.T, mail supportkit.MailConfig) *sendingDesk {
	t.Helper()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	srv := startMailServer(t)
	mail.Addresses = []email.Address{{Name: "Support", Address: "support@desk.example"}}
	mail.Sender = srv.sender()
	if mail.Send == nil {
		mail.Send = []email.NoticeKind{email.NoticeReply, email.NoticeSolved, email.NoticeReminder}
	}
	mail.Agents = map[string]string{"Ivan@Desk.example": "ivan", "petr@desk.example": "petr"}
	mail.SurveyURL = func(tk ticket.Ticket) string { return "https://desk.example/survey/" + tk.Number }
	return &sendingDesk{store: ticket.NewMemoryStore(), ledger: supportkit.NewMemoryLedger(), server: srv, now: &now, mail: mail}
}

// start makes a new Desk and Mailroom over the same store and ledger, as a restarted
// process does, and loads what the store holds.
func (b *sendingDesk) start(t *testing.T) (*supportkit.Desk, *supportkit.Mailroom) {
	t.Helper()
	cfg := b.desk
	cfg.Store, cfg.Ledger, cfg.Now, cfg.Routing = b.store, b.ledger, func() time.Time { return *b.now }, &routing.Config{}
	if cfg.LedgerRetention == 0 {
		cfg.LedgerRetention = -1 // these tests read NextWake for mail; no hourly prune
	}
	d, err := supportkit.New(cfg)
	require.NoError(t, err)
	for _, a := range []routing.Agent{{ID: "ivan", Name: "Ivan Petrov"}, {ID: "petr", Name: "Petr Ivanov"}} {
		_, err = d.AddAgent(a)
		require.NoError(t, err)
	}
	room, err := supportkit.NewMailroom(d, b.mail)
	require.NoError(t, err)
	require.NoError(t, d.Load(context.Background()))
	return d, room
}

func (b *sendingDesk) advance(d time.Duration) { *b.now = b.now.Add(d) }

func receive(t *testing.T, room *supportkit.Mailroom, raw string) supportkit.MailResult {
	t.Helper()
	res, err := room.Receive(context.Background(), strings.NewReader(strings.ReplaceAll(raw, "\n", "\r\n")))
	require.NoError(t, err)
	return res
}

// requireIndexed checks that every message the server got is recorded on ticket id, so
// that the answer to it threads.
func (b *sendingDesk) requireIndexed(t *testing.T, id string) {
	t.Helper()
	for _, r := range b.server.mail() {
		tk, err := b.store.TicketByMessageID(context.Background(), "", r.msg.MessageID)
		require.NoError(t, err, "Message-ID %s", r.msg.MessageID)
		assert.Equal(t, id, tk.ID.String())
	}
}

func TestMailroomConversationThroughSMTP(t *testing.T) {
	ctx := context.Background()
	b := newSendingDesk(t, supportkit.MailConfig{RemindAfter: 48 * time.Hour})
	d, room := b.start(t)
	ivan, err := d.Agent("ivan")
	require.NoError(t, err)

	first := receive(t, room, "From: Ann Lee <ann@example.com>\nTo: support@desk.example\nSubject: Printer jams\nMessage-ID: <c1@example.com>\n\nThe printer jams on every page.\n")
	require.Equal(t, supportkit.MailCreated, first.Action)
	tk := first.Ticket
	sent := b.server.mail()
	require.Len(t, sent, 1, "the acknowledgement")
	ack := sent[0].msg
	assert.Equal(t, []string{"ann@example.com"}, sent[0].to)
	assert.Equal(t, "auto-replied", ack.Header.Get("Auto-Submitted"))
	assert.Equal(t, []string{"c1@example.com"}, ack.InReplyTo)
	assert.Contains(t, ack.Subject, "["+tk.Number+"]")

	// the agent answers in the desk: the answer is mailed, in reply to the customer's mail
	_, err = d.Tickets().Comment(ctx, ivan, tk.ID, ticket.NewComment{Public: true, Body: "Please try tray 2."})
	require.NoError(t, err)
	sent = b.server.mail()
	require.Len(t, sent, 2)
	reply := sent[1].msg
	assert.Equal(t, []string{"ann@example.com"}, sent[1].to)
	assert.Empty(t, reply.Header.Get("Auto-Submitted"), "a person's words")
	assert.Equal(t, []string{"c1@example.com"}, reply.InReplyTo)
	assert.Contains(t, reply.References, "c1@example.com")
	assert.Contains(t, reply.Subject, "["+tk.Number+"]")
	assert.Contains(t, reply.Text, "Please try tray 2.")
	assert.Contains(t, reply.Text, "Ivan Petrov")

	// her robot answers the answer: nothing is filed, nothing is sent
	ooo := receive(t, room, "From: ann@example.com\nSubject: Auto: Re: printer\nMessage-ID: <o1@example.com>\nIn-Reply-To: <"+reply.MessageID+">\nAuto-Submitted: auto-replied\n\nI am away.\n")
	assert.Equal(t, supportkit.MailIgnored, ooo.Action)
	assert.Len(t, b.server.mail(), 2)

	// her answer lost the number but threads by the answer's Message-ID
	back := receive(t, room, "From: ann@example.com\nSubject: Re: printer\nMessage-ID: <c2@example.com>\nIn-Reply-To: <"+reply.MessageID+">\n\n"+
		"Tray 2 works, but slowly.\n\nOn Mon, Support wrote:\n> Please try tray 2.\n")
	require.Equal(t, supportkit.MailCommented, back.Action)
	assert.Equal(t, tk.ID, back.Ticket.ID)
	assert.Equal(t, "Tray 2 works, but slowly.", back.Body)
	assert.Len(t, b.server.mail(), 2, "a customer's comment is not acknowledged")

	// the agent answers from his mailbox: his public reply, mailed on to the customer
	byMail := receive(t, room, "From: Ivan <ivan@desk.example>\nSubject: Re: ["+tk.Number+"] Printer jams\nMessage-ID: <i1@desk.example>\nIn-Reply-To: <c2@example.com>\n\n"+
		"Cleaning the rollers helps.\n\nOn Mon, Ann wrote:\n> Tray 2 works, but slowly.\n")
	require.Equal(t, supportkit.MailCommented, byMail.Action)
	assert.Equal(t, tk.ID, byMail.Ticket.ID)
	assert.Equal(t, "ann@example.com", byMail.Ticket.Requester.Email, "the agent is not a requester")
	comments, err := d.Tickets().Comments(ctx, tk.ID)
	require.NoError(t, err)
	last := comments[len(comments)-1]
	assert.Equal(t, ticket.ActorAgent, last.Author.Kind)
	assert.Equal(t, "ivan", last.Author.ID)
	assert.True(t, last.Public)
	assert.Equal(t, "Cleaning the rollers helps.", last.Body)
	sent = b.server.mail()
	require.Len(t, sent, 3)
	assert.Equal(t, []string{"ann@example.com"}, sent[2].to)
	assert.Equal(t, []string{"c2@example.com"}, sent[2].msg.InReplyTo, "in reply to her latest mail")
	assert.Contains(t, sent[2].msg.Text, "Cleaning the rollers helps.")
	again := receive(t, room, "From: Ivan <ivan@desk.example>\nSubject: Re: ["+tk.Number+"] Printer jams\nMessage-ID: <i1@desk.example>\n\nCleaning the rollers helps.\n")
	assert.Equal(t, supportkit.MailDuplicate, again.Action)

	// waiting for her; the process restarts before the reminder is due
	pending := ticket.StatusPending
	_, err = d.Tickets().Update(ctx, ivan, tk.ID, ticket.Changes{Status: &pending})
	require.NoError(t, err)
	setAt := *b.now
	d, _ = b.start(t)
	d.Tick(ctx)
	assert.Len(t, b.server.mail(), 3, "a restart sends nothing again")
	wake, ok := d.NextWake(ctx, *b.now)
	require.True(t, ok)
	assert.Equal(t, setAt.Add(48*time.Hour), wake, "the reminder is due RemindAfter after the ticket was set pending")

	b.advance(48*time.Hour - time.Minute)
	d.Tick(ctx)
	assert.Len(t, b.server.mail(), 3, "not yet")
	b.advance(time.Minute)
	d.Tick(ctx)
	sent = b.server.mail()
	require.Len(t, sent, 4)
	assert.Equal(t, []string{"ann@example.com"}, sent[3].to)
	assert.Contains(t, sent[3].msg.Subject, "Waiting for your reply")
	assert.Equal(t, "auto-generated", sent[3].msg.Header.Get("Auto-Submitted"))
	assert.Contains(t, sent[3].msg.Text, "for 2 days")
	b.advance(time.Hour)
	d.Tick(ctx)
	d, _ = b.start(t)
	d.Tick(ctx)
	assert.Len(t, b.server.mail(), 4, "the reminder went once, before and after a restart")

	// solved, with the survey link; once across a restart
	_, err = d.Tickets().Assign(ctx, ivan, tk.ID, "ivan")
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, ivan, tk.ID)
	require.NoError(t, err)
	sent = b.server.mail()
	require.Len(t, sent, 5)
	assert.Contains(t, sent[4].msg.Text, "https://desk.example/survey/"+tk.Number)
	d, _ = b.start(t)
	d.Tick(ctx)
	assert.Len(t, b.server.mail(), 5)
	assert.Empty(t, d.Deliveries())
	b.requireIndexed(t, tk.ID.String())
}

func TestMailroomRetriesAFailedSendAndSendsItOnce(t *testing.T) {
	ctx := context.Background()
	b := newSendingDesk(t, supportkit.MailConfig{NoAcknowledgement: true})
	d, room := b.start(t)
	res := receive(t, room, "From: ann@example.com\nSubject: VPN\nMessage-ID: <v1@example.com>\n\nDown.\n")
	ivan, err := d.Agent("ivan")
	require.NoError(t, err)
	b.server.SetFail(true)
	_, err = d.Tickets().Comment(ctx, ivan, res.Ticket.ID, ticket.NewComment{Public: true, Body: "Restart the client."})
	require.NoError(t, err)
	require.Len(t, d.Deliveries(), 1)
	pending := d.Deliveries()[0]
	assert.Equal(t, "Mailroom", pending.Hook)
	assert.True(t, strings.HasPrefix(pending.Key, "mail/reply/"), pending.Key)
	var smtpErr *email.SMTPError
	assert.True(t, errors.As(pending.Err, &smtpErr), "the server's refusal: %v", pending.Err)
	assert.Empty(t, b.server.mail())

	b.server.SetFail(false)
	b.advance(time.Minute)
	d.Tick(ctx)
	require.Len(t, b.server.mail(), 1)
	assert.Contains(t, b.server.mail()[0].msg.Text, "Restart the client.")
	b.advance(time.Hour)
	d.Tick(ctx)
	d, _ = b.start(t)
	d.Tick(ctx)
	assert.Len(t, b.server.mail(), 1)
}

func TestMailroomRefusesAgentMailItMayNotFile(t *testing.T) {
	ctx := context.Background()
	b := newSendingDesk(t, supportkit.MailConfig{})
	// ivan works in the hardware group only; petr sees everything
	b.desk.Tickets.Authorizer = ticket.Policy{Principal: func(_ context.Context, a ticket.Actor) (ticket.Principal, error) {
		if a.ID == "ivan" {
			return ticket.Principal{Role: ticket.RoleAgent, Groups: []string{"hardware"}}, nil
		}
		if a.Kind == ticket.ActorCustomer {
			return ticket.Principal{Role: ticket.RoleCustomer}, nil
		}
		return ticket.Principal{Role: ticket.RoleAdmin}, nil
	}}
	d, room := b.start(t)
	res := receive(t, room, "From: ann@example.com\nSubject: Salary\nMessage-ID: <s1@example.com>\n\nWhere is my salary?\n")
	require.Equal(t, supportkit.MailCreated, res.Action)
	before := len(b.server.mail())

	refused := receive(t, room, "From: ivan@desk.example\nSubject: Re: ["+res.Ticket.Number+"] Salary\nMessage-ID: <i9@desk.example>\n\nIt is paid.\n")
	assert.Equal(t, supportkit.MailRefused, refused.Action)
	assert.ErrorIs(t, refused.Refusal, ticket.ErrNotFound, "ivan may not read the ticket: it is missing to him")

	lost := receive(t, room, "From: petr@desk.example\nSubject: Hello\nMessage-ID: <p9@desk.example>\n\nAnyone?\n")
	assert.Equal(t, supportkit.MailRefused, lost.Action, "an agent's mail never opens a ticket")
	assert.ErrorIs(t, lost.Refusal, ticket.ErrNotFound)

	petr, err := d.Agent("petr")
	require.NoError(t, err)
	_, err = d.Tickets().Assign(ctx, petr, res.Ticket.ID, "petr")
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, petr, res.Ticket.ID)
	require.NoError(t, err)
	_, err = d.Tickets().Close(ctx, petr, res.Ticket.ID)
	require.NoError(t, err)
	closed := receive(t, room, "From: petr@desk.example\nSubject: Re: ["+res.Ticket.Number+"] Salary\nMessage-ID: <p10@desk.example>\n\nOne more thing.\n")
	assert.Equal(t, supportkit.MailRefused, closed.Action)
	assert.ErrorIs(t, closed.Refusal, ticket.ErrClosed)

	tk, err := d.Tickets().Get(ctx, res.Ticket.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, tk.CommentCount, "nothing refused was filed")
	assert.Len(t, b.server.mail(), before+1, "only the solved notice went out")
	page, err := d.Tickets().List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1)
}

func TestMailroomPendingTicketIsRemindedThenSolved(t *testing.T) {
	ctx := context.Background()
	b := newSendingDesk(t, supportkit.MailConfig{RemindAfter: 24 * time.Hour, SolveAfter: 72 * time.Hour, NoAcknowledgement: true})
	d, room := b.start(t)
	petr, err := d.Agent("petr")
	require.NoError(t, err)
	pending := ticket.StatusPending
	setPending := func(id ticket.Ticket) {
		_, err := d.Tickets().Update(ctx, petr, id.ID, ticket.Changes{Status: &pending})
		require.NoError(t, err)
	}
	quiet := receive(t, room, "From: ann@example.com\nSubject: Quiet\nMessage-ID: <q1@example.com>\n\nHelp.\n").Ticket
	talks := receive(t, room, "From: bob@example.com\nSubject: Talks\nMessage-ID: <t1@example.com>\n\nHelp.\n").Ticket
	setPending(quiet)
	setPending(talks)
	b.advance(12 * time.Hour)
	back := receive(t, room, "From: bob@example.com\nSubject: Re: ["+talks.Number+"] Talks\nMessage-ID: <t2@example.com>\n\nHere are the logs.\n")
	require.Equal(t, ticket.StatusOpen, back.Ticket.Status, "his answer reopens it")

	b.advance(12 * time.Hour)
	d.Tick(ctx)
	sent := b.server.mail()
	require.Len(t, sent, 1, "only the ticket still waiting is reminded")
	assert.Equal(t, []string{"ann@example.com"}, sent[0].to)

	b.advance(48*time.Hour - time.Second)
	d.Tick(ctx)
	tk, err := d.Tickets().Get(ctx, quiet.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusPending, tk.Status)
	b.advance(time.Second)
	d, _ = b.start(t) // a restart on the due instant finds the due time in the log
	d.Tick(ctx)
	tk, err = d.Tickets().Get(ctx, quiet.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusSolved, tk.Status)
	sent = b.server.mail()
	require.Len(t, sent, 2, "solved by itself, and the customer told")
	assert.Contains(t, sent[1].msg.Subject, "Solved")
	events, err := d.Tickets().Events(ctx, quiet.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.ActorSystem, events[len(events)-1].Actor.Kind)
	b.advance(time.Hour)
	d.Tick(ctx)
	assert.Len(t, b.server.mail(), 2)
}

func TestMailroomMailsTheTeam(t *testing.T) {
	ctx := context.Background()
	b := newSendingDesk(t, supportkit.MailConfig{NoAcknowledgement: true, Team: []email.Address{{Address: "duty@desk.example"}},
		Send: []email.NoticeKind{email.NoticeAssigned, email.NoticeBreachWarning}})
	b.desk.Policies = calendarPolicies(t)
	d, room := b.start(t)
	petr, err := d.Agent("petr")
	require.NoError(t, err)
	assigned := receive(t, room, "From: ann@example.com\nSubject: Disk full\nMessage-ID: <d1@example.com>\n\nNo space left.\n").Ticket
	orphan := receive(t, room, "From: bob@example.com\nSubject: Mouse\nMessage-ID: <m1@example.com>\n\nBroken.\n").Ticket
	_, err = d.Tickets().Assign(ctx, petr, assigned.ID, "ivan")
	require.NoError(t, err)
	sent := b.server.mail()
	require.Len(t, sent, 1)
	assert.Equal(t, []string{"ivan@desk.example"}, sent[0].to)
	assert.Contains(t, sent[0].msg.Subject, "Assigned to you")
	assert.Contains(t, sent[0].msg.Text, "Ivan Petrov")

	b.advance(31 * time.Minute) // past the 50% warning of the one-hour first response
	require.NoError(t, d.CheckClocks(ctx, *b.now))
	d.Tick(ctx)
	sent = b.server.mail()
	require.Len(t, sent, 3, "one warning per ticket")
	to := map[string]string{}
	for _, r := range sent[1:] {
		to[r.to[0]] = r.msg.Subject
		assert.Equal(t, "auto-generated", r.msg.Header.Get("Auto-Submitted"))
	}
	assert.Contains(t, to["ivan@desk.example"], assigned.Number, "to the assignee")
	assert.Contains(t, to["duty@desk.example"], orphan.Number, "to the team when nobody has it")
	d, _ = b.start(t)
	d.Tick(ctx)
	assert.Len(t, b.server.mail(), 3)
}

func TestMailroomNeverMailsItselfOrFloods(t *testing.T) {
	ctx := context.Background()
	b := newSendingDesk(t, supportkit.MailConfig{Guard: email.GuardConfig{MaxPerWindow: 1}})
	d, _ := b.start(t)
	petr, err := d.Agent("petr")
	require.NoError(t, err)
	var ids []ticket.Ticket
	for _, from := range []string{"support@desk.example", "loop@example.com", "loop@example.com", "noreply@example.com"} {
		tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Note", Description: "x", Requester: ticket.Requester{Email: from}})
		require.NoError(t, err)
		ids = append(ids, tk)
	}
	for _, tk := range ids {
		_, err := d.Tickets().Assign(ctx, petr, tk.ID, "petr")
		require.NoError(t, err)
		_, err = d.Tickets().Solve(ctx, petr, tk.ID)
		require.NoError(t, err)
	}
	sent := b.server.mail()
	require.Len(t, sent, 1, "not to the desk itself, once to loop@ within the hour, never to a robot")
	assert.Equal(t, []string{"loop@example.com"}, sent[0].to)
	assert.Empty(t, d.Deliveries(), "a refused notice is done, not retried")
}

func TestNewMailroomRefusesBadSendConfig(t *testing.T) {
	d, err := supportkit.New(supportkit.Config{})
	require.NoError(t, err)
	addr := []email.Address{{Address: "support@desk.example"}}
	sender := &email.SMTPSender{Addr: "127.0.0.1:1"}
	for name, cfg := range map[string]supportkit.MailConfig{
		"acknowledgement": {Addresses: addr, Sender: sender, Send: []email.NoticeKind{email.NoticeAcknowledgement}},
		"unknown kind":    {Addresses: addr, Sender: sender, Send: []email.NoticeKind{"fax"}},
		"no sender":       {Addresses: addr, Send: []email.NoticeKind{email.NoticeReply}},
		"negative":        {Addresses: addr, Sender: sender, Send: []email.NoticeKind{email.NoticeReminder}, RemindAfter: -time.Hour},
	} {
		_, err := supportkit.NewMailroom(d, cfg)
		assert.ErrorIs(t, err, email.ErrInvalid, name)
	}
	_, err = supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: addr, Sender: sender, Send: []email.NoticeKind{email.NoticeReply}})
	require.NoError(t, err)
	_, err = supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: addr, Sender: sender, Send: []email.NoticeKind{email.NoticeSolved}})
	assert.ErrorIs(t, err, email.ErrInvalid, "one sending Mailroom per Desk")
	_, err = supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: addr})
	assert.NoError(t, err, "more Mailrooms that only file")
}

// Regression: two processes that got the same message both acknowledged it, since each
// found the ticket made by its own delivery.
func TestMailroomTwoDesksAcknowledgeOnce(t *testing.T) {
	store := &gateIndex{MemoryStore: ticket.NewMemoryStore(), both: make(chan struct{})}
	ledger := supportkit.NewMemoryLedger()
	out := &outbox{}
	var rooms []*supportkit.Mailroom
	for range 2 {
		d, err := supportkit.New(supportkit.Config{Store: store, Ledger: ledger})
		require.NoError(t, err)
		room, err := supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: []email.Address{{Address: "support@desk.example"}}, Sender: out})
		require.NoError(t, err)
		rooms = append(rooms, room)
	}
	results := make(chan supportkit.MailResult, 2)
	for _, room := range rooms {
		go func() {
			res, err := room.Receive(context.Background(), strings.NewReader(strings.ReplaceAll(outlookRussian("twice@buh.example"), "\n", "\r\n")))
			assert.NoError(t, err)
			results <- res
		}()
	}
	a, b := <-results, <-results
	assert.Equal(t, a.Ticket.ID, b.Ticket.ID, "one ticket")
	assert.Equal(t, 1, out.count(), "one acknowledgement")
	assert.Equal(t, 1, len(a.Notices)+len(b.Notices), "reported by the Desk that sent it")
}

// gateIndex is a MemoryStore whose first two Message-ID lookups wait for each other, so
// that two deliveries of one message both look before either files it.
type gateIndex struct {
	*ticket.MemoryStore
	mu    sync.Mutex
	calls int
	both  chan struct{}
}

func (s *gateIndex) TicketByMessageID(ctx context.Context, tenant, id string) (ticket.Ticket, error) {
	s.mu.Lock()
	s.calls++
	if s.calls == 2 {
		close(s.both)
	}
	s.mu.Unlock()
	select {
	case <-s.both:
	case <-time.After(time.Second):
	}
	return s.MemoryStore.TicketByMessageID(ctx, tenant, id)
}

func TestMailroomDoesNotRemindOfHistory(t *testing.T) {
	ctx := context.Background()
	b := newSendingDesk(t, supportkit.MailConfig{RemindAfter: 24 * time.Hour, NoAcknowledgement: true})
	b.desk.CatchUp = 6 * time.Hour
	d, room := b.start(t)
	petr, err := d.Agent("petr")
	require.NoError(t, err)
	pending := ticket.StatusPending
	for _, from := range []string{"old@example.com", "recent@example.com"} {
		tk := receive(t, room, "From: "+from+"\nSubject: Help\nMessage-ID: <"+from+">\n\nHelp.\n").Ticket
		_, err = d.Tickets().Update(ctx, petr, tk.ID, ticket.Changes{Status: &pending})
		require.NoError(t, err)
		b.advance(2 * time.Hour)
	}
	// the desk was down: the first reminder fell due 7 hours ago, the second 5 hours ago
	b.advance(24*time.Hour + 5*time.Hour - 2*time.Hour)
	d, _ = b.start(t)
	d.Tick(ctx)
	sent := b.server.mail()
	require.Len(t, sent, 1, "only the reminder due within CatchUp")
	assert.Equal(t, []string{"recent@example.com"}, sent[0].to)
}
