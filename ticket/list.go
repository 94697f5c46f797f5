package ticket

import "slices"

const maxLimit = 1000

// compact returns vs sorted without duplicates, in a new slice (the caller's is untouched).
func compact[T ~string](vs []T) []T {
	if len(vs) < 2 {
		return vs
	}
	out := slices.Clone(vs)
	slices.Sort(out)
	return slices.Compact(out)
}

func checkQuery(q *Query) error {
	for _, st := range q.Statuses {
		if !st.Valid() {
			return invalid("statuses", "unknown status "+quote(st))
		}
	}
	for _, p := range q.Priorities {
		if !p.Valid() {
			return invalid("priorities", "unknown priority "+quote(p))
		}
	}
	// Each listed ticket is checked against every value: duplicates would multiply that work
	// without changing the answer.
	q.Statuses = compact(q.Statuses)
	q.Priorities = compact(q.Priorities)
	if q.Limit < 0 || q.Limit > maxLimit {
		return invalid("limit", "must be 0 to 1000")
	}
	if q.Tag != "" {
		tag, err := NormalizeTag(q.Tag)
		if err != nil {
			return err
		}
		q.Tag = tag
	}
	for field, v := range map[string]string{"assignee": q.Assignee, "group": q.Group, "requester": q.Requester, "organization": q.Organization} {
		if err := checkText(field, v, 254, false); err != nil {
			return err
		}
	}
	return checkVisibility(q.Visible)
}

// maxVisible bounds each set of a Visibility, so that a policy's filter stays a query a
// store can run.
const maxVisible = 1000

func checkVisibility(v *Visibility) error {
	if v == nil {
		return nil
	}
	for field, vs := range map[string][]string{
		"visible.requesters": v.Requesters, "visible.organizations": v.Organizations,
		"visible.groups": v.Groups, "visible.assignees": v.Assignees,
	} {
		if len(vs) > maxVisible {
			return invalid(field, "more than "+itoa(maxVisible)+" values")
		}
		for _, x := range vs {
			if err := checkText(field, x, 254, false); err != nil {
				return err
			}
		}
	}
	return nil
}
