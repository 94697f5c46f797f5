package kb_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/supportkit/supportkit/kb"
)

func TestZZGolden(t *testing.T) {
	out := os.Getenv("KB_GOLDEN")
	if out == "" {
		t.Skip()
	}
	var sb strings.Builder
	dump := func(k *kb.KB, qs []judged, aud kb.Audience) {
		for _, q := range qs {
			texts := []string{q.query, kb.SwitchLayout(q.query)}
			if r := []rune(q.query); len(r) > 4 {
				texts = append(texts, string(r[:len(r)-2]), string(r[:len(r)*2/3]))
			}
			for _, text := range texts {
				for _, off := range []int{0, 3} {
					res, err := k.Search(context.Background(), kb.Query{Text: text, Audience: aud, Limit: 12, Offset: off, Highlight: true, Facets: off == 0})
					if err != nil {
						fmt.Fprintf(&sb, "%q err %v\n", text, err)
						continue
					}
					fmt.Fprintf(&sb, "Q %d %q off=%d total=%d corr=%q dym=%q facets=%v\n", aud, text, off, res.Total, res.Corrected, res.DidYouMean, res.Facets)
					for _, h := range res.Hits {
						fmt.Fprintf(&sb, "  %s %.6g %q %v %v\n", h.Slug, h.Score, h.Snippet.Text, h.Snippet.Highlights, h.TitleHighlights)
					}
				}
			}
		}
	}
	k, agent, customer := russianBase(t)
	dump(k, agent, kb.Agent)
	dump(k, customer, kb.Customer)
	k2, qs := stackFAQBase(t)
	dump(k2, qs, kb.Customer)
	ix, vocab, rares := syntheticIndex(t, 20000, false)
	for i, w := range append(vocab[:3000:3000], rares[:3000]...) {
		for _, text := range []string{w, typoG(w, i), typoG(w, i) + " " + w[:len(w)/2]} {
			res, err := ix.Search(context.Background(), kb.Query{Text: text, Audience: kb.Customer, Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&sb, "S %q total=%d dym=%q\n", text, res.Total, res.DidYouMean)
			for _, h := range res.Hits {
				fmt.Fprintf(&sb, "  %s %.6g\n", h.Slug, h.Score)
			}
		}
	}
	if err := os.WriteFile(out, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func typoG(w string, i int) string {
	r := []byte(w)
	if len(r) < 4 {
		return w + "x"
	}
	j := 1 + i%(len(r)-2)
	r[j], r[j+1] = r[j+1], r[j]
	if i%3 == 0 {
		r[len(r)-1] = 'q'
	}
	if i%5 == 0 {
		r = append(r[:1], r[2:]...)
	}
	return string(r)
}
