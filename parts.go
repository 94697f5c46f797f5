package supportkit

import (
	"fmt"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// buildParts checks that Config.Now is the only clock of the parts the Desk builds and
// builds them: the router from Config.Routing and the knowledge base from Config.Knowledge,
// each reading Config.Now. cfg.Now is set.
func buildParts(cfg *Config) error {
	if cfg.Tickets.Now != nil {
		return invalidConfig("Tickets.Now is set; the Desk gives the ticket service Config.Now")
	}
	if cfg.Routing != nil {
		if cfg.Router != nil {
			return invalidConfig("both Router and Routing are set")
		}
		if cfg.Routing.Now != nil {
			return invalidConfig("Routing.Now is set; the Desk gives the router Config.Now")
		}
		rc := *cfg.Routing
		rc.Now = cfg.Now
		r, err := routing.New(rc)
		if err != nil {
			return err
		}
		cfg.Router = r
	}
	if cfg.Knowledge != nil {
		if cfg.KB != nil {
			return invalidConfig("both KB and Knowledge are set")
		}
		if cfg.Knowledge.Now != nil {
			return invalidConfig("Knowledge.Now is set; the Desk gives the knowledge base Config.Now")
		}
		if t := cfg.Knowledge.Tenant; t != "" && t != cfg.Tickets.Tenant {
			return invalidConfig("Knowledge.Tenant is not Tickets.Tenant")
		}
		kc := *cfg.Knowledge
		kc.Now, kc.Tenant = cfg.Now, cfg.Tickets.Tenant
		k, err := kb.New(nil, kc)
		if err != nil {
			return err
		}
		cfg.KB = k
	}
	if cfg.KB != nil && cfg.KB.Tenant() != cfg.Tickets.Tenant {
		return invalidConfig("KB works in another tenant than Tickets.Tenant")
	}
	return nil
}

// invalidConfig is a Config error; it wraps ticket.ErrInvalid.
func invalidConfig(reason string) error {
	return fmt.Errorf("%w: supportkit config: %s", ticket.ErrInvalid, reason)
}

// Router returns the router the Desk routes with: Config.Router, or the one it built from
// Config.Routing; nil without either. The host adds and updates agents on it (or through
// AddAgent) and reads its Stats and Explain.
func (d *Desk) Router() *routing.Router { return d.cfg.Router }

// KB returns the knowledge base the Desk suggests from: Config.KB, or the one it built from
// Config.Knowledge; nil without either. The host writes its articles to it.
func (d *Desk) KB() *kb.KB { return d.cfg.KB }
