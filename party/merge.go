package party

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// Merge makes two customers of the tenant who turn out to be one person one customer, in
// one Directory write: survivor takes the union of both customers' emails, phones and
// external IDs (survivor's first), and each of its empty fields (name, language, time
// zone, organization, segment) from absorbed; absorbed keeps its other data as a record of
// who it was, gives up its contacts, and points to survivor (MergedInto, MergedAt), which
// lists it in Absorbed. From then on Customer(absorbed) and every lookup by its contacts find
// survivor. It returns survivor as stored. Errors: ErrInvalid (*ValidationError) when the
// two are one ID, either was merged or erased, both hold an ID in one external system that
// differs, or the union holds more than MaxContacts of a kind; ErrNotFound; ErrConflict
// when either changed during the merge (nothing is written; merge again); the Directory's
// errors.
func (s *Service) Merge(ctx context.Context, tenant string, survivor, absorbed uuid.UUID) (Customer, error) {
	if err := s.check(); err != nil {
		return Customer{}, err
	}
	if survivor == absorbed {
		return Customer{}, invalid("absorbed", "a customer cannot be merged into itself")
	}
	sv, err := s.liveCustomer(ctx, tenant, survivor, "survivor")
	if err != nil {
		return Customer{}, err
	}
	ab, err := s.liveCustomer(ctx, tenant, absorbed, "absorbed")
	if err != nil {
		return Customer{}, err
	}
	if err := absorb(&sv, ab); err != nil {
		return Customer{}, err
	}
	now := s.cfg.Now()
	sv.UpdatedAt = now
	ab.Emails, ab.Phones, ab.ExternalIDs = nil, nil, nil
	ab.MergedInto, ab.MergedAt, ab.UpdatedAt = survivor, now, now
	out, err := s.dir.UpdateCustomers(ctx, sv, ab)
	if err != nil {
		return Customer{}, err
	}
	return out[0], nil
}

func (s *Service) liveCustomer(ctx context.Context, tenant string, id uuid.UUID, field string) (Customer, error) {
	c, err := s.dir.Customer(ctx, tenant, id)
	if err != nil {
		return Customer{}, err
	}
	return c, checkLive(field, c)
}

// absorb adds ab's contacts and fills sv's empty fields from ab.
func absorb(sv *Customer, ab Customer) error {
	for system, id := range ab.ExternalIDs {
		if have, ok := sv.ExternalIDs[system]; ok && have != id {
			return invalid("external_ids", "both customers have an ID in system "+strconv.Quote(system))
		}
	}
	sv.Emails = union(sv.Emails, ab.Emails)
	sv.Phones = union(sv.Phones, ab.Phones)
	if len(ab.ExternalIDs) > 0 {
		sv.ExternalIDs = maps.Clone(sv.ExternalIDs)
		if sv.ExternalIDs == nil {
			sv.ExternalIDs = make(map[string]string)
		}
		maps.Copy(sv.ExternalIDs, ab.ExternalIDs)
	}
	if len(sv.Emails) > MaxContacts || len(sv.Phones) > MaxContacts || len(sv.ExternalIDs) > MaxContacts {
		return invalid("absorbed", "together they hold more than "+strconv.Itoa(MaxContacts)+" contacts of a kind")
	}
	fillString(&sv.Name, ab.Name)
	fillString(&sv.TimeZone, ab.TimeZone)
	fillString(&sv.Segment, ab.Segment)
	if sv.Language == language.Und {
		sv.Language = ab.Language
	}
	if sv.Organization == uuid.Nil {
		sv.Organization = ab.Organization
	}
	sv.Absorbed = append(append(slices.Clone(sv.Absorbed), ab.ID), ab.Absorbed...)
	return nil
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func fillString(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// Erase removes the personal data of a person: the customer with the given ID (for a merged
// customer, the one it was merged into) and every customer merged into it lose their name,
// contacts, external IDs, language and time zone in one Directory write, and are kept as
// tombstones (ErasedAt set, DisplayName ErasedName), so that tickets and reports that refer
// to them still resolve. Their ID, tenant, organization, segment, merge links and creation
// time stay: they are the structure reports count by, not the person. Erasing an erased
// customer changes nothing and returns it. It returns the erased survivor. Errors:
// ErrNotFound; ErrConflict when a record changed during the erasure (nothing is written;
// erase again); the Directory's errors.
func (s *Service) Erase(ctx context.Context, tenant string, id uuid.UUID) (Customer, error) {
	c, err := s.Customer(ctx, tenant, id)
	if err != nil || c.Erased() {
		return c, err
	}
	records := []Customer{c}
	for _, a := range c.Absorbed {
		r, err := s.dir.Customer(ctx, tenant, a)
		if err != nil {
			return Customer{}, err
		}
		records = append(records, r)
	}
	now := s.cfg.Now()
	for i := range records {
		records[i] = tombstone(records[i], now)
	}
	out, err := s.dir.UpdateCustomers(ctx, records...)
	if err != nil {
		return Customer{}, err
	}
	return out[0], nil
}

// tombstone returns c without its personal data, erased at now.
func tombstone(c Customer, now time.Time) Customer {
	return Customer{
		ID: c.ID, Tenant: c.Tenant, Language: language.Und, Organization: c.Organization,
		Segment: c.Segment, CreatedAt: c.CreatedAt, UpdatedAt: now, MergedInto: c.MergedInto,
		MergedAt: c.MergedAt, Absorbed: c.Absorbed, ErasedAt: now, Version: c.Version,
	}
}

// Export is everything the Directory stores about one person, as Service.Export returns it.
// Its JSON encoding (JSON) is the machine-readable form a data-subject request asks for.
type Export struct {
	ExportedAt time.Time `json:"exported_at"` // when it was made
	// Customer is the person's customer record: the survivor of any merges.
	Customer Customer `json:"customer"`
	// Absorbed are the records of the customers merged into Customer, in its Absorbed order.
	Absorbed []Customer `json:"absorbed,omitempty"`
	// Organization is the customer's organization; nil when none.
	Organization *Organization `json:"organization,omitempty"`
}

// JSON returns e encoded as indented JSON.
func (e Export) JSON() ([]byte, error) { return json.MarshalIndent(e, "", "  ") }

// Export returns everything stored about the customer with the given ID (for a merged
// customer, the one it was merged into): the record, the records merged into it and its
// organization. An erased customer's export holds only its tombstones. Errors: ErrNotFound;
// the Directory's errors.
func (s *Service) Export(ctx context.Context, tenant string, id uuid.UUID) (Export, error) {
	c, err := s.Customer(ctx, tenant, id)
	if err != nil {
		return Export{}, err
	}
	e := Export{ExportedAt: s.cfg.Now(), Customer: c}
	for _, a := range c.Absorbed {
		r, err := s.dir.Customer(ctx, tenant, a)
		if err != nil {
			return Export{}, err
		}
		e.Absorbed = append(e.Absorbed, r)
	}
	if c.Organization != uuid.Nil {
		o, err := s.dir.Organization(ctx, tenant, c.Organization)
		if err != nil {
			return Export{}, err
		}
		e.Organization = &o
	}
	return e, nil
}
