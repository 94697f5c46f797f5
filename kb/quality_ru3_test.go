package kb_test

import (
	"sort"
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
	byKind := map[string][]judged{}
	for _, q := range customer {
		byKind[q.kind] = append(byKind[q.kind], q)
	}
	kinds := make([]string, 0, len(byKind))
	for kind := range byKind {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		t.Logf("%-10s %v", kind, measureAs(t, k, kb.Customer, byKind[kind], nil))
	}
	tune, heldOut := halves(customer)
	all := measureAs(t, k, kb.Customer, customer, nil)
	t.Logf("ru3 customer, tune:     %v", measureAs(t, k, kb.Customer, tune, nil))
	t.Logf("ru3 customer, held-out: %v", measureAs(t, k, kb.Customer, heldOut, nil))
	t.Logf("ru3 customer, all:      %v", all)
	t.Logf("ru3 agent, all:         %v", measureAs(t, k, kb.Agent, agent, nil))
	plain, _, plainCustomer := collectionBase(t, kb.Config{IndexConfig: kb.IndexConfig{NoThesaurus: true}}, arts, qs)
	var para, plainPara []judged
	for _, q := range plainCustomer {
		if q.kind == "paraphrase" {
			plainPara = append(plainPara, q)
		}
	}
	para = byKind["paraphrase"]
	without := measureAs(t, plain, kb.Customer, plainCustomer, nil)
	t.Logf("ru3 customer, all, without the thesaurus: %v", without)
	t.Logf("ru3 paraphrase, without the thesaurus:    %v", measureAs(t, plain, kb.Customer, plainPara, nil))
	assert.GreaterOrEqual(t, all.mrr10, without.mrr10, "the thesaurus helps on a domain it was not tuned on")
	assert.GreaterOrEqual(t, measureAs(t, k, kb.Customer, para, nil).mrr10, 0.65, "paraphrase MRR@10")
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
