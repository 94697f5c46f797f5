package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/supportkit/supportkit/ticket"
)

// maxLimit caps Query.Limit.
const maxLimit = 1000

// List implements ticket.Store. Every filter is a condition on an indexed column (tags: a GIN
// index), and the page is read in ID order from the (tenant, id) index or the filter's own
// index, as the planner finds cheaper. Limit is capped at 1000. A filter on text PostgreSQL
// cannot hold (invalid UTF-8, a NUL byte) admits nothing, as no stored ticket has it.
func (s *TicketStore) List(ctx context.Context, q ticket.Query) (ticket.Page, error) {
	if !storableQuery(q) {
		// A filter no stored text can equal admits nothing.
		return ticket.Page{Tickets: []ticket.Ticket{}}, ctx.Err()
	}
	sql, args := s.listSQL(q)
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return ticket.Page{}, wrap(ctx, "list", err)
	}
	limit := pageLimit(q.Limit)
	page := ticket.Page{Tickets: []ticket.Ticket{}}
	var tenant, number string
	var version int64
	var data pgtype.DriverBytes // the row's own bytes, decoded before the next row is read
	_, err = pgx.ForEachRow(rows, []any{&tenant, &number, &version, &data}, func() error {
		t, err := decodeTicket(tenant, number, version, data)
		if err != nil {
			return err
		}
		page.Tickets = append(page.Tickets, t)
		return nil
	})
	if err != nil {
		return ticket.Page{}, wrap(ctx, "list", err)
	}
	if len(page.Tickets) > limit {
		page.Tickets = page.Tickets[:limit]
		page.Next = page.Tickets[limit-1].ID
	}
	return page, nil
}

// storableQuery reports whether every text q filters on by equality is text PostgreSQL can
// hold.
func storableQuery(q ticket.Query) bool {
	texts := append([]string{q.Tenant, q.Assignee, q.Group, q.Requester, q.Organization, q.Tag},
		append(strs(q.Statuses), strs(q.Priorities)...)...)
	for _, s := range texts {
		if storable(s) != nil {
			return false
		}
	}
	return true
}

func pageLimit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, maxLimit)
}

// listSQL builds the query of a listing: one more ticket than the page, to know whether a
// next page exists.
func (s *TicketStore) listSQL(q ticket.Query) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where = append(where, "tenant = "+arg(q.Tenant))
	if q.After != uuid.Nil {
		where = append(where, "id > "+arg(q.After))
	}
	if len(q.Statuses) > 0 {
		where = append(where, anyOf("status", strs(q.Statuses), arg))
	}
	if len(q.Priorities) > 0 {
		where = append(where, anyOf("priority", strs(q.Priorities), arg))
	}
	if q.Assignee != "" {
		where = append(where, "assignee = "+arg(q.Assignee))
	}
	if q.Group != "" {
		where = append(where, "grp = "+arg(q.Group))
	}
	if q.Requester != "" {
		where = append(where, fmt.Sprintf("(requester_id = %s OR requester_email = %s)",
			arg(q.Requester), arg(strings.ToLower(q.Requester))))
	}
	if q.Organization != "" {
		where = append(where, "organization = "+arg(q.Organization))
	}
	if q.Tag != "" {
		where = append(where, "tags @> ARRAY["+arg(q.Tag)+"::text]")
	}
	if !q.UpdatedSince.IsZero() {
		where = append(where, "updated_ns >= "+arg(nanos(q.UpdatedSince)))
	}
	if v := q.Visible; v != nil {
		where = append(where, visibleSQL(v, arg))
	}
	sql := "SELECT tenant, number, version, data FROM " + s.q.schema + ".tickets WHERE " +
		strings.Join(where, " AND ") + " ORDER BY id LIMIT " + arg(pageLimit(q.Limit)+1)
	return sql, args
}

// anyOf is the condition that col is one of vals: an equality for one value, so that the
// planner can read the page in ID order from the column's index.
func anyOf(col string, vals []string, arg func(any) string) string {
	if len(vals) == 1 {
		return col + " = " + arg(vals[0])
	}
	return col + " = ANY(" + arg(vals) + "::text[])"
}

// visibleSQL is the condition that admits what v admits.
func visibleSQL(v *ticket.Visibility, arg func(any) string) string {
	v = storableVisibility(v)
	var any []string
	if len(v.Requesters) > 0 {
		lower := make([]string, len(v.Requesters))
		for i, r := range v.Requesters {
			lower[i] = strings.ToLower(r)
		}
		any = append(any, "requester_id = ANY("+arg(v.Requesters)+"::text[])",
			"(requester_email <> '' AND requester_email = ANY("+arg(lower)+"::text[]))")
	}
	for col, vals := range map[string][]string{"organization": v.Organizations, "grp": v.Groups, "assignee": v.Assignees} {
		if len(vals) > 0 {
			any = append(any, "("+col+" <> '' AND "+col+" = ANY("+arg(vals)+"::text[]))")
		}
	}
	if len(any) == 0 {
		return "false"
	}
	return "(" + strings.Join(any, " OR ") + ")"
}

// storableVisibility returns v without the values PostgreSQL text cannot hold, which no
// stored ticket has.
func storableVisibility(v *ticket.Visibility) *ticket.Visibility {
	keep := func(vals []string) []string {
		return slices.DeleteFunc(slices.Clone(vals), func(s string) bool { return storable(s) != nil })
	}
	return &ticket.Visibility{Requesters: keep(v.Requesters), Organizations: keep(v.Organizations),
		Groups: keep(v.Groups), Assignees: keep(v.Assignees)}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
