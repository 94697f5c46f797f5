package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestEraseReachesTheSubjectCopiedByAMerge checks that erasing a requester also erases
// their ticket's subject where a merge copied it, into the note on the ticket it was merged
// into (someone else's ticket that names them nowhere else), and only there.
func TestEraseReachesTheSubjectCopiedByAMerge(t *testing.T) {
	b := setup(t, ticket.Config{})
	bob := ticket.Requester{ID: "cust-2", Name: "Bob", Email: "bob@example.com"}
	hers, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "Divorce papers for HR", Requester: ann, Description: "d"})
	require.NoError(t, err)
	his, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "HR portal down", Requester: bob, Description: "d"})
	require.NoError(t, err)
	_, err = b.svc.Comment(ctx, agent, his.ID, ticket.NewComment{Body: "Divorce papers for HR are a common request."})
	require.NoError(t, err)
	_, err = b.svc.Merge(ctx, agent, hers.ID, his.ID)
	require.NoError(t, err)
	report, err := b.svc.Erase(ctx, ticket.System, ticket.Person{IDs: []string{ann.ID}})
	require.NoError(t, err)
	assert.Equal(t, 2, report.Tickets)
	comments, err := b.svc.Comments(ctx, his.ID)
	require.NoError(t, err)
	require.Len(t, comments, 3)
	assert.Equal(t, "Divorce papers for HR are a common request.", comments[1].Body, "others' text stays")
	assert.Equal(t, "Merged from "+hers.Number+": "+ticket.Erased, comments[2].Body)
	got, err := b.svc.Get(ctx, his.ID)
	require.NoError(t, err)
	assert.Equal(t, "HR portal down", got.Subject)
}
