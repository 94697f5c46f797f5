//go:build unix

package postgres_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, user and system: the Desk's side of a
// restart, which the load of a shared machine changes less than the time it takes.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
