package metrics

// NPS counts Net Promoter Score answers on the 0–10 scale. The zero value is ready to use.
// NPS is a plain value and not safe for concurrent mutation.
type NPS struct {
	Promoters  int // answers 9–10
	Passives   int // answers 7–8
	Detractors int // answers 0–6
}

// Add counts one answer. A score outside 0..10 returns a *ValidationError wrapping ErrInvalid
// and is not counted.
func (n *NPS) Add(score int) error {
	switch {
	case score < 0 || score > 10:
		return invalid("score", "NPS answer %d is outside 0..10", score)
	case score >= 9:
		n.Promoters++
	case score >= 7:
		n.Passives++
	default:
		n.Detractors++
	}
	return nil
}

// Merge adds o's answers to n.
func (n *NPS) Merge(o NPS) {
	n.Promoters += o.Promoters
	n.Passives += o.Passives
	n.Detractors += o.Detractors
}

// Answers returns the number of answers counted.
func (n NPS) Answers() int { return n.Promoters + n.Passives + n.Detractors }

// Score = 100 · (Promoters − Detractors) / Answers, from −100 to 100. ok is false, and score
// 0, when there are no answers or a count is negative (counts set by hand that cannot come
// from answers).
func (n NPS) Score() (score float64, ok bool) {
	if n.Promoters < 0 || n.Passives < 0 || n.Detractors < 0 {
		return 0, false
	}
	total := n.Answers()
	if total <= 0 { // no answers, or counts so large that their sum wraps
		return 0, false
	}
	return 100 * float64(n.Promoters-n.Detractors) / float64(total), true
}

// Customers counts the customers of one period, the input of Churn.
type Customers struct {
	Start int // customers at the start of the period
	New   int // customers gained during the period
	End   int // customers at the end of the period
}

// Lost returns Start + New − End, the customers lost during the period.
func (c Customers) Lost() int { return c.Start + c.New - c.End }

// Churn = Lost / Start, the share of the customers at the start of the period who left
// during it. It returns a *ValidationError wrapping ErrInvalid when Start is not positive,
// a count is negative, or Lost is negative or above Start (the figures do not add up).
func Churn(c Customers) (float64, error) {
	switch {
	case c.Start <= 0:
		return 0, invalid("Start", "%d customers at the start; churn needs at least one", c.Start)
	case c.New < 0 || c.End < 0:
		return 0, invalid("Customers", "negative count")
	case c.Lost() < 0 || c.Lost() > c.Start:
		return 0, invalid("Customers", "lost %d is outside 0..%d", c.Lost(), c.Start)
	}
	return float64(c.Lost()) / float64(c.Start), nil
}
