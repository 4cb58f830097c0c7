package rules

import (
	"fmt"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// MaxCustomerTags is how many tags a customer may carry
// (customer-account-add.md).
const MaxCustomerTags = 20

// Customer classifications (customer-account-add.md).
const (
	ManagedWithoutAccess = "managed_without_access"
	ManagedWithAccess    = "managed_with_access"
)

// CustomerFields are the fields of a customer create or update request; nil
// means the request did not send the field.
type CustomerFields struct {
	Name            *string        `json:"name"`
	Address         *AddressFields `json:"address"`
	Classification  *string        `json:"classification"`
	TrialExpiration *string        `json:"trial_expiration"`
	BillingContact  *string        `json:"billing_contact"`
	// PartnerBilling is partner_billing_configuration.
	PartnerBilling *PartnerBillingFields `json:"partner_billing_configuration"`
	Tags           *[]state.Tag          `json:"tags"`
}

// AddressFields are the sub-fields of a request's address; nil means absent.
type AddressFields struct {
	Street1 *string `json:"street1"`
	Street2 *string `json:"street2"`
	City    *string `json:"city"`
	State   *string `json:"state"`
	Zipcode *string `json:"zipcode"`
	Country *string `json:"country"`
}

// PartnerBillingFields are the sub-fields of a request's
// partner_billing_configuration. Enabled is the JSON value as decoded (a
// bool, or the string "true" or "false" as the guide's own example sends);
// nil means absent.
type PartnerBillingFields struct {
	Enabled any     `json:"enabled"`
	Folder  *string `json:"folder"`
}

// trialLayouts are the ISO 8601 forms trial_expiration may take: the guide's
// response uses RFC 3339, its sample request a local date-time.
var trialLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"}

// ValidTrialExpiration reports whether v is an ISO 8601 date or date-time in
// one of the forms the guide uses.
func ValidTrialExpiration(v string) bool {
	for _, layout := range trialLayouts {
		if _, err := time.Parse(layout, v); err == nil {
			return true
		}
	}
	return false
}

// ParseEnabled reads partner_billing_configuration.enabled: a JSON boolean,
// or the strings "true" and "false"; anything else is not a flag.
func ParseEnabled(v any) (enabled, ok bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		switch v {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// CheckCustomer checks a create (current nil) or a partial update of current
// for partner p (docs/fidelity.md) and returns the customer as it would
// be after the change with every failure. Sub-fields of address and
// partner_billing_configuration are merged into the current ones; tags
// replace the current list. An empty trial_expiration means no trial.
func CheckCustomer(st *state.State, p *state.Partner, current *state.Customer, in CustomerFields) (state.Customer, []string) {
	var next state.Customer
	if current != nil {
		next = *current
	}
	errs := customerTexts(in)
	if in.Name != nil {
		next.Name = *in.Name
	}
	if current == nil || in.Name != nil {
		errs = append(errs, customerName(st, p, current, next.Name)...)
	}
	if current == nil && in.Address == nil {
		errs = append(errs, "address is required")
	}
	// An update re-checks the fields it changes: a PUT of what a GET shows
	// (a fixture customer without an address or a classification included)
	// changes nothing and is accepted.
	if in.Address != nil {
		next.Address = mergeAddress(next.Address, *in.Address)
		if current == nil || next.Address != current.Address {
			errs = append(errs, addressComplete(next.Address)...)
		}
	}
	if in.Classification != nil {
		next.Classification = *in.Classification
		changed := current == nil || next.Classification != current.Classification
		if msg := ClassificationFailure(next.Classification); changed && msg != "" {
			errs = append(errs, msg)
		}
	}
	if in.TrialExpiration != nil {
		next.TrialExpiration = *in.TrialExpiration
		changed := current == nil || next.TrialExpiration != current.TrialExpiration
		if changed && next.TrialExpiration != "" && !ValidTrialExpiration(next.TrialExpiration) {
			errs = append(errs, fmt.Sprintf("trial_expiration %q is not an ISO 8601 date or date-time", next.TrialExpiration))
		}
	}
	if in.BillingContact != nil {
		next.BillingContact = *in.BillingContact
	}
	if in.PartnerBilling != nil {
		if in.PartnerBilling.Enabled != nil {
			enabled, ok := ParseEnabled(in.PartnerBilling.Enabled)
			if !ok {
				errs = append(errs, fmt.Sprintf(`partner_billing_configuration.enabled must be true or false (or the string "true" or "false"), not %s`, describe(in.PartnerBilling.Enabled)))
			}
			next.PartnerBilling.Enabled = enabled
		}
		if in.PartnerBilling.Folder != nil {
			next.PartnerBilling.Folder = *in.PartnerBilling.Folder
		}
	}
	if in.Tags != nil {
		next.Tags = append([]state.Tag{}, *in.Tags...)
		errs = append(errs, tagsValid(next.Tags, MaxCustomerTags)...)
	}
	return next, errs
}

// customerName: required, and unique within the partner.
func customerName(st *state.State, p *state.Partner, current *state.Customer, name string) []string {
	if Blank(name) {
		return []string{"name is required"}
	}
	if other, ok := st.CustomerByName(p, name); ok && (current == nil || other.ID != current.ID) {
		return []string{fmt.Sprintf("name %q is already the name of customer %d", name, other.ID)}
	}
	return nil
}

func mergeAddress(a state.Address, in AddressFields) state.Address {
	for _, f := range []struct {
		src *string
		dst *string
	}{{in.Street1, &a.Street1}, {in.Street2, &a.Street2}, {in.City, &a.City}, {in.State, &a.State}, {in.Zipcode, &a.Zipcode}, {in.Country, &a.Country}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	return a
}

// addressComplete: every address field but street2 is required.
func addressComplete(a state.Address) []string {
	var errs []string
	for _, f := range []struct{ name, value string }{
		{"street1", a.Street1}, {"city", a.City}, {"state", a.State}, {"zipcode", a.Zipcode}, {"country", a.Country},
	} {
		if Blank(f.value) {
			errs = append(errs, "address."+f.name+" is required")
		}
	}
	return errs
}

// tagsValid: at most limit tags (0: no limit), each with a key.
func tagsValid(tags []state.Tag, limit int) []string {
	var errs []string
	if TooManyTags(len(tags), limit) {
		errs = append(errs, fmt.Sprintf("%d tags: at most %d are allowed", len(tags), limit))
	}
	for i, t := range tags {
		if Blank(t.Key) {
			errs = append(errs, fmt.Sprintf("tags[%d].key is required", i))
		}
	}
	return errs
}

func describe(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// customerTexts checks every string field a customer request sent (Text).
func customerTexts(in CustomerFields) []string {
	fields := []textField{{"name", in.Name}, {"classification", in.Classification},
		{"trial_expiration", in.TrialExpiration}, {"billing_contact", in.BillingContact}}
	if a := in.Address; a != nil {
		fields = append(fields, textField{"address.street1", a.Street1}, textField{"address.street2", a.Street2},
			textField{"address.city", a.City}, textField{"address.state", a.State},
			textField{"address.zipcode", a.Zipcode}, textField{"address.country", a.Country})
	}
	if b := in.PartnerBilling; b != nil {
		fields = append(fields, textField{"partner_billing_configuration.folder", b.Folder})
		if enabled, ok := b.Enabled.(string); ok {
			fields = append(fields, textField{"partner_billing_configuration.enabled", &enabled})
		}
	}
	return append(texts(fields...), tagTexts("tags", in.Tags)...)
}
