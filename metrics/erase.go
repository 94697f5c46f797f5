package metrics

// RenameAssignee replaces the agent ID from with to wherever r names an assignee (Assignee
// and the owners at first reply, first solve and solve) and reports whether anything changed.
// It is how an erased agent's records keep counting: every count, time, interval, SLA outcome
// and score stays, so a report computes the same figures, with from's credited to to. A
// record keeps no customer's personal data, so erasing a customer changes no record. An
// empty from changes nothing.
func (r *Record) RenameAssignee(from, to string) bool {
	if from == "" {
		return false
	}
	changed := false
	for _, a := range []*string{&r.Assignee, &r.OwnerAtFirstReply.Assignee, &r.OwnerAtFirstSolve.Assignee, &r.OwnerAtSolve.Assignee} {
		if *a == from {
			*a, changed = to, true
		}
	}
	return changed
}

// RenameAssignee applies Record.RenameAssignee to every record the Builder holds (see there)
// and returns how many records changed. Events added later keep naming whom they name.
func (b *Builder) RenameAssignee(from, to string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, t := range b.recs {
		if t.rec.RenameAssignee(from, to) {
			n++
		}
	}
	return n
}
