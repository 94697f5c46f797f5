package supportkit

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"slices"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/ticket"
)

// Erase removes a person's data from every part of the Desk, keeping what reports count:
//
//   - tickets, comments, events and attachments' metadata, as ticket.Service.Erase does
//     (the store must be a ticket.Eraser);
//   - the knowledge base's recorded search queries and click feedback, when the Desk has
//     a KB (the queries of analytics that can rewrite them, kb.AnalyticsEraser): the
//     person's data in any query is replaced as in ticket text, and the counts stay;
//   - the words the knowledge base learned from the erased tickets (kb.KB.Learn): the Desk
//     applies each ticket's erasure event by teaching it the ticket's redacted words in
//     place of the old ones, so it holds what a Desk loading the redacted store learns;
//   - the metrics records: an agent's ID (one of the person's IDs, or one of their emails
//     in any case, as on the tickets) becomes the report's pseudonym, so their figures
//     still add up (records hold no customer data).
//
// It returns the tickets' report; its Files are the attachments the host must delete.
// Under a ticket policy the actor must be allowed to erase (ticket.ActionErase). Errors are
// those of ticket.Service.Erase and kb.KB.RewriteQueries.
func (d *Desk) Erase(ctx context.Context, actor ticket.Actor, p ticket.Person) (ticket.ErasureReport, error) {
	scrub, err := ticket.NewScrubber(p)
	if err != nil {
		return ticket.ErasureReport{}, err
	}
	report, err := d.tickets.Erase(ctx, actor, p)
	if err != nil {
		return report, err
	}
	for _, id := range erasedAssignees(d.records.Records(), scrub) {
		d.records.RenameAssignee(id, report.Pseudonym)
	}
	if d.cfg.KB != nil {
		if _, err := d.cfg.KB.RewriteQueries(ctx, scrub.Scrub); err != nil && !errors.Is(err, kb.ErrInvalid) {
			return report, err
		}
	}
	return report, nil
}

// erasedAssignees returns the assignees named in records that are the scrubber's person:
// one of their IDs, or one of their emails in any case, as the tickets' erasure finds them.
func erasedAssignees(records iter.Seq[metrics.Record], scrub *ticket.Scrubber) []string {
	var out []string
	for r := range records {
		for _, a := range []string{r.Assignee, r.OwnerAtFirstReply.Assignee, r.OwnerAtFirstSolve.Assignee, r.OwnerAtSolve.Assignee} {
			if scrub.Is(a) && !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// PersonalExport is everything a Desk holds about a person (Desk.Export).
type PersonalExport struct {
	Tickets ticket.PersonalData `json:"tickets"` // what the tickets hold (ticket.Service.Export)
	// Searches are the recorded knowledge-base search queries that hold the person's data,
	// with their counts; empty without a KB or with analytics that cannot list queries.
	Searches []kb.Gap `json:"searches"`
}

// Export returns, as JSON, everything the Desk holds about a person (PersonalExport): the
// tickets' data and the search queries that name them. Metrics records hold no customer
// data and an agent's records only their ID, so they add nothing. Under a ticket policy the
// actor must be allowed to export (ticket.ActionExport). Errors as ticket.Service.Export.
func (d *Desk) Export(ctx context.Context, actor ticket.Actor, p ticket.Person) ([]byte, error) {
	scrub, err := ticket.NewScrubber(p)
	if err != nil {
		return nil, err
	}
	data, err := d.tickets.Export(ctx, actor, p)
	if err != nil {
		return nil, err
	}
	out := PersonalExport{Tickets: data, Searches: []kb.Gap{}}
	if d.cfg.KB != nil {
		found, err := d.cfg.KB.Queries(ctx, scrub.Holds)
		if err != nil && !errors.Is(err, kb.ErrInvalid) {
			return nil, err
		}
		out.Searches = append(out.Searches, found...)
	}
	return json.Marshal(out)
}
