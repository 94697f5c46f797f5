package routing

import (
	"cmp"
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

// chanSlot is an agent's capacity, load and exclusivity on one channel it lists.
type chanSlot struct {
	id        int32 // interned channel
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
	slots           []chanSlot   // the channels in Capacity or Exclusive, each once
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
	if i := a.skillIndex(id); i >= 0 {
		return a.skills[i].level
	}
	return -1
}

// skillIndex returns the position of skill id in a.skills, or -1 without the skill. A long
// list is searched by halves.
func (a *agentRec) skillIndex(id int32) int {
	if len(a.skills) > 16 {
		i, ok := slices.BinarySearchFunc(a.skills, id, func(s skillLevel, id int32) int { return cmp.Compare(s.id, id) })
		if ok {
			return i
		}
		return -1
	}
	for i, s := range a.skills {
		if s.id == id {
			return i
		}
		if s.id > id {
			break
		}
	}
	return -1
}

// slot returns the agent's slot for channel ch, or nil when the agent does not list it.
func (a *agentRec) slot(ch int32) *chanSlot {
	for i := range a.slots {
		if a.slots[i].id == ch {
			return &a.slots[i]
		}
	}
	return nil
}

func (a *agentRec) loadAt(ch int32) int {
	if s := a.slot(ch); s != nil {
		return int(s.load)
	}
	return 0
}

func (a *agentRec) capacityAt(ch int32) int {
	if s := a.slot(ch); s != nil {
		return int(s.capacity)
	}
	return 0
}

// hasCapacity reports whether the agent has capacity on some channel.
func (a *agentRec) hasCapacity() bool {
	for _, s := range a.slots {
		if s.capacity > 0 {
			return true
		}
	}
	return false
}

// fits reports whether one more task on channel ch stays within capacity and exclusivity,
// regardless of presence.
func (a *agentRec) fits(ch int32) bool {
	s := a.slot(ch)
	return s != nil && a.fitsSlot(s)
}

func (a *agentRec) fitsSlot(s *chanSlot) bool {
	return a.exclusiveActive == 0 && s.load < s.capacity && (!s.exclusive || a.active == 0)
}

// canTake reports whether the agent may be offered a task on channel ch now.
func (a *agentRec) canTake(ch int32) bool {
	return a.available && a.fits(ch)
}

// ready is canTake read from the mask kept by markReady.
func (a *agentRec) ready(ch int32) bool {
	if ch < 64 {
		return a.readyMask&(1<<ch) != 0
	}
	return a.canTake(ch)
}

// addLoad changes the agent's load on channel ch by d (+1 or -1). A task on a channel the
// agent does not list (a forced assignment) counts only in active.
func (a *agentRec) addLoad(ch int32, d int32) {
	a.active += d
	if s := a.slot(ch); s != nil {
		s.load += d
		if s.exclusive {
			a.exclusiveActive += d
		}
	}
}

// setProfile indexes the skills and channels of the agent's profile a.a, replacing those
// of the previous profile (whose names it releases), and counts the load per channel from
// the agent's work. The agent must be out of the ready counts and candidate lists.
func (r *Router) setProfile(a *agentRec) {
	r.releaseProfile(a)
	a.skills = a.inline[:0]
	for name, lvl := range a.a.Skills {
		a.skills = append(a.skills, skillLevel{id: r.skills.acquire(name), level: int8(lvl)})
	}
	slices.SortFunc(a.skills, func(x, y skillLevel) int { return int(x.id - y.id) })
	a.skillPos = make([]int32, len(a.skills))
	for i := range a.skillPos {
		a.skillPos[i] = -1
	}
	a.slots = make([]chanSlot, 0, len(a.a.Capacity))
	for ch, c := range a.a.Capacity {
		a.slots = append(a.slots, chanSlot{id: r.chans.acquire(ch), capacity: int32(c)})
	}
	for _, ch := range a.a.Exclusive {
		id := r.chans.acquire(ch)
		if s := a.slot(id); s != nil {
			r.chans.release(id)
			s.exclusive = true
			continue
		}
		a.slots = append(a.slots, chanSlot{id: id, exclusive: true})
	}
	a.exclusiveActive = 0
	for _, t := range a.work {
		if s := a.slot(t.ch); s != nil {
			s.load++
			if s.exclusive {
				a.exclusiveActive++
			}
		}
	}
	a.speaks = nil
	a.matcher = nil
}

// releaseProfile releases the names of the agent's skills and channels.
func (r *Router) releaseProfile(a *agentRec) {
	for _, s := range a.skills {
		r.skills.release(s.id)
	}
	for _, s := range a.slots {
		r.chans.release(s.id)
	}
	a.skills, a.slots = nil, nil
}

// markReady adds (d=1) or removes (d=-1) the agent from the per-channel ready counts. Every
// change to presence, load or profile is wrapped in markReady(-1) ... markReady(+1); the
// second call also puts the agent into the candidate lists if it can take a task on some
// channel, and takes it out otherwise.
func (r *Router) markReady(a *agentRec, d int) {
	a.readyMask = 0
	some := false
	for i := range a.slots {
		s := &a.slots[i]
		if a.available && a.fitsSlot(s) {
			r.chans.data[s.id] += d
			some = true
			if s.id < 64 {
				a.readyMask |= 1 << s.id
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
			list := &r.skills.data[s.id].byLevel[s.level]
			a.skillPos[i] = int32(len(*list))
			*list = append(*list, a)
		}
		return
	}
	r.withRoom = removeAt(r.withRoom, a.roomPos, func(m *agentRec, p int32) { m.roomPos = p })
	a.roomPos = -1
	for i, s := range a.skills {
		list := &r.skills.data[s.id].byLevel[s.level]
		*list = removeAt(*list, a.skillPos[i], func(m *agentRec, p int32) { m.skillPos[m.skillIndex(s.id)] = p })
		a.skillPos[i] = -1
	}
}

// removeAt swap-removes element p from list, telling the moved element its new position.
func removeAt(list []*agentRec, p int32, moved func(*agentRec, int32)) []*agentRec {
	last := int32(len(list) - 1)
	if p != last {
		list[p] = list[last]
		moved(list[p], p)
	}
	list[last] = nil
	return shrink(list[:last])
}

// maxSpeaks is the most answers an agent's language cache holds; tasks can carry any number
// of distinct tags, so a full cache starts over rather than grow with the history.
const maxSpeaks = 64

// speaks reports whether the agent speaks tag at the configured confidence, caching the
// matcher's answer per agent and tag.
func (r *Router) speaks(a *agentRec, tag language.Tag) bool {
	if ok, hit := a.speaks[tag]; hit {
		return ok
	}
	if len(a.speaks) >= maxSpeaks {
		clear(a.speaks)
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
