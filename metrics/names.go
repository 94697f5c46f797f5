package metrics

import "slices"

// SLAMetric names an SLA metric in Record.SLA, Stats.SLA and Targets.MinSLA. The four
// standard metrics have constants; a host may record metrics of its own under any other
// name of the same shape: 1 to 64 lower-case ASCII letters, digits and underscores, starting
// with a letter (e.g. "callback_within_1h"). The shape is checked (Record.Validate,
// Builder.Add, UnmarshalText) because a name with a space or a capital, such as
// "first response", is a display spelling of a standard metric, and accepting it would count
// the same clock under two names.
type SLAMetric string

// The standard SLA metrics, spelled as the sla package spells its metrics' text form.
const (
	SLAFirstResponse  SLAMetric = "first_response"  // the first public agent reply
	SLANextResponse   SLAMetric = "next_response"   // each agent reply after a customer reply
	SLAPeriodicUpdate SLAMetric = "periodic_update" // the agent updates while the ticket is open
	SLAResolution     SLAMetric = "resolution"      // the solve
)

// maxSLAMetricLen bounds the length of an SLA metric name.
const maxSLAMetricLen = 64

// Valid reports whether m is a well-formed metric name (see SLAMetric).
func (m SLAMetric) Valid() bool {
	if len(m) == 0 || len(m) > maxSLAMetricLen || m[0] < 'a' || m[0] > 'z' {
		return false
	}
	for _, c := range []byte(m) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// String returns the name.
func (m SLAMetric) String() string { return string(m) }

// MarshalText returns the name; a malformed name is an error. The empty name, the zero
// value ("no metric"), encodes as "".
func (m SLAMetric) MarshalText() ([]byte, error) {
	if m != "" && !m.Valid() {
		return nil, invalid("SLAMetric", "malformed name %q", string(m))
	}
	return []byte(m), nil
}

// UnmarshalText sets m to the name b ("" included); a malformed name is an error and leaves
// m unchanged.
func (m *SLAMetric) UnmarshalText(b []byte) error {
	return unmarshalWord("SLAMetric", b, m, func(m SLAMetric) bool { return m == "" || m.Valid() })
}

// Clock says how a duration was measured: in business hours of a Calendar or in elapsed
// wall-clock time. Every Summary and every duration line of a Scorecard carries its clock.
type Clock string

// The clocks.
const (
	ClockWall     Clock = "wall_clock"     // every hour counts (WallClock)
	ClockBusiness Clock = "business_hours" // only the working time of the report's Calendar
)

// Valid reports whether c is ClockWall or ClockBusiness.
func (c Clock) Valid() bool { return c == ClockWall || c == ClockBusiness }

// String returns the clock's text form, e.g. "business_hours".
func (c Clock) String() string { return string(c) }

// Label returns the clock in plain words for a table: "business hours", "wall clock", or
// "-" for the zero Clock (a rate, measured by no clock) and unknown clocks.
func (c Clock) Label() string {
	switch c {
	case ClockBusiness:
		return "business hours"
	case ClockWall:
		return "wall clock"
	}
	return "-"
}

// MarshalText returns the clock's text form; an unknown clock is an error. The zero Clock
// (no clock, or automatic in Targets) encodes as "".
func (c Clock) MarshalText() ([]byte, error) {
	if c != "" && !c.Valid() {
		return nil, invalid("Clock", "unknown value %q", string(c))
	}
	return []byte(c), nil
}

// UnmarshalText sets c from its text form ("" included); an unknown word is an error and
// leaves c unchanged.
func (c *Clock) UnmarshalText(b []byte) error {
	return unmarshalWord("Clock", b, c, func(c Clock) bool { return c == "" || c.Valid() })
}

// KPI names a line of a Scorecard. Its text is stable: hosts may store it and compare it.
type KPI string

// The KPIs a Scorecard checks.
const (
	KPIAverageFirstResponse   KPI = "average_first_response"   // mean FirstResponseTime
	KPIFirstContactResolution KPI = "first_contact_resolution" // FCR under Targets.FCRVariant
	KPICSAT                   KPI = "csat"                     // share of CSAT answers of 4 or 5
	KPIAverageResolution      KPI = "average_resolution"       // mean FullResolutionTime
	KPISLAAttainment          KPI = "sla_attainment"           // met / decided for one SLAMetric
)

var kpis = []KPI{KPIAverageFirstResponse, KPIFirstContactResolution, KPICSAT, KPIAverageResolution, KPISLAAttainment}

// Valid reports whether k is one of the KPI constants.
func (k KPI) Valid() bool { return slices.Contains(kpis, k) }

// String returns the KPI's text form, e.g. "average_first_response".
func (k KPI) String() string { return string(k) }

// MarshalText returns the KPI's text form; an unknown KPI is an error. The zero KPI
// encodes as "".
func (k KPI) MarshalText() ([]byte, error) {
	if k != "" && !k.Valid() {
		return nil, invalid("KPI", "unknown value %q", string(k))
	}
	return []byte(k), nil
}

// UnmarshalText sets k from its text form ("" included); an unknown word is an error and
// leaves k unchanged.
func (k *KPI) UnmarshalText(b []byte) error {
	return unmarshalWord("KPI", b, k, func(k KPI) bool { return k == "" || k.Valid() })
}
