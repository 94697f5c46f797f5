module github.com/supportkit/supportkit

go 1.26.0

require (
	github.com/blevesearch/snowballstem v0.9.0
	github.com/google/uuid v1.6.0
	github.com/rs/zerolog v1.35.1
	github.com/stretchr/testify v1.12.1
	golang.org/x/net v0.63.0
	golang.org/x/text v0.44.0
)

require (
	github.com/mattn/go-colorable v0.1.16 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
