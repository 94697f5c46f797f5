package routing

import (
	"fmt"
	"strconv"
	"time"

	"golang.org/x/text/language"
)

// SkillReq asks for a skill at a minimum level (0 to 5).
type SkillReq struct {
	Skill string // skill name, as in Agent.Skills; required
	Level int    // minimum level, 0 to 5; 0 (the default) accepts the skill at any level
}

// Task is a unit of work to route: a ticket, a chat or a call. The Router keeps its own copy.
type Task struct {
	ID       string  // required, unique among live tasks
	Channel  Channel // required; the agent needs free capacity on it
	Priority int     // higher is served first; default 0, negative allowed

	// Required skills: an agent must have each at the level (lowered by relaxation steps).
	// Required and Preferred together list at most MaxTaskSkills skills. Empty: any agent
	// with capacity on the channel may take the task.
	Required []SkillReq
	// Preferred skills rank agents who have them higher; a relaxation step may require them.
	// Empty: none.
	Preferred []SkillReq
	// Language of the customer; the zero Tag (und) accepts any agent.
	Language language.Tag
	// Teams restricts the task to agents of at least one of these teams; empty means any.
	// At most MaxTeams.
	Teams []string
	// Line restricts the task to agents of this support line (1-3); zero means any.
	Line int
	// Deadline is the SLA target; zero means none. It orders the queue (least slack first).
	Deadline time.Time
	// QueuedAt is when the task started waiting; zero at Enqueue means now. Relaxation steps
	// and the queue order count from it.
	QueuedAt time.Time
	// PreferredAgent (for example the previous assignee) is the only agent offered the task
	// until Config.PreferredAgentWait has passed since QueuedAt. Empty: none.
	PreferredAgent string
	// Exclude lists agents who must not be offered the task. The Router adds agents who
	// declined it or let the offer time out. Empty: none.
	Exclude []string
	// Reassigned is set by the Router when the task returned to the queue because its agent
	// went offline or was removed; input values are ignored.
	Reassigned bool
}

func validateTask(t *Task) error {
	if t.ID == "" {
		return invalid("ID", "must not be empty")
	}
	if t.Channel == "" {
		return invalid("Channel", "must not be empty")
	}
	if n := len(t.Required) + len(t.Preferred); n > MaxTaskSkills {
		return invalid("Required", "%d required and preferred skills, at most %d", n, MaxTaskSkills)
	}
	if len(t.Teams) > MaxTeams {
		return invalid("Teams", "%d teams, at most %d", len(t.Teams), MaxTeams)
	}
	if err := validateReqs("Required", t.Required); err != nil {
		return err
	}
	if err := validateReqs("Preferred", t.Preferred); err != nil {
		return err
	}
	for _, tm := range t.Teams {
		if tm == "" {
			return invalid("Teams", "team name must not be empty")
		}
	}
	if t.Line < 0 || t.Line > 3 {
		return invalid("Line", "%d outside 0-3", t.Line)
	}
	return nil
}

func validateReqs(field string, reqs []SkillReq) error {
	for i, r := range reqs {
		f := func() string { return field + "[" + strconv.Itoa(i) + "]" }
		if r.Skill == "" {
			return invalid(f(), "skill name must not be empty")
		}
		if r.Level < 0 || r.Level > MaxSkillLevel {
			return invalid(f(), "level %d outside 0-%d", r.Level, MaxSkillLevel)
		}
		for _, p := range reqs[:i] {
			if p.Skill == r.Skill {
				return invalid(f(), "skill %q listed twice", r.Skill)
			}
		}
	}
	return nil
}

func cloneTask(t Task) Task {
	c := t
	c.Required = append([]SkillReq(nil), t.Required...)
	c.Preferred = append([]SkillReq(nil), t.Preferred...)
	c.Teams = append([]string(nil), t.Teams...)
	c.Exclude = append([]string(nil), t.Exclude...)
	return c
}

// State is where a task is in its life. A live task is in exactly one state.
type State uint8

// Task states. Completed and cancelled tasks leave the Router; the states appear only in
// the values returned by Complete and Cancel.
const (
	Queued    State = iota + 1 // waiting for an agent
	Offered                    // offered to one agent, not yet accepted
	Assigned                   // accepted by (or manually given to) an agent
	Completed                  // finished; capacity freed
	Cancelled                  // withdrawn by the host
)

var stateNames = [...]string{"", "queued", "offered", "assigned", "completed", "cancelled"}

// String returns the state's lower-case name.
func (s State) String() string {
	if s >= Queued && s <= Cancelled {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// MarshalText encodes the state by name.
func (s State) MarshalText() ([]byte, error) {
	if s < Queued || s > Cancelled {
		return nil, invalid("State", "unknown value %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a name written by MarshalText; an unknown name is an ErrInvalid error.
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if i > 0 && n == string(b) {
			*s = State(i)
			return nil
		}
	}
	return invalid("State", "unknown name %q", string(b))
}

// ManualStep is the Step recorded for a manual assignment.
const ManualStep = -1

// TaskInfo is a read-only view of a task and its routing record.
type TaskInfo struct {
	Task  Task  // the task, with the exclusions the Router added
	State State // where the task is; never zero
	// AgentID holds the task when it is Offered or Assigned; empty when Queued.
	AgentID string
	// Step is the index in Config.Steps that matched the agent, or ManualStep; 0 when Queued.
	Step int
	// Strategy is the strategy that chose the agent; the zero value (LongestIdle) when
	// Queued or assigned by hand.
	Strategy   Strategy
	Candidates int       // how many agents could take the task when the agent was chosen; 0 when Queued or by hand
	OfferedAt  time.Time // when the current offer was made (or the manual assignment); zero when Queued
	ExpiresAt  time.Time // when the current offer times out; zero unless Offered
	AcceptedAt time.Time // when the task was accepted; zero unless Assigned
	Manual     bool      // assigned by Assign rather than by Dispatch
	Forced     bool      // Assign was forced past capacity, exclusivity or presence
}

// Offer proposes a task to an agent. The agent accepts or declines it before ExpiresAt.
type Offer struct {
	TaskID    string    // the task offered
	AgentID   string    // the agent it is offered to
	Channel   Channel   // the task's channel
	Step      int       // index in Config.Steps that matched
	OfferedAt time.Time // the Dispatch time
	ExpiresAt time.Time // OfferedAt plus Config.OfferTimeout; Accept must come before it
	// No numbers the offer within the Router (1, 2, ...; kept by Snapshot and Restore), so
	// two offers of one task to one agent at the same instant are told apart.
	No uint64
}
