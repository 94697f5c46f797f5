package metrics

import (
	"fmt"
	"time"
)

// HoursPerWeek is the length of the hour-of-week arrays: index 0 is Monday 00:00–01:00,
// 167 is Sunday 23:00–24:00, in the zone the volume was counted in.
const HoursPerWeek = 168

// HourlyVolume turns counts by hour of week over weeks weeks (e.g. Stats.HourOfWeek of a
// report over four weeks) into mean arrivals per hour. It returns a *ValidationError wrapping
// ErrInvalid when weeks < 1 or a count is negative.
func HourlyVolume(counts [HoursPerWeek]int, weeks int) ([HoursPerWeek]float64, error) {
	var out [HoursPerWeek]float64
	if weeks < 1 {
		return out, invalid("weeks", "%d; need at least one week", weeks)
	}
	for h, c := range counts {
		if c < 0 {
			return out, invalid("counts", "negative count at hour %d", h)
		}
		out[h] = float64(c) / float64(weeks)
	}
	return out, nil
}

// WeekConfig configures PlanWeek. The zero value uses the defaults of each field.
type WeekConfig struct {
	// AHT is the mean handle time of a request; it must be positive.
	AHT time.Duration
	// Patience is the mean patience of a waiting contact; zero uses Erlang C (see Queue).
	Patience time.Duration
	// Target is the goal every hour must meet (see Target for its defaults).
	Target Target
	// NightStart and NightEnd bound the night, in hours of the day: night is
	// [NightStart, 24) ∪ [0, NightEnd). Defaults 22 and 7. Set both to the same nonzero hour
	// for no night.
	NightStart, NightEnd int
	// DayStart and DayEnd bound the weekday office hours. Defaults 9 and 18.
	DayStart, DayEnd int
	// NightShareLimit is the share of requests arriving at night below which night cover is
	// not worth it. Default 0.05: no night cover when under 5% of requests arrive at night.
	NightShareLimit float64
}

func (c WeekConfig) withDefaults() (WeekConfig, error) {
	if c.NightStart == 0 && c.NightEnd == 0 {
		c.NightStart, c.NightEnd = 22, 7
	}
	if c.DayStart == 0 && c.DayEnd == 0 {
		c.DayStart, c.DayEnd = 9, 18
	}
	if c.NightShareLimit == 0 {
		c.NightShareLimit = 0.05
	}
	switch {
	case c.AHT <= 0:
		return c, invalid("AHT", "must be positive")
	case c.NightStart < 0 || c.NightStart > 24 || c.NightEnd < 0 || c.NightEnd > 24:
		return c, invalid("NightStart", "hours must be in 0..24")
	case c.DayStart < 0 || c.DayEnd > 24 || c.DayStart >= c.DayEnd:
		return c, invalid("DayStart", "office hours must satisfy 0 ≤ DayStart < DayEnd ≤ 24")
	case !(c.NightShareLimit > 0 && c.NightShareLimit < 1):
		return c, invalid("NightShareLimit", "%v is outside (0, 1)", c.NightShareLimit)
	}
	return c, nil
}

func (c WeekConfig) isNight(hour int) bool {
	if c.NightStart == c.NightEnd {
		return false
	}
	if c.NightStart < c.NightEnd {
		return hour >= c.NightStart && hour < c.NightEnd
	}
	return hour >= c.NightStart || hour < c.NightEnd
}

// WeekPlan is the staffing of a week, hour by hour.
type WeekPlan struct {
	// Hours holds the plan of each hour of the week (zero Plan where nothing arrives).
	Hours [HoursPerWeek]Plan
	// Scheduled is the people to schedule each hour: Hours[h].Scheduled, except that night
	// hours are 0 when NightCover is false.
	Scheduled [HoursPerWeek]int
	// NightShare is the share of the week's requests that arrive at night.
	NightShare float64
	// NightCover reports whether night cover is worth it: NightShare ≥ NightShareLimit.
	NightCover bool
	// WeekdayOfficePeople is the most people needed in any weekday office hour (Monday to
	// Friday, DayStart to DayEnd): the size of the team that covers weekdays.
	WeekdayOfficePeople int
	// NightPeople is the most people needed in any night hour (0 without night cover).
	NightPeople int
	// Advice sums the plan up in sentences: the people who cover weekday office hours, and
	// whether night cover is worth it (NightShare against NightShareLimit) and with how many.
	Advice []string
}

// PlanWeek computes the agents needed in every hour of a week from the mean arrivals per hour
// (see HourlyVolume) and a target, and advises whether night cover is worth it (not when
// under NightShareLimit, 5% by default, of requests arrive at night) and how many people cover
// weekday office hours. The work is bounded for the week as a whole, not hour by hour: it
// returns a *ValidationError wrapping ErrInvalid for an invalid config, a negative or
// non-finite volume, a week with no volume at all, or offered loads that add up to more than
// MaxErlangs over the week, and a *LimitError wrapping ErrLimit when the week's Erlang A
// searches together would sum more than MaxStaffingTerms queue lengths.
func PlanWeek(volume [HoursPerWeek]float64, cfg WeekConfig) (WeekPlan, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return WeekPlan{}, err
	}
	var wp WeekPlan
	var total, night, load float64
	for h, v := range volume {
		q := Queue{Arrivals: v, AHT: cfg.AHT, Patience: cfg.Patience}
		if err := q.validate(); err != nil {
			return WeekPlan{}, invalid("volume", "hour %d: %v", h, err)
		}
		total += v
		load += q.Traffic()
		if cfg.isNight(h % 24) {
			night += v
		}
	}
	if total == 0 {
		return WeekPlan{}, invalid("volume", "no requests in the whole week (zero traffic)")
	}
	if !(load <= MaxErlangs) {
		return WeekPlan{}, invalid("volume", "the week's offered load of %v erlang-hours is above MaxErlangs (%d)", load, MaxErlangs)
	}
	w := &work{} // one budget for the whole week
	for h, v := range volume {
		p, err := agentsFor(Queue{Arrivals: v, AHT: cfg.AHT, Patience: cfg.Patience}, cfg.Target, w)
		if err != nil {
			return WeekPlan{}, err
		}
		wp.Hours[h] = p
	}
	wp.NightShare = night / total
	wp.NightCover = wp.NightShare >= cfg.NightShareLimit
	for h, p := range wp.Hours {
		day, hour := h/24, h%24
		if cfg.isNight(hour) {
			if wp.NightCover {
				wp.Scheduled[h] = p.Scheduled
				wp.NightPeople = max(wp.NightPeople, p.Scheduled)
			}
		} else {
			wp.Scheduled[h] = p.Scheduled
		}
		if day < 5 && hour >= cfg.DayStart && hour < cfg.DayEnd {
			wp.WeekdayOfficePeople = max(wp.WeekdayOfficePeople, p.Scheduled)
		}
	}
	wp.Advice = cfg.advice(&wp)
	return wp, nil
}

func (c WeekConfig) advice(wp *WeekPlan) []string {
	nightSpan := fmt.Sprintf("%02d:00-%02d:00", c.NightStart, c.NightEnd)
	var out []string
	out = append(out, fmt.Sprintf("weekdays %02d:00-%02d:00: %d people on shift cover the peak hour",
		c.DayStart, c.DayEnd, wp.WeekdayOfficePeople))
	if wp.NightCover {
		out = append(out, fmt.Sprintf("nights %s: %.1f%% of requests arrive at night, at least the %.0f%% threshold; night cover needs %d people",
			nightSpan, 100*wp.NightShare, 100*c.NightShareLimit, wp.NightPeople))
	} else {
		out = append(out, fmt.Sprintf("nights %s: only %.1f%% of requests arrive at night, under %.0f%%; no night cover, answer them when the day starts",
			nightSpan, 100*wp.NightShare, 100*c.NightShareLimit))
	}
	return out
}
