package state

import (
	"reflect"
	"slices"
	"time"
)

// The updates of the API's PUTs. As Rails does, updated_at moves to now only
// when a field actually changes; created_at never does. Callers have
// checked the rules. (UpdateLinkage, in linkages.go, is the third.)

// UpdateCustomer changes c's own fields to those of next, as ReplaceCustomer
// does, and moves its updated_at when one of them changed.
func (s *State) UpdateCustomer(c *Customer, next Customer, now time.Time) {
	changed := !sameCustomerFields(c, &next)
	next.CreatedAt, next.UpdatedAt = c.CreatedAt, c.UpdatedAt
	if changed {
		next.UpdatedAt = now
	}
	s.ReplaceCustomer(c, next)
}

// UpdateAWSAccount changes a to next, as ReplaceAWSAccount does, and moves
// its updated_at when a field changed.
func (s *State) UpdateAWSAccount(a *AWSAccount, next AWSAccount, now time.Time) {
	changed := !sameAWSAccountFields(a, &next)
	next.CreatedAt, next.UpdatedAt = a.CreatedAt, a.UpdatedAt
	if changed {
		next.UpdatedAt = now
	}
	s.ReplaceAWSAccount(a, next)
}

// sameCustomerFields reports whether a and b have the same own fields (all
// but ids, partner, timestamps and indexes); no tags and an empty list of
// them are the same.
func sameCustomerFields(a, b *Customer) bool {
	return a.Name == b.Name && a.PartnerBilling == b.PartnerBilling && a.Address == b.Address &&
		a.Classification == b.Classification && a.TrialExpiration == b.TrialExpiration &&
		a.BillingContact == b.BillingContact && slices.Equal(a.Tags, b.Tags) &&
		a.MarginPercentage == b.MarginPercentage && a.GeneratedExternalID == b.GeneratedExternalID
}

// sameAWSAccountFields reports whether a and b have the same own fields and
// settings (all but ids, partner, customer and timestamps).
func sameAWSAccountFields(a, b *AWSAccount) bool {
	sa, sb := a.SettingsValue(), b.SettingsValue()
	tagsA, tagsB := sa.Tags, sb.Tags
	sa.Tags, sb.Tags = nil, nil
	return a.OwnerID == b.OwnerID && a.Name == b.Name && a.BillingFamilyOwnerID == b.BillingFamilyOwnerID &&
		a.IsGovcloud == b.IsGovcloud && reflect.DeepEqual(sa, sb) && slices.Equal(tagsA, tagsB)
}
