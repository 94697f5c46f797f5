package supportkit

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// mailHook names the Mailroom's deliveries in Desk.Deliveries.
const mailHook = "Mailroom"

// automatic are the kinds MailConfig.Send may list.
var automatic = []email.NoticeKind{email.NoticeReply, email.NoticeSolved, email.NoticeReminder, email.NoticeBreachWarning, email.NoticeAssigned}

// checkSend validates the automatic part of cfg.
func checkSend(d *Desk, cfg MailConfig) error {
	for _, k := range cfg.Send {
		if !slices.Contains(automatic, k) {
			return &email.ValidationError{Field: "MailConfig.Send", Reason: "cannot send " + string(k) + " by itself"}
		}
	}
	switch {
	case cfg.RemindAfter < 0 || cfg.SolveAfter < 0:
		return &email.ValidationError{Field: "MailConfig.RemindAfter", Reason: "negative"}
	case len(cfg.Send) > 0 && cfg.Sender == nil:
		return &email.ValidationError{Field: "MailConfig.Sender", Reason: "Send needs a Sender"}
	case (len(cfg.Send) > 0 || cfg.SolveAfter > 0) && d.mailer.Load() != nil:
		return &email.ValidationError{Field: "MailConfig.Send", Reason: "the Desk has a Mailroom that sends already"}
	}
	return nil
}

// sends reports whether the Mailroom sends kind by itself.
func (r *Mailroom) sends(kind email.NoticeKind) bool {
	return r != nil && slices.Contains(r.cfg.Send, kind)
}

// agentAddress returns the address of the Desk agent id, from MailConfig.Agents.
func (r *Mailroom) agentAddress(id string) (email.Address, bool) {
	addr, ok := r.addresses[id]
	return email.Address{Address: addr}, ok && id != ""
}

// mailEvent finds the notifications ticket event e causes and hands them to the Desk's
// delivery, keyed by the event, so that each is sent once.
func (d *Desk) mailEvent(ctx context.Context, e *ticket.Event, t *ticket.Ticket) {
	if r := d.mailer.Load(); r != nil {
		d.mailEventBy(ctx, r, *e, *t)
	}
}

// mailEventBy is mailEvent with the Desk's Mailroom r; kept apart so that an event
// without a Mailroom is not copied to the heap for the deliveries' closures.
func (d *Desk) mailEventBy(ctx context.Context, r *Mailroom, e ticket.Event, t ticket.Ticket) {
	created := e.Kind == ticket.EventCreated
	if e.Kind == ticket.EventCommented && e.Public && e.AuthorKind == ticket.ActorAgent && r.sends(email.NoticeReply) {
		d.deliverAt(ctx, e.At, eventKey("mail/reply", e), mailHook, t, func(ctx context.Context, t ticket.Ticket) error { return r.sendReply(ctx, t, e) })
	}
	if e.ToStatus == ticket.StatusSolved && (created || e.Kind == ticket.EventStatusChanged) && r.sends(email.NoticeSolved) {
		d.deliverAt(ctx, e.At, eventKey("mail/solved", e), mailHook, t, func(ctx context.Context, t ticket.Ticket) error {
			n := email.Notice{Kind: email.NoticeSolved}
			if r.cfg.SurveyURL != nil {
				n.SurveyURL = r.cfg.SurveyURL(t)
			}
			return r.sendAuto(ctx, t, n, true)
		})
	}
	to, known := r.agentAddress(e.ToAssignee)
	if known && (created || e.Kind == ticket.EventAssigneeChanged) && r.sends(email.NoticeAssigned) {
		d.deliverAt(ctx, e.At, eventKey("mail/assigned", e), mailHook, t, func(ctx context.Context, t ticket.Ticket) error {
			name := e.ToAssignee
			if a, err := d.Agent(e.ToAssignee); err == nil && a.Name != "" {
				name = a.Name
			}
			return r.sendAuto(ctx, t, email.Notice{Kind: email.NoticeAssigned, To: []email.Address{to}, Agent: name}, false)
		})
	}
}

// mailWarningCall returns the delivery of the breach warning mail for warning hit of clock
// c: to the assignee's address, else to MailConfig.Team; nil when nobody would get it.
func (d *Desk) mailWarningCall(ctx context.Context, t ticket.Ticket, c sla.ClockResult, hit sla.WarningHit) func() {
	r := d.mailer.Load()
	if !r.sends(email.NoticeBreachWarning) {
		return nil
	}
	to := r.cfg.Team
	if a, ok := r.agentAddress(t.Assignee); ok {
		to = []email.Address{a}
	}
	if len(to) == 0 {
		return nil
	}
	left := c.Remaining
	if !c.Deadline.IsZero() {
		left = c.Deadline.Sub(hit.At)
	}
	key := fmt.Sprintf("mail/warning/%s/%s/%d/%d", t.ID, metricsSLA(c.Metric), c.Cycles, hit.Index)
	return func() {
		d.deliverAt(ctx, hit.At, key, mailHook, t, func(ctx context.Context, t ticket.Ticket) error {
			n := email.Notice{Kind: email.NoticeBreachWarning, To: to, Left: left}
			if a, err := d.Agent(t.Assignee); err == nil {
				n.Agent = a.Name
			}
			return r.sendAuto(ctx, t, n, false)
		})
	}
}

// sendReply mails the agent's public comment of event e to the requester, in reply to the
// customer's latest message.
func (r *Mailroom) sendReply(ctx context.Context, t ticket.Ticket, e ticket.Event) error {
	comments, err := r.desk.tickets.Comments(ctx, t.ID)
	if err != nil {
		return err
	}
	var n email.Notice
	var refs []string
	for _, c := range comments {
		if c.ID == e.CommentID {
			n = email.Notice{Kind: email.NoticeReply, Agent: c.Author.Name, Body: c.Body}
			break
		}
		if c.Author.Kind == ticket.ActorCustomer && strings.Contains(c.Key, "@") {
			refs = append(refs, c.Key)
		}
	}
	if n.Kind == "" {
		return nil // the comment is gone (erased): nothing to send
	}
	if len(refs) > 0 {
		n.InReplyTo = refs[len(refs)-1]
		n.References = refs[max(0, len(refs)-10):]
	}
	return r.sendAuto(ctx, t, n, false)
}

// sendAuto renders notice n about ticket t as Notify does and sends it, skipping the
// desk's own addresses; guard passes each customer recipient through the Guard first. A
// notice with no recipient left is not sent, and that is no error: the delivery is done.
func (r *Mailroom) sendAuto(ctx context.Context, t ticket.Ticket, n email.Notice, guard bool) error {
	fill(&n, t)
	n.To = slices.DeleteFunc(slices.Clone(n.To), func(a email.Address) bool { return r.guard.IsOwn(a.Address) })
	if guard {
		n.To = slices.DeleteFunc(n.To, func(a email.Address) bool { return r.guard.Allow(a.Address, email.KindPersonal) != nil })
	}
	if len(n.To) == 0 {
		r.desk.cfg.Logger.Debug().Str("notice", string(n.Kind)).Stringer("ticket", t.ID).Msg("mailroom: notification refused by the guard")
		return nil
	}
	out, err := r.renderer.Render(n)
	if err != nil {
		return err
	}
	return r.deliver(ctx, t, out)
}

// fill completes n from ticket t, as Notify describes.
func fill(n *email.Notice, t ticket.Ticket) {
	n.Number, n.Subject = t.Number, t.Subject
	if n.Language.IsRoot() {
		n.Language = t.Language
	}
	if len(n.To) == 0 && t.Requester.Email != "" {
		n.To = []email.Address{{Name: t.Requester.Name, Address: t.Requester.Email}}
		if n.Customer == "" {
			n.Customer = t.Requester.Name
		}
	}
}
