package kb_test

import (
	"runtime"
	"testing"
)

// engines builds each engine for a collection: kb, Bleve, and PostgreSQL's
// full-text search requiring every query word and requiring any.
var engines = []struct {
	name  string
	build func(testing.TB, collection) engine
}{
	{"kb", func(t testing.TB, c collection) engine { return newKB(t, c) }},
	{"bleve", func(t testing.TB, c collection) engine { return newBleve(t, c) }},
	{"postgres", func(t testing.TB, c collection) engine { return newPostgres(t, c, false) }},
	{"postgres-or", func(t testing.TB, c collection) engine { return newPostgres(t, c, true) }},
}

// BenchmarkQuery runs the collection's queries round-robin: one op is one
// query returning the top 10.
func BenchmarkQuery(b *testing.B) {
	for _, c := range collections(b) {
		for _, e := range engines {
			b.Run(c.name+"/"+e.name, func(b *testing.B) {
				eng := e.build(b, c)
				defer eng.close()
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					if _, err := eng.search(c.queries[i%len(c.queries)].query, 10); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkBuild indexes the whole collection: one op is one full build. It
// reports the live heap one built index keeps in this process as heap-B
// (PostgreSQL's index lives in the server).
func BenchmarkBuild(b *testing.B) {
	for _, c := range collections(b) {
		for _, e := range engines {
			b.Run(c.name+"/"+e.name, func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					if err := e.build(b, c).close(); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				var eng engine
				b.ReportMetric(float64(retained(func() { eng = e.build(b, c) })), "heap-B")
				if err := eng.close(); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}

// retained returns the growth of the live heap across f, which builds and
// keeps an index.
func retained(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}
