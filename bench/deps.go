package bench

import (
	_ "github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/index/scorch"
	_ "github.com/blevesearch/bleve/v2/search/query"
	_ "github.com/rickar/cal/v2"
	_ "github.com/stretchr/testify/require"
	_ "github.com/supportkit/supportkit"
)
