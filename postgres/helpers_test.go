package postgres_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

// creation is a Creation as a Service makes it: a new ticket with its description and its
// first events. reason goes into the events' Reason, which the fault triggers look at.
func creation(reason string) ticket.Creation {
	id := uuid.Must(uuid.NewV7())
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return ticket.Creation{
		Ticket: ticket.Ticket{
			ID: id, Subject: "Printer jams", Status: ticket.StatusNew, Priority: ticket.PriorityNormal,
			Requester: ticket.Requester{ID: "cust-1", Email: "ann@example.com"}, Tags: []string{"printer"},
			CreatedAt: at, UpdatedAt: at, CommentCount: 1, LastEventSeq: 2,
		},
		Comments: []ticket.Comment{{ID: uuid.Must(uuid.NewV7()), TicketID: id, Seq: 1, Body: "It jams.", CreatedAt: at}},
		Events: []ticket.Event{
			{TicketID: id, Seq: 1, Kind: ticket.EventCreated, At: at, Reason: reason},
			{TicketID: id, Seq: 2, Kind: ticket.EventCommented, At: at, Reason: reason},
		},
		Number: func(seq int64) string { return fmt.Sprintf("SUP-%d", seq) },
	}
}
