//go:build unix

package supportkit_test

import (
	"syscall"
	"time"
)

// processCPU returns the user and system CPU time the test process has used, so that a
// benchmark can report CPU per operation next to wall time on a shared machine.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
