package ticket

// Channel is where a request came from.
type Channel string

// Channels.
const (
	ChannelEmail     Channel = "email"     // email
	ChannelPhone     Channel = "phone"     // phone
	ChannelChat      Channel = "chat"      // live chat
	ChannelWebForm   Channel = "web"       // a web form
	ChannelSocial    Channel = "social"    // a social network post or message
	ChannelMessenger Channel = "messenger" // a messaging app
	ChannelAPI       Channel = "api"       // created by a program through the host's API
)

// Valid reports whether c is one of the defined channels.
func (c Channel) Valid() bool {
	switch c {
	case ChannelEmail, ChannelPhone, ChannelChat, ChannelWebForm, ChannelSocial, ChannelMessenger, ChannelAPI:
		return true
	}
	return false
}

// Type is the kind of request.
type Type string

// Request types. An incident is something broken; a problem is the root cause behind
// incidents; a service request asks for something to be set up or granted.
const (
	TypeQuestion       Type = "question"        // asks how to do something or for information
	TypeIncident       Type = "incident"        // something is broken for the requester
	TypeProblem        Type = "problem"         // the root cause behind one or more incidents
	TypeServiceRequest Type = "service_request" // asks for something to be set up or granted
	TypeTask           Type = "task"            // work the team does, not a customer request
)

// Valid reports whether t is one of the defined types.
func (t Type) Valid() bool {
	switch t {
	case TypeQuestion, TypeIncident, TypeProblem, TypeServiceRequest, TypeTask:
		return true
	}
	return false
}

// Level grades impact and urgency.
type Level string

// Levels of impact and urgency.
const (
	LevelLow    Level = "low"    // lowest grade
	LevelMedium Level = "medium" // middle grade
	LevelHigh   Level = "high"   // highest grade
)

// Valid reports whether l is one of the defined levels.
func (l Level) Valid() bool { return l.index() >= 0 }

func (l Level) index() int {
	switch l {
	case LevelLow:
		return 0
	case LevelMedium:
		return 1
	case LevelHigh:
		return 2
	}
	return -1
}

// Priority orders work.
type Priority string

// Priorities, lowest first.
const (
	PriorityLow    Priority = "low"    // Rank 1
	PriorityNormal Priority = "normal" // Rank 2
	PriorityHigh   Priority = "high"   // Rank 3
	PriorityUrgent Priority = "urgent" // Rank 4
)

// Valid reports whether p is one of the defined priorities.
func (p Priority) Valid() bool { return p.Rank() > 0 }

// Rank orders priorities: low 1, normal 2, high 3, urgent 4; 0 for an unknown value.
func (p Priority) Rank() int {
	switch p {
	case PriorityLow:
		return 1
	case PriorityNormal:
		return 2
	case PriorityHigh:
		return 3
	case PriorityUrgent:
		return 4
	}
	return 0
}

// Status is where a ticket stands in its lifecycle.
type Status string

// Statuses. New: nobody has worked on it. Open: being worked on. Pending: waiting on the
// customer. OnHold: waiting on a third party. Solved: the customer got an answer; a customer
// reply reopens it. Closed: final, never changes again.
const (
	StatusNew     Status = "new"     // nobody has worked on it yet
	StatusOpen    Status = "open"    // being worked on
	StatusPending Status = "pending" // waiting on the customer
	StatusOnHold  Status = "on-hold" // waiting on a third party
	StatusSolved  Status = "solved"  // answered; a customer reply reopens it
	StatusClosed  Status = "closed"  // final; never changes again
)

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool { return s.Category() != "" }

// Category returns the status category of s, or "" for an unknown status.
func (s Status) Category() StatusCategory {
	switch s {
	case StatusNew, StatusOpen:
		return CategoryOpen
	case StatusPending:
		return CategoryPending
	case StatusOnHold:
		return CategoryOnHold
	case StatusSolved, StatusClosed:
		return CategorySolved
	}
	return ""
}

// StatusCategory groups statuses by what they mean for clocks and reports: the SLA clock runs
// in CategoryOpen, usually pauses in CategoryPending (and, by policy, CategoryOnHold) and stops
// in CategorySolved.
type StatusCategory string

// Status categories.
const (
	CategoryOpen    StatusCategory = "open"    // new, open: the team owes the next step
	CategoryPending StatusCategory = "pending" // waiting on the customer
	CategoryOnHold  StatusCategory = "on-hold" // waiting on a third party
	CategorySolved  StatusCategory = "solved"  // solved, closed
)

// ActorKind says who did something: who wrote a comment or caused an event.
type ActorKind string

// Actor kinds.
const (
	ActorCustomer ActorKind = "customer" // a customer, usually the requester
	ActorAgent    ActorKind = "agent"    // a member of the support team
	ActorSystem   ActorKind = "system"   // the desk itself
	ActorBot      ActorKind = "bot"      // an automated responder
)

// Valid reports whether k is one of the defined actor kinds.
func (k ActorKind) Valid() bool {
	switch k {
	case ActorCustomer, ActorAgent, ActorSystem, ActorBot:
		return true
	}
	return false
}

// LinkKind says how two tickets relate. Each kind has an inverse, recorded on the other
// ticket (see Inverse).
type LinkKind string

// Link kinds.
const (
	LinkRelated     LinkKind = "related"       // loosely related; its own inverse
	LinkDuplicateOf LinkKind = "duplicate_of"  // this ticket duplicates the other
	LinkDuplicate   LinkKind = "has_duplicate" // the other ticket duplicates this one
	LinkCausedBy    LinkKind = "caused_by"     // incident -> problem
	LinkCauses      LinkKind = "causes"        // problem -> incident
	LinkParent      LinkKind = "parent"        // the other ticket is this one's parent
	LinkChild       LinkKind = "child"         // the other ticket is this one's child
	LinkFollowUpOf  LinkKind = "follow_up_of"  // this ticket follows up the other
	LinkFollowUp    LinkKind = "has_follow_up" // the other ticket follows up this one
	LinkMergedInto  LinkKind = "merged_into"   // this ticket was merged into the other
	LinkMergedFrom  LinkKind = "merged_from"   // the other ticket was merged into this one
)

// Inverse returns the kind recorded on the other ticket of a link, or "" for an unknown kind.
func (k LinkKind) Inverse() LinkKind {
	switch k {
	case LinkRelated:
		return LinkRelated
	case LinkDuplicateOf:
		return LinkDuplicate
	case LinkDuplicate:
		return LinkDuplicateOf
	case LinkCausedBy:
		return LinkCauses
	case LinkCauses:
		return LinkCausedBy
	case LinkParent:
		return LinkChild
	case LinkChild:
		return LinkParent
	case LinkFollowUpOf:
		return LinkFollowUp
	case LinkFollowUp:
		return LinkFollowUpOf
	case LinkMergedInto:
		return LinkMergedFrom
	case LinkMergedFrom:
		return LinkMergedInto
	}
	return ""
}

// Valid reports whether k is one of the defined link kinds.
func (k LinkKind) Valid() bool { return k.Inverse() != "" }

// unmarshalEnum is the UnmarshalText of every enumeration (see the package documentation,
// Enumerations): the empty text or a spelling valid accepts, else a *ValidationError.
func unmarshalEnum[T ~string](v *T, text []byte, name string, valid func(T) bool) error {
	t := T(text)
	if t != "" && !valid(t) {
		return invalid(name, "unknown "+name+" "+quote(t))
	}
	*v = t
	return nil
}

// UnmarshalText sets c from a defined channel name or "" (see the package documentation,
// Enumerations): any other text gives a *ValidationError wrapping ErrInvalid.
func (c *Channel) UnmarshalText(text []byte) error {
	return unmarshalEnum(c, text, "channel", Channel.Valid)
}

// UnmarshalText sets t from a defined type name or "".
func (t *Type) UnmarshalText(text []byte) error {
	return unmarshalEnum(t, text, "type", Type.Valid)
}

// UnmarshalText sets l from a defined level name or "".
func (l *Level) UnmarshalText(text []byte) error {
	return unmarshalEnum(l, text, "level", Level.Valid)
}

// UnmarshalText sets p from a defined priority name or "".
func (p *Priority) UnmarshalText(text []byte) error {
	return unmarshalEnum(p, text, "priority", Priority.Valid)
}

// UnmarshalText sets s from a defined status name or "".
func (s *Status) UnmarshalText(text []byte) error {
	return unmarshalEnum(s, text, "status", Status.Valid)
}

// Valid reports whether c is one of the defined status categories.
func (c StatusCategory) Valid() bool {
	switch c {
	case CategoryOpen, CategoryPending, CategoryOnHold, CategorySolved:
		return true
	}
	return false
}

// UnmarshalText sets c from a defined status category name or "".
func (c *StatusCategory) UnmarshalText(text []byte) error {
	return unmarshalEnum(c, text, "status category", StatusCategory.Valid)
}

// UnmarshalText sets k from a defined actor kind or "".
func (k *ActorKind) UnmarshalText(text []byte) error {
	return unmarshalEnum(k, text, "actor kind", ActorKind.Valid)
}

// UnmarshalText sets k from a defined link kind or "".
func (k *LinkKind) UnmarshalText(text []byte) error {
	return unmarshalEnum(k, text, "link kind", LinkKind.Valid)
}
