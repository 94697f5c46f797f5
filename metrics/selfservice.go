package metrics

// SelfService is what customers did in the help center before (or instead of) raising a
// ticket: the input of the deflection rate and of each article's effectiveness. A visit is
// counted once it is finished (no search or opened article for a while, as the host's
// knowledge base judges it); visits that opened no article are not counted, since nothing
// in them can have deflected a ticket.
type SelfService struct {
	// Searches counts customer searches.
	Searches int
	// Sessions counts finished visits that opened an article.
	Sessions int
	// Deflected counts those of the Sessions that raised no ticket.
	Deflected int
	// Articles lists what customers did with each article they were shown, in the order the
	// host gives.
	Articles []ArticleSelfService
}

// ArticleSelfService is what customers did with one article in the help center.
type ArticleSelfService struct {
	// Article is the host's ID of the article.
	Article string
	// Impressions counts the searches that showed it.
	Impressions int
	// Clicks counts the times it was opened from a search.
	Clicks int
	// Deflected counts finished visits whose last opened article it was and that raised no
	// ticket.
	Deflected int
	// TicketsAfter counts finished visits whose last opened article it was and that raised a
	// ticket.
	TicketsAfter int
}

// DeflectionRate = Deflected / Sessions: the share of visits that read an article and
// needed no ticket. ok is false when Sessions is zero, or the counts are negative or
// Deflected exceeds Sessions (nothing can be measured).
func (s SelfService) DeflectionRate() (rate float64, ok bool) {
	return share(s.Deflected, s.Sessions)
}

// Effectiveness = Deflected / (Deflected + TicketsAfter): the share of the visits an article
// ended that needed no ticket. ok is false when no visit ended on it, or a count is negative.
func (a ArticleSelfService) Effectiveness() (rate float64, ok bool) {
	if a.TicketsAfter < 0 {
		return 0, false
	}
	return share(a.Deflected, a.Deflected+a.TicketsAfter)
}

// share returns part / of, ok false unless 0 <= part <= of and of > 0.
func share(part, of int) (float64, bool) {
	if part < 0 || of <= 0 || part > of {
		return 0, false
	}
	return float64(part) / float64(of), true
}
