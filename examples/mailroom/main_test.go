package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/internal/golden"
)

// TestRunMatchesGolden checks that run prints the same on every run, and what
// testdata/mailroom.golden holds (go test -update rewrites it).
func TestRunMatchesGolden(t *testing.T) {
	golden.Run(t, "mailroom", run)
}

// TestTheStoryHappens checks the facts the example exists to show, independently of the
// golden file's wording.
func TestTheStoryHappens(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	s := out.String()
	for _, want := range []string{
		"Action: created SUP-1",
		"Kind: out-of-office (Auto-Submitted: auto-replied)\nAction: ignored",
		"Action: commented SUP-1",
		"Failed recipients: o.sidorva@sever-veter.ru (original message <sk.mailroom-3@desk.example>)",
		"Auto-Submitted: auto-replied",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "Исходное сообщение", "the quoted history is not filed")
	assert.Regexp(t, `== the agent answers SUP-1\n.*\n.*\n     In-Reply-To: <[^>]+@sever-veter\.ru>`, s, "the desk mails the answer by itself, in reply to her mail")
	assert.Equal(t, 3, bytes.Count(out.Bytes(), []byte("-> mail to")), "acknowledgement, answer and survey; nothing answers the robot")
}
