package kb

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The word families Snowball keeps apart share a root; words of other
// families keep theirs.
func TestRootJoinsWordFamilies(t *testing.T) {
	families := [][]string{
		{"ошибка", "ошибок", "ошибки"},
		{"подключение", "подключить", "подключается"},
		{"доставка", "доставить", "доставлен"},
		{"обновление", "обновить", "обновляется"},
		{"заявка", "заявок"},
		{"списание", "списали"},
		{"уведомления", "уведомлять"},
	}
	for _, fam := range families {
		root := rootOf(Stem(fam[0]))
		for _, w := range fam[1:] {
			assert.Equal(t, root, rootOf(Stem(w)), "%s and %s", fam[0], w)
		}
	}
	for _, pair := range [][2]string{{"банк", "бан"}, {"блок", "бл"}, {"пароль", "пар"}, {"password", "pass"}} {
		assert.NotEqual(t, rootOf(Stem(pair[1])), rootOf(Stem(pair[0])), "%s", pair[0])
	}
	assert.Equal(t, "vpn", rootOf("vpn"))
}
