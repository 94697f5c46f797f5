package metrics

import (
	"fmt"
	"slices"
)

// Every enumeration of the package has one text form, the snake_case word its String method
// returns and its MarshalText writes (so JSON and a database column hold "first_response",
// not 0). UnmarshalText accepts exactly those words and returns a *ValidationError wrapping
// ErrInvalid for any other, leaving the value unchanged.

// enumText holds the text forms of an integer enumeration whose values are first, first+1...
type enumText struct {
	typ   string   // the type's name, for errors
	first int      // value of names[0]
	names []string // text forms in value order
}

func (e enumText) name(v int) (string, bool) {
	i := v - e.first
	if i < 0 || i >= len(e.names) {
		return "", false
	}
	return e.names[i], true
}

// str returns v's text form, or "Type(v)" for a value outside the enumeration.
func (e enumText) str(v int) string {
	if s, ok := e.name(v); ok {
		return s
	}
	return fmt.Sprintf("%s(%d)", e.typ, v)
}

func (e enumText) marshal(v int) ([]byte, error) {
	if s, ok := e.name(v); ok {
		return []byte(s), nil
	}
	return nil, invalid(e.typ, "unknown value %d", v)
}

func (e enumText) parse(b []byte) (int, error) {
	if i := slices.Index(e.names, string(b)); i >= 0 {
		return e.first + i, nil
	}
	return 0, invalid(e.typ, "unknown value %q; want one of %v", b, e.names)
}

var (
	eventKindText = enumText{"EventKind", int(EventCreated), []string{"created", "set", "replied", "solved",
		"reopened", "closed", "pending", "resumed", "work_started", "work_stopped", "sla_met", "sla_breached", "csat", "ces"}}
	actorKindText   = enumText{"ActorKind", int(ActorSystem), []string{"system", "agent", "customer"}}
	dimensionText   = enumText{"Dimension", int(ByGroup), []string{"group", "channel", "priority", "type", "agent", "line", "period"}}
	periodText      = enumText{"Period", int(Month), []string{"month", "week", "day"}}
	durationKPIText = enumText{"DurationKPI", int(FRT), []string{"first_response", "first_resolution", "full_resolution",
		"requester_wait", "agent_work"}}
	fcrVariantText  = enumText{"FCRVariant", int(FCRSingleReply), []string{"single_reply", "no_customer_reply", "never_reopened"}}
	attributionText = enumText{"Attribution", int(AttributeWhenItHappened), []string{"when_it_happened", "final_owner"}}
)

// String returns the kind's text form, e.g. "work_started".
func (k EventKind) String() string { return eventKindText.str(int(k)) }

// MarshalText returns the kind's text form; an unknown kind is an error.
func (k EventKind) MarshalText() ([]byte, error) { return eventKindText.marshal(int(k)) }

// UnmarshalText sets k from its text form; an unknown word is an error.
func (k *EventKind) UnmarshalText(b []byte) error { return unmarshalEnum(eventKindText, b, k) }

// String returns the actor kind's text form: "system", "agent" or "customer".
func (a ActorKind) String() string { return actorKindText.str(int(a)) }

// MarshalText returns the actor kind's text form; an unknown kind is an error.
func (a ActorKind) MarshalText() ([]byte, error) { return actorKindText.marshal(int(a)) }

// UnmarshalText sets a from its text form; an unknown word is an error.
func (a *ActorKind) UnmarshalText(b []byte) error { return unmarshalEnum(actorKindText, b, a) }

// String returns the dimension's text form, e.g. "group" or "period".
func (d Dimension) String() string { return dimensionText.str(int(d)) }

// MarshalText returns the dimension's text form; an unknown dimension is an error.
func (d Dimension) MarshalText() ([]byte, error) { return dimensionText.marshal(int(d)) }

// UnmarshalText sets d from its text form; an unknown word is an error.
func (d *Dimension) UnmarshalText(b []byte) error { return unmarshalEnum(dimensionText, b, d) }

// String returns the period's text form: "month", "week" or "day".
func (p Period) String() string { return periodText.str(int(p)) }

// MarshalText returns the period's text form; an unknown period is an error.
func (p Period) MarshalText() ([]byte, error) { return periodText.marshal(int(p)) }

// UnmarshalText sets p from its text form; an unknown word is an error.
func (p *Period) UnmarshalText(b []byte) error { return unmarshalEnum(periodText, b, p) }

// String returns the KPI's text form, e.g. "first_response" for FRT.
func (k DurationKPI) String() string { return durationKPIText.str(int(k)) }

// MarshalText returns the KPI's text form; an unknown KPI is an error.
func (k DurationKPI) MarshalText() ([]byte, error) { return durationKPIText.marshal(int(k)) }

// UnmarshalText sets k from its text form; an unknown word is an error.
func (k *DurationKPI) UnmarshalText(b []byte) error { return unmarshalEnum(durationKPIText, b, k) }

// String returns the variant's text form, e.g. "single_reply".
func (v FCRVariant) String() string { return fcrVariantText.str(int(v)) }

// MarshalText returns the variant's text form; an unknown variant is an error.
func (v FCRVariant) MarshalText() ([]byte, error) { return fcrVariantText.marshal(int(v)) }

// UnmarshalText sets v from its text form; an unknown word is an error.
func (v *FCRVariant) UnmarshalText(b []byte) error { return unmarshalEnum(fcrVariantText, b, v) }

// String returns the attribution's text form: "when_it_happened" or "final_owner".
func (a Attribution) String() string { return attributionText.str(int(a)) }

// MarshalText returns the attribution's text form; an unknown attribution is an error.
func (a Attribution) MarshalText() ([]byte, error) { return attributionText.marshal(int(a)) }

// UnmarshalText sets a from its text form; an unknown word is an error.
func (a *Attribution) UnmarshalText(b []byte) error { return unmarshalEnum(attributionText, b, a) }

func unmarshalEnum[T ~int](e enumText, b []byte, dst *T) error {
	v, err := e.parse(b)
	if err != nil {
		return err
	}
	*dst = T(v)
	return nil
}

// unmarshalWord sets *dst to the word b when valid(b) holds, for the string enumerations.
func unmarshalWord[T ~string](typ string, b []byte, dst *T, valid func(T) bool) error {
	if !valid(T(b)) {
		return invalid(typ, "unknown value %q", b)
	}
	*dst = T(b)
	return nil
}
