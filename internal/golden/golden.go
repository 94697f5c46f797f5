package golden

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata with the current output")

// ErrMismatch is returned by Compare when the output differs from the golden file.
var ErrMismatch = errors.New("golden: output differs from the golden file")

// Path returns the golden file of name, testdata/<name>.golden, relative to the test's
// working directory (the package being tested).
func Path(name string) string {
	return filepath.Join("testdata", name+".golden")
}

// Compare compares got with the file at path. With rewrite true it first writes got to
// the file (creating or truncating it), so the comparison then succeeds. It returns an
// error wrapping ErrMismatch that names the first differing line when the contents
// differ, and the error of reading or writing the file when that fails (a missing file
// is an error wrapping fs.ErrNotExist).
func Compare(path string, got []byte, rewrite bool) error {
	if rewrite {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			return err
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if bytes.Equal(want, got) {
		return nil
	}
	return fmt.Errorf("%w %s: %s", ErrMismatch, path, firstDifference(want, got))
}

// firstDifference describes the first line where want and got differ.
func firstDifference(want, got []byte) string {
	w, g := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := range max(len(w), len(g)) {
		var wl, gl []byte
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if !bytes.Equal(wl, gl) || i >= len(w) || i >= len(g) {
			return fmt.Sprintf("line %d: want %q, got %q", i+1, wl, gl)
		}
	}
	return "contents differ"
}

// Check fails t unless got equals the golden file of name (see Path); the test flag
// -update rewrites the file with got first.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	if err := Compare(Path(name), got, *update); err != nil {
		t.Error(err)
	}
}

// Run runs a program twice, each time printing to a fresh buffer, and fails t unless
// both runs succeed, print the same, and match the golden file of name (see Check).
func Run(t testing.TB, name string, run func(io.Writer) error) {
	t.Helper()
	var first, second bytes.Buffer
	if err := run(&first); err != nil {
		t.Fatalf("first run: %v", err)
	}
	if err := run(&second); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("two runs print differently: %s", firstDifference(first.Bytes(), second.Bytes()))
	}
	Check(t, name, first.Bytes())
}
