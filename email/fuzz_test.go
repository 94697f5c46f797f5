package email_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/supportkit/supportkit/email"
)

var fuzzLimits = email.Limits{MaxSize: 1 << 20, MaxParts: 50, MaxDepth: 8, MaxHeader: 16 << 10, MaxAttachment: 256 << 10, MaxText: 64 << 10}

func addCorpusSeeds(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.eml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParse feeds arbitrary bytes through the whole inbound pipeline: no input may panic,
// and a parsed message never holds more than the limits allow.
func FuzzParse(f *testing.F) {
	addCorpusSeeds(f)
	f.Add([]byte(nested(12)))
	p, err := email.NewParser(email.Config{Limits: fuzzLimits})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := p.Parse(context.Background(), bytes.NewReader(raw))
		if err != nil {
			return
		}
		if len(m.Text) > fuzzLimits.MaxText+1 && !m.Truncated || len(m.HTML) > fuzzLimits.MaxText {
			t.Fatalf("body over MaxText: text %d, html %d", len(m.Text), len(m.HTML))
		}
		if len(m.Attachments) >= fuzzLimits.MaxParts {
			t.Fatalf("%d attachments with MaxParts %d", len(m.Attachments), fuzzLimits.MaxParts)
		}
		for _, a := range m.Attachments {
			if a.Size > fuzzLimits.MaxAttachment || int64(len(a.Data)) != a.Size {
				t.Fatalf("attachment of %d bytes (data %d)", a.Size, len(a.Data))
			}
			if len(a.Filename) > 255 || !utf8.ValidString(a.Filename) || strings.ContainsAny(a.Filename, `/\`) ||
				strings.ContainsFunc(a.Filename, func(r rune) bool { return !unicode.IsGraphic(r) }) {
				t.Fatalf("unsafe file name %q", a.Filename)
			}
		}
		if !utf8.ValidString(m.Subject) || !utf8.ValidString(m.From.Name) {
			t.Fatalf("header text not UTF-8: %q %q", m.Subject, m.From.Name)
		}
		email.Classify(m)
		email.ThreadOf(m, supNumbers{})
		if nt := email.NewText(m); len(nt) > len(m.Text)+len(m.HTML) {
			t.Fatalf("new text longer than the bodies")
		}
	})
}

// FuzzStrip checks that stripping never panics and never adds text.
func FuzzStrip(f *testing.F) {
	for _, s := range []string{
		"Thanks!\n\nOn Mon, Dec 1, 2025 at 10:15 AM Ann <a@b.c> wrote:\n> hi\n",
		"> q\nanswer\n> q2\n\nanswer2\n",
		"ok\n-----Исходное сообщение-----\nОт: x\n",
		"From: a\nSent: b\n",
		"-- \nsig",
		"Отправлено с iPhone",
		"01.12.2025, 10:15, \"Служба\" <s@d.ru>:\n> x",
		strings.Repeat("> ", 1000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := email.StripText(s)
		if len(out) > len(s) {
			t.Fatalf("StripText grew %d bytes to %d", len(s), len(out))
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("StripText broke UTF-8")
		}
	})
}
