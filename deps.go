package supportkit

import (
	_ "github.com/blevesearch/snowballstem"
	_ "github.com/google/uuid"
	_ "github.com/rs/zerolog"
	_ "github.com/stretchr/testify/require"
	_ "golang.org/x/text/language"
)
