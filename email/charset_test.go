package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/supportkit/supportkit/email"
)

var russianSamples = []string{
	"Не работает принтер.",
	"Прошу сбросить пароль от почты.",
	"Добрый день! После обновления Windows не запускается 1С, пишет «нет лицензии».",
	"ЗДРАВСТВУЙТЕ, СРОЧНО НУЖЕН ДОСТУП К ПАПКЕ БУХГАЛТЕРИИ",
	"Съёмка объекта №5 перенесена; подъезд с Щукинской улицы.",
	"Ёлка в холле мешает проходу к серверной, уберите её, пожалуйста.",
	"У меня не открывается VPN-клиент Cisco AnyConnect: ошибка 0x80004005.",
	"Счёт-фактура № 1042 от 01.12.2025 не загрузилась в ЭДО.",
}

var cyrillicCharsets = map[string]*charmap.Charmap{
	"windows-1251": charmap.Windows1251,
	"koi8-r":       charmap.KOI8R,
	"iso-8859-5":   charmap.ISO8859_5,
	"cp866":        charmap.CodePage866,
}

func encode(t *testing.T, e encoding.Encoding, s string) string {
	t.Helper()
	b, err := e.NewEncoder().String(s)
	require.NoError(t, err)
	return b
}

// encodable reports whether every character of s exists in e.
func encodable(e encoding.Encoding, s string) bool {
	_, err := e.NewEncoder().String(s)
	return err == nil
}

// TestCharsetsAreDecodedWithOrWithoutTheirLabel encodes Russian text in each charset with
// x/text's encoders and checks that the parser reads it back exactly: labelled, unlabelled,
// and labelled as Latin-1 (a common mislabel).
func TestCharsetsAreDecodedWithOrWithoutTheirLabel(t *testing.T) {
	for name, cm := range cyrillicCharsets {
		for _, text := range russianSamples {
			if !encodable(cm, text) {
				continue // « », № or ё are missing from some of the old charsets
			}
			body := encode(t, cm, text)
			for _, label := range []string{name, "", "iso-8859-1", "us-ascii"} {
				ct := "text/plain"
				if label != "" {
					ct += "; charset=" + label
				}
				m, err := email.Parse([]byte("From: a@example.com\r\nSubject: x\r\nContent-Type: " + ct + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body))
				require.NoError(t, err)
				if label == name {
					assert.Equal(t, text, m.Text, "%s labelled", name)
					continue
				}
				assert.Equal(t, text, m.Text, "%s labelled %q", name, label)
			}
		}
	}
}

func TestUTF8MislabelledAsCyrillicStaysUTF8(t *testing.T) {
	for name := range cyrillicCharsets {
		m, err := email.Parse([]byte("From: a@example.com\r\nContent-Type: text/plain; charset=" + name + "\r\n\r\n" + russianSamples[2]))
		require.NoError(t, err)
		assert.Equal(t, russianSamples[2], m.Text, name)
	}
}

func TestEncodedWordsInAnyCharset(t *testing.T) {
	for name, cm := range cyrillicCharsets {
		if name == "cp866" {
			name = "ibm866"
		}
		word := "=?" + name + "?Q?"
		for _, b := range []byte(encode(t, cm, "Привет")) {
			word += "=" + string("0123456789ABCDEF"[b>>4]) + string("0123456789ABCDEF"[b&15])
		}
		word += "?="
		m, err := email.Parse([]byte("From: " + word + " <a@example.com>\r\nSubject: Re: " + word + "\r\n\r\nx"))
		require.NoError(t, err)
		assert.Equal(t, "Re: Привет", m.Subject, name)
		assert.Equal(t, "Привет", m.From.Name, name)
	}
}

// TestCyrillicTextUnderAnotherCyrillicLabelIsDetected checks that Russian text in one
// Cyrillic charset labelled as another (windows-1251 sent as koi8-r, the commonest
// mislabel) is read as the text it is, not as mojibake.
func TestCyrillicTextUnderAnotherCyrillicLabelIsDetected(t *testing.T) {
	for name, cm := range cyrillicCharsets {
		for label := range cyrillicCharsets {
			for _, text := range russianSamples {
				if label == name || !encodable(cm, text) {
					continue
				}
				m, err := email.Parse([]byte("From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=" + label + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + encode(t, cm, text)))
				require.NoError(t, err)
				assert.Equal(t, text, m.Text, "%s labelled %s", name, label)
			}
		}
	}
}
