package email_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/quotedprintable"
	"strings"
	"testing"

	"github.com/supportkit/supportkit/email"
)

// typicalMessage is a 30 KB Gmail-style reply: a short new text over a long quoted
// history, as text and HTML alternatives in quoted-printable UTF-8, Russian and English.
func typicalMessage() []byte {
	var hist, html strings.Builder
	for i := 0; hist.Len() < 5500; i++ {
		line := fmt.Sprintf("Строка истории %d: принтер на третьем этаже снова замял бумагу, the fuser was replaced.", i)
		hist.WriteString("> " + line + "\n")
		html.WriteString("<div>" + line + "</div>\n")
	}
	text := "Добрый день!\n\nПринтер снова не печатает после замены фьюзера.\n\nС уважением,\nОльга\n\n" +
		"пн, 1 дек. 2025 г. в 10:15, Служба поддержки <support@desk.example>:\n\n" + hist.String()
	htm := `<div dir="ltr">Добрый день!<br><br>Принтер снова не печатает после замены фьюзера.<br><br>С уважением,<br>Ольга</div><br>` +
		`<div class="gmail_quote"><div class="gmail_attr">пн, 1 дек. 2025 г. в 10:15, Служба поддержки:</div><blockquote class="gmail_quote">` + html.String() + `</blockquote></div>`
	var b bytes.Buffer
	b.WriteString("Received: from mail-wr1-f41.google.com (mail-wr1-f41.google.com [209.85.221.41])\r\n\tby mx.desk.example (Postfix) with ESMTPS id 4dKq2x0Rvz9\r\n\tfor <support@desk.example>; Mon, 01 Dec 2025 12:04:51 +0300\r\n")
	b.WriteString("From: =?UTF-8?B?0J7Qu9GM0LPQsA==?= <olga@example.ru>\r\nTo: support@desk.example\r\nSubject: =?UTF-8?B?UmU6IFtTVVAtMTJdINCf0YDQuNC90YLQtdGA?=\r\nDate: Mon, 01 Dec 2025 12:04:51 +0300\r\n")
	b.WriteString("Message-ID: <CAM7x9KJ2Mr=+1bcde@mail.gmail.com>\r\nIn-Reply-To: <sk.1@desk.example>\r\nReferences: <CAM7x9KJ1Lq@mail.gmail.com> <sk.1@desk.example>\r\nMIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3\"\r\n\r\n")
	for _, p := range []struct{ ct, body string }{{"text/plain", text}, {"text/html", htm}} {
		b.WriteString("--000000000000a1b2c3\r\nContent-Type: " + p.ct + "; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		w := quotedprintable.NewWriter(&b)
		w.Write([]byte(strings.ReplaceAll(p.body, "\n", "\r\n")))
		w.Close()
		b.WriteString("\r\n")
	}
	b.WriteString("--000000000000a1b2c3--\r\n")
	return b.Bytes()
}

// BenchmarkInbound parses, classifies, threads and strips a typical 30 KB reply, in
// parallel on every core; msgs/s is the throughput of the whole machine.
func BenchmarkInbound(b *testing.B) { benchInbound(b, typicalMessage()) }

// BenchmarkInboundHTMLOnly is BenchmarkInbound for a message with only its HTML part, so
// the text comes from the HTML parser (twice: the full text and the new text).
func BenchmarkInboundHTMLOnly(b *testing.B) {
	raw := typicalMessage()
	i := bytes.Index(raw, []byte("--000000000000a1b2c3\r\nContent-Type: text/html"))
	raw = append(append([]byte{}, raw[:bytes.Index(raw, []byte("--000000000000a1b2c3\r\n"))]...), raw[i:]...)
	benchInbound(b, raw)
}

// benchInbound parses, classifies, threads and strips raw in parallel on every core.
func benchInbound(b *testing.B, raw []byte) {
	p, err := email.NewParser(email.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m, err := p.Parse(context.Background(), bytes.NewReader(raw))
			if err != nil {
				b.Fatal(err)
			}
			if email.Classify(m).Kind.Automatic() || email.ThreadOf(m, supNumbers{}).Number != "SUP-12" || email.NewText(m) == "" {
				b.Fatal("wrong result")
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkLargeWithSink parses a 25 MB message with three attachments streamed to a
// counting sink; B/op shows the memory a message costs beyond its raw bytes.
func BenchmarkLargeWithSink(b *testing.B) {
	raw := bigMessage(3, 6<<20)
	p, err := email.NewParser(email.Config{Sink: countSink{}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m, err := p.Parse(context.Background(), bytes.NewReader(raw))
		if err != nil || len(m.Attachments) != 3 {
			b.Fatal(err)
		}
	}
}

func TestTypicalMessageIsAbout30KB(t *testing.T) {
	n := len(typicalMessage())
	if n < 28<<10 || n > 34<<10 {
		t.Fatalf("typical message is %d bytes", n)
	}
}
