// Command helpdesk runs a small IT helpdesk for a day: two teams, five agents who speak
// Russian and English, a Moscow business calendar with a holiday, SLA targets by priority,
// ten knowledge-base articles and twenty tickets from email and chat by the people of two
// client companies. It ends with a report by team, a scorecard and the companies' tickets.
// The clock is simulated, so every run prints the same.
//
//	go run ./examples/helpdesk
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/simclock"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

var (
	ru, en = language.Russian, language.English
	moscow = must(time.LoadLocation("Europe/Moscow"))
)

// agents: line 1 is the service desk, line 2 the infrastructure team.
var agents = []routing.Agent{
	{ID: "ivan", Name: "Ivan Petrov", Line: 1, Teams: []string{"service-desk"}, Languages: []language.Tag{ru},
		Skills: map[string]int{"accounts": 3, "printers": 2}},
	{ID: "anna", Name: "Anna Smirnova", Line: 1, Teams: []string{"service-desk"}, Languages: []language.Tag{ru, en},
		Skills: map[string]int{"vpn": 3, "email": 3}},
	{ID: "john", Name: "John Baker", Line: 1, Teams: []string{"service-desk"}, Languages: []language.Tag{en},
		Skills: map[string]int{"accounts": 3, "printers": 3}},
	{ID: "olga", Name: "Olga Kuznetsova", Line: 2, Teams: []string{"infrastructure"}, Languages: []language.Tag{ru, en},
		Skills: map[string]int{"vpn": 5, "network": 5}},
	{ID: "tom", Name: "Tom Reed", Line: 2, Teams: []string{"infrastructure"}, Languages: []language.Tag{en},
		Skills: map[string]int{"email": 5, "servers": 5}},
}

// articles are the knowledge base: a slug, the visibility, and the text in Russian, English
// or both.
var articles = []struct {
	slug   string
	vis    kb.Visibility
	ru, en [2]string // title, body
}{
	{"vpn-connect", kb.Public, [2]string{"Подключение к VPN", "Установите клиент VPN, войдите с рабочей учётной записью и выберите ближайший шлюз."},
		[2]string{"Connecting to the VPN", "Install the VPN client, sign in with your work account and choose the nearest gateway."}},
	{"vpn-gateway-restart", kb.Internal, [2]string{"Перезапуск шлюза VPN", "Шлюз VPN перезапускает только вторая линия: проверьте сертификаты и журнал шлюза."},
		[2]string{"Restarting the VPN gateway", "Only line 2 restarts the VPN gateway: check the certificates and the gateway log."}},
	{"password-reset", kb.Public, [2]string{"Сброс пароля", "На экране входа нажмите «Забыли пароль» и перейдите по ссылке из письма."},
		[2]string{"Resetting your password", "On the sign-in screen choose Forgot password and follow the link we email you."}},
	{"account-locked", kb.Public, [2]string{"Учётная запись заблокирована", "После пяти неверных паролей учётная запись блокируется на 30 минут."},
		[2]string{"Locked account", "After five wrong passwords the account is locked for 30 minutes."}},
	{"printer-jam", kb.Public, [2]string{"Принтер зажевал бумагу", "Откройте переднюю крышку, извлеките бумагу и закройте крышку."},
		[2]string{"Printer paper jam", "Open the front cover, remove the jammed paper and close the cover."}},
	{"mailbox-full", kb.Public, [2]string{"Почтовый ящик переполнен", "Удалите старые письма или заархивируйте их; квота ящика 50 ГБ."}, [2]string{}},
	{"outlook-setup", kb.Public, [2]string{}, [2]string{"Setting up Outlook", "Add your work account in Outlook; the server is found automatically."}},
	{"mail-server-queue", kb.Internal, [2]string{}, [2]string{"Mail server queue is stuck", "Check the mail queue on the relay and restart the transport service."}},
	{"wifi-office", kb.Public, [2]string{"Wi-Fi в офисе", "Подключитесь к сети Office и войдите с рабочей учётной записью."},
		[2]string{"Office Wi-Fi", "Connect to the Office network and sign in with your work account."}},
	{"network-switch", kb.Internal, [2]string{"Сбой коммутатора на этаже", "Проверьте порт коммутатора и перезагрузите его из консоли."}, [2]string{}},
}

// request is one customer request and what happens to it, in minutes after it arrives.
type request struct {
	at       time.Time
	chat     bool // chat; email otherwise
	name     string
	lang     language.Tag // the requester's language; und when unknown
	urgency  ticket.Level // set by email triage; chats stay medium
	tags     []string
	subject  string
	body     string
	reply    int // the first agent reply; 0 when the solving reply is the only one
	escalate int // escalation to line 2; 0 for none
	solve    int
	csat     int    // 0: the customer does not answer the survey
	org      string // the requester's email domain, one of the organizations' (see organizations)

	id uuid.UUID
}

func at(day, hour, minute int) time.Time {
	return time.Date(2026, time.November, day, hour, minute, 0, 0, moscow)
}

var requests = []request{
	{at: at(3, 17, 30), name: "Pavel Orlov", lang: ru, urgency: ticket.LevelMedium, tags: []string{"email"}, subject: "Переполнен почтовый ящик", body: "Не могу отправить письмо, пишет что ящик переполнен.", reply: 10, solve: 40*60 + 10, csat: 4, org: "northwind.example"},
	{at: at(3, 17, 45), chat: true, name: "Kate Wilson", tags: []string{"accounts"}, subject: "Account locked", body: "My account is locked after I typed a wrong password.", solve: 20, csat: 5, org: "contoso.example"},
	{at: at(5, 8, 40), name: "Sergey Volkov", lang: ru, urgency: ticket.LevelHigh, tags: []string{"vpn"}, subject: "Не подключается VPN", body: "С утра VPN не подключается, ошибка сертификата.", reply: 25, escalate: 40, solve: 150, csat: 5, org: "northwind.example"},
	{at: at(5, 9, 5), chat: true, name: "Mark Evans", tags: []string{"accounts"}, subject: "Password reset", body: "How do I reset my password?", solve: 10, csat: 5, org: "contoso.example"},
	{at: at(5, 9, 12), chat: true, name: "Irina Sokolova", tags: []string{"accounts"}, subject: "Забыла пароль", body: "Как сбросить пароль от почты?", solve: 12, csat: 4, org: "northwind.example"},
	{at: at(5, 9, 30), name: "Lucy Hart", lang: en, urgency: ticket.LevelMedium, tags: []string{"printers"}, subject: "Printer jams", body: "The printer on floor 2 jams on every page.", reply: 20, solve: 60, csat: 4, org: "contoso.example"},
	{at: at(5, 9, 50), name: "Dmitry Lebedev", urgency: ticket.LevelHigh, tags: []string{"email"}, subject: "Письма не доходят", body: "Письма клиентам не доходят с девяти утра, очередь растёт.", reply: 10, escalate: 20, solve: 95, csat: 3, org: "northwind.example"},
	{at: at(5, 10, 15), chat: true, name: "Alexei Morozov", tags: []string{"network"}, subject: "Нет Wi-Fi в переговорной", body: "В переговорной на третьем этаже не работает Wi-Fi.", reply: 6, escalate: 30, solve: 120, csat: 4, org: "contoso.example"},
	{at: at(5, 10, 40), name: "Emma Clark", lang: en, urgency: ticket.LevelLow, tags: []string{"email"}, subject: "Outlook setup on a new laptop", body: "Please help me set up Outlook on my new laptop.", reply: 90, solve: 180, org: "northwind.example"},
	{at: at(5, 11, 0), chat: true, name: "Oliver Scott", tags: []string{"vpn"}, subject: "VPN keeps disconnecting", body: "The VPN drops every ten minutes at home.", reply: 4, solve: 35, csat: 5, org: "contoso.example"},
	{at: at(5, 11, 20), name: "Natalia Fedorova", lang: ru, urgency: ticket.LevelMedium, tags: []string{"printers"}, subject: "Принтер не печатает", body: "Принтер зажевал бумагу и не печатает.", reply: 15, solve: 50, csat: 5, org: "northwind.example"},
	{at: at(5, 12, 10), name: "George Hill", urgency: ticket.LevelHigh, tags: []string{"servers"}, subject: "File server is slow", body: "Opening files on the shared drive takes minutes.", reply: 130, escalate: 140, solve: 240, csat: 2, org: "contoso.example"},
	{at: at(5, 13, 5), chat: true, name: "Yulia Popova", tags: []string{"accounts"}, subject: "Учётная запись заблокирована", body: "Заблокировали учётную запись, что делать?", solve: 15, csat: 5, org: "northwind.example"},
	{at: at(5, 13, 40), name: "Sophie Turner", lang: en, urgency: ticket.LevelMedium, tags: []string{"accounts"}, subject: "New employee account", body: "Please create an account for our new analyst starting Monday.", reply: 30, solve: 120, csat: 4, org: "contoso.example"},
	{at: at(5, 14, 15), chat: true, name: "Andrei Kozlov", tags: []string{"vpn"}, subject: "Как подключиться к VPN", body: "Подскажите, как подключиться к VPN из дома?", solve: 18, csat: 5, org: "northwind.example"},
	{at: at(5, 14, 50), name: "Harry Adams", lang: en, urgency: ticket.LevelMedium, tags: []string{"network"}, subject: "Office Wi-Fi password", body: "What is the Wi-Fi password for guests?", solve: 25, org: "contoso.example"},
	{at: at(5, 15, 30), name: "Elena Novikova", lang: ru, urgency: ticket.LevelHigh, tags: []string{"network"}, subject: "Нет сети на четвёртом этаже", body: "На четвёртом этаже пропала сеть у всех компьютеров.", reply: 8, escalate: 15, solve: 80, csat: 5, org: "northwind.example"},
	{at: at(5, 16, 10), chat: true, name: "Jack Morgan", tags: []string{"email"}, subject: "Mailbox full", body: "Outlook says my mailbox is full.", solve: 14, csat: 4, org: "contoso.example"},
	{at: at(5, 16, 45), name: "Olga Belova", urgency: ticket.LevelLow, tags: []string{"printers"}, subject: "Заказать картридж", body: "Нужен новый картридж для принтера в бухгалтерии.", reply: 45, solve: 200, org: "northwind.example"},
	{at: at(5, 17, 20), chat: true, name: "Ryan Cooper", tags: []string{"accounts"}, subject: "Cannot sign in", body: "I cannot sign in to the portal since this afternoon.", reply: 5, solve: 25, csat: 3, org: "contoso.example"},
}

// organizations are the two client companies the helpdesk serves. Their people write from
// their company domains and join them on their first ticket. Northwind lets colleagues see
// each other's tickets; Contoso keeps each person's tickets to themselves.
var organizations = []party.NewOrganization{
	{Name: "Northwind", Domains: []string{"northwind.example"}, Segment: "business", SharedTickets: true},
	{Name: "Contoso", Domains: []string{"contoso.example"}, Segment: "business"},
}

// office is the Moscow office calendar: weekdays 09:00-18:00 with lunch 13:00-14:00,
// closed on Unity Day.
var office = must(sla.NewCalendar(sla.CalendarConfig{
	Location: moscow,
	Week:     sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 18, 0)),
	Holidays: []sla.Holiday{{Name: "Unity Day", Date: sla.Day(2026, time.November, 4)}},
}))

// policies: by priority, a first response within office hours and a resolution within
// office hours (urgent) or working days of the calendar.
var policies = must(sla.NewPolicies(sla.Policy{Name: "IT helpdesk", Calendar: office, Targets: map[string]sla.Targets{
	string(ticket.PriorityUrgent): {FirstResponse: within(15 * time.Minute), Resolution: within(4 * time.Hour)},
	string(ticket.PriorityHigh):   {FirstResponse: within(time.Hour), Resolution: &sla.Target{WorkingDays: 1}},
	string(ticket.PriorityNormal): {FirstResponse: within(4 * time.Hour), Resolution: &sla.Target{WorkingDays: 2}},
	string(ticket.PriorityLow):    {FirstResponse: within(4 * time.Hour), Resolution: &sla.Target{WorkingDays: 5}},
}}))

// within is a target of d in office hours.
func within(d time.Duration) *sla.Target { return &sla.Target{Within: d, BusinessHours: true} }

// helpdesk is the simulation: the desk, its clock and what it prints.
type helpdesk struct {
	w      io.Writer
	ctx    context.Context
	clock  *simclock.Clock
	people *party.Service // the customer directory: requesters and their organizations
	desk   *supportkit.Desk
	queue  []request          // the requests of the day, with their tickets' IDs once they arrive
	offers chan routing.Offer // made by the desk, accepted after each step
}

func newHelpdesk(w io.Writer) (*helpdesk, error) {
	h := &helpdesk{w: w, ctx: context.Background(), clock: simclock.New(at(3, 17, 0)),
		queue: slices.Clone(requests), offers: make(chan routing.Offer, 64)}
	var err error
	if h.people, err = party.NewService(nil, party.Config{Now: h.clock.Now, CallingCode: "7"}); err != nil {
		return nil, err
	}
	for _, o := range organizations {
		if _, err := h.people.CreateOrganization(h.ctx, o); err != nil {
			return nil, err
		}
	}
	h.desk, err = supportkit.New(supportkit.Config{
		Now: h.clock.Now, Sleep: h.clock.Sleep, Policies: policies, Task: supportkit.TagSkillsTask, Directory: h.people,
		Tickets:   ticket.Config{Numbers: ticket.PrefixNumbers{Prefix: "IT", First: 101}},
		Routing:   &routing.Config{},
		Knowledge: &kb.Config{SuggestLimit: 1},
		Hooks: supportkit.Hooks{
			OnBreach: func(_ context.Context, t ticket.Ticket, c sla.ClockResult) error {
				h.printf("%s: SLA breach, %s over its %s target", t.Number, c.Metric, c.Target)
				return nil
			},
			OnUnservable: func(_ context.Context, t ticket.Ticket, s routing.Stuck) error {
				h.printf("%s: %s", t.Number, s.Text)
				return nil
			},
			OnOffered: func(_ context.Context, o routing.Offer, _ ticket.Ticket) error {
				select {
				case h.offers <- o:
					return nil
				default:
					return errors.New("too many offers unanswered") // the desk retries later
				}
			},
		},
	})
	if err != nil {
		return nil, err
	}
	for _, a := range agents {
		a.Capacity = map[routing.Channel]int{routing.ChannelEmail: 10, routing.ChannelChat: 3}
		if _, err := h.desk.AddAgent(a); err != nil {
			return nil, err
		}
	}
	return h, h.addArticles()
}

// addArticles writes the articles to the desk's knowledge base.
func (h *helpdesk) addArticles() error {
	for _, a := range articles {
		texts := map[language.Tag]kb.Translation{}
		for lang, text := range map[language.Tag][2]string{ru: a.ru, en: a.en} {
			if text[0] != "" {
				texts[lang] = kb.Translation{Title: text[0], Body: text[1]}
			}
		}
		article := &kb.Article{Slug: a.slug, Visibility: a.vis, Status: kb.Published, Translations: texts}
		if err := h.desk.KB().Create(h.ctx, article); err != nil {
			return err
		}
	}
	return nil
}

// run simulates the day and prints the report.
func run(w io.Writer) error {
	h, err := newHelpdesk(w)
	if err != nil {
		return err
	}
	if err := h.simulate(); err != nil {
		return err
	}
	return h.report()
}

// step is one thing that happens to a request at a time of the simulated day.
type step struct {
	at   time.Time
	r    *request
	what string // "arrives", "replies", "escalates to line 2", "solves" or "rates"
}

// simulate starts the desk (Run, on the simulated clock) and plays the steps of every
// request in time order; the desk offers waiting tickets to free agents, who accept at once.
func (h *helpdesk) simulate() error {
	ctx, stop := context.WithCancel(h.ctx)
	defer stop()
	h.clock.Add(1)
	go func() { _ = h.desk.Run(ctx) }()
	var steps []step
	for i := range h.queue {
		r := &h.queue[i]
		for what, m := range map[string]int{"arrives": 0, "replies": r.reply, "escalates to line 2": r.escalate, "solves": r.solve, "rates": r.solve + 30} {
			if what == "arrives" || m > 0 && (what != "rates" || r.csat > 0) {
				steps = append(steps, step{r.at.Add(time.Duration(m) * time.Minute), r, what})
			}
		}
	}
	slices.SortStableFunc(steps, func(a, b step) int { return a.at.Compare(b.at) })
	for _, s := range steps {
		h.clock.Advance(s.at)
		if err := h.do(s); err != nil {
			return err
		}
		h.clock.Settle()
		if err := h.accept(); err != nil {
			return err
		}
	}
	return nil
}

// arrive takes in an email or a chat, triaged as it is received.
func (h *helpdesk) arrive(r *request) error {
	channel := map[bool]ticket.Channel{true: ticket.ChannelChat, false: ticket.ChannelEmail}[r.chat]
	t, err := h.desk.Receive(h.ctx, ticket.Inbound{Key: fmt.Sprint(r.at.Unix()), Channel: channel, Subject: r.subject, Body: r.body,
		From: ticket.Requester{Name: r.name, Email: strings.ToLower(strings.ReplaceAll(r.name, " ", ".")) + "@" + r.org, Language: r.lang},
		Type: map[bool]ticket.Type{false: ticket.TypeIncident}[r.chat], Urgency: r.urgency, Group: "service-desk", Tags: r.tags})
	if err != nil {
		return err
	}
	r.id = t.ID
	guessed := map[bool]string{true: " (guessed)"}[t.LanguageDetected]
	h.printf("%s %s %q, %s%s, priority %s", t.Number, t.Channel, t.Subject, t.Language, guessed, t.Priority)
	s, err := h.desk.Suggest(h.ctx, t.ID, kb.Agent)
	if err != nil || len(s.Hits) == 0 {
		return err
	}
	h.printf("%s: the knowledge base suggests %q (%s)", t.Number, s.Hits[0].Title, s.Hits[0].Visibility)
	return nil
}

// accept has the agents accept the offers the desk made.
func (h *helpdesk) accept() error {
	for len(h.offers) > 0 {
		t, err := h.desk.Accept(h.ctx, <-h.offers)
		if err != nil {
			return err
		}
		agent, err := h.desk.Agent(t.Assignee)
		if err != nil {
			return err
		}
		h.printf("%s: assigned to %s (line %d, %s)", t.Number, agent.Name, t.Line, t.Group)
	}
	return nil
}

// do plays one step: the assigned agent replies, escalates or solves, or the customer rates.
func (h *helpdesk) do(s step) error {
	if s.what == "arrives" {
		return h.arrive(s.r)
	}
	svc := h.desk.Tickets()
	t, err := svc.Get(h.ctx, s.r.id)
	if err != nil {
		return err
	}
	agent, err := h.desk.Agent(t.Assignee)
	if err != nil {
		return err
	}
	who := agent.Name
	switch s.what {
	case "replies":
		_, err = svc.Comment(h.ctx, agent, t.ID, ticket.NewComment{Public: true, Body: "Looking into it."})
	case "escalates to line 2":
		_, err = svc.Escalate(h.ctx, agent, t.ID, ticket.Escalation{Line: 2, Group: "infrastructure", Reason: "needs infrastructure"})
	case "solves":
		if _, err = svc.Comment(h.ctx, agent, t.ID, ticket.NewComment{Public: true, Body: "Fixed, please check."}); err == nil {
			_, err = svc.Solve(h.ctx, agent, t.ID)
		}
	case "rates":
		_, err = svc.Rate(h.ctx, t.Requester.Actor(), t.ID, ticket.Rating{CSAT: s.r.csat})
		who, s.what = t.Requester.Name, fmt.Sprintf("rates it %d of 5", s.r.csat)
	}
	if err == nil {
		h.printf("%s: %s %s", t.Number, who, s.what)
	}
	return err
}

// report prints the KPIs of each team and the scorecard of the desk, in office hours, then
// what each client company's people see of their tickets.
func (h *helpdesk) report() error {
	rep, err := h.desk.Report(h.ctx, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}, Calendar: office})
	if err != nil {
		return err
	}
	fmt.Fprintln(h.w, "\nBy team, in office hours (Moscow, weekdays 09:00-18:00 less lunch, Unity Day closed):")
	if err := rep.WriteTable(h.w); err != nil {
		return err
	}
	fmt.Fprintln(h.w, "\nScorecard of the desk:")
	card, err := metrics.NewScorecard(rep.Total(), metrics.Targets{MinSLA: map[metrics.SLAMetric]float64{
		metrics.SLAFirstResponse: 0.9, metrics.SLAResolution: 0.9}})
	if err != nil {
		return err
	}
	if _, err := card.WriteTo(h.w); err != nil {
		return err
	}
	fmt.Fprintln(h.w, "\nOrganizations:")
	tw := tabwriter.NewWriter(h.w, 0, 0, 2, ' ', 0)
	for _, no := range organizations {
		if err := h.organization(tw, no.Domains[0]); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// organization prints a client company's people and tickets, and how many of them its
// first member sees when signed in to the portal.
func (h *helpdesk) organization(w io.Writer, domain string) error {
	o, err := h.people.Directory().OrganizationByDomain(h.ctx, party.DefaultTenant, domain)
	if err != nil {
		return err
	}
	members, err := h.people.Members(h.ctx, party.DefaultTenant, o.ID)
	if err != nil {
		return err
	}
	tickets, err := h.desk.OrganizationHistory(h.ctx, o.ID)
	if err != nil {
		return err
	}
	seen, err := h.visibleTo(members[0])
	sharing := map[bool]string{true: "members see each other's tickets", false: "each member sees only their own"}[o.SharedTickets]
	fmt.Fprintf(w, "  %s\t%d people, %d tickets; %s\t%s sees %d of them in the portal\n", o.Name, len(members), len(tickets), sharing, members[0].Name, seen)
	return err
}

// visibleTo counts the tickets the customer may read through the desk's ticket policy: a
// page of as many tickets as the day has holds them all.
func (h *helpdesk) visibleTo(c party.Customer) (int, error) {
	reader := h.desk.Tickets().As(ticket.Actor{Kind: ticket.ActorCustomer, ID: c.ID.String()})
	page, err := reader.List(h.ctx, ticket.Query{Limit: len(requests)})
	return len(page.Tickets), err
}

// printf writes one line stamped with the simulated Moscow time.
func (h *helpdesk) printf(format string, args ...any) {
	fmt.Fprintf(h.w, "%s  %s\n", h.clock.Now().Format("Mon 15:04"), fmt.Sprintf(format, args...))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "helpdesk:", err)
		os.Exit(1)
	}
}
