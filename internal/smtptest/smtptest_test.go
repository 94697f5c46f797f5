package smtptest_test

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/internal/smtptest"
)

func TestServerKeepsRefusesAndFails(t *testing.T) {
	srv := smtptest.Start(t, nil)
	require.NoError(t, smtp.SendMail(srv.Addr(), nil, "desk@example.com", []string{"ann@example.com"},
		[]byte("Subject: hi\r\n\r\n.hello\r\n")))
	require.Equal(t, []smtptest.Delivery{{From: "desk@example.com", To: []string{"ann@example.com"},
		Data: "Subject: hi\r\n\r\n.hello\r\n"}}, srv.Deliveries(), "dot-stuffing undone")

	var te *textproto.Error
	err := smtp.SendMail(srv.Addr(), nil, "desk@example.com", []string{"gone@reject.example"}, []byte("x\r\n"))
	require.True(t, errors.As(err, &te))
	assert.Equal(t, 550, te.Code)

	srv.SetFail(true)
	err = smtp.SendMail(srv.Addr(), nil, "desk@example.com", []string{"ann@example.com"}, []byte("x\r\n"))
	require.True(t, errors.As(err, &te))
	assert.Equal(t, 451, te.Code)
	assert.Len(t, srv.Deliveries(), 1)
}
