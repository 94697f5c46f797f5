// Package kbdata reads the records of the knowledge-base test collections in
// kb/testdata (the Russian collections ru2, ru3 and ru4 and the simulated desk), for the tests of
// package kb and of the root package; their READMEs describe the fields.
package kbdata

import (
	"encoding/json"
	"os"
	"testing"
)

// Article is one article of kb/testdata/ru2, ru3 or ru4 articles.json.
type Article struct {
	ID         string   `json:"id"`         // "ru2-01" ...
	Slug       string   `json:"slug"`       // unique
	Category   string   `json:"category"`   // slash-separated path
	Tags       []string `json:"tags"`       // the article's tags
	Visibility string   `json:"visibility"` // "public" or "internal"
	Title      string   `json:"title"`      // the Russian title
	Body       string   `json:"body"`       // the Russian body
	Keywords   []string `json:"keywords"`   // the article's keywords
}

// Query is one judged query of kb/testdata/ru2, ru3 or ru4 queries.json.
type Query struct {
	ID       string   `json:"id"`       // "q2-001" ...
	Query    string   `json:"query"`    // what the customer typed
	Relevant []string `json:"relevant"` // the IDs of the articles that answer it; empty for no_answer
	Kind     string   `json:"kind"`     // paraphrase, synonym, typo, ...
	Half     string   `json:"half"`     // "tune" or "heldout"
}

// DeskTicket is one resolved ticket of kb/testdata/desk/tickets.json.
type DeskTicket struct {
	Article     string `json:"article"`     // the ru2 article that solved it
	Language    string `json:"language"`    // BCP 47; "" for Russian
	Subject     string `json:"subject"`     // the customer's subject
	Description string `json:"description"` // the customer's words
	Note        string `json:"note"`        // an agent's internal note; "" for none
}

// Decode reads the JSON file at path into v, refusing fields v does not have; any error
// fails t.
func Decode(t testing.TB, path string, v any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
