package routing

import (
	"slices"

	"golang.org/x/text/language"
)

// skillLevel is an interned skill with a level.
type skillLevel struct {
	id    int32
	level int8
}

// skillIndex lists the agents that have a skill and can take a task now, by level.
type skillIndex struct {
	byLevel [MaxSkillLevel + 1][]*agentRec
}

// chanSlot is an agent's capacity, load and exclusivity on one channel.
type chanSlot struct {
	capacity  int32
	load      int32 // offered plus assigned tasks
	exclusive bool
}

// agentRec is the Router's record of an agent: the profile plus derived index data. The
// fields read for every candidate come first.
type agentRec struct {
	readyMask       uint64       // bit ch set when canTake(ch), for channel ids below 64
	available       bool         // Presence == Available
	active          int32        // tasks held on all channels
	exclusiveActive int32        // tasks held on the agent's exclusive channels
	chans           []chanSlot   // by channel id
	skills          []skillLevel // sorted by id

	inline [8]skillLevel // backing store of skills for up to 8 skills, next to the hot fields

	a        Agent
	seq      uint64  // order of registration, for round robin
	skillPos []int32 // position in the skill index list, parallel to skills; -1 if absent
	roomPos  int32   // position in Router.withRoom; -1 if absent

	work    map[string]*taskRec // offered and assigned tasks
	speaks  map[language.Tag]bool
	matcher language.Matcher
}

// level returns the agent's level in skill id, or -1 without the skill.
func (a *agentRec) level(id int32) int8 {
	for _, s := range a.skills {
		if s.id == id {
			return s.level
		}
		if s.id > id {
			break
		}
	}
	return -1
}

func (a *agentRec) loadAt(ch int) int {
	if ch < len(a.chans) {
		return int(a.chans[ch].load)
	}
	return 0
}

func (a *agentRec) capacityAt(ch int) int {
	if ch < len(a.chans) {
		return int(a.chans[ch].capacity)
	}
	return 0
}

func (a *agentRec) isExclusive(ch int) bool {
	return ch < len(a.chans) && a.chans[ch].exclusive
}

// fits reports whether one more task on channel ch stays within capacity and exclusivity,
// regardless of presence.
func (a *agentRec) fits(ch int) bool {
	if a.exclusiveActive > 0 || ch >= len(a.chans) {
		return false
	}
	c := &a.chans[ch]
	return c.load < c.capacity && (!c.exclusive || a.active == 0)
}

// canTake reports whether the agent may be offered a task on channel ch now.
func (a *agentRec) canTake(ch int) bool {
	return a.available && a.fits(ch)
}

// ready is canTake read from the mask kept by markReady.
func (a *agentRec) ready(ch int) bool {
	if ch < 64 {
		return a.readyMask&(1<<ch) != 0
	}
	return a.canTake(ch)
}

// addLoad changes the agent's load on channel ch by d (+1 or -1).
func (a *agentRec) addLoad(ch int, d int32) {
	if ch >= len(a.chans) {
		a.chans = append(a.chans, make([]chanSlot, ch+1-len(a.chans))...)
	}
	a.chans[ch].load += d
	a.active += d
	if a.chans[ch].exclusive {
		a.exclusiveActive += d
	}
}

// skillID returns the interned id of a skill, creating it.
func (r *Router) skillID(name string) int32 {
	if id, ok := r.skillIDs[name]; ok {
		return id
	}
	id := int32(len(r.skillNames))
	r.skillIDs[name] = id
	r.skillNames = append(r.skillNames, name)
	r.skills = append(r.skills, skillIndex{})
	return id
}

// chanID returns the interned id of a channel, creating it.
func (r *Router) chanID(ch Channel) int {
	if id, ok := r.chanIDs[ch]; ok {
		return id
	}
	id := len(r.chanNames)
	r.chanIDs[ch] = id
	r.chanNames = append(r.chanNames, ch)
	r.ready = append(r.ready, 0)
	return id
}

// buildProfile derives the interned skills, capacity and exclusivity of an agent.
func (r *Router) buildProfile(a *agentRec) {
	a.skills = a.inline[:0]
	for name, lvl := range a.a.Skills {
		a.skills = append(a.skills, skillLevel{id: r.skillID(name), level: int8(lvl)})
	}
	slices.SortFunc(a.skills, func(x, y skillLevel) int { return int(x.id - y.id) })
	a.skillPos = make([]int32, len(a.skills))
	for i := range a.skillPos {
		a.skillPos[i] = -1
	}
	for ch := range a.a.Capacity {
		r.chanID(ch)
	}
	for _, ch := range a.a.Exclusive {
		r.chanID(ch)
	}
	chans := make([]chanSlot, len(r.chanNames))
	for ch := range chans {
		chans[ch].load = int32(a.loadAt(ch))
	}
	for ch, c := range a.a.Capacity {
		chans[r.chanIDs[ch]].capacity = int32(c)
	}
	for _, ch := range a.a.Exclusive {
		chans[r.chanIDs[ch]].exclusive = true
	}
	a.chans = chans
	a.exclusiveActive = 0
	for _, c := range chans {
		if c.exclusive {
			a.exclusiveActive += c.load
		}
	}
	a.speaks = nil
	a.matcher = nil
}

// markReady adds (d=1) or removes (d=-1) the agent from the per-channel ready counts. Every
// change to presence, load or profile is wrapped in markReady(-1) ... markReady(+1); the
// second call also puts the agent into the candidate lists if it can take a task on some
// channel, and takes it out otherwise.
func (r *Router) markReady(a *agentRec, d int) {
	a.readyMask = 0
	some := false
	for ch := range a.chans {
		if a.canTake(ch) {
			r.ready[ch] += d
			some = true
			if ch < 64 {
				a.readyMask |= 1 << ch
			}
		}
	}
	if d > 0 {
		r.indexReady(a, some)
	}
}

// indexReady puts the agent into (or takes it out of) the candidate lists: Router.withRoom
// and the skill index hold exactly the agents who can take a task on some channel now.
func (r *Router) indexReady(a *agentRec, in bool) {
	if in == (a.roomPos >= 0) {
		return
	}
	if in {
		a.roomPos = int32(len(r.withRoom))
		r.withRoom = append(r.withRoom, a)
		for i, s := range a.skills {
			list := &r.skills[s.id].byLevel[s.level]
			a.skillPos[i] = int32(len(*list))
			*list = append(*list, a)
		}
		return
	}
	r.withRoom = removeAt(r.withRoom, a.roomPos, func(m *agentRec, p int32) { m.roomPos = p })
	a.roomPos = -1
	for i, s := range a.skills {
		list := &r.skills[s.id].byLevel[s.level]
		*list = removeAt(*list, a.skillPos[i], func(m *agentRec, p int32) { m.skillPos[m.skillIndex(s.id)] = p })
		a.skillPos[i] = -1
	}
}

// skillIndex returns the position of skill id in a.skills; the skill must be present.
func (a *agentRec) skillIndex(id int32) int {
	for i, s := range a.skills {
		if s.id == id {
			return i
		}
	}
	return -1
}

// removeAt swap-removes element p from list, telling the moved element its new position.
func removeAt(list []*agentRec, p int32, moved func(*agentRec, int32)) []*agentRec {
	last := int32(len(list) - 1)
	if p != last {
		list[p] = list[last]
		moved(list[p], p)
	}
	list[last] = nil
	return list[:last]
}

// speaks reports whether the agent speaks tag at the configured confidence, caching the
// matcher's answer per agent and tag.
func (r *Router) speaks(a *agentRec, tag language.Tag) bool {
	if ok, hit := a.speaks[tag]; hit {
		return ok
	}
	ok := false
	if len(a.a.Languages) > 0 {
		if a.matcher == nil {
			a.matcher = language.NewMatcher(a.a.Languages)
		}
		_, _, conf := a.matcher.Match(tag)
		ok = conf >= r.cfg.LanguageConfidence
	}
	if a.speaks == nil {
		a.speaks = make(map[language.Tag]bool)
	}
	a.speaks[tag] = ok
	return ok
}
