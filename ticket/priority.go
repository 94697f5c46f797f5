package ticket

// PriorityMatrix derives a priority from impact (rows) and urgency (columns), each indexed
// low, medium, high. The zero PriorityMatrix means DefaultPriorityMatrix.
type PriorityMatrix [3][3]Priority

// DefaultPriorityMatrix is the ITIL 3×3 impact/urgency matrix, with ITIL's five levels folded
// into four: critical → urgent, high → high, medium → normal, low and planning → low.
//
//	impact \ urgency   low     medium  high
//	low                low     low     normal
//	medium             low     normal  high
//	high               normal  high    urgent
var DefaultPriorityMatrix = PriorityMatrix{
	{PriorityLow, PriorityLow, PriorityNormal},
	{PriorityLow, PriorityNormal, PriorityHigh},
	{PriorityNormal, PriorityHigh, PriorityUrgent},
}

// Priority returns the priority for impact and urgency; unknown levels count as medium. The
// zero PriorityMatrix answers as DefaultPriorityMatrix.
func (m PriorityMatrix) Priority(impact, urgency Level) Priority {
	if m == (PriorityMatrix{}) {
		m = DefaultPriorityMatrix
	}
	i, u := impact.index(), urgency.index()
	if i < 0 {
		i = 1
	}
	if u < 0 {
		u = 1
	}
	return m[i][u]
}

func (m PriorityMatrix) validate() error {
	for i := range m {
		for u := range m[i] {
			if !m[i][u].Valid() {
				return invalid("Config.Priorities", "every cell needs a valid priority")
			}
		}
	}
	return nil
}
