package email

import "strings"

// unflow joins the soft-broken lines of RFC 3676 format=flowed text: a line that ends in a
// space continues on the next line of the same quote depth. Space-stuffing is removed, the
// signature separator "-- " never flows, and with delSp the space before a soft break is
// deleted too. Quoted lines keep one "> " per level.
func unflow(s string, delSp bool) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	var cur strings.Builder
	open, openDepth := false, 0
	for _, line := range lines {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		text := strings.TrimPrefix(line[depth:], " ") // space-stuffing
		if open && depth != openDepth {
			out = append(out, cur.String())
			cur.Reset()
			open = false
		}
		if !open {
			cur.WriteString(strings.Repeat("> ", depth))
		}
		soft := strings.HasSuffix(text, " ") && text != "-- "
		if soft && delSp {
			text = text[:len(text)-1]
		}
		cur.WriteString(text)
		if soft {
			open, openDepth = true, depth
			continue
		}
		if text == "-- " {
			out = append(out, cur.String()) // the signature separator keeps its space
		} else {
			out = append(out, strings.TrimRight(cur.String(), " "))
		}
		cur.Reset()
		open = false
	}
	if open {
		out = append(out, strings.TrimRight(cur.String(), " "))
	}
	return strings.Join(out, "\n")
}
