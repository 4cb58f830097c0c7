package state

import (
	"cmp"
	"slices"
)

// Statement is one billing statement of a customer: read-only, it comes from
// the fixtures. A customer has at most one statement per cloud and billing
// period. The generation times are kept as the API shows them
// (YYYY-MM-DD HH:MM:SS); InvoiceID and InvoiceDate are empty when unknown.
type Statement struct {
	CustomerID    int64
	Cloud         string
	BillingPeriod string // YYYY-MM
	TotalAmount   float64
	Status        string // Final or Estimated

	DetailedBillingRecordsGenerationTime string
	StatementGenerationTime              string
	StatementSummaryGenerationTime       string

	CurrencyName   string
	CurrencySymbol string
	InvoiceID      string
	InvoiceDate    string
}

// StatementFilter selects statements: zero fields select everything.
type StatementFilter struct {
	CustomerID    int64
	Status        string
	BillingPeriod string
}

// statementIndex holds, per partner, the statements of every filter a list
// can ask for, each in list order, so that a filtered page costs O(page)
// with no scan. A statement sits in the eight lists of the filters it
// matches (each filter field set to its value or left zero).
type statementIndex map[StatementFilter][]*Statement

// compareStatements is the list order: customer, billing period, cloud.
func compareStatements(a, b *Statement) int {
	return cmp.Or(cmp.Compare(a.CustomerID, b.CustomerID), cmp.Compare(a.BillingPeriod, b.BillingPeriod),
		cmp.Compare(a.Cloud, b.Cloud))
}

// filters returns the eight filters st matches.
func (st *Statement) filters() []StatementFilter {
	out := make([]StatementFilter, 0, 8)
	for _, c := range []int64{0, st.CustomerID} {
		for _, s := range []string{"", st.Status} {
			for _, b := range []string{"", st.BillingPeriod} {
				out = append(out, StatementFilter{CustomerID: c, Status: s, BillingPeriod: b})
			}
		}
	}
	return out
}

// HasStatement reports whether the customer has a statement of the cloud and
// billing period.
func (s *State) HasStatement(c *Customer, cloud, period string) bool {
	list := s.billing.statements[c.PartnerID][StatementFilter{CustomerID: c.ID, BillingPeriod: period}]
	for _, st := range list {
		if st.Cloud == cloud {
			return true
		}
	}
	return false
}

// AddStatement stores st for its customer. Callers have checked it (fixture
// loading: one per customer, cloud and billing period).
func (s *State) AddStatement(st *Statement) {
	s.keepBilling()
	c := s.customers[st.CustomerID]
	idx := s.billing.statements[c.PartnerID]
	if idx == nil {
		if s.billing.statements == nil {
			s.billing.statements = map[int64]statementIndex{}
		}
		idx = statementIndex{}
		s.billing.statements[c.PartnerID] = idx
	}
	for _, f := range st.filters() {
		list := idx[f]
		i, _ := slices.BinarySearchFunc(list, st, compareStatements)
		idx[f] = slices.Insert(list, i, st)
	}
}

// StatementCount returns how many of the partner's statements match f.
func (s *State) StatementCount(p *Partner, f StatementFilter) int {
	return len(s.billing.statements[p.ID][f])
}

// StatementsPage returns at most limit of the partner's statements that
// match f, from position offset of the list order.
func (s *State) StatementsPage(p *Partner, f StatementFilter, offset, limit int) []*Statement {
	list := s.billing.statements[p.ID][f]
	if offset >= len(list) || limit <= 0 {
		return nil
	}
	return slices.Clone(list[offset:min(len(list), offset+limit)])
}

// CustomerStatements returns the customer's statements in list order.
func (s *State) CustomerStatements(c *Customer) []*Statement {
	return s.billing.statements[c.PartnerID][StatementFilter{CustomerID: c.ID}]
}

// dropStatements removes the customer's statements (its deletion).
func (s *State) dropStatements(c *Customer) {
	s.keepBilling()
	idx := s.billing.statements[c.PartnerID]
	for _, st := range slices.Clone(idx[StatementFilter{CustomerID: c.ID}]) {
		for _, f := range st.filters() {
			idx[f] = slices.DeleteFunc(idx[f], func(o *Statement) bool { return o == st })
			if len(idx[f]) == 0 {
				delete(idx, f)
			}
		}
	}
}

// checkStatementIndexes compares the statement index with the statements it
// holds: each under every filter it matches and no other, in list order, of
// a customer of the index's partner, at most one per cloud and period.
func (s *State) checkStatementIndexes(fail func(string, ...any)) {
	for _, pid := range slices.Sorted(mapsKeys(s.billing.statements)) {
		idx := s.billing.statements[pid]
		want := statementIndex{}
		seen := map[[3]string]bool{}
		for _, st := range idx[StatementFilter{}] {
			c, ok := s.customers[st.CustomerID]
			if !ok || c.PartnerID != pid {
				fail("partner %d: statement %s %s names customer %d, not one of the partner's", pid, st.Cloud, st.BillingPeriod, st.CustomerID)
			}
			k := [3]string{itoa(st.CustomerID), st.Cloud, st.BillingPeriod}
			if seen[k] {
				fail("partner %d: customer %d has two %s statements for %s", pid, st.CustomerID, st.Cloud, st.BillingPeriod)
			}
			seen[k] = true
			for _, f := range st.filters() {
				want[f] = append(want[f], st)
			}
		}
		for f, list := range idx {
			if !slices.IsSortedFunc(list, compareStatements) {
				fail("partner %d: the statement list of %+v is out of order", pid, f)
			}
			if !slices.Equal(list, want[f]) {
				fail("partner %d: the statement list of %+v holds %d statements, the statements match %d", pid, f, len(list), len(want[f]))
			}
		}
		for f := range want {
			if _, ok := idx[f]; !ok {
				fail("partner %d: no statement list for %+v", pid, f)
			}
		}
	}
}
