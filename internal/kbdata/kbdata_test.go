package kbdata_test

import (
	"testing"

	"github.com/supportkit/supportkit/internal/kbdata"
)

// The collections decode strictly into the records: every field of the files is known.
func TestTheCollectionsDecode(t *testing.T) {
	var arts []kbdata.Article
	var queries []kbdata.Query
	var tickets []kbdata.DeskTicket
	kbdata.Decode(t, "../../kb/testdata/ru2/articles.json", &arts)
	kbdata.Decode(t, "../../kb/testdata/ru2/queries.json", &queries)
	kbdata.Decode(t, "../../kb/testdata/desk/tickets.json", &tickets)
	if len(arts) == 0 || len(queries) == 0 || len(tickets) == 0 {
		t.Fatalf("empty collection: %d articles, %d queries, %d tickets", len(arts), len(queries), len(tickets))
	}
}
