// Command quickstart shows supportkit on the in-memory stores: one support ticket's whole life,
// from the customer's email (the sender found in the customer directory) through knowledge-base suggestions, routing, escalation and SLA
// clocks to the audit log and the team's scorecard, with a fixed clock so the output is the
// same on every run.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/simclock"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run tells the story section by section; each section is one function of demo. The desk
// drives itself (Desk.Run) on a simulated clock: the story moves the clock, and the desk
// checks SLA clocks and offers tickets to agents at the instants it asked for.
func run(w io.Writer) error {
	d, err := newDemo(w)
	if err != nil {
		return err
	}
	ctx, stop := context.WithCancel(d.ctx)
	defer stop()
	d.clock.Add(1)
	go func() { _ = d.desk.Run(ctx) }()
	sections := []struct {
		title string
		run   func() error
	}{
		{"An email arrives", d.emailArrives},
		{"Articles that may answer it", d.suggestions},
		{"Routing offers it to an agent", d.routeToAgent},
		{"The agent leaves an internal note", d.internalNote},
		{"The agent replies to the customer", d.publicReply},
		{"The customer replies by email", d.customerReplies},
		{"Escalation to line 2", d.escalate},
		{"Solved", d.solve},
		{"The customer rates the support", d.rate},
		{"The SLA clocks", d.clocks},
		{"What the customer sees", d.customerView},
		{"The customer's history", d.history},
		{"The audit log", d.auditLog},
		{"The team's scorecard", d.scorecard},
	}
	fmt.Fprintf(w, "All times are London office time (%s), the zone of the SLA calendar.\n", d.clock.Now().Format("MST, UTC-07:00"))
	for i, s := range sections {
		fmt.Fprintf(w, "\n== %d. %s ==\n", i+1, s.title)
		if err := s.run(); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
		d.clock.Settle()
	}
	return nil
}

// demo holds the desk and the ticket the story follows.
type demo struct {
	w      io.Writer
	ctx    context.Context
	clock  *clock
	desk   *supportkit.Desk
	offers inbox // the offers Run made, waiting for the agent's answer
	svc    *ticket.Service
	people *party.Service // the customer directory
	id     uuid.UUID
	office *sla.Calendar // the office hours the SLA clocks and the scorecard count

	customer ticket.Requester
	agent    ticket.Actor
}

func newDemo(w io.Writer) (*demo, error) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, err
	}
	c := &clock{Clock: simclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, london))} // a Monday
	office, err := sla.NewCalendar(sla.CalendarConfig{
		Zone: london.String(),
		Week: sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 18, 0)),
	})
	if err != nil {
		return nil, err
	}
	policies, err := slaPolicies(office)
	if err != nil {
		return nil, err
	}
	d := &demo{w: w, ctx: context.Background(), clock: c, office: office}
	if err := d.addCustomer(); err != nil {
		return nil, err
	}
	d.desk, err = supportkit.New(supportkit.Config{
		Now:       c.Now,
		Sleep:     c.Sleep,
		Tickets:   ticket.Config{NewID: c.NewID, Numbers: ticket.PrefixNumbers{Prefix: "SUP", First: 1042}},
		Policies:  policies,
		Routing:   &routing.Config{},
		Task:      routingTask,
		Directory: d.people,
		Knowledge: &kb.Config{SuggestLimit: 3},
		Hooks: supportkit.Hooks{
			OnBreachWarning: func(_ context.Context, t ticket.Ticket, c sla.ClockResult, _ sla.WarningHit) error {
				d.printf("SLA warning on %s: the %s clock has used %s of its %s", t.Number, c.Metric, short(c.Elapsed), short(c.Target))
				return nil
			},
			OnBreach: func(_ context.Context, t ticket.Ticket, c sla.ClockResult) error {
				d.printf("SLA breach on %s: the %s clock passed its deadline of %s", t.Number, c.Metric, d.hhmm(c.Deadline))
				return nil
			},
			OnOffered: d.offers.add,
		},
	})
	if err != nil {
		return nil, err
	}
	d.svc = d.desk.Tickets()
	if err := d.addAgents(); err != nil {
		return nil, err
	}
	return d, d.addArticles()
}

// addCustomer writes the host's customer Ann Lee, of Example Corp, to the customer directory
// the Desk resolves senders with; every ticket of hers carries her customer ID.
func (d *demo) addCustomer() error {
	var err error
	d.people, err = party.NewService(nil, party.Config{Now: d.clock.Now, NewID: d.clock.NewID})
	if err != nil {
		return err
	}
	_, err = d.people.CreateOrganization(d.ctx, party.NewOrganization{Name: "Example Corp", Domains: []string{"example.com"}})
	if err != nil {
		return err
	}
	ann, _, err := d.people.CreateCustomer(d.ctx, party.NewCustomer{
		Name: "Ann Lee", Emails: []string{"ann@example.com"}, Language: language.English,
		TimeZone: "Europe/London", ExternalIDs: map[string]string{supportkit.HostSystem: "cust-17"},
	})
	d.customer = ticket.Requester{ID: ann.ID.String(), Name: ann.Name, Email: ann.Email(), Language: ann.Language}
	return err
}

// slaPolicies promise, in the office hours (in London, Monday to Friday 09:00-18:00 with a
// lunch hour), a first reply within 15 minutes and resolution within 8 working hours; the
// team is warned at 75% of each.
func slaPolicies(office *sla.Calendar) (*sla.Policies, error) {
	warn := []sla.Warning{{Percent: 75}}
	return sla.NewPolicies(sla.Policy{
		Name:     "Office hours",
		Calendar: office,
		Targets: map[string]sla.Targets{"": {
			FirstResponse: &sla.Target{Within: 15 * time.Minute, BusinessHours: true, Warnings: warn},
			NextResponse:  &sla.Target{Within: time.Hour, BusinessHours: true, Warnings: warn},
			Resolution:    &sla.Target{Within: 8 * time.Hour, BusinessHours: true, Warnings: warn},
		}},
	})
}

// addAgents declares three agents, once, to the Desk's router: two on line 1 of the
// service desk and a hardware technician on line 2. The Desk gives each one's ticket actor.
func (d *demo) addAgents() error {
	agents := []routing.Agent{
		{ID: "agent-3", Name: "Alex Kim", Line: 1, Teams: []string{"service-desk"},
			Skills: map[string]int{"printers": 3}, Languages: []language.Tag{language.English}},
		{ID: "agent-5", Name: "Maria Orlova", Line: 1, Teams: []string{"service-desk"},
			Skills: map[string]int{"accounts": 4}, Languages: []language.Tag{language.Russian, language.English}},
		{ID: "tech-9", Name: "Sam Ortiz", Line: 2, Teams: []string{"hardware"},
			Skills: map[string]int{"printers": 5}, Languages: []language.Tag{language.English}},
	}
	for _, a := range agents {
		a.Capacity = map[routing.Channel]int{routing.ChannelEmail: 10, routing.ChannelChat: 3}
		if _, err := d.desk.AddAgent(a); err != nil {
			return err
		}
	}
	var err error
	d.agent, err = d.desk.Agent("agent-3")
	return err
}

// routingTask asks for the printers skill when a ticket is tagged "printer".
func routingTask(t ticket.Ticket) (routing.Task, bool) {
	task, ok := supportkit.DefaultTask(t)
	if t.HasTag("printer") {
		task.Required = []routing.SkillReq{{Skill: "printers", Level: 2}}
	}
	return task, ok
}

// addArticles writes a few articles to the Desk's knowledge base: public ones for
// customers and an internal one for agents.
func (d *demo) addArticles() error {
	articles := []struct {
		slug, title, body string
		vis               kb.Visibility
	}{
		{"printer-paper-jam", "Printer jams: clearing a paper jam",
			"Open the front cover, remove the jammed paper and close the cover. If the printer jams on every page, check the paper size and the rollers.", kb.Public},
		{"printer-error-codes", "Printer error codes E-100 to E-299",
			"E-203 means a fuser fault: stop using the printer and ask for a technician. E-110 means the toner is low.", kb.Internal},
		{"vpn-setup", "Connecting to the office VPN",
			"Install the VPN client, sign in with your work account and choose the nearest gateway.", kb.Public},
		{"password-reset", "Resetting your password",
			"On the sign-in screen, choose Forgot password and follow the link we email you.", kb.Public},
	}
	for _, a := range articles {
		err := d.desk.KB().Create(d.ctx, &kb.Article{
			Slug: a.slug, Visibility: a.vis, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: a.title, Body: a.body}},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *demo) emailArrives() error {
	t, err := d.desk.Receive(d.ctx, ticket.Inbound{
		Key:     "<CAF1042@mail.example.com>",
		From:    ticket.Requester{Name: "Ann Lee", Email: "Ann@Example.com"},
		Subject: "Printer on floor 3 jams",
		Body:    "The printer on floor 3 jams on every page since this morning.",
		// The host's mail rules triage the email as it is received, in the same write.
		Type: ticket.TypeIncident, Urgency: ticket.LevelHigh, Group: "service-desk", Tags: []string{"Printer", "floor-3"},
	})
	if err != nil {
		return err
	}
	d.id = t.ID
	d.printf("%s %q from %s <%s>", t.Number, t.Subject, t.Requester.Name, t.Requester.Email)
	if err := d.explainCustomer(t); err != nil {
		return err
	}
	d.printf("triaged: %s, impact %s × urgency %s → priority %s, group %s, line %d, tags %v",
		t.Type, t.Impact, t.Urgency, t.Priority, t.Group, t.Line, t.Tags)
	return nil
}

// explainCustomer says which directory customer the sender was filed under.
func (d *demo) explainCustomer(t ticket.Ticket) error {
	id, err := uuid.Parse(t.Requester.ID)
	if err != nil {
		return err
	}
	c, err := d.people.Customer(d.ctx, party.DefaultTenant, id)
	if err != nil {
		return err
	}
	org, err := d.people.Organization(d.ctx, party.DefaultTenant, c.Organization)
	if err != nil {
		return err
	}
	d.printf("the sender is the directory's customer %s (host ID %s) of %s, found by the address %s",
		c.Name, c.ExternalIDs[supportkit.HostSystem], org.Name, c.Email())
	return nil
}

func (d *demo) internalNote() error {
	d.clock.Advance(3 * time.Minute)
	return d.comment(d.agent, false, "Same model jammed last month; the fuser was replaced then.")
}

func (d *demo) publicReply() error {
	d.clock.Advance(3 * time.Minute)
	if err := d.comment(d.agent, true, "Hello Ann, could you send a photo of the error on the display?"); err != nil {
		return err
	}
	t, err := d.svc.Update(d.ctx, d.agent, d.id, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})
	if err != nil {
		return err
	}
	d.printf("status %s (%s): waiting on the customer", t.Status, t.Status.Category())
	return nil
}

func (d *demo) customerReplies() error {
	d.clock.Advance(40 * time.Minute)
	t, err := d.svc.Get(d.ctx, d.id)
	if err != nil {
		return err
	}
	subject := "Re: [" + t.Number + "] Printer on floor 3 jams"
	t, err = d.desk.Receive(d.ctx, ticket.Inbound{
		Key: "<CAF1043@mail.example.com>", From: d.customer, Subject: subject,
		Body:        "Photo attached. It says E-203.",
		Attachments: []ticket.Attachment{{Name: "display.jpg", Size: 183_204, ContentType: "image/jpeg", URL: "https://files.example.com/a/91"}},
	})
	if err != nil {
		return err
	}
	d.printf("%q threads onto %s; the reply reopens it: status %s", subject, t.Number, t.Status)
	return nil
}

func (d *demo) escalate() error {
	d.clock.Advance(10 * time.Minute)
	t, err := d.svc.Escalate(d.ctx, d.agent, d.id, ticket.Escalation{
		Line: 2, Group: "hardware", Reason: "E-203 is a fuser fault: needs a technician",
	})
	if err != nil {
		return err
	}
	d.printf("line %d, group %s: the ticket waits for a line-2 technician", t.Line, t.Group)
	d.clock.Settle()
	return d.answerOffers()
}

func (d *demo) solve() error {
	d.clock.Advance(2 * time.Hour)
	tech, err := d.desk.Agent("tech-9")
	if err != nil {
		return err
	}
	if err := d.comment(tech, true, "The fuser is replaced and the printer works again."); err != nil {
		return err
	}
	t, err := d.svc.Solve(d.ctx, tech, d.id)
	if err != nil {
		return err
	}
	d.printf("status %s, %s after the email arrived", t.Status, short(t.SolvedAt.Sub(t.CreatedAt)))
	return nil
}

func (d *demo) rate() error {
	d.clock.Advance(30 * time.Minute)
	ann := ticket.Actor{Kind: ticket.ActorCustomer, ID: d.customer.ID, Name: d.customer.Name}
	t, err := d.svc.Rate(d.ctx, ann, d.id, ticket.Rating{CSAT: 5, CES: 2, Comment: "Quick and friendly."})
	if err != nil {
		return err
	}
	d.printf("CSAT %d of 5 (5 is best): %q", t.Satisfaction.CSAT, t.Satisfaction.Comment)
	d.printf("CES %d of 7 on \"how much effort did it take you?\" (1, very little, is best)", t.Satisfaction.CES)
	return nil
}

func (d *demo) customerView() error {
	v, err := d.svc.CustomerView(d.ctx, d.id)
	if err != nil {
		return err
	}
	d.printf("%s %q, status %q, %d messages (internal notes are not part of the view):", v.Number, v.Subject, v.Status, len(v.Comments))
	for _, c := range v.Comments {
		body := c.Body
		for _, a := range c.Attachments {
			body += " [" + a.Name + "]"
		}
		fmt.Fprintf(d.w, "         %s  %-10s %s\n", d.hhmm(c.CreatedAt), c.AuthorName+":", body)
	}
	return nil
}

// history lists every ticket of the customer, open ones first, in one call.
func (d *demo) history() error {
	id, err := uuid.Parse(d.customer.ID)
	if err != nil {
		return err
	}
	tickets, err := d.desk.History(d.ctx, id)
	if err != nil {
		return err
	}
	noun := "tickets"
	if len(tickets) == 1 {
		noun = "ticket"
	}
	d.printf("%s has %d %s at the desk, open ones first:", d.customer.Name, len(tickets), noun)
	for _, t := range tickets {
		fmt.Fprintf(d.w, "         %s  %-7s %q, opened %s\n", t.Number, t.Status, t.Subject, d.hhmm(t.CreatedAt))
	}
	return nil
}

func (d *demo) auditLog() error {
	events, err := d.svc.Events(d.ctx, d.id)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(d.w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\ttime\tactor\tevent")
	for _, e := range events {
		fmt.Fprintf(tw, "%d\t%s\t%s (%s)\t%s\n", e.Seq, d.hhmm(e.At), e.Actor.Name, e.Actor.Kind, describe(e))
	}
	return tw.Flush()
}

// describe renders one audit event in a line.
func describe(e ticket.Event) string {
	switch e.Kind {
	case ticket.EventCreated:
		return fmt.Sprintf("created via %s: status %s, priority %s, line %d", e.Channel, e.ToStatus, e.ToPriority, e.ToLine)
	case ticket.EventStatusChanged, ticket.EventReopened:
		return fmt.Sprintf("%s: %s → %s", e.Kind, e.FromStatus, e.ToStatus)
	case ticket.EventPriorityChanged:
		return fmt.Sprintf("priority: %s → %s", e.FromPriority, e.ToPriority)
	case ticket.EventAssigneeChanged:
		return fmt.Sprintf("assignee: %s → %s", orNone(e.FromAssignee), e.ToAssignee)
	case ticket.EventGroupChanged:
		return fmt.Sprintf("group: %s → %s", orNone(e.FromGroup), e.ToGroup)
	case ticket.EventEscalated:
		return fmt.Sprintf("escalated: line %d → %d, group %s → %s (%s)", e.FromLine, e.ToLine, e.FromGroup, e.ToGroup, e.Reason)
	case ticket.EventTagsChanged:
		var parts []string
		for _, t := range e.TagsAdded {
			parts = append(parts, "+"+t)
		}
		for _, t := range e.TagsRemoved {
			parts = append(parts, "-"+t)
		}
		return "tags: " + strings.Join(parts, " ")
	case ticket.EventFieldChanged:
		return fmt.Sprintf("%s: %s → %s", e.Field, orNone(e.FromValue), e.ToValue)
	case ticket.EventCommented:
		if e.Public {
			return "public reply"
		}
		return "internal note"
	case ticket.EventRated:
		return fmt.Sprintf("rated: CSAT %d, CES %d", e.CSAT, e.CES)
	}
	return string(e.Kind)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (d *demo) suggestions() error {
	for _, aud := range []kb.Audience{kb.Customer, kb.Agent} {
		s, err := d.desk.Suggest(d.ctx, d.id, aud)
		if err != nil {
			return err
		}
		var titles []string
		for _, h := range s.Hits {
			titles = append(titles, fmt.Sprintf("%q", h.Title))
		}
		who := map[kb.Audience]string{kb.Customer: "to the customer", kb.Agent: "to agents"}[aud]
		d.printf("%s: %s", who, strings.Join(titles, ", "))
	}
	return nil
}

func (d *demo) routeToAgent() error {
	return d.answerOffers()
}

// answerOffers shows why each offer Run made went to its agent, and accepts it for them.
func (d *demo) answerOffers() error {
	for _, o := range d.offers.take() {
		if err := d.explainOffer(o); err != nil {
			return err
		}
		t, err := d.desk.Accept(d.ctx, o)
		if err != nil {
			return err
		}
		d.printf("accepted: assigned to %s, status %s", t.Assignee, t.Status)
	}
	return nil
}

// explainOffer says in plain words who was offered the ticket and why.
func (d *demo) explainOffer(o routing.Offer) error {
	info, err := d.desk.Router().Task(o.TaskID)
	if err != nil {
		return err
	}
	a, err := d.desk.Router().Agent(o.AgentID)
	if err != nil {
		return err
	}
	task := info.Task
	needs := []string{fmt.Sprintf("works line %d", task.Line)}
	if len(task.Teams) > 0 {
		needs = append(needs, "is in the "+strings.Join(task.Teams, " or ")+" team")
	}
	for _, q := range task.Required {
		needs = append(needs, fmt.Sprintf("knows %s (level %d or more)", q.Skill, q.Level))
	}
	if task.Language != language.Und {
		needs = append(needs, "speaks "+display.English.Languages().Name(task.Language))
	}
	who := "the only available agent who"
	if info.Candidates > 1 {
		who = fmt.Sprintf("of the %d available agents who", info.Candidates)
	}
	last := len(needs) - 1
	if last > 0 {
		needs[last] = "and " + needs[last]
	}
	d.printf("offered to %s, %s %s", a.Name, who, strings.Join(needs, ", "))
	if info.Candidates > 1 {
		d.printf("%s was chosen as the one who had waited longest for work", a.Name)
	}
	d.printf("the offer lapses at %s unless %s accepts it", o.ExpiresAt.In(d.clock.Now().Location()).Format("15:04:05"), a.Name)
	return nil
}

// inbox holds the offers Run made (Hooks.OnOffered): a host shows them to the agents, who
// answer with Desk.Accept or Desk.Decline.
type inbox struct {
	mu     sync.Mutex
	offers []routing.Offer
}

func (b *inbox) add(_ context.Context, o routing.Offer, _ ticket.Ticket) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.offers = append(b.offers, o)
	return nil
}

func (b *inbox) take() []routing.Offer {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.offers
	b.offers = nil
	return out
}

func (d *demo) clocks() error {
	res, err := d.desk.Clocks(d.ctx, d.id, d.clock.Now())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(d.w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "clock\ttarget\toutcome\tbusiness time counted")
	for _, c := range res.Clocks {
		if !c.Tracked() {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Metric, short(c.Target), c.Outcome, short(c.Elapsed))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	t, err := d.svc.Get(d.ctx, d.id)
	if err != nil {
		return err
	}
	r, _ := d.desk.Metrics().Record(d.id.String())
	wall, counted := t.SolvedAt.Sub(t.CreatedAt), resolution(res)
	var paused time.Duration
	var spans []string
	for _, p := range r.Pending {
		paused += p.End.Sub(p.Start)
		spans = append(spans, d.hhmm(p.Start)+" to "+d.hhmm(p.End))
	}
	fmt.Fprintf(d.w, "Business time counts office hours only, and the clocks pause while the ticket waits on\n"+
		"the customer (pending). The ticket was solved %s after the email arrived; the resolution\n"+
		"clock counts %s of it: it paused for the %s (%s) the ticket waited\non the customer's photo",
		short(wall), short(counted), short(paused), strings.Join(spans, ", "))
	if out := wall - paused - counted; out > 0 {
		fmt.Fprintf(d.w, ", and %s fell outside office hours", short(out))
	}
	fmt.Fprintln(d.w, ".")
	return nil
}

// resolution returns the business time the resolution clock counted.
func resolution(res *sla.Result) time.Duration {
	for _, c := range res.Clocks {
		if c.Metric == sla.Resolution {
			return c.Elapsed
		}
	}
	return 0
}

func (d *demo) scorecard() error {
	rep, err := d.desk.Report(d.ctx, metrics.ReportConfig{Calendar: d.office})
	if err != nil {
		return err
	}
	card, err := metrics.NewScorecard(rep.Total(), metrics.Targets{})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(d.w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KPI\tclock\tvalue\ttarget\tresult")
	for _, l := range card.Lines {
		result := map[bool]string{true: "pass", false: "miss"}[l.Pass]
		if !l.HasData {
			result = "no data"
		}
		value, target := fmt.Sprintf("%.1f%%", 100*l.Rate), fmt.Sprintf(">= %.1f%%", 100*l.MinRate)
		if l.Clock != "" {
			value, target = short(l.Mean), "<= "+short(l.MaxMean)
		}
		if !l.HasData {
			value = "n/a"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.Label, l.Clock.Label(), value, target, result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	r, _ := d.desk.Metrics().Record(d.id.String())
	fmt.Fprintf(d.w, "With one ticket every rate is 0%% or 100%%: first contact resolution misses\n"+
		"the ticket took %d agent replies (a question, then the fix), not one.\n", r.AgentReplies)
	return nil
}

// short prints a duration the one way this program does: "2h56m", "45m", "30s".
func short(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// hhmm prints an instant as the demo's wall-clock time of day.
func (d *demo) hhmm(t time.Time) string {
	return t.In(d.clock.Now().Location()).Format("15:04")
}

func (d *demo) comment(author ticket.Actor, public bool, body string) error {
	if _, err := d.svc.Comment(d.ctx, author, d.id, ticket.NewComment{Public: public, Body: body}); err != nil {
		return err
	}
	kind := "internal note"
	if public {
		kind = "public reply"
	}
	d.printf("%s by %s: %q", kind, author.Name, body)
	return nil
}

// printf writes one line stamped with the demo clock.
func (d *demo) printf(format string, args ...any) {
	fmt.Fprintf(d.w, "  %s  %s\n", d.hhmm(d.clock.Now()), strings.TrimSpace(fmt.Sprintf(format, args...)))
}

// clock is the demo's simulated clock, moved only by Advance, which lets the desk do what
// falls due on the way; NewID makes time-ordered, version 7 UUIDs from it and a counter,
// so every run prints the same.
type clock struct {
	*simclock.Clock
	mu sync.Mutex
	n  uint64
}

// Advance moves the clock d ahead.
func (c *clock) Advance(d time.Duration) { c.Clock.Advance(c.Now().Add(d)) }

func (c *clock) NewID() (uuid.UUID, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	var id uuid.UUID
	ms := uint64(c.Now().UnixMilli())
	binary.BigEndian.PutUint64(id[0:8], ms<<16)
	id[6] = 0x70
	binary.BigEndian.PutUint64(id[8:16], c.n)
	id[8] = 0x80
	return id, nil
}
