package state

import (
	"fmt"
	"maps"
	"slices"
)

// CheckIndexes compares every index of the state with a full scan of the
// entities it indexes, and returns one message per disagreement (none for a
// sound state). Entities are the primary maps by id (and each partner's Azure
// accounts in order); everything else is an index. It also checks that each
// entity sits under its own id and that every id counter is at least the
// largest id in use, so that a new id never takes one that exists.
//
// It is for tests, fuzzers and start-up checks: it costs a scan of the whole
// state. Each collection has its own scan (below), run in turn; the scans
// fill an indexScan, which checkPartnerIndexes and checkCustomerIndexes then
// compare with the per-partner and per-customer indexes.
func (s *State) CheckIndexes() []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	scan := newIndexScan()
	s.checkPartners(fail)
	s.scanCustomers(fail, scan)
	s.scanAWSAccounts(fail, scan)
	s.scanAssignments(fail, scan)
	s.scanLinkages(fail, scan)
	s.checkPartnerIndexes(fail, scan)
	s.checkCustomerIndexes(fail, scan)
	s.checkStatementIndexes(fail)
	s.checkPriceBookIndexes(fail)
	errs = append(errs, s.checkBlockIndexes()...)
	slices.Sort(errs) // map order varies: keep the report deterministic
	return errs
}

// indexScan holds what the scans of the entities find, keyed by the partner
// or customer whose index should hold it.
type indexScan struct {
	custByPartner       map[int64][]int64
	custByName          map[int64]map[string]*Customer
	partnerAccts        map[int64][]int64
	customerAccts       map[int64][]int64
	partnerAcctByOwner  map[int64]map[string]int64
	customerAcctByOwner map[int64]map[string]int64
	families            map[int64]map[string]map[int64]struct{}
	partnerAsg          map[int64][]int64
	customerAsg         map[int64][]int64
	asgByOwner          map[int64]map[string]int64
	selfPayers          map[int64]map[string]struct{}
	linkedByPayer       map[int64]map[string]int
	customerLinks       map[int64][]int64
}

func newIndexScan() *indexScan {
	return &indexScan{
		custByPartner: map[int64][]int64{}, custByName: map[int64]map[string]*Customer{},
		partnerAccts: map[int64][]int64{}, customerAccts: map[int64][]int64{},
		partnerAcctByOwner: map[int64]map[string]int64{}, customerAcctByOwner: map[int64]map[string]int64{},
		families:   map[int64]map[string]map[int64]struct{}{},
		partnerAsg: map[int64][]int64{}, customerAsg: map[int64][]int64{},
		asgByOwner: map[int64]map[string]int64{}, selfPayers: map[int64]map[string]struct{}{},
		linkedByPayer: map[int64]map[string]int{}, customerLinks: map[int64][]int64{},
	}
}

// inner returns m[k], making it first when absent.
func inner[K1, K2 comparable, V any](m map[K1]map[K2]V, k K1) map[K2]V {
	if m[k] == nil {
		m[k] = map[K2]V{}
	}
	return m[k]
}

// checkPartners checks the partner id set, the key index and the counter.
func (s *State) checkPartners(fail func(string, ...any)) {
	var partnerIDs []int64
	keys := map[string]*Partner{}
	for _, id := range slices.Sorted(maps.Keys(s.partners)) {
		p := s.partners[id]
		if p.ID != id {
			fail("partner stored under id %d has id %d", id, p.ID)
		}
		partnerIDs = append(partnerIDs, id)
		for _, k := range p.APIKeys {
			if other, dup := keys[k]; dup {
				fail("API key %q belongs to partners %d and %d", k, other.ID, p.ID)
			}
			keys[k] = p
		}
	}
	compareSet(fail, "the partner id set", s.partnerIDs, partnerIDs)
	compareMap(fail, "the partner-by-key index", s.partnersByKey, keys)
	checkCounter(fail, "partner", s.lastPartnerID, s.partners)
}

// scanCustomers checks the customers' places, names and client_api_ids, the
// client_api_id index and the counters.
func (s *State) scanCustomers(fail func(string, ...any), scan *indexScan) {
	byAPIID := map[int64]*Customer{}
	var maxClientAPIID int64
	for _, id := range slices.Sorted(maps.Keys(s.customers)) {
		c := s.customers[id]
		if c.ID != id {
			fail("customer stored under id %d has id %d", id, c.ID)
		}
		if _, ok := s.partners[c.PartnerID]; !ok {
			fail("customer %d: partner %d does not exist", id, c.PartnerID)
			continue
		}
		scan.custByPartner[c.PartnerID] = append(scan.custByPartner[c.PartnerID], id)
		byName := inner(scan.custByName, c.PartnerID)
		if other, dup := byName[c.Name]; dup {
			fail("customers %d and %d of partner %d share the name %q", other.ID, id, c.PartnerID, c.Name)
		}
		byName[c.Name] = c
		if other, dup := byAPIID[c.ClientAPIID]; dup {
			fail("client_api_id %d belongs to customers %d and %d", c.ClientAPIID, other.ID, id)
		}
		byAPIID[c.ClientAPIID] = c
		maxClientAPIID = max(maxClientAPIID, c.ClientAPIID)
	}
	compareMap(fail, "the customer-by-client_api_id index", s.customersByAPIID, byAPIID)
	checkCounter(fail, "customer", s.lastCustomerID, s.customers)
	if s.lastClientAPIID < maxClientAPIID {
		fail("the client_api_id counter %d is below the largest client_api_id %d", s.lastClientAPIID, maxClientAPIID)
	}
}

// scanAWSAccounts checks the AWS accounts' places under their partner or
// customer, their owner ids and the counter.
func (s *State) scanAWSAccounts(fail func(string, ...any), scan *indexScan) {
	for _, id := range slices.Sorted(maps.Keys(s.awsAccounts)) {
		a := s.awsAccounts[id]
		if a.ID != id {
			fail("AWS account stored under id %d has id %d", id, a.ID)
		}
		if _, ok := s.partners[a.PartnerID]; !ok {
			fail("AWS account %d: partner %d does not exist", id, a.PartnerID)
			continue
		}
		ids, byOwner, holder := scan.partnerAccts, scan.partnerAcctByOwner, a.PartnerID
		if a.CustomerID != 0 {
			c, ok := s.customers[a.CustomerID]
			if !ok || c.PartnerID != a.PartnerID {
				fail("AWS account %d: customer %d does not exist under partner %d", id, a.CustomerID, a.PartnerID)
				continue
			}
			ids, byOwner, holder = scan.customerAccts, scan.customerAcctByOwner, a.CustomerID
		}
		ids[holder] = append(ids[holder], id)
		if a.CustomerID == 0 && a.BillingFamilyOwnerID != "" {
			// Only partner accounts are indexed by billing family.
			inner(inner(scan.families, a.PartnerID), a.BillingFamilyOwnerID)[id] = struct{}{}
		}
		if a.OwnerID == "" {
			continue
		}
		owners := inner(byOwner, holder)
		if other, dup := owners[a.OwnerID]; dup {
			fail("AWS accounts %d and %d of the same holder share owner_id %q", other, id, a.OwnerID)
		}
		owners[a.OwnerID] = id
	}
	checkCounter(fail, "AWS account", s.lastAWSAccountID, s.awsAccounts)
}

// scanAssignments checks the assignments' places under their partner and
// customer, their owner ids and the counter.
func (s *State) scanAssignments(fail func(string, ...any), scan *indexScan) {
	for _, id := range slices.Sorted(maps.Keys(s.assignments)) {
		a := s.assignments[id]
		if a.ID != id {
			fail("assignment stored under id %d has id %d", id, a.ID)
		}
		c, ok := s.customers[a.CustomerID]
		if _, pok := s.partners[a.PartnerID]; !pok || !ok || c.PartnerID != a.PartnerID {
			fail("assignment %d: customer %d does not exist under partner %d", id, a.CustomerID, a.PartnerID)
			continue
		}
		scan.partnerAsg[a.PartnerID] = append(scan.partnerAsg[a.PartnerID], id)
		scan.customerAsg[a.CustomerID] = append(scan.customerAsg[a.CustomerID], id)
		owners := inner(scan.asgByOwner, a.PartnerID)
		if other, dup := owners[a.OwnerID]; dup {
			fail("assignments %d and %d of partner %d share owner_id %q", other, id, a.PartnerID, a.OwnerID)
		}
		owners[a.OwnerID] = id
		switch {
		case a.Block != nil:
			// A block member counts in its block (checkBlockIndexes), not in
			// rule 6's shape.
		case a.SelfPaying():
			inner(scan.selfPayers, a.CustomerID)[a.OwnerID] = struct{}{}
		default:
			inner(scan.linkedByPayer, a.CustomerID)[a.PayerAccountOwnerID]++
		}
	}
	checkCounter(fail, "assignment", s.lastAssignmentID, s.assignments)
}

// scanLinkages checks the GovCloud linkages' places under their customer,
// the linkage-by-account index and the counter.
func (s *State) scanLinkages(fail func(string, ...any), scan *indexScan) {
	linkByAccount := map[int64]*GovcloudLinkage{}
	for _, id := range slices.Sorted(maps.Keys(s.linkages)) {
		l := s.linkages[id]
		if l.ID != id {
			fail("linkage stored under id %d has id %d", id, l.ID)
		}
		if _, ok := s.customers[l.CustomerID]; !ok {
			fail("linkage %d: customer %d does not exist", id, l.CustomerID)
			continue
		}
		scan.customerLinks[l.CustomerID] = append(scan.customerLinks[l.CustomerID], id)
		for _, acct := range []int64{l.GovcloudAcctID, l.CommercialAcctID} {
			if other, dup := linkByAccount[acct]; dup && other != l {
				fail("AWS account %d is in linkages %d and %d", acct, other.ID, id)
			}
			linkByAccount[acct] = l
		}
	}
	compareMap(fail, "the linkage-by-account index", s.linkageByAccount, linkByAccount)
	checkCounter(fail, "linkage", s.lastLinkageID, s.linkages)
}

// checkPartnerIndexes compares each partner's indexes with the scans, and
// its Azure account index with its ordered list.
func (s *State) checkPartnerIndexes(fail func(string, ...any), scan *indexScan) {
	for _, id := range slices.Sorted(maps.Keys(s.partners)) {
		p := s.partners[id]
		where := fmt.Sprintf("partner %d: ", id)
		compareSet(fail, where+"the customer id set", p.customerIDs, scan.custByPartner[id])
		compareMap(fail, where+"the customer-by-name index", p.customersByName, scan.custByName[id])
		compareSet(fail, where+"the AWS account id set", p.awsAccountIDs, scan.partnerAccts[id])
		compareMap(fail, where+"the AWS-account-by-owner index", p.awsAccountsByOwner, scan.partnerAcctByOwner[id])
		compareFamilies(fail, where+"the billing-family members index", p.familyMembers, scan.families[id])
		compareSet(fail, where+"the assignment id set", p.assignmentIDs, scan.partnerAsg[id])
		compareMap(fail, where+"the assignment-by-owner index", p.assignmentsByOwner, scan.asgByOwner[id])
		checkAzureIndex(fail, where, p)
	}
}

// checkAzureIndex compares a partner's Azure account index with its list.
func checkAzureIndex(fail func(string, ...any), where string, p *Partner) {
	azure := map[string]*AzureAccount{}
	for _, a := range p.azureOrder {
		if a.PartnerID != p.ID {
			fail("%sAzure account %q has partner %d", where, a.AzureCustomerID, a.PartnerID)
		}
		if _, dup := azure[a.AzureCustomerID]; dup {
			fail("%sAzure account %q is listed twice", where, a.AzureCustomerID)
		}
		azure[a.AzureCustomerID] = a
	}
	compareMap(fail, where+"the Azure account index", p.azureAccounts, azure)
}

// checkCustomerIndexes compares each customer's indexes with the scans.
func (s *State) checkCustomerIndexes(fail func(string, ...any), scan *indexScan) {
	for _, id := range slices.Sorted(maps.Keys(s.customers)) {
		c := s.customers[id]
		where := fmt.Sprintf("customer %d: ", id)
		compareSet(fail, where+"the AWS account id set", c.awsAccountIDs, scan.customerAccts[id])
		compareMap(fail, where+"the AWS-account-by-owner index", c.awsAccountsByOwner, scan.customerAcctByOwner[id])
		compareSet(fail, where+"the assignment id set", c.assignmentIDs, scan.customerAsg[id])
		compareMap(fail, where+"the self-paying owner index", c.selfPayers, scan.selfPayers[id])
		compareMap(fail, where+"the linked-by-payer counts", c.linkedByPayer, scan.linkedByPayer[id])
		compareSet(fail, where+"the linkage id set", c.linkageIDs, scan.customerLinks[id])
	}
}

// compareSet reports when the ordered id set does not hold exactly want.
func compareSet(fail func(string, ...any), what string, got idSet, want []int64) {
	if got.tree == nil {
		fail("%s is missing", what)
		return
	}
	want = slices.Sorted(slices.Values(want))
	if have := got.all(); !slices.Equal(have, want) {
		fail("%s holds %v, a scan finds %v", what, have, want)
	}
}

// compareMap reports every key on which the index and the scan disagree.
func compareMap[K comparable, V comparable](fail func(string, ...any), what string, got, want map[K]V) {
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			fail("%s: entry %v is %v, a scan finds %v", what, k, describe(g, ok), v)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			fail("%s: entry %v (%v) matches nothing a scan finds", what, k, g)
		}
	}
}

// compareFamilies reports every family and member on which the billing
// family index and the scan disagree. An empty member set counts as a
// disagreement: the index drops a family with its last member.
func compareFamilies(fail func(string, ...any), what string, got, want map[string]map[int64]struct{}) {
	if got == nil {
		fail("%s is missing", what)
		return
	}
	for _, head := range slices.Sorted(maps.Keys(got)) {
		if len(got[head]) == 0 {
			fail("%s: family %s is kept with no member", what, head)
		}
	}
	heads := map[string]bool{}
	for head := range got {
		heads[head] = true
	}
	for head := range want {
		heads[head] = true
	}
	for _, head := range slices.Sorted(maps.Keys(heads)) {
		compareMap(fail, fmt.Sprintf("%s of family %s", what, head), got[head], want[head])
	}
}

func describe[V any](v V, ok bool) any {
	if !ok {
		return "missing"
	}
	return v
}

// checkCounter reports an id counter below the largest id in use.
func checkCounter[V any](fail func(string, ...any), what string, counter int64, byID map[int64]V) {
	for id := range byID {
		if id > counter {
			fail("the %s id counter %d is below id %d in use", what, counter, id)
		}
	}
}

// AllCustomers returns every customer of every partner, ordered by id, from
// the entities themselves rather than an index.
func (s *State) AllCustomers() []*Customer { return sortedByID(s.customers) }

// AllAWSAccounts returns every AWS account (partners' and customers'),
// ordered by id, from the entities themselves.
func (s *State) AllAWSAccounts() []*AWSAccount { return sortedByID(s.awsAccounts) }

// AllAssignments returns every AWS account assignment of every partner,
// ordered by id, from the entities themselves.
func (s *State) AllAssignments() []*Assignment { return sortedByID(s.assignments) }

// AllLinkages returns every GovCloud linkage, ordered by id, from the
// entities themselves.
func (s *State) AllLinkages() []*GovcloudLinkage { return sortedByID(s.linkages) }

func sortedByID[V any](m map[int64]V) []V {
	out := make([]V, 0, len(m))
	for _, id := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[id])
	}
	return out
}
