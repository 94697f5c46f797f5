package supportkit

import (
	"context"
	"fmt"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/ticket"
)

// HelpSearch runs a customer's search of the help center during visit session (the host's
// identifier of the visit, such as a browser session; "" for none): q is searched for
// kb.Customer whatever its Audience says, so only published public articles come back, and
// the visit is recorded for deflection (see HelpOpened, CreateAfterHelp and SelfService).
// Errors: ErrNotConfigured without a KB; kb.KB.Search's.
func (d *Desk) HelpSearch(ctx context.Context, session string, q kb.Query) (*kb.Results, error) {
	if d.cfg.KB == nil {
		return nil, fmt.Errorf("%w: no knowledge base", ErrNotConfigured)
	}
	q.Audience, q.Session = kb.Customer, session
	return d.cfg.KB.Search(ctx, q)
}

// HelpOpened records that the customer of visit session opened a result of HelpSearch,
// shown at c.Position: later searches of the same text rank by such clicks, and the visit
// counts as having read the article. Errors: ErrNotConfigured without a KB;
// kb.KB.RecordResultClick's (kb.ErrInvalid for a Position below 1 or a nil ArticleID,
// kb.ErrNotFound for an article a customer may not see).
func (d *Desk) HelpOpened(ctx context.Context, session string, c kb.ResultClick) error {
	if d.cfg.KB == nil {
		return fmt.Errorf("%w: no knowledge base", ErrNotConfigured)
	}
	c.Session = session
	return d.cfg.KB.RecordResultClick(ctx, c)
}

// CreateAfterHelp creates a ticket (ticket.Service.Create) for a customer who searched the
// help center in visit session first: the visit is then no deflection. The ticket is
// created first; a visit the knowledge base does not know (none, or forgotten) is left
// alone. Errors: ErrNotConfigured without a KB (nothing is created); Create's.
func (d *Desk) CreateAfterHelp(ctx context.Context, session string, nt ticket.NewTicket) (ticket.Ticket, error) {
	if d.cfg.KB == nil {
		return ticket.Ticket{}, fmt.Errorf("%w: no knowledge base", ErrNotConfigured)
	}
	t, err := d.tickets.Create(ctx, nt)
	if err != nil {
		return ticket.Ticket{}, err
	}
	if err := d.cfg.KB.RecordTicket(context.WithoutCancel(ctx), session); err != nil {
		d.cfg.Logger.Warn().Err(err).Stringer("ticket", t.ID).Msg("desk: recording the visit's ticket failed")
	}
	return t, nil
}

// SelfService reports what customers did in the help center since the knowledge base was
// made (kb.KB.Feedback, kept in memory): searches, finished visits that opened an article,
// how many raised no ticket, and per article its impressions, clicks and the visits it ended
// with and without a ticket. Its DeflectionRate and each article's Effectiveness are the
// figures to watch. Errors: ErrNotConfigured without a KB; ctx's error.
func (d *Desk) SelfService(ctx context.Context) (metrics.SelfService, error) {
	if d.cfg.KB == nil {
		return metrics.SelfService{}, fmt.Errorf("%w: no knowledge base", ErrNotConfigured)
	}
	fb, err := d.cfg.KB.Feedback(ctx)
	if err != nil {
		return metrics.SelfService{}, err
	}
	s := metrics.SelfService{Searches: fb.Searches, Sessions: fb.Sessions, Deflected: fb.Deflections}
	for _, a := range fb.Articles {
		s.Articles = append(s.Articles, metrics.ArticleSelfService{Article: a.ArticleID.String(),
			Impressions: a.Impressions, Clicks: a.Clicks, Deflected: a.Deflections, TicketsAfter: a.TicketsAfter})
	}
	return s, nil
}
