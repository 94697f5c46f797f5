package ticket

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// Ticket is one request to the support team. Values returned by a Service or a Store are
// copies: changing them changes nothing stored.
type Ticket struct {
	ID uuid.UUID // version 7, time ordered; unique across every tenant of a store
	// Tenant is the partition the ticket belongs to: a Service bound to one tenant
	// (Config.Tenant) never reads or writes another's tickets, and numbers and idempotency
	// keys are counted per tenant. "" is the default tenant of a host that has only one.
	Tenant  string
	Number  string // human number such as "SUP-1042", from the NumberGenerator; unique per tenant
	Subject string // trimmed; at most Config.MaxSubject characters

	Requester Requester // the customer who asked
	Channel   Channel   // where the request came in
	Type      Type      // incident, service request, question, problem or task

	Impact  Level // how much is affected; with Urgency it derives Priority
	Urgency Level // how soon it matters; with Impact it derives Priority
	// Priority is derived from Impact and Urgency by the configured PriorityMatrix unless
	// PriorityExplicit is set, in which case it was set by hand and stays until set again.
	// Every change of either is an EventPriorityChanged whose Reason tells which holds.
	Priority         Priority
	PriorityExplicit bool // Priority was set by hand; false: derived

	Status   Status // where it is in the lifecycle (see CanTransition)
	Assignee string // the host's agent ID; "" when unassigned
	Group    string // zone of responsibility; "" when none
	Line     int    // support line 1, 2 or 3

	Tags   []string          // normalized (trimmed, NFKC, case-folded), unique, sorted; nil when none
	Fields map[string]string // custom fields; nil when none
	// Language is the conversation's language: the one the ticket was created with, else the
	// requester's, else Config.DetectLanguage's guess; language.Und when none is known.
	Language language.Tag
	// LanguageDetected reports that Language is Config.DetectLanguage's guess, made when the
	// ticket was created; setting the language with Update (even to the guess) clears it.
	LanguageDetected bool

	Problem uuid.UUID // for an incident: the problem ticket behind it; zero when none
	Links   []Link    // in the order they were made; nil when none

	Satisfaction Rating // the latest CSAT/CES answers; zero when none

	CreatedAt time.Time // when Create stored it
	UpdatedAt time.Time // the time of its last event: never earlier than any event's At
	SolvedAt  time.Time // last time the ticket was solved; zero when never or reopened since
	ClosedAt  time.Time // zero until closed

	// Version is the optimistic concurrency token: the store bumps it on every write and
	// rejects a write that carries an older one with ErrConflict.
	Version int64
	// CommentCount is the number of comments; the next comment gets Seq CommentCount+1.
	CommentCount int
	// LastEventSeq is the Seq of the last event in the audit log; the next gets one more.
	LastEventSeq int64
}

// Requester is the customer who asked.
type Requester struct {
	ID       string       // the host's customer ID; may be empty when Email is set
	Name     string       // display name; optional
	Email    string       // a bare address ("ann@example.com"); may be empty when ID is set
	Language language.Tag // preferred language; language.Und when unknown
	// Organization is the host's ID of the organization the requester belongs to when the
	// ticket was made; "" when none. The access policy lets the organization's members see
	// the ticket when the organization shares tickets (see Policy).
	Organization string
}

// Actor returns the requester as the author of what they do on their ticket (a comment, a
// rating): Kind ActorCustomer, ID the requester's ID or, when it is empty, the email, and the
// requester's Name. It is the author Create and Receive record for the customer.
func (r Requester) Actor() Actor {
	id := r.ID
	if id == "" {
		id = r.Email
	}
	return Actor{Kind: ActorCustomer, ID: id, Name: r.Name}
}

// Actor is who did something: an agent, the customer, the system (automations such as
// CloseSolved) or a bot.
type Actor struct {
	Kind ActorKind // required: agent, customer, system or bot
	ID   string    // the host's ID of the person or process; may be empty
	Name string    // display name; optional
}

// System is the actor of the package's own automations.
var System = Actor{Kind: ActorSystem, ID: "system", Name: "System"}

// Link relates this ticket to another.
type Link struct {
	Kind   LinkKind  // how this ticket relates to Target
	Target uuid.UUID // the other ticket
}

// Rating holds satisfaction answers: CSAT on 1–5, CES (customer effort) on 1–7; 0 means not
// answered.
type Rating struct {
	CSAT    int    // satisfaction, 1 (worst) to 5 (best); 0 when not answered
	CES     int    // customer effort, 1 to 7 on the host's survey scale; 0 when not answered
	Comment string // the customer's own words; "" when none
}

// Clone returns a deep copy of t.
func (t Ticket) Clone() Ticket {
	t.Tags = slices.Clone(t.Tags)
	t.Fields = maps.Clone(t.Fields)
	t.Links = slices.Clone(t.Links)
	return t
}

// HasTag reports whether t carries the (already normalized) tag.
func (t Ticket) HasTag(tag string) bool {
	_, found := slices.BinarySearch(t.Tags, tag)
	return found
}
