package supportkit

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// Agent returns the ticket actor of the Router's agent id: Kind ticket.ActorAgent, the
// agent's ID and Name. An agent is declared once, to the router (AddAgent), and the host
// writes to tickets as the actor this returns. Errors: ErrNotConfigured without a Router;
// one that matches both ticket.ErrNotFound and routing.ErrNotFound (errors.Is) for an ID
// the Router does not know, e.g. the empty Assignee of an unassigned ticket.
//
// Assigning a ticket by hand (ticket.Service.Assign) to an ID the Router does not know is
// allowed: a person outside routing (a technician, a manager) may take a ticket, and the
// Desk then takes the ticket out of routing.
func (d *Desk) Agent(id string) (ticket.Actor, error) {
	if d.cfg.Router == nil {
		return ticket.Actor{}, fmt.Errorf("%w: no router", ErrNotConfigured)
	}
	info, err := d.cfg.Router.Agent(id)
	if err != nil {
		return ticket.Actor{}, &agentNotFound{id: id, err: err}
	}
	return actorOf(info.Agent), nil
}

// agentNotFound is the error of Agent for an ID the Router does not know: one message, and
// errors.Is matches both ticket.ErrNotFound and the Router's error (routing.ErrNotFound).
type agentNotFound struct {
	id  string
	err error // the Router's error
}

func (e *agentNotFound) Error() string {
	if e.id == "" {
		return "supportkit: agent not found: empty agent ID"
	}
	return fmt.Sprintf("supportkit: agent %q not found", e.id)
}

func (e *agentNotFound) Unwrap() []error { return []error{ticket.ErrNotFound, e.err} }

// AddAgent adds the agent to the Router (routing.Router.AddAgent) and returns its ticket
// actor, as Agent does. Errors: ErrNotConfigured without a Router; the routing package's
// (routing.ErrInvalid for a bad field, routing.ErrDuplicate for a taken ID), with nothing
// added; a *routing.ValidationError (routing.ErrInvalid) as well for an ID or Name that no
// ticket could hold (an ID a ticket cannot be assigned to: over 128 characters, not valid
// UTF-8 or with control characters; a Name over 200 characters or like it), since the
// Desk could never give such an agent a ticket.
func (d *Desk) AddAgent(a routing.Agent) (ticket.Actor, error) {
	if d.cfg.Router == nil {
		return ticket.Actor{}, fmt.Errorf("%w: no router", ErrNotConfigured)
	}
	if err := checkAgentText("ID", a.ID, maxAgentID); err != nil {
		return ticket.Actor{}, err
	}
	if err := checkAgentText("Name", a.Name, maxAgentName); err != nil {
		return ticket.Actor{}, err
	}
	if err := d.cfg.Router.AddAgent(a); err != nil {
		return ticket.Actor{}, err
	}
	return actorOf(a), nil
}

// The longest agent ID and name, in characters, that a ticket holds: the ticket package's
// limits of an assignee and an actor's name.
const (
	maxAgentID   = 128
	maxAgentName = 200
)

// checkAgentText refuses an agent's ID or Name (field) that a ticket could not hold: longer
// than max characters, not valid UTF-8, or with control characters.
func checkAgentText(field, s string, max int) error {
	switch {
	case !utf8.ValidString(s):
		return &routing.ValidationError{Field: field, Reason: "not valid UTF-8"}
	case utf8.RuneCountInString(s) > max:
		return &routing.ValidationError{Field: field, Reason: fmt.Sprintf("longer than %d characters", max)}
	case strings.ContainsFunc(s, unicode.IsControl):
		return &routing.ValidationError{Field: field, Reason: "contains control characters"}
	}
	return nil
}

func actorOf(a routing.Agent) ticket.Actor {
	return ticket.Actor{Kind: ticket.ActorAgent, ID: a.ID, Name: a.Name}
}
