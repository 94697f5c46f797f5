package ticket

import (
	"context"
	"slices"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// Macro is a named canned response and set of actions an agent applies in one step. Empty
// fields leave the ticket as it is.
type Macro struct {
	Name       string   // required, unique per Service
	Status     Status   // the status to set, as by Update; "" leaves it
	Priority   Priority // a priority to set by hand; "" leaves it
	Group      string   // the group to set; "" leaves it
	Assignee   string   // the assignee to set; "" leaves it (with AssignSelf false)
	AssignSelf bool     // assign the ticket to the agent applying the macro; excludes Assignee
	AddTags    []string // tags to add, normalized as by NormalizeTag
	RemoveTags []string // tags to remove, normalized as by NormalizeTag
	// Comment, when it has bodies, adds a comment written by the applying agent.
	Comment MacroComment
}

// MacroComment is the comment a macro adds, in several languages.
type MacroComment struct {
	// Public makes the comment a reply the customer sees; false (default) an internal note,
	// which customers and bots cannot apply.
	Public bool
	// Bodies are the templates by language; the first is the fallback when none matches the
	// ticket's language. Placeholders: {{requester.name}}, {{requester.email}},
	// {{ticket.number}}, {{ticket.subject}}, {{agent.name}}.
	Bodies []Translation
}

// Translation is a text in one language.
type Translation struct {
	Language language.Tag // the text's language; language.Und matches only as the fallback
	Text     string       // a comment body with placeholders; at most Config.MaxBody bytes
}

var placeholders = map[string]func(t Ticket, agent Actor) string{
	"requester.name":  func(t Ticket, _ Actor) string { return t.Requester.Name },
	"requester.email": func(t Ticket, _ Actor) string { return t.Requester.Email },
	"ticket.number":   func(t Ticket, _ Actor) string { return t.Number },
	"ticket.subject":  func(t Ticket, _ Actor) string { return t.Subject },
	"agent.name":      func(_ Ticket, a Actor) string { return a.Name },
}

// template is a parsed body: literal text alternating with placeholder names.
type template struct {
	parts []string // even indexes: literal text; odd indexes: placeholder names
}

func parseTemplate(field, text string) (template, error) {
	var tpl template
	rest := text
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			if strings.Contains(rest, "}}") {
				return template{}, invalid(field, "unmatched }}")
			}
			tpl.parts = append(tpl.parts, rest)
			return tpl, nil
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			return template{}, invalid(field, "unclosed {{")
		}
		name := strings.TrimSpace(rest[i+2 : i+j])
		if _, ok := placeholders[name]; !ok {
			return template{}, invalid(field, "unknown placeholder "+quote(name))
		}
		if strings.Contains(rest[:i], "}}") {
			return template{}, invalid(field, "unmatched }}")
		}
		tpl.parts = append(tpl.parts, rest[:i], name)
		rest = rest[i+j+2:]
	}
}

// render fills the placeholders, or returns false without building anything when the result
// would be longer than max bytes: a body of many placeholders of long values must not
// allocate far beyond what is then refused.
func (tpl template) render(t Ticket, agent Actor, max int) (string, bool) {
	size := 0
	for i, p := range tpl.parts {
		if i%2 == 0 {
			size += len(p)
		} else {
			size += len(placeholders[p](t, agent))
		}
		if size > max {
			return "", false
		}
	}
	var b strings.Builder
	b.Grow(size)
	for i, p := range tpl.parts {
		if i%2 == 0 {
			b.WriteString(p)
		} else {
			b.WriteString(placeholders[p](t, agent))
		}
	}
	return b.String(), true
}

type compiledMacro struct {
	m       Macro
	bodies  []template
	matcher language.Matcher
}

// bodyFor returns the index of the body for a ticket in language lang: the best match, else
// the first body, the fallback. A body tagged language.Und is never a match, only the
// fallback when it comes first.
func (cm *compiledMacro) bodyFor(lang language.Tag) int {
	_, i, _ := cm.matcher.Match(lang)
	if cm.m.Comment.Bodies[i].Language == language.Und {
		return 0
	}
	return i
}

// DefineMacro validates m, including every placeholder of every body, and defines it,
// replacing a macro of the same name. Errors: ErrInvalid with a *ValidationError.
func (s *Service) DefineMacro(m Macro) error {
	if err := s.ready(); err != nil {
		return err
	}
	cm, err := s.compileMacro(m)
	if err != nil {
		return err
	}
	s.macroMu.Lock()
	defer s.macroMu.Unlock()
	s.macros[m.Name] = cm
	return nil
}

func (s *Service) compileMacro(m Macro) (*compiledMacro, error) {
	if err := checkText("macro.name", m.Name, maxNameRunes, true); err != nil {
		return nil, err
	}
	switch {
	case m.Status != "" && !m.Status.Valid():
		return nil, invalid("macro.status", "unknown status "+quote(m.Status))
	case m.Priority != "" && !m.Priority.Valid():
		return nil, invalid("macro.priority", "unknown priority "+quote(m.Priority))
	case m.AssignSelf && m.Assignee != "":
		return nil, invalid("macro.assignee", "both an assignee and AssignSelf")
	}
	for field, v := range map[string]string{"macro.group": m.Group, "macro.assignee": m.Assignee} {
		if err := checkText(field, v, maxKeyRunes*2, false); err != nil {
			return nil, err
		}
	}
	var err error
	if m.AddTags, err = normalizeTags("macro.add_tags", m.AddTags); err != nil {
		return nil, err
	}
	if m.RemoveTags, err = normalizeTags("macro.remove_tags", m.RemoveTags); err != nil {
		return nil, err
	}
	m.Comment.Bodies = slices.Clone(m.Comment.Bodies)
	cm := &compiledMacro{m: m}
	tags := make([]language.Tag, 0, len(m.Comment.Bodies))
	for i, tr := range m.Comment.Bodies {
		field := "macro.comment.bodies[" + itoa(i) + "]"
		if err := checkBody(field, tr.Text, s.cfg.MaxBody); err != nil {
			return nil, err
		}
		tpl, err := parseTemplate(field, tr.Text)
		if err != nil {
			return nil, err
		}
		cm.bodies = append(cm.bodies, tpl)
		tags = append(tags, tr.Language)
	}
	if len(tags) > 0 {
		cm.matcher = language.NewMatcher(tags)
	}
	return cm, nil
}

// Clone returns a deep copy of m.
func (m Macro) Clone() Macro {
	m.AddTags = slices.Clone(m.AddTags)
	m.RemoveTags = slices.Clone(m.RemoveTags)
	m.Comment.Bodies = slices.Clone(m.Comment.Bodies)
	return m
}

// Macro returns a copy of the macro with the given name (changing it changes nothing
// defined), or an error wrapping ErrNotFound.
func (s *Service) Macro(name string) (Macro, error) {
	if err := s.ready(); err != nil {
		return Macro{}, err
	}
	s.macroMu.RLock()
	defer s.macroMu.RUnlock()
	cm, ok := s.macros[name]
	if !ok {
		return Macro{}, &NotFoundError{What: "macro", Key: name}
	}
	return cm.m.Clone(), nil
}

// ApplyMacro applies the named macro to ticket id as actor in one atomic write: the comment
// (in the body language that best matches the ticket's language), then tags, group,
// assignee, priority and status. If any action is not allowed (say, solving an unassigned
// ticket), nothing changes. As with Comment, customers and bots cannot write internal notes:
// a macro whose comment is internal, applied by one, gives ErrInvalid and changes nothing.
// Errors: ErrNotFound (ticket or macro), ErrInvalid, ErrClosed, ErrTransition, ErrConflict
// after MaxRetries.
func (s *Service) ApplyMacro(ctx context.Context, actor Actor, id uuid.UUID, name string) (Ticket, error) {
	if err := s.ready(); err != nil {
		return Ticket{}, err
	}
	s.macroMu.RLock()
	cm, ok := s.macros[name]
	s.macroMu.RUnlock()
	if !ok {
		return Ticket{}, &NotFoundError{What: "macro", Key: name}
	}
	if len(cm.bodies) > 0 {
		if err := checkNoteAuthor("macro.comment.public", actor, cm.m.Comment.Public); err != nil {
			return Ticket{}, err
		}
	}
	ts, err := s.mutate(ctx, actor, ActionUpdate, []uuid.UUID{id}, false, func(es []*edit) error {
		return s.applyMacro(es[0], cm, actor)
	})
	return first(ts, err)
}

func (s *Service) applyMacro(e *edit, cm *compiledMacro, agent Actor) error {
	m := cm.m
	if len(cm.bodies) > 0 {
		body, ok := cm.bodies[cm.bodyFor(e.t.Language)].render(e.t, agent, s.cfg.MaxBody)
		if !ok {
			return invalid("macro.comment", "longer than "+itoa(s.cfg.MaxBody)+" bytes once rendered")
		}
		if err := checkBody("macro.comment", body, s.cfg.MaxBody); err != nil {
			return err
		}
		if _, err := s.appendComment(e, agent, m.Comment.Public, body, nil, nil); err != nil {
			return err
		}
		if err := commentEffects(e, agent, m.Comment.Public); err != nil {
			return err
		}
	}
	c := Changes{AddTags: m.AddTags, RemoveTags: m.RemoveTags}
	if m.Group != "" {
		c.Group = &m.Group
	}
	if m.Assignee != "" {
		c.Assignee = &m.Assignee
	}
	if m.AssignSelf {
		if agent.ID == "" {
			return invalid("agent.id", "macro assigns to the applying agent, who has no ID")
		}
		c.Assignee = &agent.ID
	}
	if m.Priority != "" {
		c.Priority = &m.Priority
	}
	if m.Status != "" {
		c.Status = &m.Status
	}
	return s.apply(e, c)
}
