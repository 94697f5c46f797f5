package sla

import (
	"fmt"
	"strconv"
)

// The package's enumerations encode as readable text (encoding.TextMarshaler and
// TextUnmarshaler, so JSON and most database drivers store them as strings), and
// decoding rejects any text that names no value with a *ValidationError wrapping
// ErrInvalid, leaving the receiver unchanged.

var metricNames = [metricCount]string{"first_response", "next_response", "periodic_update", "resolution"}

// MarshalText returns the metric's persisted name: "first_response", "next_response",
// "periodic_update" or "resolution", the spellings of the metrics package's SLAMetric
// constants. String returns display text with spaces instead ("first response"). An
// undefined Metric gives a *ValidationError wrapping ErrInvalid.
func (m Metric) MarshalText() ([]byte, error) {
	if m < 0 || m >= metricCount {
		return nil, invalid("Metric", "undefined metric "+strconv.Itoa(int(m)))
	}
	return []byte(metricNames[m]), nil
}

// UnmarshalText sets m from a name MarshalText returns; any other text, display text
// such as "first response" included, gives a *ValidationError wrapping ErrInvalid.
func (m *Metric) UnmarshalText(text []byte) error {
	for i, name := range metricNames {
		if string(text) == name {
			*m = Metric(i)
			return nil
		}
	}
	return invalid("Metric", fmt.Sprintf("unknown metric %q", text))
}

var outcomeNames = [...]string{"not_started", "running", "met", "breached"}

// MarshalText returns "not_started", "running", "met" or "breached". An undefined
// Outcome gives a *ValidationError wrapping ErrInvalid.
func (o Outcome) MarshalText() ([]byte, error) {
	if o < 0 || int(o) >= len(outcomeNames) {
		return nil, invalid("Outcome", "undefined outcome "+strconv.Itoa(int(o)))
	}
	return []byte(outcomeNames[o]), nil
}

// UnmarshalText sets o from a name MarshalText returns; any other text gives a
// *ValidationError wrapping ErrInvalid.
func (o *Outcome) UnmarshalText(text []byte) error {
	for i, name := range outcomeNames {
		if string(text) == name {
			*o = Outcome(i)
			return nil
		}
	}
	return invalid("Outcome", fmt.Sprintf("unknown outcome %q", text))
}

// UnmarshalText sets c from one of the category constants' text ("new", "open",
// "pending", "on-hold", "solved", "closed"), or from "" to the zero Category, the
// Event.Status of an event that leaves the status unchanged, so that an Event decodes
// from the JSON it encodes to; any other text gives a *ValidationError wrapping
// ErrInvalid. A Category is a string, so it encodes as its own text. NewPolicies still
// rejects the zero Category in Target.PauseOn.
func (c *Category) UnmarshalText(text []byte) error {
	v := Category(text)
	if v != "" && !v.valid() {
		return invalid("Category", fmt.Sprintf("unknown status category %q", text))
	}
	*c = v
	return nil
}

// MarshalText returns the kind's String ("created", "reply", ...). An undefined
// EventKind gives a *ValidationError wrapping ErrInvalid.
func (k EventKind) MarshalText() ([]byte, error) {
	if k < EventCreated || k > EventClosed {
		return nil, invalid("EventKind", "undefined event kind "+strconv.Itoa(int(k)))
	}
	return []byte(k.String()), nil
}

// UnmarshalText sets k from a name MarshalText returns; any other text gives a
// *ValidationError wrapping ErrInvalid.
func (k *EventKind) UnmarshalText(text []byte) error {
	for v := EventCreated; v <= EventClosed; v++ {
		if string(text) == v.String() {
			*k = v
			return nil
		}
	}
	return invalid("EventKind", fmt.Sprintf("unknown event kind %q", text))
}

var authorNames = [...]string{"system", "agent", "customer", "bot"}

// String returns "system", "agent", "customer" or "bot", or Author(n) for an undefined
// value.
func (a Author) String() string {
	if a < 0 || int(a) >= len(authorNames) {
		return "Author(" + strconv.Itoa(int(a)) + ")"
	}
	return authorNames[a]
}

// MarshalText returns the author's String. An undefined Author gives a
// *ValidationError wrapping ErrInvalid.
func (a Author) MarshalText() ([]byte, error) {
	if a < 0 || int(a) >= len(authorNames) {
		return nil, invalid("Author", "undefined author "+strconv.Itoa(int(a)))
	}
	return []byte(authorNames[a]), nil
}

// UnmarshalText sets a from a name MarshalText returns; any other text gives a
// *ValidationError wrapping ErrInvalid.
func (a *Author) UnmarshalText(text []byte) error {
	for i, name := range authorNames {
		if string(text) == name {
			*a = Author(i)
			return nil
		}
	}
	return invalid("Author", fmt.Sprintf("unknown author %q", text))
}
