// Package routing assigns work to agents by skill, language, line, team and free capacity:
// an in-process engine, like the routers of hosted contact-center suites, that a host
// embeds and drives.
//
// # Model
//
// An [Agent] has skills with levels 0-5, languages, a support line (1-3), teams, a capacity
// per [Channel] (chat 3, email 10, phone 1) with some channels exclusive (while on a call,
// nothing else), a [Presence] (the zero value is Available; add an agent not on shift as
// Offline) and the time it last received work. The channel constants are the ticket
// channels (email, phone, chat, web, social, messenger, api), spelt as the ticket package
// spells them; a host may use any other name too. A [Task] has a channel,
// a priority, required skills with minimum levels, preferred skills, a language (matched
// with a language.Matcher), an optional team or line restriction, an SLA deadline, the time
// it was queued, a preferred agent and agents to exclude.
//
// # Flow
//
// The host adds agents ([Router.AddAgent]) and tasks ([Router.Enqueue]), then calls
// [Router.Dispatch], which walks the queue in order (priority, then least slack to the
// deadline, then age; or [Weights], or a host ordering) and makes as many [Offer]s as free
// capacity allows. Each offer is accepted ([Router.AcceptOffer]), declined
// ([Router.DeclineOffer]) or times out ([Router.Expire]); a declined or timed-out task goes
// back to its place in the queue and is never offered to that agent again. An answer names
// its offer, so a late answer to an offer that was withdrawn and made again takes nothing.
// [Router.Complete] frees the capacity. An agent going offline ([Router.SetPresence]) gives
// back open offers at once and accepted work after a grace period. [Router.Assign] assigns
// by hand, past capacity only if forced.
//
// Among eligible agents a [Strategy] chooses: longest idle (the default), least loaded,
// round robin, best skill, or a host score. Agents with more of the task's preferred
// skills always rank first. A relaxation policy ([Step]) widens the search as a task
// waits (require preferred skills at first, then lower minimum levels, allow the next line
// or any team), and each offer records the step that matched.
//
// [Router.Explain] says in plain sentences why a task waits ("needs skill billing at level
// 3 or higher: 12 agents have it; 9 are offline, 3 are at full chat capacity now") or why
// it went to its agent ("offered to anna, the only agent who could take it (strict skill
// match)"). A task that no agent could ever take (nobody has capacity on its channel, or
// the skills, the language, the line or the team; everyone who could declined it; or
// everyone who could is offline) does not wait in silence: [Router.Unservable] lists it
// with a [Reason], Explain says so first, and [Router.Stats] counts it. The verdict follows
// the agents, so adding a capable agent clears it. Stats also lists the agents who have
// capacity on no channel and so are never offered work. [Router.Snapshot] and
// [Router.Restore] persist the whole state as plain data; every enumeration in it encodes
// as its name.
//
// # Time and concurrency
//
// A [Router] is safe for concurrent use. Dispatch, Expire, Stats, NextWake, Unservable and
// Explain take the time as an argument, and read the zero time as Config.Now(); other
// methods read Config.Now. Nothing runs in the background: a host either calls
// Dispatch and Expire from its own scheduler (with [Router.NextWake]) or runs [Router.Run],
// which does both on a ticker and hands offers to a callback.
//
// # Cost
//
// Agents who can take work now (available, with room on some channel) are indexed by skill
// and level, and counted per channel. A decision returns at once when no agent has room on
// the task's channel, and otherwise scans only the indexed agents holding the task's rarest
// required skill at the needed level, never every agent. The benchmarks compare the Router
// with a naive scan of every agent at 1,000 and 10,000 agents.
//
// The size of each agent and task is bounded ([MaxAgentSkills], [MaxTaskSkills],
// [MaxLanguages], [MaxTeams], [MaxChannels], [MaxSteps]), and so is the work of comparing
// one with the other. Memory follows the live agents and tasks: a skill or channel name is
// forgotten once no agent or live task uses it, however many distinct names went through.
package routing
