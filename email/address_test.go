package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

func TestFromIsReadAsClientsWriteIt(t *testing.T) {
	cases := map[string]email.Address{
		`"=?utf-8?B?0J7Qu9GM0LPQsA==?=" <olga@example.ru>`:                        {Name: "Ольга", Address: "olga@example.ru"},
		"Ольга Сидорова <olga@example.ru>":                                        {Name: "Ольга Сидорова", Address: "olga@example.ru"},
		"\xce\xeb\xfc\xe3\xe0 \xd1\xe8\xe4\xee\xf0\xee\xe2\xe0 <olga@example.ru>": {Name: "Ольга Сидорова", Address: "olga@example.ru"},
		`"Smith, John" <john@example.com>`:                                        {Name: "Smith, John", Address: "john@example.com"},
		`olga@example.ru (Ольга)`:                                                 {Name: "Ольга", Address: "olga@example.ru"},
		`<olga@example.ru>`:                                                       {Address: "olga@example.ru"},
		`Olga <olga@example.ru`:                                                   {Name: "Olga", Address: "olga@example.ru"},
		`=?windows-1251?Q?=CE=EB=FC=E3=E0?= <olga@example.ru>`:                    {Name: "Ольга", Address: "olga@example.ru"},
	}
	for from, want := range cases {
		m, err := email.Parse([]byte("From: " + from + "\r\nTo: undisclosed-recipients:;\r\nSubject: x\r\n\r\nbody"))
		require.NoError(t, err)
		assert.Equal(t, want, m.From, "%q", from)
		assert.Empty(t, m.To, "a group without members")
	}
}
