package party

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// Config configures a Service. The zero value is valid: the defaults are named on each field.
type Config struct {
	// Now reads the clock for CreatedAt, UpdatedAt, MergedAt and ErasedAt. Default time.Now.
	Now func() time.Time
	// NewID makes the IDs of new customers and organizations; an ID of uuid.Nil is refused
	// with ErrInvalid. Default uuid.NewV7.
	NewID func() (uuid.UUID, error)
	// CallingCode is the country calling code, without "+", of phone numbers written
	// without one ("7" reads "8 (495) 123-45-67" as "+74951234567"; see NormalizePhone).
	// Default "": such numbers are refused with ErrInvalid.
	CallingCode string
}

// Service is the one writer of a Directory: it validates and normalizes input, joins new
// customers to the organization of their email domain, creates idempotently, merges,
// exports and erases. It is safe for concurrent use. Make one with NewService: every method
// of a zero (or nil) Service returns an error wrapping ErrInvalid.
type Service struct {
	dir Directory
	cfg Config
}

// NewService returns a Service over dir; nil dir means a new MemoryDirectory. It returns a
// *ValidationError (ErrInvalid) when cfg.CallingCode is not 1 to 3 digits.
func NewService(dir Directory, cfg Config) (*Service, error) {
	if cfg.CallingCode != "" && !goodCallingCode(cfg.CallingCode) {
		return nil, invalid("calling_code", "1 to 3 digits, not starting with 0")
	}
	if dir == nil {
		dir = NewMemoryDirectory()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = uuid.NewV7
	}
	return &Service{dir: dir, cfg: cfg}, nil
}

// Directory returns the Directory the Service writes to; nil for a Service not made by
// NewService.
func (s *Service) Directory() Directory {
	if s == nil {
		return nil
	}
	return s.dir
}

// check returns the error of a Service not made by NewService (nil, or the zero Service),
// which has no Directory.
func (s *Service) check() error {
	if s == nil || s.dir == nil {
		return invalid("service", "not made by NewService")
	}
	return nil
}

// NewCustomer is the input of CreateCustomer.
type NewCustomer struct {
	Tenant   string       // DefaultTenant when unused; at most 64 characters
	Name     string       // optional; trimmed; at most 200 characters
	Emails   []string     // normalized and deduplicated; at most MaxContacts
	Phones   []string     // normalized (Config.CallingCode) and deduplicated; at most MaxContacts
	Language language.Tag // default language.Und
	TimeZone string       // an IANA zone name; default ""
	// Organization is the customer's organization, which must exist in Tenant. Default:
	// the organization whose Domains hold the domain of one of Emails (the first email
	// that has one), else none.
	Organization uuid.UUID
	Segment      string            // default "": the organization's segment applies
	ExternalIDs  map[string]string // system → ID; at most MaxContacts; each non-empty
}

// CreateCustomer creates a customer, or returns the live customer of the tenant who already
// holds one of nc's emails, phones or external IDs (created == false; nothing of nc is added
// to it), so that creating one person twice, or concurrently, gives one customer; with no
// email, phone or external ID there is nothing to recognize a person by, and every call
// creates a customer. Errors:
// ErrInvalid (*ValidationError) for bad input, including an Organization not in the
// tenant; the Directory's errors.
func (s *Service) CreateCustomer(ctx context.Context, nc NewCustomer) (Customer, bool, error) {
	if err := s.check(); err != nil {
		return Customer{}, false, err
	}
	c, err := s.customerOf(nc)
	if err != nil {
		return Customer{}, false, err
	}
	if err := s.joinOrganization(ctx, &c); err != nil {
		return Customer{}, false, err
	}
	if c.ID, err = s.newID(); err != nil {
		return Customer{}, false, err
	}
	c.CreatedAt = s.cfg.Now()
	c.UpdatedAt = c.CreatedAt
	return s.dir.CreateCustomer(ctx, c)
}

// newID returns an ID from Config.NewID, refusing the nil UUID, which means "none" where a
// customer names its organization.
func (s *Service) newID() (uuid.UUID, error) {
	id, err := s.cfg.NewID()
	if err == nil && id == uuid.Nil {
		err = invalid("new_id", "Config.NewID returned the nil UUID")
	}
	return id, err
}

// customerOf validates and normalizes nc into a Customer without ID or times.
func (s *Service) customerOf(nc NewCustomer) (Customer, error) {
	c := Customer{
		Tenant: nc.Tenant, Name: strings.TrimSpace(nc.Name), Emails: nc.Emails, Phones: nc.Phones,
		Language: nc.Language, TimeZone: nc.TimeZone, Organization: nc.Organization,
		Segment: strings.TrimSpace(nc.Segment), ExternalIDs: nc.ExternalIDs,
	}
	return c, s.normalize(&c)
}

// normalize validates c's own fields and normalizes its contacts in place.
func (s *Service) normalize(c *Customer) error {
	if err := CheckTenant(c.Tenant); err != nil {
		return err
	}
	if err := checkText("name", c.Name, maxNameRunes, false); err != nil {
		return err
	}
	if err := checkText("segment", c.Segment, maxShortRunes, false); err != nil {
		return err
	}
	if err := checkTimeZone(c.TimeZone); err != nil {
		return err
	}
	if err := checkExternalIDs(c.ExternalIDs); err != nil {
		return err
	}
	var err error
	if c.Emails, err = normalizeEmails("emails", c.Emails); err != nil {
		return err
	}
	c.Phones, err = normalizePhones("phones", c.Phones, s.cfg.CallingCode)
	if len(c.ExternalIDs) == 0 {
		c.ExternalIDs = nil
	}
	return err
}

// joinOrganization checks c's organization, or finds it by c's email domains.
func (s *Service) joinOrganization(ctx context.Context, c *Customer) error {
	if c.Organization != uuid.Nil {
		return s.checkOrganization(ctx, c.Tenant, c.Organization)
	}
	for _, e := range c.Emails {
		o, err := s.dir.OrganizationByDomain(ctx, c.Tenant, EmailDomain(e))
		if err == nil {
			c.Organization = o.ID
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

func (s *Service) checkOrganization(ctx context.Context, tenant string, id uuid.UUID) error {
	_, err := s.dir.Organization(ctx, tenant, id)
	if errors.Is(err, ErrNotFound) {
		return invalid("organization", "no organization "+id.String()+" in the tenant")
	}
	return err
}

// Customer returns the customer with the given ID in the tenant; for a customer merged
// into another, the one it was merged into (following every merge since), so that an old
// reference finds the person. An erased customer comes back as its tombstone (Erased,
// DisplayName ErasedName). Errors: ErrNotFound (*NotFoundError); the Directory's errors.
func (s *Service) Customer(ctx context.Context, tenant string, id uuid.UUID) (Customer, error) {
	if err := s.check(); err != nil {
		return Customer{}, err
	}
	c, err := s.dir.Customer(ctx, tenant, id)
	for hops := 0; err == nil && c.MergedInto != uuid.Nil; hops++ {
		if hops == maxFollowMerge {
			return Customer{}, &NotFoundError{What: "customer", ID: id.String()}
		}
		c, err = s.dir.Customer(ctx, tenant, c.MergedInto)
	}
	return c, err
}

// FindByEmail returns the live customer of the tenant with the address email, compared
// after NormalizeEmail (case, Unicode forms and Punycode aside). Errors: ErrInvalid for
// something that is not an address; ErrNotFound; the Directory's errors.
func (s *Service) FindByEmail(ctx context.Context, tenant, email string) (Customer, error) {
	if err := s.check(); err != nil {
		return Customer{}, err
	}
	n, err := NormalizeEmail(email)
	if err != nil {
		return Customer{}, err
	}
	return s.dir.CustomerByKey(ctx, tenant, Key{Kind: KeyEmail, Value: n})
}

// FindByPhone returns the live customer of the tenant with the phone number, compared
// after NormalizePhone with Config.CallingCode. Errors as FindByEmail.
func (s *Service) FindByPhone(ctx context.Context, tenant, phone string) (Customer, error) {
	if err := s.check(); err != nil {
		return Customer{}, err
	}
	n, err := NormalizePhone(phone, s.cfg.CallingCode)
	if err != nil {
		return Customer{}, err
	}
	return s.dir.CustomerByKey(ctx, tenant, Key{Kind: KeyPhone, Value: n})
}

// FindByExternalID returns the live customer of the tenant whose ID in the host's system is
// id, both compared exactly. Errors as FindByEmail.
func (s *Service) FindByExternalID(ctx context.Context, tenant, system, id string) (Customer, error) {
	if err := s.check(); err != nil {
		return Customer{}, err
	}
	if err := checkExternalIDs(map[string]string{system: id}); err != nil {
		return Customer{}, err
	}
	return s.dir.CustomerByKey(ctx, tenant, Key{Kind: KeyExternal, System: system, Value: id})
}

// UpdateCustomer stores c, read earlier from the Service, with its name, contacts,
// language, time zone, organization, segment and external IDs validated and normalized as
// CreateCustomer does (an Organization must exist in the tenant; no domain joining). The
// record's history (CreatedAt, merges, erasure) is kept as stored. Errors: ErrInvalid
// for bad input or a customer that was merged or erased; ErrNotFound; ErrConflict for a
// stale Version or a contact another customer holds (*TakenError); the Directory's errors.
func (s *Service) UpdateCustomer(ctx context.Context, c Customer) (Customer, error) {
	if err := s.check(); err != nil {
		return Customer{}, err
	}
	c = c.Clone()
	c.Name, c.Segment = strings.TrimSpace(c.Name), strings.TrimSpace(c.Segment)
	if err := s.normalize(&c); err != nil {
		return Customer{}, err
	}
	old, err := s.dir.Customer(ctx, c.Tenant, c.ID)
	if err != nil {
		return Customer{}, err
	}
	if err := checkLive("id", old); err != nil {
		return Customer{}, err
	}
	if c.Organization != uuid.Nil && c.Organization != old.Organization {
		if err := s.checkOrganization(ctx, c.Tenant, c.Organization); err != nil {
			return Customer{}, err
		}
	}
	c.CreatedAt, c.MergedInto, c.MergedAt, c.Absorbed, c.ErasedAt = old.CreatedAt, old.MergedInto, old.MergedAt, old.Absorbed, old.ErasedAt
	c.UpdatedAt = s.cfg.Now()
	out, err := s.dir.UpdateCustomers(ctx, c)
	if err != nil {
		return Customer{}, err
	}
	return out[0], nil
}

func checkLive(field string, c Customer) error {
	switch {
	case c.Erased():
		return invalid(field, "customer "+c.ID.String()+" was erased")
	case c.MergedInto != uuid.Nil:
		return invalid(field, "customer "+c.ID.String()+" was merged into "+c.MergedInto.String())
	}
	return nil
}

// Segment returns the segment that applies to the customer: its own, else its
// organization's, else "". A merged customer's is its survivor's. Errors: ErrNotFound;
// the Directory's errors.
func (s *Service) Segment(ctx context.Context, tenant string, id uuid.UUID) (string, error) {
	c, err := s.Customer(ctx, tenant, id)
	if err != nil || c.Segment != "" || c.Organization == uuid.Nil {
		return c.Segment, err
	}
	o, err := s.dir.Organization(ctx, tenant, c.Organization)
	return o.Segment, err
}
