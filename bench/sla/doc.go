// Package slabench compares sla.Calendar with rickar/cal's BusinessCalendar on the same
// calendar: 09:00-18:00 Monday to Friday in Europe/Moscow with the Russian public holidays.
// Its tests check that both give identical answers; its benchmarks time them side by side.
//
// Each peer is configured as its own documentation recommends. rickar/cal's Calendar has a
// Cacheable option for holiday definitions that do not change once added ("indicates that
// holiday calcs can be cached (don't change holiday defs while enabled)"); it is off by
// default and on here, set after the holidays are added, as a long-lived calendar in a
// support desk would use it. Its cache holds CacheMaxSize (365*3 by default) days, so the
// one-year span fits, and it is warm after the first call: the benchmarks measure the
// steady state of both calendars. The cache is a plain map, so that calendar is not safe
// for concurrent use; the benchmarks run on one goroutine. The tests check the answers with
// Cacheable on and off. sla.Calendar has no options to tune: it is built once by
// NewCalendar and is immutable.
package slabench
