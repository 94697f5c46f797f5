// Package supportkit is an embeddable SDK for building customer and technical support into a
// Go application: tickets, SLA clocks, skill-based routing, knowledge-base search and the
// KPIs of a support team, as libraries a host imports instead of renting a help desk.
//
// The SDK is a set of independent leaf packages; a host imports only those it needs and keeps
// each one's storage behind a small interface with an in-memory default:
//
//   - ticket: requests from every channel, their lifecycle, public replies and internal
//     notes, the audit log, lines of support and escalation, priority from impact and
//     urgency, macros, merge and links.
//   - sla: business calendars (zones, several intervals a day, overnight shifts, holidays)
//     and SLA policies: first response, next response, periodic update and resolution
//     clocks with pauses, warnings and breaches, exact across DST.
//   - routing: skill-based assignment of work to agents, with languages, lines, capacity
//     per channel, presence, queue order by priority and SLA, offers and relaxation.
//   - kb: knowledge-base articles and their search in Russian and English, with stemming,
//     typo tolerance, search-as-you-type, keyboard layout correction and suggestions for a
//     ticket.
//   - metrics: FRT, FCR, AHT, CSAT, NPS, CES, SLA attainment, backlog and more, one-pass
//     reports with mergeable percentiles, scorecards against targets, and staffing with
//     Erlang C and Erlang A.
//   - party: customers and organizations per tenant, found by normalized email, phone or the
//     host's IDs, created idempotently, merged, exported and erased (Config.Directory).
//   - email: raw mail parsed, classified and threaded onto tickets, and localized
//     notifications that thread and never loop (see Mailroom); email/mailserver, a module
//     of its own, receives mail over SMTP or polls a mailbox.
//
// The PostgreSQL module (github.com/supportkit/supportkit/postgres) stores tickets, articles,
// customers, the change feed, the Ledger, the Lease and the Roster in one database.
//
// Every constructor of the module has one shape: NewX(deps, cfg Config) (*X, error), or
// NewX(cfg Config) when X has no dependency. A dependency that keeps data is a Store
// argument, and nil means the package's in-memory default (ticket.NewService(nil, cfg),
// kb.New(nil, cfg)); everything else is a Config field whose zero value is its documented
// default, and New validates the config and returns an error rather than panic. The clock
// is a Config field too (Now, default time.Now); a Desk sets it once, in its own Config.Now,
// for the ticket service and the router and knowledge base it builds (Config.Routing,
// Config.Knowledge).
//
// The leaves import none of each other. This package's Desk wires them together once: every
// committed ticket event re-evaluates the ticket's SLA clocks (sla.Evaluate over the ticket's
// audit log, converted by Timeline), feeds a metrics.Builder (MetricsEvents, SLAEvents),
// queues, re-queues and completes the ticket's routing task, and calls the host's Hooks
// (OnAssigned, OnSolved, OnBreachWarning, OnBreach, and OnUnservable for a ticket no agent
// could ever take). Handle time (AHT) is estimated as the time a ticket is assigned while
// open (see Desk.Metrics). A ticket created without a language gets the one guessed from its
// text (Config.DetectLanguage), and is routed and answered in it. An agent is declared once,
// with Desk.AddAgent: the router routes to it and the returned ticket.Actor writes as it.
// Desk.Suggest asks the knowledge base for articles that may answer a ticket: only those
// that clear its relevance floor, from other languages when none of the ticket's language
// matches (Suggestions.OtherLanguages).
//
// Learning. A ticket solved with an article (Desk.SolveWith, or SolvedWithField set by the
// host) teaches the knowledge base its customer's public words, the subject, the description
// and the customers' public replies, for that article (kb.KB.Learn); internal notes never.
// The Desk learns when it applies the solve, so it learns again on Load after a restart,
// and learns what other Desks solve through Config.Feed; a ticket counts once. (Load applies
// the tickets in the store's order, so when tickets were solved in another order than
// created, learned words' decayed weights differ slightly from the live ones.) When a
// ticket is erased (Desk.Erase), the knowledge base learns its redacted words in place of
// the old ones, in the old ones' place, so no word of the erased text stays. Customers'
// help-center visits go through Desk.HelpSearch and Desk.HelpOpened, a ticket they raise
// afterwards through Desk.CreateAfterHelp, and Desk.SelfService reports the deflection rate
// and each article's effectiveness as a metrics.SelfService.
//
// Tenants. One Desk serves one tenant, Config.Tickets.Tenant ("" is the single default
// tenant of a host that has no others): its ticket service creates, numbers, reads and lists
// only that tenant's tickets (idempotency keys are per tenant too), its Directory files
// requesters under that tenant's customers, and its knowledge base works in the same tenant
// (Config.Knowledge gets it; a Config.KB of another tenant is an error), so articles, search
// analytics, click feedback and learned words are the tenant's own. Everything else a Desk
// holds is per Desk, hence per tenant: its SLA policies and clocks, its routing, its metrics
// records and so its reports, and Load and the change feed bring in only its tenant's
// tickets. A host serving many tenants runs one Desk per tenant; they may share one ticket
// store and one kb.Store, and never return anything of one tenant to another.
//
// Access and erasure. Every ticket call is checked by Config.Tickets.Authorizer; with a
// Directory and no Authorizer the Desk uses ticket.Policy with CustomerPrincipal, so a
// customer sees their own tickets (and their organization's, where it shares them) and
// agents see everything. Desk.Erase removes a person's data from the tickets (and the words
// the knowledge base learned from them), the recorded search queries and the metrics
// records, so that reports still add up; Desk.EraseCustomer also erases the Directory
// record. Desk.Export and Desk.ExportCustomer gather the same data as JSON.
//
// Email. A Mailroom (NewMailroom) files raw mail as ticket activity: new tickets,
// comments threaded by number or Message-ID, follow-ups, and agents' replies from their own
// mailboxes (MailConfig.Agents); automatic mail is recognized and never filed or answered.
// With MailConfig.Send the Desk mails by itself the agents' replies, solved notices with a
// survey link, reminders of tickets left pending (and, with MailConfig.SolveAfter, solves
// them), assignments and SLA warnings: each is a delivery keyed like a hook occurrence, so
// it goes out once through the Ledger, and a pending ticket's due time is read from its log
// again after a restart.
//
// Desk.Run drives the Desk: it wakes when an SLA clock, an offer or a hook retry falls
// due, or when a ticket changes, and checks clocks, offers waiting tickets to agents
// (Hooks.OnOffered) and retries failed hooks. A host with its own scheduler calls
// Desk.NextWake, Desk.CheckClocks, Desk.Dispatch and Desk.RetryHooks instead; nothing runs
// in the background unless Run is called. Package simclock runs a Desk on a simulated
// clock for tests and demonstrations.
//
// Hooks may fail: an error or a panic makes the Desk retry the delivery with growing
// waits, and Desk.Deliveries shows what is pending or failed. Each occurrence has a stable
// key, and a Ledger records deliveries, so that Desks sharing one Ledger, or restarted
// over a durable one, never call a hook again for an occurrence it was delivered (see
// Hooks for the exact guarantee). A running Desk prunes the Ledger's records of
// occurrences older than Config.LedgerRetention (seven days by default), which no Desk
// can find again, so that the Ledger does not grow for ever.
//
// Restarts. The store is the source of truth. A Desk built over a store that holds tickets
// loads it (Desk.Load; Run does it first): metrics records for every ticket, the SLA clocks
// of open tickets, the routing queue in its first order with each ticket's waiting time,
// the load of agents who hold tickets, and the hook occurrences it finds, which the Ledger
// delivers unless they were delivered before (Config.CatchUp bounds how far back). Offers
// that were open are not restored: their tickets are queued again. Presence is not stored
// with the tickets: agents come back when their clients report it again (see
// Desk.SetPresence).
//
// Several Desks over one store (several processes of the host behind a load balancer)
// behave as one when they share the store's change feed (Config.Feed), a Ledger, a Lease
// and a Roster:
//   - each Desk follows the feed, so its metrics, clocks and routing queue include the
//     writes made through the others, and its Report equals a single Desk's;
//   - the Lease lets one Desk dispatch at a time; another takes over within LeaseFor of
//     the holder stopping (within a third of it, at its next look at the Lease, when the
//     holder stops through Run's context and so releases it);
//   - agent commands may reach any Desk: Accept and Decline of an offer made by another
//     Desk are answered through the Ledger (an offer is answered once) and take effect
//     through the store; SetPresence goes through the Roster;
//   - each hook occurrence is delivered once, by whichever Desk claims it first.
//
// Package desktest checks Ledger, Lease, ClockIndex and Roster implementations; the memory
// ones here serve Desks of one process, and the PostgreSQL module provides shared ones.
package supportkit
