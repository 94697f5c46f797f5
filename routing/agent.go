package routing

import (
	"fmt"
	"slices"
	"time"

	"golang.org/x/text/language"
)

// MaxSkillLevel is the highest proficiency level; levels run from 0 to MaxSkillLevel.
const MaxSkillLevel = 5

// MaxCapacity is the largest capacity an agent may have on one channel.
const MaxCapacity = 1 << 20

// Limits on the size of one agent or task. They bound the work of each routing decision,
// which compares a task's requirements with each candidate's profile.
const (
	MaxAgentSkills = 256 // skills of one agent
	MaxTaskSkills  = 32  // required and preferred skills of one task, together
	MaxLanguages   = 32  // languages of one agent
	MaxTeams       = 64  // teams of one agent, or of one task
	MaxChannels    = 32  // distinct channels of one agent, in Capacity and Exclusive together
)

// Channel names the medium of a task. Any non-empty string is a channel, so a host may pool
// media or add its own; the constants name the channels of a ticket, spelt as the ticket
// package spells them, so a ticket's channel converts with Channel(t.Channel). A task on a
// channel no agent has capacity on is reported as never servable (see [NoCapacity]).
type Channel string

// Ticket channels, spelt as in the ticket package.
const (
	ChannelEmail     Channel = "email"     // email
	ChannelPhone     Channel = "phone"     // phone
	ChannelChat      Channel = "chat"      // live chat
	ChannelWebForm   Channel = "web"       // a web form
	ChannelSocial    Channel = "social"    // a social network post or message
	ChannelMessenger Channel = "messenger" // a messaging app
	ChannelAPI       Channel = "api"       // created by a program through the host's API
)

// Channels lists the ticket channels named by the constants, in their declared order.
func Channels() []Channel {
	return []Channel{ChannelEmail, ChannelPhone, ChannelChat, ChannelWebForm, ChannelSocial, ChannelMessenger, ChannelAPI}
}

// Standard reports whether c is one of the ticket channels named by the constants.
func (c Channel) Standard() bool {
	return slices.Contains(Channels(), c)
}

// Presence is an agent's availability. Only Available agents receive offers. It encodes as
// text ("available", "away", "busy", "offline"), and decoding rejects any other name.
type Presence uint8

// Presence values. The zero value is Available, so an agent added without a presence
// receives work at once; an agent not on shift is added with Offline.
const (
	Available Presence = iota // receives offers
	Away                      // keeps current work, receives no offers
	Busy                      // keeps current work, receives no offers
	Offline                   // not signed in; accepted work returns to the queue after Config.OfflineGrace
)

var presenceNames = [...]string{"available", "away", "busy", "offline"}

// String returns "available", "away", "busy" or "offline".
func (p Presence) String() string {
	if p.valid() {
		return presenceNames[p]
	}
	return fmt.Sprintf("presence(%d)", uint8(p))
}

func (p Presence) valid() bool { return int(p) < len(presenceNames) }

// MarshalText encodes the presence by name; an unknown value is an ErrInvalid error.
func (p Presence) MarshalText() ([]byte, error) {
	if !p.valid() {
		return nil, invalid("Presence", "unknown value %d", uint8(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes a name written by MarshalText; an unknown name is an ErrInvalid error.
func (p *Presence) UnmarshalText(b []byte) error {
	i := slices.Index(presenceNames[:], string(b))
	if i < 0 {
		return invalid("Presence", "unknown name %q", string(b))
	}
	*p = Presence(i)
	return nil
}

// Agent is a person who takes work. The Router keeps its own copy; changing the maps or
// slices after AddAgent has no effect on the Router.
type Agent struct {
	ID   string // the host's ID; required, unique among agents
	Name string // display name, used only in explanations; empty shows the ID alone

	// Skills maps a skill name to a proficiency level from 0 to 5, at most MaxAgentSkills
	// entries. Having a skill at level 0 still counts as having it. Nil: no skills, so the
	// agent takes only tasks that require none.
	Skills map[string]int
	// Languages the agent speaks, at most MaxLanguages; a task's language is matched against
	// them with a language.Matcher (see Config.LanguageConfidence). Empty: the agent takes
	// only tasks without a language.
	Languages []language.Tag
	// Line of support, 1 to 3; zero means 1.
	Line int
	// Teams (groups, zones of responsibility) the agent belongs to, at most MaxTeams.
	// Empty: the agent takes only tasks without a team restriction (or at a step with
	// AnyTeam).
	Teams []string
	// Capacity is the number of tasks the agent can hold at once per channel, for example
	// chat 3, email 10, phone 1. A channel not listed has capacity 0. Negative is invalid.
	// Capacity and Exclusive together name at most MaxChannels channels. Nil: the agent is
	// never offered work (Stats.AgentsWithoutCapacity lists it) and takes work only by a
	// forced Assign.
	Capacity map[Channel]int
	// Exclusive channels are handled alone: while the agent holds a task on one of them the
	// agent receives nothing else, and a task on one of them is offered only to an agent
	// holding no task at all. At most MaxChannels entries. Empty: no channel is exclusive.
	Exclusive []Channel

	// Presence is the current presence; AddAgent takes it as given. The zero value is
	// Available: an agent not on shift is added with Offline.
	Presence      Presence
	PresenceSince time.Time // when Presence last changed; zero at AddAgent means now
	LastWork      time.Time // when the agent last received work; zero means never (most idle)
}

func validateAgent(a *Agent) error {
	if a.ID == "" {
		return invalid("ID", "must not be empty")
	}
	if err := validateSizes(a); err != nil {
		return err
	}
	for name, lvl := range a.Skills {
		if name == "" {
			return invalid("Skills", "skill name must not be empty")
		}
		if lvl < 0 || lvl > MaxSkillLevel {
			return invalid("Skills["+name+"]", "level %d outside 0-%d", lvl, MaxSkillLevel)
		}
	}
	if a.Line < 0 || a.Line > 3 {
		return invalid("Line", "%d outside 1-3", a.Line)
	}
	for _, t := range a.Teams {
		if t == "" {
			return invalid("Teams", "team name must not be empty")
		}
	}
	for ch, c := range a.Capacity {
		if ch == "" {
			return invalid("Capacity", "channel must not be empty")
		}
		if c < 0 {
			return invalid("Capacity["+string(ch)+"]", "negative capacity %d", c)
		}
		if c > MaxCapacity {
			return invalid("Capacity["+string(ch)+"]", "capacity %d above %d", c, MaxCapacity)
		}
	}
	for _, ch := range a.Exclusive {
		if ch == "" {
			return invalid("Exclusive", "channel must not be empty")
		}
	}
	if !a.Presence.valid() {
		return invalid("Presence", "unknown value %d", uint8(a.Presence))
	}
	return nil
}

// validateSizes checks the agent against the Max limits.
func validateSizes(a *Agent) error {
	switch {
	case len(a.Skills) > MaxAgentSkills:
		return invalid("Skills", "%d skills, at most %d", len(a.Skills), MaxAgentSkills)
	case len(a.Languages) > MaxLanguages:
		return invalid("Languages", "%d languages, at most %d", len(a.Languages), MaxLanguages)
	case len(a.Teams) > MaxTeams:
		return invalid("Teams", "%d teams, at most %d", len(a.Teams), MaxTeams)
	case len(a.Capacity) > MaxChannels || len(a.Exclusive) > MaxChannels:
		return invalid("Capacity", "more than %d channels", MaxChannels)
	}
	n := len(a.Capacity)
	for i, ch := range a.Exclusive {
		if _, ok := a.Capacity[ch]; !ok && !slices.Contains(a.Exclusive[:i], ch) {
			n++
		}
	}
	if n > MaxChannels {
		return invalid("Capacity", "%d channels with Exclusive, at most %d", n, MaxChannels)
	}
	return nil
}

// cloneAgent returns a deep copy with Line normalized.
func cloneAgent(a Agent) Agent {
	c := a
	if c.Line == 0 {
		c.Line = 1
	}
	if a.Skills != nil {
		c.Skills = make(map[string]int, len(a.Skills))
		for k, v := range a.Skills {
			c.Skills[k] = v
		}
	}
	if a.Capacity != nil {
		c.Capacity = make(map[Channel]int, len(a.Capacity))
		for k, v := range a.Capacity {
			c.Capacity[k] = v
		}
	}
	c.Languages = append([]language.Tag(nil), a.Languages...)
	c.Teams = append([]string(nil), a.Teams...)
	c.Exclusive = append([]Channel(nil), a.Exclusive...)
	return c
}

// AgentInfo is a read-only view of an agent and its current work.
type AgentInfo struct {
	Agent                   // a copy of the profile, presence and last work
	Load    map[Channel]int // tasks held per channel, offered or assigned; non-nil, only channels with work
	Offered []string        // IDs of tasks offered and not yet accepted, sorted; nil when none
	Tasks   []string        // IDs of accepted tasks, sorted; nil when none
}
