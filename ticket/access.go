package ticket

import (
	"context"
	"slices"
)

// Action is what an actor asks to do with a ticket; an Authorizer decides whether it may.
type Action string

// Actions, with the Service methods that ask for them. Every method also asks for
// ActionRead first: a ticket the actor may not read is missing to it (ErrNotFound) whatever
// else the policy says, so that a refusal never tells that the ticket exists.
const (
	// ActionRead: Get, GetByNumber, Comments, Events, EventsAfter, CustomerView, List and
	// All (through Grant.Visible); asked first by every other call.
	ActionRead Action = "read"
	// ActionCreate: Create and Receive when they make a new ticket, asked of the ticket
	// about to be stored. A follow-up made by a customer's reply to a closed ticket is
	// covered by the ActionReply on the closed ticket.
	ActionCreate Action = "create"
	// ActionReply: a public comment (Comment with Public, Receive onto an existing ticket).
	ActionReply Action = "reply"
	// ActionNote: an internal note (Comment without Public).
	ActionNote Action = "note"
	// ActionRate: Rate.
	ActionRate Action = "rate"
	// ActionUpdate: Update, Assign, Escalate, Solve, Close, Reopen, ApplyMacro, and Link on
	// both tickets.
	ActionUpdate Action = "update"
	// ActionMerge: Merge, on both tickets.
	ActionMerge Action = "merge"
	// ActionErase: Erase, on every ticket that holds the person's data.
	ActionErase Action = "erase"
	// ActionExport: Export, on every ticket that holds the person's data.
	ActionExport Action = "export"
)

// Valid reports whether a is one of the defined actions.
func (a Action) Valid() bool {
	switch a {
	case ActionRead, ActionCreate, ActionReply, ActionNote, ActionRate, ActionUpdate, ActionMerge,
		ActionErase, ActionExport:
		return true
	}
	return false
}

// Authorizer is the one place that decides who may see and do what. The Service asks it once
// per call for the calling actor's Grant and consults the Grant for every ticket the call
// reads, lists, creates or changes. Policy is the default; a host replaces it through
// Config.Authorizer. Implementations must be safe for concurrent use.
//
// Whatever a Grant allows, the Service itself never gives an actor of Kind ActorCustomer an
// internal note, an internal custom field, or a ticket's assignee, group, line, priority,
// impact, urgency, tags, links or problem (see Service.As).
type Authorizer interface {
	// Grant returns what actor may do. An error (say, the host's directory is down) fails
	// the Service call with that error.
	Grant(ctx context.Context, actor Actor) (Grant, error)
}

// Grant is what one actor may do, as an Authorizer decided it. It is used within one
// Service call and must be safe for concurrent use.
type Grant interface {
	// Allows reports whether the actor may do action on ticket t.
	Allows(action Action, t Ticket) bool
	// Visible returns the filter that narrows a listing to the tickets the actor may read
	// (nil: every ticket). It must admit exactly the tickets for which Allows(ActionRead, t)
	// holds; the Service also drops from a page any ticket Allows refuses.
	Visible() *Visibility
}

// Role is the part an actor plays in the default Policy.
type Role string

// Roles of the default Policy.
const (
	// RoleCustomer reads the tickets it requested and, when its organization shares
	// tickets, every ticket its organization's members requested; it creates tickets only
	// for itself, replies to and rates the tickets it reads, and changes nothing else. A
	// ticket it creates carries only what a customer says: subject, description,
	// attachments, channel, language, a follow-up link, and itself as requester with no
	// organization or its own (Principal.Organization); every triage field (type, impact,
	// urgency, priority, status, assignee, group, line, tags, custom fields) at its default,
	// as NewTicket.TriagedBy describes. The host triages as another actor (TriagedBy).
	// Impact and urgency are internal, as Service.As shows: a customer does not set them.
	RoleCustomer Role = "customer"
	// RoleAgent reads, replies to, notes, rates, changes and merges the tickets of its
	// groups and those assigned to it, and creates tickets for anyone in any group (line 1
	// registers requests for other teams).
	RoleAgent Role = "agent"
	// RoleAdmin reads and does everything; only it erases and exports a person's data.
	RoleAdmin Role = "admin"
)

// Principal is what the default Policy knows of an actor.
type Principal struct {
	Role Role // required: customer, agent or admin
	// Groups are the groups whose tickets a RoleAgent reads; it also reads the tickets
	// assigned to its actor ID. Ignored for other roles.
	Groups []string
	// Identities are the requester IDs and email addresses (compared case-insensitively)
	// that are a RoleCustomer's own, besides its actor ID. Ignored for other roles.
	Identities []string
	// Organization is a RoleCustomer's organization ID; "" for none.
	Organization string
	// SharesOrganization reports that the organization lets its members read each other's
	// tickets (Requester.Organization equal to Organization). Ignored without Organization.
	SharesOrganization bool
}

// Policy is the default Authorizer: what the desks hosts know do. The System actor is always
// RoleAdmin; every other actor is what Principal says. The zero Policy treats an actor of
// Kind ActorCustomer as a RoleCustomer with no organization and every agent and bot as a
// RoleAdmin: a desk whose agents all see all tickets, and whose customers see their own.
type Policy struct {
	// Principal tells who actor is: its role, an agent's groups, a customer's
	// organization and whether that organization shares tickets. It is called once per
	// Service call (never for System) and must be safe for concurrent use. An unknown Role
	// refuses everything. Default: as described on Policy.
	Principal func(ctx context.Context, actor Actor) (Principal, error)
}

var _ Authorizer = Policy{}

// Grant implements Authorizer.
func (p Policy) Grant(ctx context.Context, actor Actor) (Grant, error) {
	pr := Principal{Role: RoleAdmin}
	switch {
	case actor.Kind == ActorSystem:
	case p.Principal != nil:
		var err error
		if pr, err = p.Principal(ctx, actor); err != nil {
			return nil, err
		}
	case actor.Kind == ActorCustomer:
		pr = Principal{Role: RoleCustomer}
	}
	return newPolicyGrant(actor, pr), nil
}

// policyGrant is Policy's Grant for one principal.
type policyGrant struct {
	role    Role
	self    []string    // a customer's identities (its actor ID first)
	org     string      // a customer's organization
	visible *Visibility // nil for an admin
}

func newPolicyGrant(actor Actor, p Principal) *policyGrant {
	g := &policyGrant{role: p.Role}
	switch p.Role {
	case RoleAdmin:
	case RoleCustomer:
		g.self, g.org = nonEmpty(append([]string{actor.ID}, p.Identities...)), p.Organization
		g.visible = &Visibility{Requesters: g.self}
		if p.Organization != "" && p.SharesOrganization {
			g.visible.Organizations = []string{p.Organization}
		}
	case RoleAgent:
		g.visible = &Visibility{Groups: nonEmpty(p.Groups), Assignees: nonEmpty([]string{actor.ID})}
	default:
		g.visible = &Visibility{}
	}
	return g
}

func nonEmpty(vs []string) []string {
	return slices.DeleteFunc(slices.Clone(vs), func(v string) bool { return v == "" })
}

// Visible implements Grant.
func (g *policyGrant) Visible() *Visibility { return g.visible.Clone() }

// Allows implements Grant.
func (g *policyGrant) Allows(action Action, t Ticket) bool {
	if g.role == RoleAdmin {
		return true
	}
	switch g.role {
	case RoleCustomer:
		switch action {
		case ActionCreate:
			return g.owns(t) && (t.Requester.Organization == "" || t.Requester.Organization == g.org) && untriaged(t)
		case ActionRate:
			return g.owns(t)
		case ActionRead, ActionReply:
			return g.visible.admits(&t)
		}
		return false
	case RoleAgent:
		switch action {
		case ActionCreate:
			return true
		case ActionErase, ActionExport:
			return false
		}
		return g.visible.admits(&t)
	}
	return false
}

// owns reports whether a customer is t's requester.
func (g *policyGrant) owns(t Ticket) bool {
	for _, id := range g.self {
		if requesterMatches(t.Requester, id) {
			return true
		}
	}
	return false
}

// untriaged reports whether every triage field of new ticket t is at its default (see
// NewTicket.TriagedBy): what a customer may create.
func untriaged(t Ticket) bool {
	return t.Type == TypeQuestion && t.Impact == LevelMedium && t.Urgency == LevelMedium && !t.PriorityExplicit &&
		t.Status == StatusNew && t.Assignee == "" && t.Group == "" && t.Line == 1 && len(t.Tags) == 0 && len(t.Fields) == 0
}
