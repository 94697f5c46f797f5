package kb

import "strings"

// englishStopWords are frequent English function words that carry no topic.
const englishStopWords = `a about above after again against all am an and any are as at be because
been before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves i'm i'd i've i'll it's don't doesn't
didn't isn't can't won't there's what's let's`

// russianStopWords are frequent Russian function words, already folded (ё → е).
const russianStopWords = `а без более бы был была были было быть в вам вас весь во вот все всего
всех вы где да даже для до его ее если есть еще же за здесь и из или им их к как ко когда кто ли
либо мне может мы на над надо наш не него нее нет ни них но ну о об однако он она они оно от очень
по под при с со так также такой там те тем то того тоже той только том ты у уже хотя чего чей чем
что чтобы чье чья эта эти это этого этой этом этот я мой моя мое мои меня мы нам нас себя свой свою
сам сама само уж вы ваш ваша ваше ваши вам вами ли бы будет будут`

// StopWords returns the built-in folded stop words of Russian and English in
// one set. Each call returns a new map that the caller may change.
func StopWords() map[string]bool {
	m := make(map[string]bool)
	for _, list := range []string{englishStopWords, russianStopWords} {
		for _, w := range strings.Fields(list) {
			m[w] = true
		}
	}
	return m
}
