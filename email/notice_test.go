package email_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/email"
)

var deskAddress = email.Address{Name: "Служба поддержки", Address: "support@desk.example"}

func newRenderer(t *testing.T) *email.Renderer {
	t.Helper()
	n := 0
	r, err := email.NewRenderer(email.RendererConfig{
		From:  deskAddress,
		Now:   func() time.Time { return time.Date(2025, 12, 1, 10, 15, 0, 0, time.UTC) },
		NewID: func() string { n++; return strings.Repeat("0", 3) + string(rune('0'+n)) },
	})
	require.NoError(t, err)
	return r
}

// roundTrip renders n and reads the bytes back with the parser, an independent reading of
// the headers and bodies.
func roundTrip(t *testing.T, r *email.Renderer, n email.Notice) (*email.Outgoing, *email.Message) {
	t.Helper()
	out, err := r.Render(n)
	require.NoError(t, err)
	m, err := email.Parse(out.Bytes())
	require.NoError(t, err)
	return out, m
}

func TestAcknowledgementThreadsAndIsAutoReplied(t *testing.T) {
	r := newRenderer(t)
	out, m := roundTrip(t, r, email.Notice{
		Kind: email.NoticeAcknowledgement, Language: language.MustParse("ru-RU"),
		To:     []email.Address{{Name: "Ольга Сидорова", Address: "olga@example.ru"}},
		Number: "SUP-21", Subject: "Не печатает принтер", Customer: "Ольга",
		InReplyTo: "0001@example.ru",
	})
	assert.Equal(t, "[SUP-21] Обращение зарегистрировано: Не печатает принтер", m.Subject)
	assert.Equal(t, "auto-replied", m.Header.Get("Auto-Submitted"))
	assert.Equal(t, out.MessageID, m.MessageID)
	assert.Equal(t, "sk.0001@desk.example", m.MessageID)
	assert.Equal(t, []string{"0001@example.ru"}, m.InReplyTo)
	assert.Equal(t, []string{"0001@example.ru"}, m.References)
	assert.Equal(t, "Ольга Сидорова", m.To[0].Name)
	assert.Equal(t, deskAddress, m.From)
	assert.Contains(t, m.Text, "Здравствуйте, Ольга!")
	assert.Contains(t, m.Text, "под номером SUP-21")
	assert.Contains(t, m.HTML, "<p>Здравствуйте, Ольга!</p>")
	assert.Equal(t, email.KindAutoReply, email.Classify(m).Kind, "our own acknowledgement reads as automatic to anyone")
	assert.Equal(t, "SUP-21", email.ThreadOf(m, supNumbers{}).Number)
}

func TestReminderPluralsInBothLanguages(t *testing.T) {
	r := newRenderer(t)
	cases := []struct {
		lang language.Tag
		days int
		want string
	}{
		{language.Russian, 1, "уже 1 день."},
		{language.Russian, 3, "уже 3 дня."},
		{language.Russian, 5, "уже 5 дней."},
		{language.Russian, 11, "уже 11 дней."},
		{language.Russian, 21, "уже 21 день."},
		{language.Russian, 22, "уже 22 дня."},
		{language.English, 1, "for 1 day."},
		{language.English, 2, "for 2 days."},
		{language.German, 3, "for 3 days." /* no German templates: English */},
	}
	for _, c := range cases {
		_, m := roundTrip(t, r, email.Notice{Kind: email.NoticeReminder, Language: c.lang, To: []email.Address{{Address: "a@example.com"}}, Number: "SUP-1", Days: c.days})
		assert.Contains(t, m.Text, c.want, "%s %d", c.lang, c.days)
		assert.Equal(t, "auto-generated", m.Header.Get("Auto-Submitted"))
	}
}

func TestBreachWarningCountsMinutesThenHours(t *testing.T) {
	r := newRenderer(t)
	cases := []struct {
		left time.Duration
		lang language.Tag
		want string
	}{
		{30 * time.Minute, language.English, "30 minutes left before the deadline of SUP-9."},
		{time.Minute, language.English, "1 minute left"},
		{90 * time.Minute, language.Russian, "осталось 90 минут."},
		{2 * time.Minute, language.Russian, "осталось 2 минуты."},
		{21 * time.Minute, language.Russian, "осталась 21 минута."},
		{5 * time.Hour, language.Russian, "осталось 5 часов."},
		{3 * time.Hour, language.English, "3 hours left"},
	}
	for _, c := range cases {
		_, m := roundTrip(t, r, email.Notice{Kind: email.NoticeBreachWarning, Language: c.lang, To: []email.Address{{Address: "team@desk.example"}}, Number: "SUP-9", Left: c.left, Agent: "Иван"})
		assert.Contains(t, m.Text, c.want, "%v %s", c.left, c.lang)
	}
}

func TestReplyIsNotAutomaticAndKeepsTheAgentsText(t *testing.T) {
	r := newRenderer(t)
	body := "Добрый день!\nЗамените картридж <TN-2420> & перезагрузите принтер."
	out, m := roundTrip(t, r, email.Notice{Kind: email.NoticeReply, Language: language.Russian, To: []email.Address{{Address: "olga@example.ru"}},
		Number: "SUP-21", Subject: "Принтер", Agent: "Иван", Body: body, InReplyTo: "0002@example.ru", References: []string{"0001@example.ru", "sk.0001@desk.example"}})
	assert.Empty(t, out.AutoSubmitted)
	assert.False(t, m.Header.Has("Auto-Submitted"))
	assert.Equal(t, "Re: [SUP-21] Принтер", m.Subject)
	assert.Equal(t, []string{"0001@example.ru", "sk.0001@desk.example", "0002@example.ru"}, m.References)
	assert.Contains(t, m.Text, body)
	assert.Contains(t, m.Text, "Иван, служба поддержки")
	assert.Contains(t, m.HTML, "картридж &lt;TN-2420&gt; &amp; перезагрузите", "the agent's text is escaped in HTML")
	assert.Equal(t, email.KindPersonal, email.Classify(m).Kind)
}

func TestSolvedCarriesTheSurveyLink(t *testing.T) {
	r := newRenderer(t)
	_, m := roundTrip(t, r, email.Notice{Kind: email.NoticeSolved, To: []email.Address{{Address: "ann@example.com"}}, Number: "SUP-12", Subject: "Printer", SurveyURL: "https://desk.example/survey?t=SUP-12&s=abc"})
	assert.Equal(t, "[SUP-12] Solved: Printer", m.Subject)
	assert.Contains(t, m.Text, "Please rate our work: https://desk.example/survey?t=SUP-12&s=abc")
	assert.Contains(t, m.HTML, `href="https://desk.example/survey?t=SUP-12&amp;s=abc"`)
	assert.Contains(t, m.Text, "Hello!", "no customer name: a plain greeting")
}

func TestAssignedNamesTheAgent(t *testing.T) {
	r := newRenderer(t)
	_, m := roundTrip(t, r, email.Notice{Kind: email.NoticeAssigned, Language: language.Russian, To: []email.Address{{Address: "ivan@desk.example"}}, Number: "SUP-3", Subject: "VPN", Agent: "Иван"})
	assert.Equal(t, "[SUP-3] Назначено вам: VPN", m.Subject)
	assert.Contains(t, m.Text, "Иван, обращение SUP-3 назначено вам.")
}

func TestRenderRefusesIncompleteNotices(t *testing.T) {
	r := newRenderer(t)
	to := []email.Address{{Address: "a@example.com"}}
	for _, n := range []email.Notice{
		{Kind: "fax", To: to, Number: "SUP-1"},
		{Kind: email.NoticeAcknowledgement, Number: "SUP-1"},
		{Kind: email.NoticeAcknowledgement, To: to},
		{Kind: email.NoticeReply, To: to, Number: "SUP-1"},
		{Kind: email.NoticeAssigned, To: to, Number: "SUP-1"},
	} {
		_, err := r.Render(n)
		require.ErrorIs(t, err, email.ErrInvalid, "%+v", n)
	}
	_, err := email.NewRenderer(email.RendererConfig{})
	require.ErrorIs(t, err, email.ErrInvalid)
}

func TestRendererIsSafeForConcurrentUse(t *testing.T) {
	r, err := email.NewRenderer(email.RendererConfig{From: deskAddress})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lang := []language.Tag{language.Russian, language.English}[i%2]
			for d := range 20 {
				out, err := r.Render(email.Notice{Kind: email.NoticeReminder, Language: lang, To: []email.Address{{Address: "a@example.com"}}, Number: "SUP-1", Days: d})
				assert.NoError(t, err)
				assert.NotEmpty(t, out.Text)
			}
		}()
	}
	wg.Wait()
}

// TestRenderedRecipientsAreNotTheNoticesSlice checks that a rendered notification keeps the
// recipients it was rendered and checked for: a host that reuses its Notice's To slice for
// the next notice, before the first is sent, does not redirect the first one.
func TestRenderedRecipientsAreNotTheNoticesSlice(t *testing.T) {
	r := newRenderer(t)
	to := []email.Address{{Name: "Ann", Address: "ann@example.com"}}
	out, err := r.Render(email.Notice{Kind: email.NoticeAcknowledgement, To: to, Number: "SUP-3"})
	require.NoError(t, err)
	to[0] = email.Address{Name: "Bob", Address: "bob@example.com>\r\nBcc: eve@example.com"}

	assert.Equal(t, []email.Address{{Name: "Ann", Address: "ann@example.com"}}, out.To)
	assert.Equal(t, []string{"ann@example.com"}, out.Recipients())
	m, err := email.Parse(out.Bytes())
	require.NoError(t, err)
	assert.Equal(t, []email.Address{{Name: "Ann", Address: "ann@example.com"}}, m.To)
}

// TestMessageIDPartsAreChecked checks that a Domain or a NewID result that cannot stand in a
// Message-ID is refused: raw in the header it would add fields (a Bcc) or give an ID that no
// reply threads to.
func TestMessageIDPartsAreChecked(t *testing.T) {
	for _, domain := range []string{"desk.example>\r\nBcc: eve@example.com", "desk example", "<desk.example>", "a@desk.example"} {
		_, err := email.NewRenderer(email.RendererConfig{From: deskAddress, Domain: domain})
		assert.ErrorIs(t, err, email.ErrInvalid, "%q", domain)
	}
	notice := email.Notice{Kind: email.NoticeAcknowledgement, To: []email.Address{{Address: "ann@example.com"}}, Number: "SUP-4"}
	for _, id := range []string{"", "a b", "x\r\nBcc: eve@example.com", "a@b"} {
		r, err := email.NewRenderer(email.RendererConfig{From: deskAddress, NewID: func() string { return id }})
		require.NoError(t, err)
		_, err = r.Render(notice)
		assert.ErrorIs(t, err, email.ErrInvalid, "%q", id)
	}
	r, err := email.NewRenderer(email.RendererConfig{From: deskAddress, Domain: "mail.desk.example"})
	require.NoError(t, err)
	out, m := roundTrip(t, r, notice)
	assert.True(t, strings.HasSuffix(out.MessageID, "@mail.desk.example"))
	assert.Equal(t, out.MessageID, m.MessageID)
}
