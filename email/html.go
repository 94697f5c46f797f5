package email

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText renders an HTML body as readable plain text through the HTML5 parsing
// algorithm (so broken markup reads as a browser shows it). Block elements break lines,
// list items get "- ", links keep their target when it differs from their text, scripts
// and styles are dropped, and blockquotes are prefixed with "> " per level. With newOnly,
// the quoted history is left out instead: blockquotes, Gmail's gmail_quote, Yahoo's and
// Thunderbird's quote wrappers, and everything from Outlook's divRplyFwdMsg, appendonsend
// or stopSpelling marker on.
func htmlToText(src string, newOnly bool) string {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return ""
	}
	r := &htmlRenderer{newOnly: newOnly}
	r.node(doc, 0)
	return strings.TrimSpace(r.b.String())
}

type htmlRenderer struct {
	b         strings.Builder
	newOnly   bool
	stopped   bool
	quote     int  // blockquote nesting
	lineStart bool // the next text starts a line
	space     bool // a space is pending before the next word
	blank     bool // the last line written is empty
	pre       int
}

const maxHTMLDepth = 400

func (r *htmlRenderer) node(n *html.Node, depth int) {
	if r.stopped || depth > maxHTMLDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		r.text(n.Data)
		return
	case html.ElementNode:
		if r.element(n, depth) {
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c, depth+1)
	}
}

// element renders n and reports whether its children were handled.
func (r *htmlRenderer) element(n *html.Node, depth int) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Head, atom.Title, atom.Template, atom.Noscript:
		return true
	case atom.Br:
		r.newline()
		return true
	case atom.Hr:
		if r.newOnly && attr(n, "id") == "stopSpelling" {
			r.stopped = true
			return true
		}
		r.newline()
		r.write("---")
		r.newline()
		return true
	case atom.Img:
		if alt := strings.TrimSpace(attr(n, "alt")); alt != "" {
			r.text("[" + alt + "]")
		}
		return true
	}
	if r.newOnly && isQuoteMarker(n) {
		if stopsHistory(n) {
			r.stopped = true
		}
		return true
	}
	block := isBlock(n.DataAtom)
	if block {
		r.newline()
	}
	switch n.DataAtom {
	case atom.Blockquote:
		r.quote++
		defer func() { r.quote--; r.newline() }()
	case atom.Li:
		r.text("- ")
		r.space = false
	case atom.Pre:
		r.pre++
		defer func() { r.pre-- }()
	case atom.Td, atom.Th:
		r.space = true
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		defer r.paragraphEnd()
	case atom.A:
		href := attr(n, "href")
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.node(c, depth+1)
		}
		if href != "" && !strings.HasPrefix(href, "mailto:") && !strings.HasPrefix(href, "#") && strings.TrimSpace(textOf(n)) != href {
			r.text(" <" + href + ">")
		}
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c, depth+1)
	}
	if block {
		r.newline()
	}
	return true
}

// isQuoteMarker reports whether n wraps quoted history in a client's HTML.
func isQuoteMarker(n *html.Node) bool {
	if n.DataAtom == atom.Blockquote {
		return true
	}
	id := attr(n, "id")
	if id == "divRplyFwdMsg" || id == "appendonsend" || id == "mail-editor-reference-message-container" {
		return true
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		switch c {
		case "gmail_quote", "gmail_quote_container", "yahoo_quoted", "moz-cite-prefix", "moz-forward-container",
			"OutlookMessageHeader", "protonmail_quote", "zmail_extra":
			return true
		}
	}
	return false
}

// stopsHistory reports whether everything after the marker n is history too (Outlook puts
// the quoted message after its header block rather than inside it).
func stopsHistory(n *html.Node) bool {
	id := attr(n, "id")
	return id == "divRplyFwdMsg" || id == "appendonsend" || id == "mail-editor-reference-message-container" ||
		strings.Contains(attr(n, "class"), "OutlookMessageHeader")
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, d int) {
		if d > 50 {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, d+1)
		}
	}
	walk(n, 0)
	return b.String()
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Blockquote, atom.Li, atom.Ul, atom.Ol, atom.Tr, atom.Table, atom.Pre,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Section, atom.Article, atom.Header,
		atom.Footer, atom.Address, atom.Center, atom.Dl, atom.Dt, atom.Dd, atom.Body:
		return true
	}
	return false
}

func (r *htmlRenderer) text(s string) {
	if r.pre > 0 {
		for i, line := range strings.Split(s, "\n") {
			if i > 0 {
				r.newline()
			}
			r.write(line)
		}
		return
	}
	words := strings.Fields(strings.ReplaceAll(s, "\u00a0", " "))
	if len(words) == 0 {
		if s != "" {
			r.space = true
		}
		return
	}
	if startsWithSpace(s) {
		r.space = true
	}
	for _, w := range words {
		if r.space && !r.lineStart {
			r.b.WriteByte(' ')
		}
		r.write(w)
		r.space = true
	}
	r.space = endsWithSpace(s)
}

func startsWithSpace(s string) bool {
	return s != "" && strings.TrimLeft(s, " \t\r\n\u00a0") != s
}

func endsWithSpace(s string) bool {
	return s != "" && strings.TrimRight(s, " \t\r\n\u00a0") != s
}

func (r *htmlRenderer) write(s string) {
	if r.b.Len() > 0 && r.lineStart || r.b.Len() == 0 {
		for range r.quote {
			r.b.WriteString("> ")
		}
	}
	r.b.WriteString(s)
	r.lineStart = false
	r.blank = false
}

// newline ends the current line, unless nothing was written on it.
func (r *htmlRenderer) newline() {
	if r.b.Len() == 0 || r.lineStart {
		return
	}
	r.b.WriteByte('\n')
	r.lineStart = true
	r.space = false
}

// paragraphEnd leaves one empty line after a paragraph.
func (r *htmlRenderer) paragraphEnd() {
	r.newline()
	if r.blank || r.b.Len() == 0 {
		return
	}
	if r.quote > 0 {
		r.b.WriteString(strings.TrimSpace(strings.Repeat("> ", r.quote)))
	}
	r.b.WriteByte('\n')
	r.blank = true
}
