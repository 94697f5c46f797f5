package party

import (
	"context"
	"strings"

	"github.com/google/uuid"
)

// NewOrganization is the input of CreateOrganization.
type NewOrganization struct {
	Tenant string // DefaultTenant when unused; at most 64 characters
	Name   string // required; trimmed; at most 200 characters
	// Domains are email domains (normalized, deduplicated, at most MaxDomains) whose new
	// customers join the organization; each may belong to one organization of the tenant.
	Domains       []string
	Segment       string // default "" (none)
	SharedTickets bool   // whether members may see each other's tickets; default false
}

// CreateOrganization creates an organization. Customers created afterwards with an address
// at one of its domains join it; existing customers are not moved. Errors: ErrInvalid
// (*ValidationError) for bad input; ErrConflict (*TakenError) for a domain another
// organization of the tenant holds; the Directory's errors.
func (s *Service) CreateOrganization(ctx context.Context, no NewOrganization) (Organization, error) {
	if err := s.check(); err != nil {
		return Organization{}, err
	}
	o := Organization{
		Tenant: no.Tenant, Name: strings.TrimSpace(no.Name), Domains: no.Domains,
		Segment: strings.TrimSpace(no.Segment), SharedTickets: no.SharedTickets,
	}
	if err := checkOrganization(&o); err != nil {
		return Organization{}, err
	}
	var err error
	if o.ID, err = s.newID(); err != nil {
		return Organization{}, err
	}
	o.CreatedAt = s.cfg.Now()
	o.UpdatedAt = o.CreatedAt
	return s.dir.PutOrganization(ctx, o)
}

// UpdateOrganization stores o, read earlier from the Service, with its name, domains,
// segment and SharedTickets validated as CreateOrganization does; CreatedAt stays as stored.
// Errors: ErrInvalid for bad input or a zero Version; ErrNotFound; ErrConflict for a stale
// Version or a domain another organization holds; the Directory's errors.
func (s *Service) UpdateOrganization(ctx context.Context, o Organization) (Organization, error) {
	if err := s.check(); err != nil {
		return Organization{}, err
	}
	o = o.Clone()
	o.Name, o.Segment = strings.TrimSpace(o.Name), strings.TrimSpace(o.Segment)
	if err := checkOrganization(&o); err != nil {
		return Organization{}, err
	}
	if o.Version < 1 {
		return Organization{}, invalid("version", "an update needs the Version it was read at")
	}
	old, err := s.dir.Organization(ctx, o.Tenant, o.ID)
	if err != nil {
		return Organization{}, err
	}
	o.CreatedAt, o.UpdatedAt = old.CreatedAt, s.cfg.Now()
	return s.dir.PutOrganization(ctx, o)
}

func checkOrganization(o *Organization) error {
	if err := CheckTenant(o.Tenant); err != nil {
		return err
	}
	if err := checkText("name", o.Name, maxNameRunes, true); err != nil {
		return err
	}
	if err := checkText("segment", o.Segment, maxShortRunes, false); err != nil {
		return err
	}
	var err error
	o.Domains, err = normalizeDomains("domains", o.Domains)
	return err
}

// Organization returns the organization with the given ID in the tenant. Errors:
// ErrNotFound; the Directory's errors.
func (s *Service) Organization(ctx context.Context, tenant string, id uuid.UUID) (Organization, error) {
	if err := s.check(); err != nil {
		return Organization{}, err
	}
	return s.dir.Organization(ctx, tenant, id)
}

// Members returns the live customers of the organization in ID order; empty when none.
// Errors: ErrNotFound when the organization is not in the tenant; the Directory's errors.
func (s *Service) Members(ctx context.Context, tenant string, org uuid.UUID) ([]Customer, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if _, err := s.dir.Organization(ctx, tenant, org); err != nil {
		return nil, err
	}
	all, err := s.dir.Members(ctx, tenant, org)
	live := all[:0]
	for _, c := range all {
		if c.Live() {
			live = append(live, c)
		}
	}
	return live, err
}
