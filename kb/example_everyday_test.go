package kb_test

import (
	"context"
	"fmt"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Customers describe a problem in their own words; the built-in thesaurus of
// everyday Russian leads them to the article that says it formally.
func Example_everydayWords() {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	if err != nil {
		panic(err)
	}
	for slug, tr := range map[string]kb.Translation{
		"slow-speed":   {Title: "Низкая скорость интернета", Body: "Измерьте скорость по кабелю и перезагрузите маршрутизатор."},
		"power-outage": {Title: "Нет подключения после сбоя электропитания", Body: "Выключите роутер на минуту и включите снова."},
		"promised":     {Title: "Обещанный платёж", Body: "Услуги работают три дня, пока вы не пополните счёт."},
	} {
		err := k.Create(ctx, &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}})
		if err != nil {
			panic(err)
		}
	}
	for _, q := range []string{"инет тормозит", "после грозы ничего не работает", "зарплата только в пятницу а денег уже нет"} {
		res, err := k.Search(ctx, kb.Query{Text: q, Audience: kb.Customer})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s -> %s\n", q, res.Hits[0].Slug)
	}
	// Output:
	// инет тормозит -> slow-speed
	// после грозы ничего не работает -> power-outage
	// зарплата только в пятницу а денег уже нет -> promised
}
