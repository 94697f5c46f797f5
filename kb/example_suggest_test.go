package kb_test

import (
	"context"
	"fmt"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Suggest articles for a new ticket from its subject and description, with a
// snippet whose highlights are rune offsets.
func ExampleKB_SuggestForTicket() {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{SuggestLimit: 2})
	if err != nil {
		panic(err)
	}
	for slug, tr := range map[string]kb.Translation{
		"refund":   {Title: "Возврат денег за заказ", Body: "Деньги вернутся на карту за 10 дней после отмены заказа."},
		"delivery": {Title: "Сроки доставки", Body: "Курьер привезёт заказ за 2–5 дней."},
	} {
		err := k.Create(ctx, &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}})
		if err != nil {
			panic(err)
		}
	}
	hits, err := k.SuggestForTicket(ctx, "Когда вернут деньги?", "Отменил заказ неделю назад, деньги на карту не пришли.", language.Russian, kb.Customer)
	if err != nil {
		panic(err)
	}
	h := hits[0]
	fmt.Println(h.Slug, h.Title)
	body := []rune(h.Snippet.Text)
	for _, s := range h.Snippet.Highlights {
		fmt.Printf("[%s]", string(body[s.Start:s.End]))
	}
	fmt.Println()
	// Output:
	// refund Возврат денег за заказ
	// [Деньги][вернутся][карту][отмены][заказа]
}
