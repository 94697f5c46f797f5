package kb

// Ranking tunes the MemoryIndex scoring. A zero field takes the default
// given in its comment; negative values are invalid.
type Ranking struct {
	// TitleBoost weights the title field in BM25F. Default: 8.
	TitleBoost float64
	// KeywordsBoost weights the keywords and tags field in BM25F. Default: 2.
	KeywordsBoost float64
	// BodyBoost weights the body field in BM25F. Default: 1.
	BodyBoost float64
	// K1 is the BM25 term-frequency saturation. Default: 9 (high, so
	// a word in the boosted title keeps its lead over many in the body;
	// Coverage keeps one such word from beating a whole request).
	K1 float64
	// B is the BM25 length normalization for every field. Default: 0.9.
	B float64
	// PhraseBoost is added, scaled by the terms' IDF, when two query words
	// appear next to each other in order. Default: 0.1.
	PhraseBoost float64
	// ProximityBoost is added, scaled by the terms' IDF and divided by the
	// distance, when two query words appear within ProximityWindow words.
	// Default: 0.05.
	ProximityBoost float64
	// ProximityWindow is the widest gap that counts as near. Default: 4.
	ProximityWindow int
	// ExactBoost multiplies the score of an article whose title says exactly
	// what the query says (same words, same order). Default: 1.5.
	ExactBoost float64
	// FuzzyWeight is the weight of a word found with one edit; two edits
	// weigh its square. Default: 0.5.
	FuzzyWeight float64
	// PrefixWeight is the weight of a word found as a completion of a half
	// typed word. Default: 0.7.
	PrefixWeight float64
	// SynonymWeight is the weight of a word found through a synonym set.
	// Default: 0.8.
	SynonymWeight float64
	// Coverage rewards an article for matching more of the query's distinct
	// words: its score is multiplied by (words matched / words the index
	// knows)^Coverage, so one generic word in a title does not beat an
	// article that matches the whole request in its body. Default: 0.5.
	Coverage float64
	// LearnedBoost weighs a word learned from resolved tickets (KB.Learn)
	// per resolution that used it, after decay, like a field boost without
	// length normalization. Default: 2.
	LearnedBoost float64
	// KinWeight is the weight of a known word that shares the first two
	// thirds of an unknown Russian word of seven runes or more, which is
	// how colloquial forms shorten or reshape a word ("посудомойка" for
	// "посудомоечная", "мобильник" for "мобильный"). Default: 0.5.
	KinWeight float64
	// DerivedWeight is the weight of a Russian word found through the root
	// it shares with the query word, another part of speech or a form with
	// a fleeting vowel ("доставить" for "доставка", "ошибок" for
	// "ошибка"). Default: 0.7.
	DerivedWeight float64
	// TranslationWeight is the weight of a word of the other language
	// that translates a query word through the built-in support glossary
	// ("router" for "маршрутизатор" and the other way round), so a query
	// finds articles written only in the other language, and of the
	// other script's spelling of a loanword ("wi-fi" for "вайфай") in
	// articles of any language. Default: 0.8.
	TranslationWeight float64
	// EverydayWeight is the weight of a help-centre word that a customer's
	// everyday Russian word stands for through the built-in thesaurus
	// ("скорость" for "тормозит", "электропитание" for "гроза"). Default:
	// 0.4.
	EverydayWeight float64
}

func (r Ranking) withDefaults() (Ranking, error) {
	fields := []struct {
		name string
		v    *float64
		def  float64
	}{
		{"TitleBoost", &r.TitleBoost, 8},
		{"KeywordsBoost", &r.KeywordsBoost, 2},
		{"BodyBoost", &r.BodyBoost, 1},
		{"K1", &r.K1, 9},
		{"B", &r.B, 0.9},
		{"PhraseBoost", &r.PhraseBoost, 0.1},
		{"ProximityBoost", &r.ProximityBoost, 0.05},
		{"ExactBoost", &r.ExactBoost, 1.5},
		{"FuzzyWeight", &r.FuzzyWeight, 0.5},
		{"PrefixWeight", &r.PrefixWeight, 0.7},
		{"SynonymWeight", &r.SynonymWeight, 0.8},
		{"DerivedWeight", &r.DerivedWeight, 0.7},
		{"Coverage", &r.Coverage, 0.5},
		{"KinWeight", &r.KinWeight, 0.5},
		{"LearnedBoost", &r.LearnedBoost, 2},
		{"TranslationWeight", &r.TranslationWeight, 0.8},
		{"EverydayWeight", &r.EverydayWeight, 0.4},
	}
	for _, f := range fields {
		if *f.v < 0 {
			return r, invalid("Ranking."+f.name, "negative")
		}
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	if r.ProximityWindow < 0 {
		return r, invalid("Ranking.ProximityWindow", "negative")
	}
	if r.ProximityWindow == 0 {
		r.ProximityWindow = 4
	}
	return r, nil
}
