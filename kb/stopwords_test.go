package kb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Regression: "хочу", "могу", "который" and the like counted as topic
// words, so a request that says what it wants in them matched every
// article that happens to use them and lost part of its relevance on the
// article that answers it.
func TestWordsOfWantingAreStopWords(t *testing.T) {
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	for slug, tr := range map[string]kb.Translation{
		"return-goods": {Title: "Хочу вернуть товар, который не подошел", Body: "Могу ли я вернуть товар? Да, в течение 14 дней."},
		"change-plan":  {Title: "Смена тарифа", Body: "Чтобы сменить тариф, откройте личный кабинет."},
	} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}}))
	}
	res, err := k.Search(context.Background(), kb.Query{Text: "хочу сменить тариф который могу", Audience: kb.Customer, Relevance: true})
	require.NoError(t, err)
	require.Len(t, res.Hits, 1, "only the article about the plan")
	assert.Equal(t, "change-plan", res.Hits[0].Slug)
	assert.InDelta(t, 1, res.Hits[0].Relevance, 1e-9)
}

// russianParadigms are every form, ё folded, of the pronouns and verbs the
// Russian stop list keeps, by the grammar rather than by the list.
var russianParadigms = map[string]string{
	"мой":     "мой моя мое мои моего моей моему моим моем мою моих моими",
	"твой":    "твой твоя твое твои твоего твоей твоему твоим твоем твою твоих твоими",
	"свой":    "свой своя свое свои своего своей своему своим своем свою своих своими",
	"наш":     "наш наша наше наши нашего нашей нашему нашим нашем нашу наших нашими",
	"ваш":     "ваш ваша ваше ваши вашего вашей вашему вашим вашем вашу ваших вашими",
	"который": "который которая которое которые которого которой которому которым котором которую которых которыми",
	"какой":   "какой какая какое какие какого какому каким каком какую каких какими",
	"сам":     "сам сама само сами самого самой самому самим самом саму самих самими",
	"хотеть":  "хотеть хочу хочешь хочет хотим хотите хотят хотел хотела хотело хотели",
	"мочь":    "мочь могу можешь может можем можете могут мог могла могло могли",
}

// Regression: the stop list held some forms of "мой", "свой", "мочь" and
// the like but not others ("мою", "своя", "можете"), so those were topic
// words whose stems matched the listed forms wherever an index kept them.
func TestStopWordsHoldWholeParadigms(t *testing.T) {
	stop := kb.StopWords()
	an := kb.NewAnalyzer(language.Russian)
	for lemma, forms := range russianParadigms {
		for _, f := range strings.Fields(forms) {
			assert.True(t, stop[f], "%s: %s", lemma, f)
			assert.Empty(t, an.Analyze(f), "%s: %s", lemma, f)
		}
	}
}

// Regression: tickets that said "мою" and "моей" taught their article the
// stem of "мой", so any request with a form of "мой" leaned to it.
func TestLearningSkipsEveryFormOfAPronoun(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	ids := map[string]uuid.UUID{}
	for slug, tr := range map[string]kb.Translation{
		"tariff": {Title: "Смена тарифа", Body: "Новый тариф начинает действовать с первого числа."},
		"sim":    {Title: "Блокировка SIM-карты", Body: "Заблокировать SIM-карту можно в приложении или по телефону."},
	} {
		a := &kb.Article{ID: uuid.New(), Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}}
		require.NoError(t, k.Create(ctx, a))
		ids[slug] = a.ID
	}
	for _, text := range []string{"поменяйте мою подписку на дешевле", "смените тариф на моей линии"} {
		require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: ids["tariff"], Language: language.Russian, Public: []string{text}}))
	}
	res, err := k.Search(ctx, kb.Query{Text: "заблокировать мою sim-карту", Audience: kb.Customer})
	require.NoError(t, err)
	require.Len(t, res.Hits, 1, "only the article about the SIM card")
	assert.Equal(t, "sim", res.Hits[0].Slug)
}
