package supportkit

import (
	"slices"

	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// Timeline converts a ticket's audit log into the sla package's timeline: the input of
// sla.Evaluate. segment is the customer segment policies may match on ("" for none).
//
// The mapping: the creation event carries the ticket's attributes (priority, channel, type,
// group, tags); a public comment is a reply by its author's kind and an internal note is a
// reply marked Internal; the description written with the ticket (the comment Create stores with it: at the
// creation instant, by the creator, before any other change) is not a reply; a change of
// status is an sla status event carrying the new status category, except solved, closed and
// a reopen of a solved ticket, which have their own kinds; changes of priority, group
// (escalation included), tags and type re-send the attributes, so policies re-match.
// Events that touch nothing the sla package reads (links, ratings, custom fields) are left
// out.
func Timeline(events []ticket.Event, segment string) []sla.Event {
	out := make([]sla.Event, 0, len(events))
	var attrs sla.Attributes
	var created ticket.Event
	inCreation := false // still reading the events Create wrote with the ticket
	for _, e := range events {
		description := inCreation && e.Kind == ticket.EventCommented && e.At.Equal(created.At) &&
			e.AuthorKind == created.Actor.Kind
		inCreation = inCreation && (e.Kind == ticket.EventFieldChanged || e.Kind == ticket.EventLinked)
		se := sla.Event{At: e.At, Author: slaAuthor(e.Actor.Kind)}
		switch e.Kind {
		case ticket.EventCreated:
			attrs = sla.Attributes{
				Priority: string(e.ToPriority), Channel: string(e.Channel), Type: string(e.Type),
				Group: e.ToGroup, Segment: segment, Tags: slices.Clone(e.TagsAdded),
			}
			created, inCreation = e, true
			se.Kind, se.Status, se.Attributes = sla.EventCreated, slaCategory(e.ToStatus), cloneAttributes(attrs)
		case ticket.EventCommented:
			if description {
				continue
			}
			se.Kind, se.Author, se.Internal = sla.EventReply, slaAuthor(e.AuthorKind), !e.Public
		case ticket.EventStatusChanged, ticket.EventReopened:
			se.Kind, se.Status = slaStatusKind(e), slaCategory(e.ToStatus)
		case ticket.EventPriorityChanged, ticket.EventGroupChanged, ticket.EventEscalated,
			ticket.EventTagsChanged, ticket.EventFieldChanged:
			if !applyAttribute(&attrs, e) {
				continue
			}
			se.Kind, se.Attributes = sla.EventAttributes, cloneAttributes(attrs)
		default:
			continue
		}
		out = append(out, se)
	}
	return out
}

// applyAttribute folds an attribute change into attrs and reports whether it changed
// anything the sla package matches on. It never writes to a slice attrs held before, since
// earlier events of the timeline share them.
func applyAttribute(attrs *sla.Attributes, e ticket.Event) bool {
	switch e.Kind {
	case ticket.EventPriorityChanged:
		attrs.Priority = string(e.ToPriority)
	case ticket.EventGroupChanged, ticket.EventEscalated:
		attrs.Group = e.ToGroup
	case ticket.EventTagsChanged:
		tags := make([]string, 0, len(attrs.Tags)+len(e.TagsAdded))
		for _, t := range attrs.Tags {
			if !slices.Contains(e.TagsRemoved, t) {
				tags = append(tags, t)
			}
		}
		attrs.Tags = append(tags, e.TagsAdded...)
		slices.Sort(attrs.Tags)
	case ticket.EventFieldChanged:
		if e.Field != "type" {
			return false
		}
		attrs.Type = e.ToValue
	}
	return true
}

func cloneAttributes(a sla.Attributes) sla.Attributes {
	a.Tags = slices.Clone(a.Tags)
	return a
}

func slaStatusKind(e ticket.Event) sla.EventKind {
	switch {
	case e.ToStatus == ticket.StatusSolved:
		return sla.EventSolved
	case e.ToStatus == ticket.StatusClosed:
		return sla.EventClosed
	case e.Kind == ticket.EventReopened && e.FromStatus == ticket.StatusSolved:
		return sla.EventReopened
	}
	return sla.EventStatus
}

// slaCategory maps a ticket status onto the sla package's status categories, which use the
// same names.
func slaCategory(s ticket.Status) sla.Category { return sla.Category(s) }

func slaAuthor(k ticket.ActorKind) sla.Author {
	switch k {
	case ticket.ActorAgent:
		return sla.AuthorAgent
	case ticket.ActorCustomer:
		return sla.AuthorCustomer
	case ticket.ActorBot:
		return sla.AuthorBot
	}
	return sla.AuthorSystem
}
