package kb_test

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// faqThread is one StackFAQ thread.
type faqThread struct {
	Question string   `xml:"question"`
	Answers  []string `xml:"answer"`
	Rephr    []string `xml:"rephr"`
}

// loadStackFAQ reads testdata/stackfaq.xml.
func loadStackFAQ(t testing.TB) []faqThread {
	t.Helper()
	f, err := os.Open("testdata/stackfaq.xml")
	require.NoError(t, err)
	defer f.Close()
	var root struct {
		Threads []faqThread `xml:"qapair"`
	}
	require.NoError(t, xml.NewDecoder(f).Decode(&root))
	for i := range root.Threads {
		th := &root.Threads[i]
		th.Question = strings.TrimSpace(th.Question)
		var qs []string
		for _, r := range th.Rephr {
			if r = strings.TrimSpace(r); r != "" && r != "*" {
				qs = append(qs, r)
			}
		}
		th.Rephr = qs
	}
	return root.Threads
}
