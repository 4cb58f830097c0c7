package state

import "maps"

// Clone returns a deep copy of the state: every entity is copied, every
// index points at the copies, and the ordered id sets are copy-on-write
// copies (O(1) now, each side copying a node only when it changes it). No
// later write to either state is seen by the other. Strings are shared: they
// are immutable.
//
// A store clones its base only when the base's undo log grows past the size
// of the state (Store.Write): it goes on with the clone and rolls the base
// back, so that the log stays bounded while a reset stays possible.
// Entities of one kind are copied into one slab (a single allocation); the
// owner-id and billing-family indexes hold ids, so they are copied whole
// (maps.Clone copies a map's memory) with nothing to remap; the AWS
// accounts are copied on a second goroutine. A clone of the state of
// 100,000 assignments takes about 80 ms; at a million it takes about 5 s on
// a 2-core VM, most of it the runtime copying into fresh memory
// (docs/limits.md, Scale).
func (s *State) Clone() *State {
	out := &State{
		partnerIDs:       s.partnerIDs.clone(),
		lastPartnerID:    s.lastPartnerID,
		lastCustomerID:   s.lastCustomerID,
		lastClientAPIID:  s.lastClientAPIID,
		lastAWSAccountID: s.lastAWSAccountID,
		lastAssignmentID: s.lastAssignmentID,
		lastLinkageID:    s.lastLinkageID,
		billing:          s.billing.clone(),
	}
	// The AWS accounts (the largest collection) are copied on the other
	// core while this one copies the rest: nothing below reads them.
	accounts := make(chan map[int64]*AWSAccount)
	go func() { accounts <- cloneEntities(s.awsAccounts) }()
	out.customers = cloneEntities(s.customers)
	out.assignments = cloneEntities(s.assignments)
	out.linkages = cloneEntities(s.linkages)
	out.customersByAPIID = remap(s.customersByAPIID, out.customers, func(c *Customer) int64 { return c.ID })
	out.linkageByAccount = remap(s.linkageByAccount, out.linkages, func(l *GovcloudLinkage) int64 { return l.ID })
	for _, c := range out.customers {
		c.Tags = append([]Tag(nil), c.Tags...)
		c.awsAccountIDs = c.awsAccountIDs.clone()
		c.awsAccountsByOwner = maps.Clone(c.awsAccountsByOwner)
		c.assignmentIDs = c.assignmentIDs.clone()
		c.selfPayers = maps.Clone(c.selfPayers)
		c.linkedByPayer = maps.Clone(c.linkedByPayer)
		c.linkageIDs = c.linkageIDs.clone()
	}
	// AWS account settings are shared: they are replaced whole, never
	// changed in place (AWSAccount.Settings).
	cloneBlocks(out)
	out.partners = make(map[int64]*Partner, len(s.partners))
	out.partnersByKey = make(map[string]*Partner, len(s.partnersByKey))
	for id, p := range s.partners {
		np := *p
		np.APIKeys = append([]string(nil), p.APIKeys...)
		np.customerIDs = p.customerIDs.clone()
		np.customersByName = remap(p.customersByName, out.customers, func(c *Customer) int64 { return c.ID })
		np.awsAccountIDs = p.awsAccountIDs.clone()
		np.awsAccountsByOwner = maps.Clone(p.awsAccountsByOwner)
		np.familyMembers = make(map[string]map[int64]struct{}, len(p.familyMembers))
		for head, members := range p.familyMembers {
			np.familyMembers[head] = maps.Clone(members)
		}
		np.assignmentIDs = p.assignmentIDs.clone()
		if p.v1Assignments.tree != nil {
			np.v1Assignments = p.v1Assignments.clone()
		}
		np.assignmentsByOwner = maps.Clone(p.assignmentsByOwner)
		np.azureAccounts = make(map[string]*AzureAccount, len(p.azureAccounts))
		np.azureOrder = make([]*AzureAccount, len(p.azureOrder))
		slab := make([]AzureAccount, len(p.azureOrder))
		for i, a := range p.azureOrder {
			slab[i] = *a
			np.azureOrder[i] = &slab[i]
			np.azureAccounts[a.AzureCustomerID] = &slab[i]
		}
		out.partners[id] = &np
	}
	for k, p := range s.partnersByKey {
		out.partnersByKey[k] = out.partners[p.ID]
	}
	out.awsAccounts = <-accounts
	return out
}

// cloneEntities copies every entity of a primary map into one slab and
// returns the map of the copies: a copy of the map's memory (maps.Clone)
// whose values are then pointed at the slab, which costs a lookup of a key
// known to be there rather than an insertion into a growing map.
func cloneEntities[V any](m map[int64]*V) map[int64]*V {
	out := maps.Clone(m)
	if out == nil {
		out = map[int64]*V{}
	}
	slab := make([]V, len(m))
	i := 0
	for id, v := range out {
		slab[i] = *v
		out[id] = &slab[i]
		i++
	}
	return out
}

// remap returns a copy of an index whose values are the copies (found by id
// in copies) of the entities it held.
func remap[K comparable, V any](index map[K]*V, copies map[int64]*V, id func(*V) int64) map[K]*V {
	out := make(map[K]*V, len(index))
	for k, v := range index {
		out[k] = copies[id(v)]
	}
	return out
}
