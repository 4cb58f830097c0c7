// Package state holds the emulator's data in memory: partners and everything
// they own, with the indexes that let every lookup, rule check and list page
// run without a scan of a whole collection.
//
// State knows nothing of HTTP and checks no business rule: callers (the rules
// package, through the handlers and the fixture loader) decide whether a
// change is allowed before they make it. A State is not safe for concurrent
// use on its own; Store guards one.
package state

// State is the whole emulated world. Ids are counted per collection across
// all partners, like database ids: new ids continue after the largest one in
// use.
type State struct {
	partners         map[int64]*Partner
	partnerIDs       idSet
	partnersByKey    map[string]*Partner
	customers        map[int64]*Customer
	customersByAPIID map[int64]*Customer
	awsAccounts      map[int64]*AWSAccount
	assignments      map[int64]*Assignment
	linkages         map[int64]*GovcloudLinkage
	linkageByAccount map[int64]*GovcloudLinkage

	lastPartnerID, lastCustomerID, lastClientAPIID    int64
	lastAWSAccountID, lastAssignmentID, lastLinkageID int64

	// billing: customer statements and price books (statements.go,
	// pricebooks.go).
	billing billingState

	// undo, while set, records how to take back every change (undo.go).
	undo *undoLog
}

// MaxID is the largest id and client_api_id the state holds: 2^53 - 1, the
// largest integer a JavaScript client (or any JSON reader that decodes
// numbers as doubles) holds exactly. Documents naming a larger one are
// refused, so no counter comes near the int64 maximum.
const MaxID = 1<<53 - 1

// New returns an empty state.
func New() *State {
	return &State{
		partners:         map[int64]*Partner{},
		partnerIDs:       newIDSet(),
		partnersByKey:    map[string]*Partner{},
		customers:        map[int64]*Customer{},
		customersByAPIID: map[int64]*Customer{},
		awsAccounts:      map[int64]*AWSAccount{},
		assignments:      map[int64]*Assignment{},
		linkages:         map[int64]*GovcloudLinkage{},
		linkageByAccount: map[int64]*GovcloudLinkage{},
	}
}

// nextID returns id when it is set (and moves the counter past it), or the
// counter's next value.
func (s *State) nextID(counter *int64, id int64) int64 {
	keep(s, counter)
	if id == 0 {
		*counter++
		return *counter
	}
	*counter = max(*counter, id)
	return id
}

// AddPartner stores p, assigning its id when zero. Its keys must be unused.
func (s *State) AddPartner(p *Partner) {
	p.ID = s.nextID(&s.lastPartnerID, p.ID)
	p.customerIDs = newIDSet()
	p.customersByName = map[string]*Customer{}
	p.awsAccountIDs = newIDSet()
	p.awsAccountsByOwner = map[string]int64{}
	p.familyMembers = map[string]map[int64]struct{}{}
	p.assignmentIDs = newIDSet()
	p.assignmentsByOwner = map[string]int64{}
	p.azureAccounts = map[string]*AzureAccount{}
	setKey(s, s.partners, p.ID, p)
	s.addID(s.partnerIDs, p.ID)
	for _, k := range p.APIKeys {
		setKey(s, s.partnersByKey, k, p)
	}
}

// PartnerByKey returns the partner that owns the API key.
func (s *State) PartnerByKey(key string) (*Partner, bool) {
	p, ok := s.partnersByKey[key]
	return p, ok
}

// Partner returns the partner with the id.
func (s *State) Partner(id int64) (*Partner, bool) {
	p, ok := s.partners[id]
	return p, ok
}

// Partners returns every partner ordered by id.
func (s *State) Partners() []*Partner {
	out := make([]*Partner, 0, s.partnerIDs.len())
	for _, id := range s.partnerIDs.all() {
		out = append(out, s.partners[id])
	}
	return out
}

// HasID reports whether an id of the named collection is in use. Fixture
// loading uses it to refuse duplicates.
func (s *State) HasID(collection Collection, id int64) bool {
	switch collection {
	case Partners:
		_, ok := s.partners[id]
		return ok
	case Customers:
		_, ok := s.customers[id]
		return ok
	case AWSAccounts:
		_, ok := s.awsAccounts[id]
		return ok
	case Assignments:
		_, ok := s.assignments[id]
		return ok
	case Linkages:
		_, ok := s.linkages[id]
		return ok
	case ClientAPIIDs:
		_, ok := s.customersByAPIID[id]
		return ok
	}
	return s.hasBillingID(collection, id)
}

// Collection names one id space.
type Collection int

// The id spaces of the state.
const (
	Partners Collection = iota
	Customers
	ClientAPIIDs
	AWSAccounts
	Assignments
	Linkages
)

// PeekID returns the id the next one assigned in a collection would get,
// without assigning it.
func (s *State) PeekID(collection Collection) int64 {
	return s.counter(collection) + 1
}

func (s *State) counter(collection Collection) int64 {
	switch collection {
	case Partners:
		return s.lastPartnerID
	case Customers:
		return s.lastCustomerID
	case ClientAPIIDs:
		return s.lastClientAPIID
	case AWSAccounts:
		return s.lastAWSAccountID
	case Assignments:
		return s.lastAssignmentID
	case Linkages:
		return s.lastLinkageID
	}
	return 0
}

// ReserveIDs moves the counter of a collection to at least id, so that ids
// assigned later continue after it. Fixture loading reserves every explicit
// id first, so that an assigned id never takes one the document names later.
func (s *State) ReserveIDs(collection Collection, id int64) {
	counters := map[Collection]*int64{
		Partners: &s.lastPartnerID, Customers: &s.lastCustomerID, ClientAPIIDs: &s.lastClientAPIID,
		AWSAccounts: &s.lastAWSAccountID, Assignments: &s.lastAssignmentID, Linkages: &s.lastLinkageID,
	}
	counter, ok := counters[collection]
	if !ok {
		counter = s.billingCounter(collection)
	}
	keep(s, counter)
	*counter = max(*counter, id)
}
