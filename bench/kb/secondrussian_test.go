package kb_test

import "testing"

// ru2Kinds maps each query of the second Russian collection
// (kb/testdata/ru2) to its kind: paraphrase, synonym, typo and so on.
func ru2Kinds(t testing.TB) map[string]string {
	var queries []struct{ Query, Kind string }
	readJSON(t, "../../kb/testdata/ru2/queries.json", &queries)
	kinds := make(map[string]string, len(queries))
	for _, q := range queries {
		kinds[q.Query] = q.Kind
	}
	return kinds
}
