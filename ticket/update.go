package ticket

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// Changes is a partial change set for Service.Update: nil and empty fields leave the ticket
// as it is. Use Ptr to fill the pointer fields.
type Changes struct {
	Subject *string // trimmed of surrounding spaces, as Create does
	Type    *Type   // the new type
	Impact  *Level  // re-derives the priority unless it was set by hand
	Urgency *Level  // re-derives the priority unless it was set by hand
	// Priority sets the priority by hand: it stays until set again, whatever impact and
	// urgency do. Setting the priority a ticket already has pins it (an EventPriorityChanged
	// with FromPriority == ToPriority) unless it was set by hand already.
	Priority *Priority
	// DerivePriority drops a hand-set priority and derives it from impact and urgency again,
	// recording an EventPriorityChanged even when the derived priority equals the old one.
	DerivePriority bool
	Status         *Status           // moved last, so an Assignee in the same Changes counts for solving
	Assignee       *string           // "" unassigns
	Group          *string           // "" clears
	AddTags        []string          // at most 100, normalized; a ticket holds at most 100
	RemoveTags     []string          // at most 100, normalized; a tag both added and removed is removed
	Fields         map[string]string // custom fields to set; an empty value removes the field
	RemoveFields   []string          // custom fields to delete; a field both set and removed is removed
	// Language sets the conversation's language by hand. Setting the language a ticket has
	// by Config.DetectLanguage's guess confirms it: an EventFieldChanged with FromValue ==
	// ToValue that clears Ticket.LanguageDetected.
	Language *language.Tag
}

// Update applies a partial change set atomically: either every change is valid and stored
// with one event per changed attribute, or nothing changes. A ticket holds at most 100 tags
// and 100 custom fields in all: a change that would leave more gives ErrInvalid. Setting a value a ticket already
// has records nothing, except that pinning or unpinning the priority is a change (see
// Changes.Priority). Errors: ErrInvalid, ErrNotFound, ErrClosed, ErrTransition,
// ErrConflict after MaxRetries.
func (s *Service) Update(ctx context.Context, actor Actor, id uuid.UUID, c Changes) (Ticket, error) {
	if err := s.checkChanges(&c); err != nil {
		return Ticket{}, err
	}
	ts, err := s.mutate(ctx, actor, ActionUpdate, []uuid.UUID{id}, false, func(es []*edit) error {
		return s.apply(es[0], c)
	})
	return first(ts, err)
}

func (s *Service) checkChanges(c *Changes) error {
	if c.Subject != nil {
		if err := checkText("subject", *c.Subject, s.cfg.MaxSubject, true); err != nil {
			return err
		}
		c.Subject = Ptr(strings.TrimSpace(*c.Subject))
	}
	switch {
	case c.Type != nil && !c.Type.Valid():
		return invalid("type", "unknown type "+quote(*c.Type))
	case c.Impact != nil && !c.Impact.Valid():
		return invalid("impact", "unknown level "+quote(*c.Impact))
	case c.Urgency != nil && !c.Urgency.Valid():
		return invalid("urgency", "unknown level "+quote(*c.Urgency))
	case c.Priority != nil && !c.Priority.Valid():
		return invalid("priority", "unknown priority "+quote(*c.Priority))
	case c.Status != nil && !c.Status.Valid():
		return invalid("status", "unknown status "+quote(*c.Status))
	case c.Priority != nil && c.DerivePriority:
		return invalid("priority", "set by hand and derived at once")
	}
	if c.Assignee != nil {
		if err := checkText("assignee", *c.Assignee, maxKeyRunes*2, false); err != nil {
			return err
		}
	}
	if c.Group != nil {
		if err := checkText("group", *c.Group, maxKeyRunes*2, false); err != nil {
			return err
		}
	}
	var err error
	if c.AddTags, err = normalizeTags("add_tags", c.AddTags); err != nil {
		return err
	}
	if c.RemoveTags, err = normalizeTags("remove_tags", c.RemoveTags); err != nil {
		return err
	}
	if err := checkFields("fields", c.Fields); err != nil {
		return err
	}
	if len(c.RemoveFields) > maxFields {
		return invalid("remove_fields", "more than "+itoa(maxFields)+" fields")
	}
	for i, k := range c.RemoveFields {
		if err := checkText("remove_fields["+itoa(i)+"]", k, maxKeyRunes, true); err != nil {
			return err
		}
	}
	return nil
}

// apply changes the edit by c, which checkChanges has validated. The status goes last so
// that an assignee set in the same change set counts for solving.
func (s *Service) apply(e *edit, c Changes) error {
	if c.Subject != nil {
		e.setField("subject", &e.t.Subject, *c.Subject)
	}
	if c.Type != nil {
		e.setField("type", (*string)(&e.t.Type), string(*c.Type))
	}
	if c.Impact != nil {
		e.setField("impact", (*string)(&e.t.Impact), string(*c.Impact))
	}
	if c.Urgency != nil {
		e.setField("urgency", (*string)(&e.t.Urgency), string(*c.Urgency))
	}
	if c.Language != nil && (*c.Language != e.t.Language || e.t.LanguageDetected) {
		e.emit(Event{Kind: EventFieldChanged, Field: "language", FromValue: e.t.Language.String(), ToValue: c.Language.String()})
		e.t.Language, e.t.LanguageDetected = *c.Language, false
	}
	s.applyPriority(e, c)
	if c.Assignee != nil {
		e.setAssignee(*c.Assignee)
	}
	if c.Group != nil && *c.Group != e.t.Group {
		e.emit(Event{Kind: EventGroupChanged, FromGroup: e.t.Group, ToGroup: *c.Group})
		e.t.Group = *c.Group
	}
	e.changeTags(c.AddTags, c.RemoveTags)
	e.changeFields(c.Fields, c.RemoveFields)
	if err := checkTotals(&e.t); err != nil {
		return err
	}
	if c.Status != nil {
		return e.setStatus(*c.Status, EventStatusChanged)
	}
	return nil
}

// applyPriority sets, derives or re-derives the priority. Pinning the current priority by
// hand, or unpinning a hand-set one that the matrix derives unchanged, is a change too: it
// records an EventPriorityChanged with FromPriority == ToPriority, so that the log tells
// when a priority stopped (or started) following impact and urgency.
func (s *Service) applyPriority(e *edit, c Changes) {
	to, explicit := e.t.Priority, e.t.PriorityExplicit
	switch {
	case c.Priority != nil:
		to, explicit = *c.Priority, true
	case c.DerivePriority || !explicit:
		to, explicit = s.cfg.Priorities.Priority(e.t.Impact, e.t.Urgency), false
	}
	if to == e.t.Priority && explicit == e.t.PriorityExplicit {
		return
	}
	e.emit(Event{Kind: EventPriorityChanged, FromPriority: e.t.Priority, ToPriority: to, Reason: priorityReason(explicit)})
	e.t.Priority, e.t.PriorityExplicit = to, explicit
}

func (e *edit) setField(name string, field *string, to string) {
	if *field == to {
		return
	}
	e.emit(Event{Kind: EventFieldChanged, Field: name, FromValue: *field, ToValue: to})
	*field = to
}

// setAssignee assigns; assigning a new ticket opens it.
func (e *edit) setAssignee(to string) {
	if to == e.t.Assignee {
		return
	}
	e.emit(Event{Kind: EventAssigneeChanged, FromAssignee: e.t.Assignee, ToAssignee: to})
	e.t.Assignee = to
	if to != "" && e.t.Status == StatusNew {
		e.forceStatus(StatusOpen, EventStatusChanged)
	}
}

func (e *edit) changeTags(add, remove []string) {
	var added, removed []string
	for _, t := range add {
		if !e.t.HasTag(t) && !slices.Contains(remove, t) {
			added = append(added, t)
		}
	}
	for _, t := range remove {
		if e.t.HasTag(t) {
			removed = append(removed, t)
		}
	}
	if len(added) == 0 && len(removed) == 0 {
		return
	}
	tags := slices.DeleteFunc(slices.Clone(e.t.Tags), func(t string) bool { return slices.Contains(removed, t) })
	tags = append(tags, added...)
	slices.Sort(tags)
	if len(tags) == 0 {
		tags = nil
	}
	e.t.Tags = tags
	e.emit(Event{Kind: EventTagsChanged, TagsAdded: added, TagsRemoved: removed})
}

// changeFields sets and removes custom fields; setting one to "" removes it, as the
// EventFieldChanged that records a removal has ToValue "".
func (e *edit) changeFields(set map[string]string, remove []string) {
	var unset []string
	for _, k := range slices.Sorted(maps.Keys(set)) {
		from, had := e.t.Fields[k]
		if set[k] == "" {
			unset = append(unset, k)
			continue
		}
		if had && from == set[k] || slices.Contains(remove, k) {
			continue
		}
		if e.t.Fields == nil {
			e.t.Fields = make(map[string]string)
		}
		e.t.Fields[k] = set[k]
		e.emit(Event{Kind: EventFieldChanged, Field: k, FromValue: from, ToValue: set[k]})
	}
	for _, k := range slices.Concat(remove, unset) {
		from, had := e.t.Fields[k]
		if !had {
			continue
		}
		delete(e.t.Fields, k)
		e.emit(Event{Kind: EventFieldChanged, Field: k, FromValue: from})
	}
	if len(e.t.Fields) == 0 {
		e.t.Fields = nil
	}
}

// Assign sets the assignee ("" unassigns); assigning a new ticket opens it. Errors:
// ErrInvalid, ErrNotFound, ErrClosed, ErrConflict after MaxRetries.
func (s *Service) Assign(ctx context.Context, actor Actor, id uuid.UUID, assignee string) (Ticket, error) {
	return s.Update(ctx, actor, id, Changes{Assignee: &assignee})
}

// Escalation moves a ticket to a higher support line.
type Escalation struct {
	Line   int    // 2 or 3, above the current line
	Group  string // the group that takes it over; "" keeps the current group
	Reason string // required
}

// Escalate moves a ticket up the support lines (1 → 2 → 3, or 1 → 3) and records one
// EventEscalated with the line and group before and after and the reason. Errors:
// ErrInvalid (including a line that is not above the current one), ErrNotFound, ErrClosed,
// ErrConflict after MaxRetries.
func (s *Service) Escalate(ctx context.Context, actor Actor, id uuid.UUID, esc Escalation) (Ticket, error) {
	if esc.Line < 2 || esc.Line > 3 {
		return Ticket{}, invalid("line", "must be 2 or 3")
	}
	if err := checkText("group", esc.Group, maxKeyRunes*2, false); err != nil {
		return Ticket{}, err
	}
	if err := checkText("reason", esc.Reason, 1000, true); err != nil {
		return Ticket{}, err
	}
	ts, err := s.mutate(ctx, actor, ActionUpdate, []uuid.UUID{id}, false, func(es []*edit) error {
		e := es[0]
		if esc.Line <= e.t.Line {
			return invalid("line", "ticket is already on line "+itoa(e.t.Line))
		}
		group := e.t.Group
		if esc.Group != "" {
			group = esc.Group
		}
		e.emit(Event{Kind: EventEscalated, FromLine: e.t.Line, ToLine: esc.Line, FromGroup: e.t.Group, ToGroup: group, Reason: esc.Reason})
		e.t.Line, e.t.Group = esc.Line, group
		return nil
	})
	return first(ts, err)
}
