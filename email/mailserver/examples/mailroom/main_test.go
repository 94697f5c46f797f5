package main

import (
	"bufio"
	"bytes"
	"flag"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/mailroom.golden with the current output")

// runOnce runs the example on a fresh loopback listener and returns its output and the
// address it served.
func runOnce(t *testing.T) (string, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, run(&out, l))
	return out.String(), l.Addr().String()
}

// TestRunMatchesGolden checks that run prints the same on every run, and what
// testdata/mailroom.golden holds (go test -run Golden -update rewrites it).
func TestRunMatchesGolden(t *testing.T) {
	first, _ := runOnce(t)
	second, _ := runOnce(t)
	require.Equal(t, first, second, "two runs print differently")
	path := filepath.Join("testdata", "mailroom.golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(first), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), first, "go test -run Golden -update rewrites the golden file; review the diff")
}

// TestTheStoryHappens checks the facts the example exists to show, independently of the
// golden file's wording.
func TestTheStoryHappens(t *testing.T) {
	s, _ := runOnce(t)
	for _, want := range []string{
		"SMTP: MAIL FROM:<o.sidorova@sever-veter.ru> RCPT TO:<support@desk.example>, accepted\nFrom: Ольга Сидорова",
		"Action: created SUP-1",
		"Kind: out-of-office (Auto-Submitted: auto-replied)\nAction: ignored",
		"Action: commented SUP-1",
		"Failed recipients: o.sidorva@sever-veter.ru (original message <sk.mailroom-3@desk.example>)",
		"Auto-Submitted: auto-replied",
		"Attachment: ошибка.png (image/png, 128 bytes)",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "Исходное сообщение", "the quoted history is not filed")
	assert.Regexp(t, `== the agent answers SUP-1\n.*\n.*\n     In-Reply-To: <[^>]+@sever-veter\.ru>`, s, "the desk mails the answer by itself, in reply to her mail")
	assert.Equal(t, 3, bytes.Count([]byte(s), []byte("-> mail to")), "acknowledgement, answer and survey; nothing answers the robot")
	assert.Equal(t, 4, bytes.Count([]byte(s), []byte(", accepted\n")), "every message is accepted over SMTP")
}

// TestTheIntakeCloses checks that run leaves nothing listening behind it: its listener is
// closed, and whatever answers on its address afterwards (the port is free again, and a
// test running beside this one may take it) is not the intake's SMTP server.
func TestTheIntakeCloses(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, run(&out, l))
	assert.Contains(t, out.String(), "== the intake is closed\n")
	_ = l.(*net.TCPListener).SetDeadline(time.Now().Add(time.Second)) // fails once closed
	_, err = l.Accept()
	assert.ErrorIs(t, err, net.ErrClosed, "run closes its listener")
	c, err := net.DialTimeout("tcp", l.Addr().String(), time.Second)
	if err != nil {
		return
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(time.Second))
	greeting, _ := bufio.NewReader(c).ReadString('\n')
	assert.NotContains(t, greeting, "mx.desk.example", "the intake answers on %s once run has returned", l.Addr())
}

// TestRunFailsWithoutAnIntake checks that run returns an error, rather than printing a
// story, when the intake cannot serve (here its listener is already closed).
func TestRunFailsWithoutAnIntake(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, l.Close())
	var out bytes.Buffer
	assert.Error(t, run(&out, l))
	assert.NotContains(t, out.String(), "Action:")
}
