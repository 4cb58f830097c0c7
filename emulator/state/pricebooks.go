package state

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// PriceBook is a custom price book of a partner: a unique display name and
// its XML specification, kept as given. FileHash is derived from the
// specification (SpecificationHash).
type PriceBook struct {
	ID            int64
	PartnerID     int64
	BookName      string
	Specification string
	FileHash      string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// PriceBookAssignment assigns a price book to one customer (a customer has
// at most one).
type PriceBookAssignment struct {
	ID          int64
	PartnerID   int64
	PriceBookID int64
	CustomerID  int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PriceBookAccountAssignment applies a customer's price book assignment to
// one AWS account (the partner's or the customer's), or to all the
// customer's accounts (AWSAccountID 0, shown as "ALL").
type PriceBookAccountAssignment struct {
	ID           int64
	PartnerID    int64
	AssignmentID int64
	AWSAccountID int64
}

// AllAccounts reports whether the account assignment covers every account of
// the customer.
func (a *PriceBookAccountAssignment) AllAccounts() bool { return a.AWSAccountID == 0 }

// The id spaces of the price book entities, after those of state.go.
const (
	PriceBooks Collection = Linkages + 1 + iota
	PriceBookAssignments
	PriceBookAccountAssignments
)

// billingState holds the statements and price books of every partner, with
// their indexes. Its maps are made on first use, so that a State built by
// New needs nothing of it.
type billingState struct {
	statements map[int64]statementIndex // by partner

	books          map[int64]*PriceBook
	asgs           map[int64]*PriceBookAssignment
	acctAsgs       map[int64]*PriceBookAccountAssignment
	byPartner      map[int64]*partnerBooks
	asgByCustomer  map[int64]*PriceBookAssignment
	asgsByBook     map[int64]idSet // price book id -> its assignment ids
	acctAsgsByAsg  map[int64]idSet // assignment id -> its account assignment ids
	acctAsgsByAcct map[int64]idSet // AWS account id -> account assignment ids naming it

	lastBookID, lastAsgID, lastAcctAsgID int64

	// dryRuns holds, per partner, the times of its dry runs of the last
	// hour (at most the limit): the count the dry run's answer quotes. It
	// is not part of the fixture document.
	dryRuns map[int64][]time.Time
}

// partnerBooks is one partner's price book entities in id order, and its
// price books by name.
type partnerBooks struct {
	bookIDs, asgIDs, acctAsgIDs idSet
	byName                      map[string]*PriceBook
}

func (b *billingState) init() {
	if b.books != nil {
		return
	}
	b.books = map[int64]*PriceBook{}
	b.asgs = map[int64]*PriceBookAssignment{}
	b.acctAsgs = map[int64]*PriceBookAccountAssignment{}
	b.byPartner = map[int64]*partnerBooks{}
	b.asgByCustomer = map[int64]*PriceBookAssignment{}
	b.asgsByBook = map[int64]idSet{}
	b.acctAsgsByAsg = map[int64]idSet{}
	b.acctAsgsByAcct = map[int64]idSet{}
}

func (b *billingState) partner(id int64) *partnerBooks {
	b.init()
	pb := b.byPartner[id]
	if pb == nil {
		pb = &partnerBooks{bookIDs: newIDSet(), asgIDs: newIDSet(), acctAsgIDs: newIDSet(), byName: map[string]*PriceBook{}}
		b.byPartner[id] = pb
	}
	return pb
}

func addToSet(m map[int64]idSet, key, id int64) {
	set, ok := m[key]
	if !ok {
		set = newIDSet()
		m[key] = set
	}
	set.add(id)
}

func removeFromSet(m map[int64]idSet, key, id int64) {
	if set, ok := m[key]; ok {
		set.remove(id)
		if set.len() == 0 {
			delete(m, key)
		}
	}
}

// hasBillingID is HasID for the price book collections.
func (s *State) hasBillingID(collection Collection, id int64) bool {
	var ok bool
	switch collection {
	case PriceBooks:
		_, ok = s.billing.books[id]
	case PriceBookAssignments:
		_, ok = s.billing.asgs[id]
	case PriceBookAccountAssignments:
		_, ok = s.billing.acctAsgs[id]
	}
	return ok
}

// billingCounter is the id counter of a price book collection, or nil.
func (s *State) billingCounter(collection Collection) *int64 {
	switch collection {
	case PriceBooks:
		return &s.billing.lastBookID
	case PriceBookAssignments:
		return &s.billing.lastAsgID
	case PriceBookAccountAssignments:
		return &s.billing.lastAcctAsgID
	}
	return nil
}

// SpecificationHash is the file_hash of a specification: its MD5, in hex.
func SpecificationHash(spec string) string {
	sum := md5.Sum([]byte(spec))
	return hex.EncodeToString(sum[:])
}

// AddPriceBook stores b under its partner, assigning its id when zero and
// its file hash. Callers have checked the rules (a name unused by the
// partner's other price books).
func (s *State) AddPriceBook(b *PriceBook) {
	s.keepBilling()
	pb := s.billing.partner(b.PartnerID)
	b.ID = s.nextID(&s.billing.lastBookID, b.ID)
	b.FileHash = SpecificationHash(b.Specification)
	s.billing.books[b.ID] = b
	pb.bookIDs.add(b.ID)
	pb.byName[b.BookName] = b
}

// PriceBook returns the partner's price book with the id.
func (s *State) PriceBook(p *Partner, id int64) (*PriceBook, bool) {
	b, ok := s.billing.books[id]
	if !ok || b.PartnerID != p.ID {
		return nil, false
	}
	return b, true
}

// PriceBookByName returns the partner's price book with the name.
func (s *State) PriceBookByName(p *Partner, name string) (*PriceBook, bool) {
	pb, ok := s.billing.byPartner[p.ID]
	if !ok {
		return nil, false
	}
	b, ok := pb.byName[name]
	return b, ok
}

// PriceBookCount returns how many price books the partner has.
func (s *State) PriceBookCount(p *Partner) int {
	if pb, ok := s.billing.byPartner[p.ID]; ok {
		return pb.bookIDs.len()
	}
	return 0
}

// PriceBooksPage returns at most limit of the partner's price books in id
// order from position offset.
func (s *State) PriceBooksPage(p *Partner, offset, limit int) []*PriceBook {
	pb, ok := s.billing.byPartner[p.ID]
	if !ok {
		return nil
	}
	return pick(s.billing.books, pb.bookIDs.page(offset, limit))
}

// PartnerPriceBooks returns every price book of the partner in id order.
func (s *State) PartnerPriceBooks(p *Partner) []*PriceBook {
	return s.PriceBooksPage(p, 0, s.PriceBookCount(p))
}

func pick[V any](m map[int64]V, ids []int64) []V {
	out := make([]V, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out
}

// UpdatePriceBook sets b's name and specification to next's. As Rails does,
// updated_at moves to now only when one of them changes. Callers have
// checked the rules.
func (s *State) UpdatePriceBook(b *PriceBook, next PriceBook, now time.Time) {
	s.keepBilling()
	if next.BookName == b.BookName && next.Specification == b.Specification {
		return
	}
	pb := s.billing.partner(b.PartnerID)
	delete(pb.byName, b.BookName)
	b.BookName, b.Specification, b.FileHash, b.UpdatedAt = next.BookName, next.Specification, SpecificationHash(next.Specification), now
	pb.byName[b.BookName] = b
}

// PriceBookAssigned reports whether any customer is assigned the price book.
func (s *State) PriceBookAssigned(b *PriceBook) bool {
	_, ok := s.billing.asgsByBook[b.ID]
	return ok
}

// DeletePriceBook removes b. Callers have checked that no customer is
// assigned it.
func (s *State) DeletePriceBook(b *PriceBook) {
	s.keepBilling()
	pb := s.billing.partner(b.PartnerID)
	pb.bookIDs.remove(b.ID)
	delete(pb.byName, b.BookName)
	delete(s.billing.books, b.ID)
}

// AddPriceBookAssignment stores a, assigning its id when zero. Callers have
// checked the rules (its price book and customer are the partner's, and the
// customer has no other assignment).
func (s *State) AddPriceBookAssignment(a *PriceBookAssignment) {
	s.keepBilling()
	pb := s.billing.partner(a.PartnerID)
	a.ID = s.nextID(&s.billing.lastAsgID, a.ID)
	s.billing.asgs[a.ID] = a
	pb.asgIDs.add(a.ID)
	s.billing.asgByCustomer[a.CustomerID] = a
	addToSet(s.billing.asgsByBook, a.PriceBookID, a.ID)
}

// PriceBookAssignment returns the partner's price book assignment with the id.
func (s *State) PriceBookAssignment(p *Partner, id int64) (*PriceBookAssignment, bool) {
	a, ok := s.billing.asgs[id]
	if !ok || a.PartnerID != p.ID {
		return nil, false
	}
	return a, true
}

// CustomerPriceBookAssignment returns the customer's price book assignment.
func (s *State) CustomerPriceBookAssignment(c *Customer) (*PriceBookAssignment, bool) {
	a, ok := s.billing.asgByCustomer[c.ID]
	return a, ok
}

// PriceBookAssignmentCount returns how many price book assignments the
// partner has.
func (s *State) PriceBookAssignmentCount(p *Partner) int {
	if pb, ok := s.billing.byPartner[p.ID]; ok {
		return pb.asgIDs.len()
	}
	return 0
}

// PriceBookAssignmentsPage returns at most limit of the partner's price book
// assignments in id order from position offset.
func (s *State) PriceBookAssignmentsPage(p *Partner, offset, limit int) []*PriceBookAssignment {
	pb, ok := s.billing.byPartner[p.ID]
	if !ok {
		return nil
	}
	return pick(s.billing.asgs, pb.asgIDs.page(offset, limit))
}

// PriceBookAssignments returns the price book's customer assignments in id
// order.
func (s *State) PriceBookAssignments(b *PriceBook) []*PriceBookAssignment {
	set, ok := s.billing.asgsByBook[b.ID]
	if !ok {
		return nil
	}
	return pick(s.billing.asgs, set.all())
}

// UpdatePriceBookAssignment points a at another price book; updated_at moves
// only when it changes. Callers have checked the rules.
func (s *State) UpdatePriceBookAssignment(a *PriceBookAssignment, priceBookID int64, now time.Time) {
	s.keepBilling()
	if a.PriceBookID == priceBookID {
		return
	}
	removeFromSet(s.billing.asgsByBook, a.PriceBookID, a.ID)
	a.PriceBookID, a.UpdatedAt = priceBookID, now
	addToSet(s.billing.asgsByBook, a.PriceBookID, a.ID)
}

// PriceBookAssignmentInUse reports whether account assignments apply a.
func (s *State) PriceBookAssignmentInUse(a *PriceBookAssignment) bool {
	_, ok := s.billing.acctAsgsByAsg[a.ID]
	return ok
}

// DeletePriceBookAssignment removes a. Callers have checked that no account
// assignment applies it (the deletion of its customer removes those first).
func (s *State) DeletePriceBookAssignment(a *PriceBookAssignment) {
	s.keepBilling()
	s.billing.partner(a.PartnerID).asgIDs.remove(a.ID)
	if s.billing.asgByCustomer[a.CustomerID] == a {
		delete(s.billing.asgByCustomer, a.CustomerID)
	}
	removeFromSet(s.billing.asgsByBook, a.PriceBookID, a.ID)
	delete(s.billing.asgs, a.ID)
}

// AddPriceBookAccountAssignment stores a, assigning its id when zero.
// Callers have checked the rules.
func (s *State) AddPriceBookAccountAssignment(a *PriceBookAccountAssignment) {
	s.keepBilling()
	pb := s.billing.partner(a.PartnerID)
	a.ID = s.nextID(&s.billing.lastAcctAsgID, a.ID)
	s.billing.acctAsgs[a.ID] = a
	pb.acctAsgIDs.add(a.ID)
	addToSet(s.billing.acctAsgsByAsg, a.AssignmentID, a.ID)
	if !a.AllAccounts() {
		addToSet(s.billing.acctAsgsByAcct, a.AWSAccountID, a.ID)
	}
}

// PriceBookAccountAssignment returns the partner's account assignment with
// the id.
func (s *State) PriceBookAccountAssignment(p *Partner, id int64) (*PriceBookAccountAssignment, bool) {
	a, ok := s.billing.acctAsgs[id]
	if !ok || a.PartnerID != p.ID {
		return nil, false
	}
	return a, true
}

// PriceBookAccountAssignmentCount returns how many account assignments the
// partner has.
func (s *State) PriceBookAccountAssignmentCount(p *Partner) int {
	if pb, ok := s.billing.byPartner[p.ID]; ok {
		return pb.acctAsgIDs.len()
	}
	return 0
}

// PriceBookAccountAssignmentsPage returns at most limit of the partner's
// account assignments in id order from position offset.
func (s *State) PriceBookAccountAssignmentsPage(p *Partner, offset, limit int) []*PriceBookAccountAssignment {
	pb, ok := s.billing.byPartner[p.ID]
	if !ok {
		return nil
	}
	return pick(s.billing.acctAsgs, pb.acctAsgIDs.page(offset, limit))
}

// AccountAssignmentsOf returns the account assignments that apply a, in id
// order.
func (s *State) AccountAssignmentsOf(a *PriceBookAssignment) []*PriceBookAccountAssignment {
	set, ok := s.billing.acctAsgsByAsg[a.ID]
	if !ok {
		return nil
	}
	return pick(s.billing.acctAsgs, set.all())
}

// ReplacePriceBookAccountAssignment points a at another AWS account (0: all
// of them). Callers have checked the rules.
func (s *State) ReplacePriceBookAccountAssignment(a *PriceBookAccountAssignment, awsAccountID int64) {
	s.keepBilling()
	if !a.AllAccounts() {
		removeFromSet(s.billing.acctAsgsByAcct, a.AWSAccountID, a.ID)
	}
	a.AWSAccountID = awsAccountID
	if !a.AllAccounts() {
		addToSet(s.billing.acctAsgsByAcct, a.AWSAccountID, a.ID)
	}
}

// DeletePriceBookAccountAssignment removes a.
func (s *State) DeletePriceBookAccountAssignment(a *PriceBookAccountAssignment) {
	s.keepBilling()
	s.billing.partner(a.PartnerID).acctAsgIDs.remove(a.ID)
	removeFromSet(s.billing.acctAsgsByAsg, a.AssignmentID, a.ID)
	if !a.AllAccounts() {
		removeFromSet(s.billing.acctAsgsByAcct, a.AWSAccountID, a.ID)
	}
	delete(s.billing.acctAsgs, a.ID)
}

// dropAccountPriceBooks removes the account assignments that name the AWS
// account (its deletion): an assignment never names an account that is gone.
func (s *State) dropAccountPriceBooks(awsAccountID int64) {
	set, ok := s.billing.acctAsgsByAcct[awsAccountID]
	if !ok {
		return
	}
	for _, id := range set.all() {
		s.DeletePriceBookAccountAssignment(s.billing.acctAsgs[id])
	}
}

// dropCustomerBilling removes what of the billing state is the customer's
// (its deletion): its statements, its price book assignment and the account
// assignments that apply it.
func (s *State) dropCustomerBilling(c *Customer) {
	s.dropStatements(c)
	if a, ok := s.billing.asgByCustomer[c.ID]; ok {
		for _, aa := range s.AccountAssignmentsOf(a) {
			s.DeletePriceBookAccountAssignment(aa)
		}
		s.DeletePriceBookAssignment(a)
	}
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) { return maps.Keys(m) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// checkPriceBookIndexes compares the price book indexes with a scan of the
// price book entities, and checks that each entity sits under its own id,
// that the counters are past every id in use and that references resolve
// within one partner.
func (s *State) checkPriceBookIndexes(fail func(string, ...any)) {
	b := &s.billing
	bookIDs, asgIDs, acctIDs := map[int64][]int64{}, map[int64][]int64{}, map[int64][]int64{}
	names := map[int64]map[string]*PriceBook{}
	byCustomer := map[int64]*PriceBookAssignment{}
	byBook, byAsg, byAcct := map[int64][]int64{}, map[int64][]int64{}, map[int64][]int64{}
	for _, id := range slices.Sorted(maps.Keys(b.books)) {
		bk := b.books[id]
		if bk.ID != id {
			fail("price book stored under id %d has id %d", id, bk.ID)
		}
		if _, ok := s.partners[bk.PartnerID]; !ok {
			fail("price book %d: partner %d does not exist", id, bk.PartnerID)
		}
		if bk.FileHash != SpecificationHash(bk.Specification) {
			fail("price book %d: file_hash %q is not its specification's", id, bk.FileHash)
		}
		bookIDs[bk.PartnerID] = append(bookIDs[bk.PartnerID], id)
		if names[bk.PartnerID] == nil {
			names[bk.PartnerID] = map[string]*PriceBook{}
		}
		if other, dup := names[bk.PartnerID][bk.BookName]; dup {
			fail("price books %d and %d of partner %d share the name %q", other.ID, id, bk.PartnerID, bk.BookName)
		}
		names[bk.PartnerID][bk.BookName] = bk
	}
	for _, id := range slices.Sorted(maps.Keys(b.asgs)) {
		a := b.asgs[id]
		if a.ID != id {
			fail("price book assignment stored under id %d has id %d", id, a.ID)
		}
		if bk, ok := b.books[a.PriceBookID]; !ok || bk.PartnerID != a.PartnerID {
			fail("price book assignment %d: price book %d is not one of partner %d's", id, a.PriceBookID, a.PartnerID)
		}
		if c, ok := s.customers[a.CustomerID]; !ok || c.PartnerID != a.PartnerID {
			fail("price book assignment %d: customer %d is not one of partner %d's", id, a.CustomerID, a.PartnerID)
		}
		if other, dup := byCustomer[a.CustomerID]; dup {
			fail("customer %d has two price book assignments, %d and %d", a.CustomerID, other.ID, id)
		}
		byCustomer[a.CustomerID] = a
		asgIDs[a.PartnerID] = append(asgIDs[a.PartnerID], id)
		byBook[a.PriceBookID] = append(byBook[a.PriceBookID], id)
	}
	for _, id := range slices.Sorted(maps.Keys(b.acctAsgs)) {
		a := b.acctAsgs[id]
		if a.ID != id {
			fail("price book account assignment stored under id %d has id %d", id, a.ID)
		}
		asg, ok := b.asgs[a.AssignmentID]
		if !ok || asg.PartnerID != a.PartnerID {
			fail("price book account assignment %d: assignment %d is not one of partner %d's", id, a.AssignmentID, a.PartnerID)
		}
		if !a.AllAccounts() {
			acct, ok := s.awsAccounts[a.AWSAccountID]
			if !ok || acct.PartnerID != a.PartnerID || (acct.CustomerID != 0 && asg != nil && acct.CustomerID != asg.CustomerID) {
				fail("price book account assignment %d: AWS account %d is neither partner %d's nor its customer's", id, a.AWSAccountID, a.PartnerID)
			}
			byAcct[a.AWSAccountID] = append(byAcct[a.AWSAccountID], id)
		}
		acctIDs[a.PartnerID] = append(acctIDs[a.PartnerID], id)
		byAsg[a.AssignmentID] = append(byAsg[a.AssignmentID], id)
	}
	partners := map[int64]bool{}
	for id := range b.byPartner {
		partners[id] = true
	}
	for _, m := range []map[int64][]int64{bookIDs, asgIDs, acctIDs} {
		for id := range m {
			partners[id] = true
		}
	}
	for _, pid := range slices.Sorted(maps.Keys(partners)) {
		pb := b.byPartner[pid]
		if pb == nil {
			fail("partner %d has price book entities but no index", pid)
			continue
		}
		where := fmt.Sprintf("partner %d: ", pid)
		compareSet(fail, where+"the price book id set", pb.bookIDs, bookIDs[pid])
		compareSet(fail, where+"the price book assignment id set", pb.asgIDs, asgIDs[pid])
		compareSet(fail, where+"the price book account assignment id set", pb.acctAsgIDs, acctIDs[pid])
		compareMap(fail, where+"the price-book-by-name index", pb.byName, names[pid])
	}
	compareMap(fail, "the price-book-assignment-by-customer index", b.asgByCustomer, byCustomer)
	compareSets(fail, "the assignments-by-price-book index", b.asgsByBook, byBook)
	compareSets(fail, "the account-assignments-by-assignment index", b.acctAsgsByAsg, byAsg)
	compareSets(fail, "the account-assignments-by-account index", b.acctAsgsByAcct, byAcct)
	checkCounter(fail, "price book", b.lastBookID, b.books)
	checkCounter(fail, "price book assignment", b.lastAsgID, b.asgs)
	checkCounter(fail, "price book account assignment", b.lastAcctAsgID, b.acctAsgs)
}

// compareSets reports when a map of id sets does not hold exactly want (no
// empty set kept).
func compareSets(fail func(string, ...any), what string, got map[int64]idSet, want map[int64][]int64) {
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			fail("%s holds %d, which has none", what, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		set, ok := got[k]
		if !ok {
			fail("%s lacks %d", what, k)
			continue
		}
		compareSet(fail, fmt.Sprintf("%s of %d", what, k), set, want[k])
	}
}

// RecordDryRun counts a dry run of the partner at now, when fewer than limit
// were started in the hour before, and returns the count of the last hour
// with it; at the limit it records nothing and returns the count and false.
func (s *State) RecordDryRun(p *Partner, now time.Time, limit int) (int, bool) {
	s.keepBilling()
	if s.billing.dryRuns == nil {
		s.billing.dryRuns = map[int64][]time.Time{}
	}
	runs := s.billing.dryRuns[p.ID]
	i := 0
	for i < len(runs) && !runs[i].After(now.Add(-time.Hour)) {
		i++
	}
	runs = runs[i:]
	if len(runs) >= limit {
		s.billing.dryRuns[p.ID] = runs
		return len(runs), false
	}
	runs = append(runs, now)
	s.billing.dryRuns[p.ID] = runs
	return len(runs), true
}
