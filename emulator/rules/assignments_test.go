package rules_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// The partner accounts of the test world (partner 1 unless said otherwise).
const (
	famA     = "999999999999" // head of billing family A: in no family itself (rule 4)
	famB     = "888888888888" // head of billing family B
	loner    = "300000000001" // in no billing family (rule 4)
	selfHead = "400000000001" // names itself as its family: not "another account's" family (rule 4)
	unknown  = "123456789012" // no partner has it (rule 2)
	famOther = "777777777777" // partner 2's family head
	foreign  = "500000000001" // partner 2's account only
)

// a is the n-th account of family A (1-9), b the n-th of family B (1-3).
func a(n int) string { return fmt.Sprintf("1000000000%02d", n) }
func b(n int) string { return fmt.Sprintf("2000000000%02d", n) }

var now = time.Date(2019, 5, 2, 12, 0, 0, 0, time.UTC)

// world is a small state built directly through the state package: partner
// 1 (the caller) with families A and B and a few unassignable accounts,
// customers 1, 2 and 4 (partner billing on) and 3 (off); partner 2 with
// customer 9 and an account with the same owner id as a(1).
type world struct {
	t      *testing.T
	st     *state.State
	p1, p2 *state.Partner
	// family maps each of partner 1's owner ids to its billing family;
	// billing maps each of partner 1's customers to partner billing enabled.
	// The brute-force checker reads these, never the state's indexes.
	family  map[string]string
	billing map[int64]bool
}

func newWorld(t *testing.T) *world {
	t.Helper()
	st := state.New()
	w := &world{t: t, st: st, family: map[string]string{}, billing: map[int64]bool{}}
	w.p1 = &state.Partner{ID: 1, Name: "Partner one", APIKeys: []string{"k1"}}
	w.p2 = &state.Partner{ID: 2, Name: "Partner two", APIKeys: []string{"k2"}}
	st.AddPartner(w.p1)
	st.AddPartner(w.p2)
	acct := func(p *state.Partner, owner, family string) {
		st.AddAWSAccount(p, &state.AWSAccount{OwnerID: owner, Name: "account " + owner, BillingFamilyOwnerID: family})
		if p == w.p1 {
			w.family[owner] = family
		}
	}
	acct(w.p1, famA, "")
	for i := 1; i <= 9; i++ {
		acct(w.p1, a(i), famA)
	}
	acct(w.p1, famB, "")
	for i := 1; i <= 3; i++ {
		acct(w.p1, b(i), famB)
	}
	acct(w.p1, loner, "")
	acct(w.p1, selfHead, selfHead)
	acct(w.p2, famOther, "")
	acct(w.p2, foreign, famOther)
	acct(w.p2, a(1), famOther)
	cust := func(p *state.Partner, id int64, enabled bool) {
		st.AddCustomer(p, &state.Customer{ID: id, Name: fmt.Sprintf("customer %d", id),
			PartnerBilling: state.PartnerBillingConfiguration{Enabled: enabled}})
		if p == w.p1 {
			w.billing[id] = enabled
		}
	}
	cust(w.p1, 1, true)
	cust(w.p1, 2, true)
	cust(w.p1, 3, false)
	cust(w.p1, 4, true)
	cust(w.p2, 9, true)
	// A customer's own account: not one of the partner's (rule 2).
	st.AddAWSAccount(w.p1, &state.AWSAccount{CustomerID: 4, OwnerID: "600000000001", Name: "customer account"})
	return w
}

// seed is an assignment a test row starts with; partner 2 when other.
type seed struct {
	other    bool
	customer int64
	owner    string
	payer    string
}

func sp(customer int64, owner string) seed {
	return seed{customer: customer, owner: owner, payer: owner}
}
func ln(customer int64, owner, payer string) seed {
	return seed{customer: customer, owner: owner, payer: payer}
}

// create stores s through the rules (it must pass them) and returns it.
func (w *world) create(s seed) *state.Assignment {
	w.t.Helper()
	p := w.p1
	if s.other {
		p = w.p2
	}
	next, errs := rules.CheckAssignment(w.st, p, nil, fields(s.owner, s.customer, s.payer))
	require.Empty(w.t, errs, "seed %+v", s)
	stored := next
	w.st.CreateAssignment(&stored, now)
	return &stored
}

func (w *world) byOwner(owner string) *state.Assignment {
	w.t.Helper()
	got, ok := w.st.AssignmentByOwner(w.p1, owner)
	require.True(w.t, ok, "no assignment of %s", owner)
	return got
}

// snapshot is everything a rule could change by mistake: the whole state
// as a fixture document and every customer's rule-6 counters.
func (w *world) snapshot() string {
	w.t.Helper()
	doc, err := json.Marshal(fixture.Dump(w.st))
	require.NoError(w.t, err)
	shapes := map[int64]state.Shape{}
	for _, p := range w.st.Partners() {
		for _, c := range w.st.Customers(p) {
			shapes[c.ID] = w.st.AssignmentShape(c)
		}
	}
	return string(doc) + fmt.Sprint(shapes)
}

func str(s string) *string { return &s }
func i64(n int64) *int64   { return &n }

func fields(owner string, customer int64, payer string) rules.AssignmentFields {
	return rules.AssignmentFields{OwnerID: str(owner), CustomerID: i64(customer), PayerAccountOwnerID: str(payer)}
}

// The messages of rules 1-7, one function per message.
func errRequired(field string) string { return field + " is required" }
func errNotPartnerAccount(owner string) string {
	return fmt.Sprintf("owner_id %q does not match an AWS account of the partner", owner)
}
func errAssigned(owner string, id int64) string {
	return fmt.Sprintf("owner_id %q is already assigned by AWS account assignment %d", owner, id)
}
func errNoFamily(owner string) string {
	return fmt.Sprintf("owner_id %q does not belong to another account's consolidated billing family", owner)
}
func errNoCustomer(id int64) string {
	return fmt.Sprintf("customer_id %d does not match a customer of the partner", id)
}
func errBillingOff(id int64) string {
	return fmt.Sprintf("customer_id %d does not have partner billing enabled (partner_billing_configuration.enabled is false)", id)
}
func errPattern(id int64) string {
	return fmt.Sprintf("customer_id %d: the assignments would be neither all standalone nor one consolidated account with every other one linked to it", id)
}
func errWrongPayer(id int64, consolidated, payer string) string {
	return fmt.Sprintf("customer_id %d: linked assignments must name the consolidated account %q as payer, not %q", id, consolidated, payer)
}
func errPayerNotConsolidated(payer string, customer int64) string {
	return fmt.Sprintf("payer_account_owner_id %q is not the owner_id of a consolidated AWS account assignment of customer %d", payer, customer)
}
func errFamilies(owner, payer string) string {
	return fmt.Sprintf("owner_id %q and payer_account_owner_id %q do not belong to the same consolidated billing family", owner, payer)
}

// fieldNamed matches a message that names the field it is about.
var fieldNamed = regexp.MustCompile(`\b(owner_id|customer_id|payer_account_owner_id)\b`)

// checkRow is a row of the CheckAssignment tables: the assignments to start
// from, the owner id of the one to update (create when empty), the request
// and the exact failures expected, in rule order.
type checkRow struct {
	name   string
	setup  []seed
	update string
	in     rules.AssignmentFields
	want   []string
}

func runCheckRows(t *testing.T, rows []checkRow) {
	t.Helper()
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			w := newWorld(t)
			for _, s := range row.setup {
				w.create(s)
			}
			var current *state.Assignment
			want := state.Assignment{PartnerID: w.p1.ID}
			if row.update != "" {
				current = w.byOwner(row.update)
				want = *current
			}
			if row.in.OwnerID != nil {
				want.OwnerID = *row.in.OwnerID
			}
			if row.in.CustomerID != nil {
				want.CustomerID = *row.in.CustomerID
			}
			if row.in.PayerAccountOwnerID != nil {
				want.PayerAccountOwnerID = *row.in.PayerAccountOwnerID
			}
			before := w.snapshot()

			next, errs := rules.CheckAssignment(w.st, w.p1, current, row.in)

			if len(row.want) == 0 {
				assert.Empty(t, errs)
			} else {
				assert.Equal(t, row.want, errs)
			}
			for _, e := range errs {
				assert.Regexp(t, fieldNamed, e, "a failure names its field")
			}
			assert.Equal(t, want, next, "the assignment as it would be after the change")
			assert.Equal(t, before, w.snapshot(), "the rules changed the state")
		})
	}
}

func TestCheckAssignmentCreate(t *testing.T) {
	runCheckRows(t, []checkRow{
		{name: "valid standalone", in: fields(a(5), 4, a(5))},
		{name: "valid first standalone in family B", in: fields(b(1), 4, b(1))},

		// Rule 1.
		{name: "rule 1: nothing sent", in: rules.AssignmentFields{},
			want: []string{errRequired("owner_id"), errRequired("customer_id"), errRequired("payer_account_owner_id")}},
		{name: "rule 1 only: payer missing", in: rules.AssignmentFields{OwnerID: str(a(5)), CustomerID: i64(4)},
			want: []string{errRequired("payer_account_owner_id")}},
		{name: "rule 1 only: owner missing", in: rules.AssignmentFields{CustomerID: i64(4), PayerAccountOwnerID: str(a(5))},
			want: []string{errRequired("owner_id")}},
		{name: "rule 1 only: customer missing", in: rules.AssignmentFields{OwnerID: str(a(5)), PayerAccountOwnerID: str(a(5))},
			want: []string{errRequired("customer_id")}},

		// Rule 2.
		{name: "rule 2 only: no partner account has the owner id", in: fields(unknown, 4, unknown),
			want: []string{errNotPartnerAccount(unknown)}},
		{name: "rule 2 only: another partner's account", in: fields(foreign, 4, foreign),
			want: []string{errNotPartnerAccount(foreign)}},
		{name: "rule 2 only: a customer's own account is not a partner account", in: fields("600000000001", 4, "600000000001"),
			want: []string{errNotPartnerAccount("600000000001")}},

		// Rule 3.
		{name: "rule 3 only: owner assigned to another customer", setup: []seed{sp(2, a(3))},
			in: fields(a(3), 4, a(3)), want: []string{errAssigned(a(3), 1)}},
		{name: "rule 3 only: owner assigned to the same customer", setup: []seed{sp(4, a(5)), sp(4, a(6))},
			in: fields(a(6), 4, a(6)), want: []string{errAssigned(a(6), 2)}},
		{name: "rule 3 is per partner: partner 2 assigning the same owner id does not count",
			setup: []seed{{other: true, customer: 9, owner: a(1), payer: a(1)}}, in: fields(a(1), 4, a(1))},

		// Rule 4.
		{name: "rule 4 only: a family head", in: fields(famA, 4, famA), want: []string{errNoFamily(famA)}},
		{name: "rule 4 only: in no family", in: fields(loner, 4, loner), want: []string{errNoFamily(loner)}},
		{name: "rule 4 only: its own family", in: fields(selfHead, 4, selfHead), want: []string{errNoFamily(selfHead)}},

		// Rule 5.
		{name: "rule 5 only: partner billing disabled", in: fields(a(5), 3, a(5)), want: []string{errBillingOff(3)}},
		{name: "rule 5 only: no such customer", in: fields(a(5), 77, a(5)), want: []string{errNoCustomer(77)}},
		{name: "rule 5 only: another partner's customer", in: fields(a(5), 9, a(5)), want: []string{errNoCustomer(9)}},
		{name: "rules 5, 6 and 7: billing off does not hide the pattern and payer failures of a linked assignment",
			in: fields(a(6), 3, a(5)), want: []string{errBillingOff(3), errPattern(3), errPayerNotConsolidated(a(5), 3)}},

		// Rule 6.
		{name: "rule 6 only: a standalone next to a consolidated family", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			in: fields(a(7), 4, a(7)), want: []string{errPattern(4)}},
		{name: "rule 6 only: a linked one next to two standalone", setup: []seed{sp(2, a(3)), sp(2, a(4))},
			in: fields(a(5), 2, a(3)), want: []string{errPattern(2)}},

		// Rule 7.
		{name: "rule 7 only: different billing families", setup: []seed{sp(4, a(5))},
			in: fields(b(1), 4, a(5)), want: []string{errFamilies(b(1), a(5))}},
		{name: "rule 7 only: different billing families the other way", setup: []seed{sp(4, b(1))},
			in: fields(a(5), 4, b(1)), want: []string{errFamilies(a(5), b(1))}},
		{name: "rules 6 and 7: payer is another customer's assignment", setup: []seed{sp(2, a(3)), sp(4, a(5))},
			in: fields(a(6), 4, a(3)), want: []string{errWrongPayer(4, a(5), a(3)), errPayerNotConsolidated(a(3), 4)}},
		{name: "rules 6 and 7: payer has no assignment at all",
			in: fields(a(6), 4, a(5)), want: []string{errPattern(4), errPayerNotConsolidated(a(5), 4)}},
		{name: "rules 6 and 7: payer is a linked assignment, not self-paying", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			in: fields(a(7), 4, a(6)), want: []string{errPattern(4), errPayerNotConsolidated(a(6), 4)}},
		{name: "rules 6 and 7: payer is a partner account nobody assigned", setup: []seed{sp(4, a(5))},
			in: fields(a(6), 4, famA), want: []string{errWrongPayer(4, a(5), famA), errPayerNotConsolidated(famA, 4)}},

		// Several together, always in rule order.
		{name: "rules 2 and 5", in: fields(unknown, 3, unknown), want: []string{errNotPartnerAccount(unknown), errBillingOff(3)}},
		{name: "rules 4 and 5", in: fields(loner, 77, loner), want: []string{errNoFamily(loner), errNoCustomer(77)}},
		{name: "rules 3 and 6", setup: []seed{sp(2, a(3)), sp(4, a(5)), ln(4, a(6), a(5))},
			in: fields(a(3), 4, a(3)), want: []string{errAssigned(a(3), 1), errPattern(4)}},
		{name: "rules 3, 6 and 7", setup: []seed{sp(2, a(3)), sp(4, a(5)), ln(4, a(6), a(5))},
			in:   fields(a(3), 4, a(9)),
			want: []string{errAssigned(a(3), 1), errPattern(4), errPayerNotConsolidated(a(9), 4)}},
		{name: "rules 4 and 7: an account in no family linked to a consolidated one", setup: []seed{sp(4, a(5))},
			in: fields(loner, 4, a(5)), want: []string{errNoFamily(loner), errFamilies(loner, a(5))}},
		{name: "rule 2 with a good payer: rule 7 leaves the unknown owner to rule 2", setup: []seed{sp(4, a(5))},
			in: fields(unknown, 4, a(5)), want: []string{errNotPartnerAccount(unknown)}},

		// Rule 1 failing: the other rules are still checked on what was given.
		{name: "rule 1 with rule 4 on the given owner", in: rules.AssignmentFields{OwnerID: str(loner)},
			want: []string{errRequired("customer_id"), errRequired("payer_account_owner_id"), errNoFamily(loner)}},
		{name: "rule 1 with rule 2 and rule 5 on what was given", in: rules.AssignmentFields{OwnerID: str(unknown), CustomerID: i64(77)},
			want: []string{errRequired("payer_account_owner_id"), errNotPartnerAccount(unknown), errNoCustomer(77)}},
		{name: "rule 1 with rule 5 on the given customer", in: rules.AssignmentFields{CustomerID: i64(3)},
			want: []string{errRequired("owner_id"), errRequired("payer_account_owner_id"), errBillingOff(3)}},
		{name: "rule 1 with rule 3 on the given owner", setup: []seed{sp(2, a(3))},
			in:   rules.AssignmentFields{OwnerID: str(a(3)), CustomerID: i64(4)},
			want: []string{errRequired("payer_account_owner_id"), errAssigned(a(3), 1)}},
		{name: "rule 1 with a payer only: nothing else can be checked", in: rules.AssignmentFields{PayerAccountOwnerID: str(unknown)},
			want: []string{errRequired("owner_id"), errRequired("customer_id")}},
	})
}

func TestCheckAssignmentUpdate(t *testing.T) {
	runCheckRows(t, []checkRow{
		{name: "nothing sent changes nothing", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			update: a(6), in: rules.AssignmentFields{}},
		{name: "nothing sent on the consolidated one", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			update: a(5), in: rules.AssignmentFields{}},
		{name: "resending its own values: the assignment ignores itself", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			update: a(5), in: fields(a(5), 4, a(5))},
		{name: "resending a linked one's own values", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			update: a(6), in: fields(a(6), 4, a(5))},
		{name: "no field is required on update", setup: []seed{sp(4, a(5))},
			update: a(5), in: rules.AssignmentFields{CustomerID: i64(2)}},
		{name: "a standalone takes another owner, payer following", setup: []seed{sp(4, a(5))},
			update: a(5), in: rules.AssignmentFields{OwnerID: str(a(7)), PayerAccountOwnerID: str(a(7))}},
		{name: "owner only: the merged payer is its old owner, itself", setup: []seed{sp(4, a(5))},
			update: a(5), in: rules.AssignmentFields{OwnerID: str(a(7))},
			want: []string{errPattern(4), errPayerNotConsolidated(a(5), 4)}},
		{name: "rule 3: taking an owner assigned elsewhere", setup: []seed{sp(2, a(3)), sp(4, a(5))},
			update: a(5), in: rules.AssignmentFields{OwnerID: str(a(3)), PayerAccountOwnerID: str(a(3))},
			want: []string{errAssigned(a(3), 1)}},
		{name: "rule 2: taking an unknown owner", setup: []seed{sp(4, a(5))},
			update: a(5), in: rules.AssignmentFields{OwnerID: str(unknown), PayerAccountOwnerID: str(unknown)},
			want: []string{errNotPartnerAccount(unknown)}},
		{name: "rule 4: taking a family head", setup: []seed{sp(4, a(5))},
			update: a(5), in: rules.AssignmentFields{OwnerID: str(famA), PayerAccountOwnerID: str(famA)},
			want: []string{errNoFamily(famA)}},
		{name: "rule 5: moving to a billing-disabled customer", setup: []seed{sp(4, a(5))},
			update: a(5), in: rules.AssignmentFields{CustomerID: i64(3)}, want: []string{errBillingOff(3)}},
		{name: "rule 5: moving to another partner's customer", setup: []seed{sp(4, a(5))},
			update: a(5), in: rules.AssignmentFields{CustomerID: i64(9)}, want: []string{errNoCustomer(9)}},
		{name: "rule 7: linking to an account of another family", setup: []seed{sp(4, b(1)), sp(2, a(5))},
			update: a(5), in: rules.AssignmentFields{CustomerID: i64(4), PayerAccountOwnerID: str(b(1))},
			want: []string{errFamilies(a(5), b(1))}},
		{name: "rule 7: an update may not name its own old owner as payer", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			update: a(6), in: rules.AssignmentFields{OwnerID: str(a(7)), PayerAccountOwnerID: str(a(6))},
			want: []string{errWrongPayer(4, a(5), a(6)), errPayerNotConsolidated(a(6), 4)}},
		{name: "a standalone joins another as its linked account", setup: []seed{sp(4, a(5)), sp(4, a(6))},
			update: a(6), in: rules.AssignmentFields{PayerAccountOwnerID: str(a(5))}},
		{name: "the only linked one becomes standalone", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			update: a(6), in: rules.AssignmentFields{PayerAccountOwnerID: str(a(6))}},
	})
}

func TestCheckAssignmentDelete(t *testing.T) {
	rows := []struct {
		name   string
		setup  []seed
		delete string
		want   []string
	}{
		{name: "standalone", setup: []seed{sp(4, a(5)), sp(4, a(6))}, delete: a(5)},
		{name: "linked", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5)), ln(4, a(7), a(5))}, delete: a(7)},
		{name: "consolidated without linked ones left", setup: []seed{sp(4, a(5))}, delete: a(5)},
		{name: "consolidated still named by two linked ones", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5)), ln(4, a(7), a(5))},
			delete: a(5),
			want:   []string{fmt.Sprintf("AWS account assignment 1 is the consolidated account %q of customer 4: 2 linked assignment(s) still name it as payer_account_owner_id", a(5))}},
		{name: "consolidated still named by one linked one, other customers aside",
			setup:  []seed{sp(2, a(3)), sp(2, a(4)), sp(4, a(5)), ln(4, a(6), a(5))},
			delete: a(5),
			want:   []string{fmt.Sprintf("AWS account assignment 3 is the consolidated account %q of customer 4: 1 linked assignment(s) still name it as payer_account_owner_id", a(5))}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			w := newWorld(t)
			for _, s := range row.setup {
				w.create(s)
			}
			before := w.snapshot()
			errs := rules.CheckAssignmentDelete(w.st, w.byOwner(row.delete))
			if len(row.want) == 0 {
				assert.Empty(t, errs)
			} else {
				assert.Equal(t, row.want, errs)
			}
			assert.Equal(t, before, w.snapshot(), "the rules changed the state")
		})
	}
}

// Once the linked ones are gone, the consolidated one may go too.
func TestCheckAssignmentDeleteAfterLinkedOnesGo(t *testing.T) {
	w := newWorld(t)
	consolidated := w.create(sp(4, a(5)))
	linked := []*state.Assignment{w.create(ln(4, a(6), a(5))), w.create(ln(4, a(7), a(5)))}
	for i, l := range linked {
		require.NotEmpty(t, rules.CheckAssignmentDelete(w.st, consolidated), "with %d linked left", len(linked)-i)
		require.Empty(t, rules.CheckAssignmentDelete(w.st, l))
		w.st.DeleteAssignment(l)
	}
	assert.Empty(t, rules.CheckAssignmentDelete(w.st, consolidated))
}

// Every rule that can be evaluated is reported (docs/fidelity.md, "Every
// rule reported"): a create fails exactly the rules each of its parts
// breaks, whatever the other parts break. The rows are every combination of
// an owner, a customer and a payer shape; each part's failures are said
// once below, and a row expects their concatenation in rule order. The
// subsets of rules 2-7 this builds include {3, 5, 6, 7} (owner taken,
// billing off, pattern and payer broken), {2, 5, 6}, {4, 5, 7}, {5, 6, 7};
// it cannot build 2 with 3 or 4 (an unknown owner is in no assignment and
// has no family to check), nor 3 with 4 (an assigned account passed rule 4).
func TestCheckAssignmentReportsEveryRule(t *testing.T) {
	type owner struct {
		name, id string
		fails    func(taken int64) []string // rules 2-4; taken is the id of a(7)'s assignment
		family   string                     // "" when rule 7's family check cannot be made
	}
	owners := []owner{
		{"a fresh owner of family A", a(5), func(int64) []string { return nil }, famA},
		{"a fresh owner of family B", b(2), func(int64) []string { return nil }, famB},
		{"an owner assigned to customer 2", a(7), func(id int64) []string { return []string{errAssigned(a(7), id)} }, famA},
		{"an unknown owner", unknown, func(int64) []string { return []string{errNotPartnerAccount(unknown)} }, ""},
		{"an owner in no family", loner, func(int64) []string { return []string{errNoFamily(loner)} }, "none"},
	}
	// Customers 1 (billing on) and 3 (billing off) each have a consolidated
	// assignment and one linked to it, made while their billing was on.
	consolidated := map[int64]string{1: a(1), 3: a(3), 99: a(1)}
	linked := map[int64]string{1: a(2), 3: a(4), 99: a(2)}
	type customer struct {
		name  string
		id    int64
		fails []string // rule 5
		known bool     // rules 6 and 7 can be evaluated
	}
	customers := []customer{
		{"with billing on", 1, nil, true},
		{"with billing off", 3, []string{errBillingOff(3)}, true},
		{"unknown", 99, []string{errNoCustomer(99)}, false},
	}
	type shape struct {
		name  string
		payer func(owner string, c int64) string
		fails func(o owner, c int64) []string // rules 6 and 7
	}
	shapes := []shape{
		{"linked to the consolidated account", func(_ string, c int64) string { return consolidated[c] }, func(o owner, c int64) []string {
			if o.family != "" && o.family != famA {
				return []string{errFamilies(o.id, consolidated[c])}
			}
			return nil
		}},
		{"standalone beside a consolidated family", func(o string, _ int64) string { return o }, func(_ owner, c int64) []string {
			return []string{errPattern(c)}
		}},
		{"linked to a linked account", func(_ string, c int64) string { return linked[c] }, func(_ owner, c int64) []string {
			return []string{errPattern(c), errPayerNotConsolidated(linked[c], c)}
		}},
	}
	for _, o := range owners {
		for _, c := range customers {
			for _, s := range shapes {
				t.Run(o.name+", a customer "+c.name+", "+s.name, func(t *testing.T) {
					w := newWorld(t)
					off, ok := w.st.Customer(w.p1, 3)
					require.True(t, ok)
					off.PartnerBilling.Enabled = true
					for _, id := range []int64{1, 3} {
						w.create(sp(id, consolidated[id]))
						w.create(ln(id, linked[id], consolidated[id]))
					}
					off.PartnerBilling.Enabled = false
					taken := w.create(sp(2, a(7))).ID

					want := append(append([]string{}, o.fails(taken)...), c.fails...)
					if c.known {
						want = append(want, s.fails(o, c.id)...)
					}
					before := w.snapshot()
					_, errs := rules.CheckAssignment(w.st, w.p1, nil, fields(o.id, c.id, s.payer(o.id, c.id)))
					if len(want) == 0 {
						assert.Empty(t, errs)
					} else {
						assert.Equal(t, want, errs)
					}
					assert.Equal(t, before, w.snapshot(), "the rules changed the state")
				})
			}
		}
	}
}
