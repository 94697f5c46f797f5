package kb_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/supportkit/supportkit/kb"
)

// TestQualityRU3 reports the third Russian collection (an electronics shop
// and a streaming service) by kind and half, for customers, and guards
// it. The collection checks that what was tuned on the others carries
// over to a domain they do not cover, so no query of it is ever listed:
// only figures.
func TestQualityRU3(t *testing.T) {
	_, arts, qs := loadCollection(t, "ru3")
	k, agent, customer := collectionBase(t, kb.Config{}, arts, qs)
	for _, kind := range kindsOf(customer) {
		t.Logf("%-10s %v", kind, measureAs(t, k, kb.Customer, ofKind(customer, kind), nil))
	}
	tune, heldOut := halves(customer)
	all := measureAs(t, k, kb.Customer, customer, nil)
	t.Logf("ru3 customer, tune:     %v", measureAs(t, k, kb.Customer, tune, nil))
	t.Logf("ru3 customer, held-out: %v", measureAs(t, k, kb.Customer, heldOut, nil))
	t.Logf("ru3 customer, all:      %v", all)
	t.Logf("ru3 agent, all:         %v", measureAs(t, k, kb.Agent, agent, nil))
	plain, _, plainCustomer := collectionBase(t, kb.Config{IndexConfig: kb.IndexConfig{NoThesaurus: true}}, arts, qs)
	without := measureAs(t, plain, kb.Customer, plainCustomer, nil)
	t.Logf("ru3 customer, all, without the thesaurus: %v", without)
	t.Logf("ru3 paraphrase, without the thesaurus:    %v", measureAs(t, plain, kb.Customer, ofKind(plainCustomer, "paraphrase"), nil))
	assert.GreaterOrEqual(t, all.mrr10, without.mrr10, "the thesaurus helps on a domain it was not tuned on")
	assert.GreaterOrEqual(t, measureAs(t, k, kb.Customer, ofKind(customer, "paraphrase"), nil).mrr10, 0.65, "paraphrase MRR@10")
}

// TestQualityRU4 reports the fourth Russian collection (a marketplace, its
// subscription and its payment card), a development set: its tune half's
// misses are listed to learn from, its held-out half only as figures.
func TestQualityRU4(t *testing.T) {
	_, arts, qs := loadCollection(t, "ru4")
	k, _, customer := collectionBase(t, kb.Config{}, arts, qs)
	tune, heldOut := halves(customer)
	qt := measureAs(t, k, kb.Customer, tune, logTuneMiss(t))
	qh := measureAs(t, k, kb.Customer, heldOut, nil)
	t.Logf("ru4 customer, tune:     %v", qt)
	t.Logf("ru4 customer, held-out: %v", qh)
	plain, _, plainCustomer := collectionBase(t, kb.Config{IndexConfig: kb.IndexConfig{NoThesaurus: true}}, arts, qs)
	_, plainHeld := halves(plainCustomer)
	without := measureAs(t, plain, kb.Customer, plainHeld, nil)
	t.Logf("ru4 customer, held-out, without the thesaurus: %v", without)
	assert.GreaterOrEqual(t, qh.mrr10, without.mrr10, "the thesaurus helps on a domain it was not tuned on")
}
