// Package slabench compares sla.Calendar with rickar/cal's BusinessCalendar on the same
// calendar: 09:00-18:00 Monday to Friday in Europe/Moscow with the Russian public holidays.
// Its tests check that both give identical answers; its benchmarks time them side by side.
package slabench
