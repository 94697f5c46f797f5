package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/mailroom.golden with the current output")

func TestRunMatchesGolden(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	golden := filepath.Join("testdata", "mailroom.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), out.String())
}

func TestRunIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(&a))
	require.NoError(t, run(&b))
	assert.Equal(t, a.String(), b.String())
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
