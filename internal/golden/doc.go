// Package golden checks the output of the example programs against golden files: the
// expected output kept under testdata/<name>.golden beside the program.
//
// A program's test calls Run (or Check with output it made itself). Running the test
// with -update rewrites the golden file with the current output, to be reviewed in the
// diff before it is committed:
//
//	go test ./examples/helpdesk -run Golden -update
//
// The package is internal: it serves the repository's own tests.
package golden
