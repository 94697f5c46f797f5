package email

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// GuardConfig configures a Guard. The zero value is the documented defaults.
type GuardConfig struct {
	// Own are the desk's own addresses (compared case aside): mail to them is never
	// answered automatically, whatever its kind. Each must be one bare address of at most
	// 254 bytes ("support@desk.example", not "Desk <support@desk.example>"), as
	// RendererConfig.From's is. Default none.
	Own []string
	// MaxPerWindow is the most automatic replies one address gets within Window; the next
	// is refused. Default 5.
	MaxPerWindow int
	// Window is the span MaxPerWindow counts over. Default one hour.
	Window time.Duration
	// Now reads the clock. Default time.Now.
	Now func() time.Time
}

// Guard keeps automatic replies from looping and flooding: it refuses to answer automatic
// mail, the desk's own addresses, robot addresses (mailer-daemon, postmaster, no-reply...)
// and an address that already got MaxPerWindow automatic replies within Window. Addresses
// are compared case aside and without subaddresses ("ann+tag@example.com" is
// ann@example.com). It counts
// in memory: a desk of several processes gives each its own count. It is safe for
// concurrent use. The zero Guard is one made by NewGuard with the zero GuardConfig.
type Guard struct {
	cfg   GuardConfig
	own   map[string]bool
	mu    sync.Mutex
	sent  map[string][]time.Time
	calls int
}

// NewGuard returns a Guard, or an error wrapping ErrInvalid for a negative MaxPerWindow
// or Window, or an Own entry that is not a bare address: a *ValidationError whose Field
// is "GuardConfig.Own[i]" and whose Reason quotes the entry.
func NewGuard(cfg GuardConfig) (*Guard, error) {
	if cfg.MaxPerWindow < 0 || cfg.Window < 0 {
		return nil, invalid("GuardConfig", "negative limit")
	}
	for i, a := range cfg.Own {
		if !bareAddress(a) {
			return nil, invalid(fmt.Sprintf("GuardConfig.Own[%d]", i), fmt.Sprintf("%q is not a bare address of at most 254 bytes", a))
		}
	}
	g := &Guard{cfg: cfg.withDefaults(), own: map[string]bool{}, sent: map[string][]time.Time{}}
	for _, a := range cfg.Own {
		g.own[mailbox(a)] = true
	}
	return g, nil
}

// withDefaults returns cfg with its zero fields set to their defaults.
func (cfg GuardConfig) withDefaults() GuardConfig {
	cfg.MaxPerWindow = or(cfg.MaxPerWindow, 5)
	if cfg.Window == 0 {
		cfg.Window = time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// IsOwn reports whether address is one of GuardConfig.Own, compared as Allow compares
// addresses: case aside, without a subaddress and without a trailing dot on the domain
// ("Support+x@Desk.example." is support@desk.example).
func (g *Guard) IsOwn(address string) bool { return g.own[mailbox(address)] }

var robotLocals = []string{"mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply", "donotreply", "bounce", "bounces"}

// Allow reports whether an automatic reply may go to address, answering mail of kind
// (use KindPersonal when the reply answers no message), and counts it when it may. It
// returns nil, or a *RefusedError (wrapping ErrRefused) whose Reason is "automatic mail",
// "own address", "robot address", "no address" or "flood".
func (g *Guard) Allow(address string, kind Kind) error {
	addr := mailbox(address)
	local, _, _ := strings.Cut(addr, "@")
	switch {
	case kind.Automatic():
		return &RefusedError{Reason: "automatic mail"}
	case !strings.Contains(addr, "@"):
		return &RefusedError{Reason: "no address"}
	case g.own[addr]:
		return &RefusedError{Reason: "own address"}
	case contains(robotLocals, local) || strings.HasPrefix(local, "mailer-daemon"):
		return &RefusedError{Reason: "robot address"}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sent == nil { // the zero Guard
		g.cfg, g.sent = g.cfg.withDefaults(), map[string][]time.Time{}
	}
	now := g.cfg.Now()
	g.calls++
	if g.calls%1024 == 0 {
		g.sweep(now)
	}
	recent := g.recent(addr, now)
	if len(recent) >= g.cfg.MaxPerWindow {
		g.sent[addr] = recent
		return &RefusedError{Reason: "flood"}
	}
	g.sent[addr] = append(recent, now)
	return nil
}

// mailbox is the form in which the Guard compares and counts addresses: lower-cased,
// without a subaddress ("ann+1@x" and "Ann+2@X" are ann@x's mailbox, so tagging an address
// neither escapes the flood limit nor disguises the desk's own or a robot's address) and
// without a trailing dot on the domain.
func mailbox(address string) string {
	addr := strings.ToLower(strings.TrimSpace(address))
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return addr
	}
	local, domain := addr[:at], strings.TrimSuffix(addr[at+1:], ".")
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	return local + "@" + domain
}

// recent returns addr's replies within the window before now.
func (g *Guard) recent(addr string, now time.Time) []time.Time {
	times := g.sent[addr]
	i := 0
	for i < len(times) && !times[i].After(now.Add(-g.cfg.Window)) {
		i++
	}
	return times[i:]
}

// sweep forgets addresses with no reply within the window, so that memory follows the
// active addresses only.
func (g *Guard) sweep(now time.Time) {
	for addr := range g.sent {
		if len(g.recent(addr, now)) == 0 {
			delete(g.sent, addr)
		}
	}
}
