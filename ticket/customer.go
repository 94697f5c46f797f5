package ticket

import "time"

// CustomerTicket is what the requester may see of a ticket: no internal notes, no assignee,
// group, line, priority, tags, links or internal custom fields. It is a separate type so that
// internal data cannot reach a customer by accident.
type CustomerTicket struct {
	Number    string            // the human number to quote in replies
	Subject   string            // the current subject
	Status    CustomerStatus    // the status in the customer's words
	Requester Requester         // the requester, as stored
	Fields    map[string]string // only the fields named in Config.PublicFields
	Comments  []PublicComment   // public replies only, in order
	CreatedAt time.Time         // when the ticket was created
	UpdatedAt time.Time         // when anything about it last changed, internal changes included
}

// CustomerStatus is a status as the customer sees it.
type CustomerStatus string

// Customer statuses: new, open and on-hold all read "open" to the customer.
const (
	CustomerOpen          CustomerStatus = "open"                // new, open or on-hold: the team owes the next step
	CustomerAwaitingReply CustomerStatus = "awaiting your reply" // pending: the customer owes the next step
	CustomerSolved        CustomerStatus = "solved"              // solved; a reply reopens it
	CustomerClosed        CustomerStatus = "closed"              // closed; a reply creates a follow-up ticket
)

// PublicComment is a public reply as the customer sees it: the author's kind and display
// name only.
type PublicComment struct {
	AuthorKind  ActorKind    // agent, customer, system or bot
	AuthorName  string       // the author's display name; never the author's ID
	Body        string       // the reply's text
	Attachments []Attachment // the reply's files
	CreatedAt   time.Time    // when it was added
}

func customerStatus(s Status) CustomerStatus {
	switch s {
	case StatusPending:
		return CustomerAwaitingReply
	case StatusSolved:
		return CustomerSolved
	case StatusClosed:
		return CustomerClosed
	}
	return CustomerOpen
}

// Valid reports whether s is one of the defined customer statuses.
func (s CustomerStatus) Valid() bool {
	switch s {
	case CustomerOpen, CustomerAwaitingReply, CustomerSolved, CustomerClosed:
		return true
	}
	return false
}

// UnmarshalText sets s from a defined customer status or "": unknown spellings give a
// *ValidationError wrapping ErrInvalid.
func (s *CustomerStatus) UnmarshalText(text []byte) error {
	return unmarshalEnum(s, text, "customer status", CustomerStatus.Valid)
}
