package golden_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/internal/golden"
)

func TestCompareAcceptsEqualOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	require.NoError(t, os.WriteFile(path, []byte("a\nb\n"), 0o644))
	assert.NoError(t, golden.Compare(path, []byte("a\nb\n"), false))
}

func TestCompareNamesTheFirstDifferingLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	require.NoError(t, os.WriteFile(path, []byte("a\nb\nc\n"), 0o644))
	for got, line := range map[string]string{
		"a\nB\nc\n":  "line 2",
		"a\nb\n":     "line 3",
		"a\nb\nc\nd": "line 4",
	} {
		err := golden.Compare(path, []byte(got), false)
		require.ErrorIs(t, err, golden.ErrMismatch, "%q", got)
		assert.Contains(t, err.Error(), line, "%q", got)
	}
}

func TestCompareRewritesWhenAsked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	require.NoError(t, golden.Compare(path, []byte("new\n"), true))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(b))
}

func TestCompareReportsAMissingFile(t *testing.T) {
	err := golden.Compare(filepath.Join(t.TempDir(), "none.golden"), nil, false)
	assert.True(t, errors.Is(err, fs.ErrNotExist), "%v", err)
	assert.False(t, errors.Is(err, golden.ErrMismatch))
}

func TestPathIsUnderTestdata(t *testing.T) {
	assert.Equal(t, filepath.Join("testdata", "helpdesk.golden"), golden.Path("helpdesk"))
}
