package golden_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/supportkit/supportkit/internal/golden"
)

// Compare tells whether a program's output still matches its golden file, and where it
// first differs.
func ExampleCompare() {
	dir, _ := os.MkdirTemp("", "golden")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "hello.golden")
	_ = golden.Compare(path, []byte("hello\nworld\n"), true) // -update writes the file

	fmt.Println(golden.Compare(path, []byte("hello\nworld\n"), false))
	err := golden.Compare(path, []byte("hello\nthere\n"), false)
	fmt.Println(errors.Is(err, golden.ErrMismatch))
	// Output:
	// <nil>
	// true
}
