package rules_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// Rule 6 in all its shapes, on create and on update.
func TestCheckAssignmentPattern(t *testing.T) {
	runCheckRows(t, []checkRow{
		{name: "all standalone", setup: []seed{sp(4, a(5)), sp(4, a(6))}, in: fields(a(7), 4, a(7))},
		{name: "the first linked one makes its payer consolidated", setup: []seed{sp(4, a(5))}, in: fields(a(6), 4, a(5))},
		{name: "one consolidated with linked ones", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))}, in: fields(a(7), 4, a(5))},
		{name: "a family of family B", setup: []seed{sp(4, b(1)), ln(4, b(2), b(1))}, in: fields(b(3), 4, b(1))},
		{name: "two consolidated candidates and a linked one", setup: []seed{sp(4, a(5)), sp(4, a(6))},
			in: fields(a(7), 4, a(5)), want: []string{errPattern(4)}},
		{name: "a standalone next to a consolidated family", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			in: fields(a(7), 4, a(7)), want: []string{errPattern(4)}},
		{name: "a linked one with no consolidated one", in: fields(a(6), 4, a(5)),
			want: []string{errPattern(4), errPayerNotConsolidated(a(5), 4)}},
		{name: "a linked one whose payer is itself linked", setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))},
			in: fields(a(7), 4, a(6)), want: []string{errPattern(4), errPayerNotConsolidated(a(6), 4)}},
		{name: "a linked one whose payer is another customer's consolidated one", setup: []seed{sp(2, a(3)), ln(2, a(4), a(3)), sp(4, a(5))},
			in: fields(a(6), 4, a(3)), want: []string{errWrongPayer(4, a(5), a(3)), errPayerNotConsolidated(a(3), 4)}},
		{name: "a linked one whose payer is not consolidated, the customer empty", setup: []seed{sp(2, a(3))},
			in: fields(a(6), 4, a(3)), want: []string{errPattern(4), errPayerNotConsolidated(a(3), 4)}},

		// Updates inside one customer.
		{name: "changing the consolidated one's payer while linked ones name it",
			setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))}, update: a(5),
			in:   rules.AssignmentFields{PayerAccountOwnerID: str(a(6))},
			want: []string{errPattern(4), errPayerNotConsolidated(a(6), 4)}},
		{name: "changing the consolidated one's payer to another customer's",
			setup: []seed{sp(2, a(3)), sp(4, a(5)), ln(4, a(6), a(5))}, update: a(5),
			in:   rules.AssignmentFields{PayerAccountOwnerID: str(a(3))},
			want: []string{errPattern(4), errPayerNotConsolidated(a(3), 4)}},
		{name: "renaming the consolidated one while linked ones name its old owner",
			setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))}, update: a(5),
			in:   rules.AssignmentFields{OwnerID: str(a(7)), PayerAccountOwnerID: str(a(7))},
			want: []string{errWrongPayer(4, a(7), a(5))}},
		{name: "renaming the consolidated one once no linked one names it",
			setup: []seed{sp(4, a(5))}, update: a(5),
			in: rules.AssignmentFields{OwnerID: str(a(7)), PayerAccountOwnerID: str(a(7))}},
		{name: "a linked one naming another payer than its siblings",
			setup: []seed{sp(4, a(5)), ln(4, a(6), a(5)), ln(4, a(7), a(5))}, update: a(7),
			in:   rules.AssignmentFields{PayerAccountOwnerID: str(a(6))},
			want: []string{errPattern(4), errPayerNotConsolidated(a(6), 4)}},
		{name: "a standalone becoming linked while another standalone stays",
			setup: []seed{sp(4, a(5)), sp(4, a(6)), sp(4, a(7))}, update: a(6),
			in: rules.AssignmentFields{PayerAccountOwnerID: str(a(5))}, want: []string{errPattern(4)}},
		{name: "a linked one becoming standalone while siblings stay linked",
			setup: []seed{sp(4, a(5)), ln(4, a(6), a(5)), ln(4, a(7), a(5))}, update: a(7),
			in: rules.AssignmentFields{PayerAccountOwnerID: str(a(7))}, want: []string{errPattern(4)}},

		// Moves: both customers are checked, the target first.
		{name: "moving the consolidated one away from its linked ones",
			setup: []seed{sp(2, a(3)), sp(4, a(5)), ln(4, a(6), a(5))}, update: a(5),
			in: rules.AssignmentFields{CustomerID: i64(2)}, want: []string{errPattern(4)}},
		{name: "moving the consolidated one into another family breaks both customers",
			setup: []seed{sp(1, a(1)), ln(1, a(2), a(1)), sp(4, a(5)), ln(4, a(6), a(5))}, update: a(5),
			in: rules.AssignmentFields{CustomerID: i64(1)}, want: []string{errPattern(1), errPattern(4)}},
		{name: "moving a linked one to a customer with another consolidated candidate",
			setup: []seed{sp(2, a(3)), sp(4, a(5)), ln(4, a(6), a(5))}, update: a(6),
			in:   rules.AssignmentFields{CustomerID: i64(2)},
			want: []string{errWrongPayer(2, a(3), a(5)), errPayerNotConsolidated(a(5), 2)}},
		{name: "moving a linked one and relinking it to the target's consolidated one",
			setup: []seed{sp(1, a(1)), sp(4, a(5)), ln(4, a(6), a(5))}, update: a(6),
			in: rules.AssignmentFields{CustomerID: i64(1), PayerAccountOwnerID: str(a(1))}},
		{name: "moving a standalone between all-standalone customers",
			setup: []seed{sp(2, a(3)), sp(4, a(5)), sp(4, a(6))}, update: a(5),
			in: rules.AssignmentFields{CustomerID: i64(2)}},
		{name: "moving a standalone into a consolidated family",
			setup: []seed{sp(2, a(3)), sp(4, a(5)), ln(4, a(6), a(5))}, update: a(3),
			in: rules.AssignmentFields{CustomerID: i64(4)}, want: []string{errPattern(4)}},
		{name: "moving the consolidated one, its linked ones staying behind, with a new owner",
			setup: []seed{sp(4, a(5)), ln(4, a(6), a(5))}, update: a(5),
			in:   rules.AssignmentFields{CustomerID: i64(2), OwnerID: str(a(7)), PayerAccountOwnerID: str(a(7))},
			want: []string{errPattern(4)}},
	})
}

// pool is the owner ids the random operations draw from: mostly assignable
// accounts of families A and B, with a few that break rules 2 and 4.
var pool = []string{a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), b(1), b(2), b(3), famA, loner, unknown}

// customerPool is the customers the random operations draw from: three
// billable ones most of the time, a billing-disabled one, another partner's
// and one that does not exist.
var customerPool = []int64{1, 2, 4, 1, 2, 4, 1, 2, 4, 3, 9, 77}

// violations is the brute-force checker: it scans every assignment of the
// list (the partner's whole set, as it is or would be after a change) and
// returns every broken rule. It reads only the world's static tables, never
// the state's indexes, so it is independent of rules/pattern.go.
func (w *world) violations(list []state.Assignment) []string {
	var out []string
	owners := map[string]int{}
	byCustomer := map[int64][]state.Assignment{}
	for _, x := range list {
		owners[x.OwnerID]++
		byCustomer[x.CustomerID] = append(byCustomer[x.CustomerID], x)
		family, ok := w.family[x.OwnerID]
		if !ok {
			out = append(out, "rule 2: "+x.OwnerID)
		} else if family == "" || family == x.OwnerID {
			out = append(out, "rule 4: "+x.OwnerID)
		}
		if !w.billing[x.CustomerID] {
			out = append(out, fmt.Sprint("rule 5: ", x.CustomerID))
		}
	}
	for owner, n := range owners {
		if n > 1 {
			out = append(out, "rule 3: "+owner)
		}
	}
	for customer, list := range byCustomer {
		var self, linked []state.Assignment
		for _, x := range list {
			if x.OwnerID == x.PayerAccountOwnerID {
				self = append(self, x)
			} else {
				linked = append(linked, x)
			}
		}
		if len(linked) > 0 {
			if len(self) != 1 {
				out = append(out, fmt.Sprint("rule 6: customer ", customer))
			} else {
				for _, l := range linked {
					if l.PayerAccountOwnerID != self[0].OwnerID {
						out = append(out, fmt.Sprint("rule 6: customer ", customer, " payer ", l.PayerAccountOwnerID))
					}
				}
			}
		}
		for _, l := range linked {
			found := false
			for _, s := range self {
				if s.OwnerID == l.PayerAccountOwnerID {
					found = true
				}
			}
			family := w.family[l.OwnerID]
			if !found || family == "" || family != w.family[l.PayerAccountOwnerID] {
				out = append(out, "rule 7: "+l.OwnerID)
			}
		}
	}
	return out
}

// model is the test's own copy of partner 1's assignments, by id.
type model map[int64]state.Assignment

func (m model) list() []state.Assignment {
	out := make([]state.Assignment, 0, len(m))
	for _, id := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[id])
	}
	return out
}

// without returns the model's list without the assignment id.
func (m model) without(id int64) []state.Assignment {
	return slices.DeleteFunc(m.list(), func(x state.Assignment) bool { return x.ID == id })
}

// agree checks that the state holds exactly the model, with every index
// (by owner, by customer, the rule-6 counters) saying the same as a scan.
func (w *world) agree(t *testing.T, m model, step int) {
	t.Helper()
	want := m.list()
	got := w.st.AssignmentsPage(w.p1, 0, len(want)+10)
	require.Len(t, got, len(want), "step %d", step)
	require.Equal(t, len(want), w.st.AssignmentCount(w.p1), "step %d", step)
	for i := range want {
		require.Equal(t, want[i], *got[i], "step %d", step)
	}
	for _, owner := range pool {
		found, ok := w.st.AssignmentByOwner(w.p1, owner)
		i := slices.IndexFunc(want, func(x state.Assignment) bool { return x.OwnerID == owner })
		require.Equal(t, i >= 0, ok, "step %d: AssignmentByOwner(%s)", step, owner)
		if ok {
			require.Equal(t, want[i].ID, found.ID, "step %d: AssignmentByOwner(%s)", step, owner)
		}
	}
	for _, c := range w.st.Customers(w.p1) {
		var mine []state.Assignment
		self := map[string]struct{}{}
		linked := map[string]int{}
		for _, x := range want {
			if x.CustomerID != c.ID {
				continue
			}
			mine = append(mine, x)
			if x.OwnerID == x.PayerAccountOwnerID {
				self[x.OwnerID] = struct{}{}
			} else {
				linked[x.PayerAccountOwnerID]++
			}
		}
		gotMine := w.st.CustomerAssignments(c)
		require.Len(t, gotMine, len(mine), "step %d customer %d", step, c.ID)
		for i := range mine {
			require.Equal(t, mine[i], *gotMine[i], "step %d customer %d", step, c.ID)
		}
		shape := w.st.AssignmentShape(c)
		require.Equal(t, self, shape.SelfPaying, "step %d customer %d: self-paying", step, c.ID)
		require.Equal(t, linked, shape.LinkedByPayer, "step %d customer %d: linked by payer", step, c.ID)
	}
	require.Empty(t, w.violations(want), "step %d: the state breaks a rule", step)
}

// TestAssignmentRulesAgreeWithFullScan runs random creates, updates and
// deletes, applies only what the rules accept, and checks at every step that
// the rules accepted exactly the changes after which a full scan finds no
// broken rule, and that the state's indexes agree with the scan. This proves
// the O(1) counters of rules/pattern.go right against a brute-force check.
func TestAssignmentRulesAgreeWithFullScan(t *testing.T) {
	for _, seedValue := range []uint64{1, 2, 3, 4, 5} {
		t.Run(fmt.Sprint("seed ", seedValue), func(t *testing.T) {
			runRandomOps(t, rand.New(rand.NewPCG(seedValue, 2019)), 2000)
		})
	}
}

type opStats struct {
	creates, updates, deletes    int // accepted
	rejected, rejectedDeletes    int
	moves, maxLinked, rule1Fails int
}

func runRandomOps(t *testing.T, rng *rand.Rand, steps int) {
	w := newWorld(t)
	m := model{}
	var stats opStats
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	// payerFor draws a payer: the owner itself, a self-paying owner of the
	// customer (mostly) or of any customer, or anything of the pool.
	payerFor := func(owner string, customer int64) string {
		switch r := rng.IntN(10); {
		case r < 4:
			return owner
		case r < 8:
			var theirs, anyone []string
			for _, x := range m.list() {
				if x.OwnerID == x.PayerAccountOwnerID {
					anyone = append(anyone, x.OwnerID)
					if x.CustomerID == customer {
						theirs = append(theirs, x.OwnerID)
					}
				}
			}
			if len(theirs) > 0 && r < 7 {
				return pick(theirs)
			}
			if len(anyone) > 0 {
				return pick(anyone)
			}
			return owner
		default:
			return pick(pool)
		}
	}
	customer := func() int64 { return customerPool[rng.IntN(len(customerPool))] }

	for step := 0; step < steps; step++ {
		existing := m.list()
		op := rng.IntN(20)
		switch {
		case op < 11 || len(existing) == 0: // create
			owner, target := pick(pool), customer()
			in := fields(owner, target, payerFor(owner, target))
			missing := false
			if rng.IntN(20) == 0 {
				missing = true
				switch rng.IntN(3) {
				case 0:
					in.OwnerID = nil
				case 1:
					in.CustomerID = nil
				default:
					in.PayerAccountOwnerID = nil
				}
			}
			next, errs := rules.CheckAssignment(w.st, w.p1, nil, in)
			after := append(m.list(), next)
			valid := !missing && len(w.violations(after)) == 0
			require.Equal(t, valid, len(errs) == 0, "step %d: create %+v: rules said %q, the scan %q",
				step, next, errs, w.violations(after))
			if missing {
				stats.rule1Fails++
			}
			if !valid {
				stats.rejected++
				break
			}
			stored := next
			w.st.CreateAssignment(&stored, now)
			m[stored.ID] = stored
			stats.creates++
		case op < 18: // update
			current := w.byOwner(existing[rng.IntN(len(existing))].OwnerID)
			var in rules.AssignmentFields
			if rng.IntN(2) == 0 {
				in.OwnerID = str(pick(pool))
			}
			if rng.IntN(2) == 0 {
				in.CustomerID = i64(customer())
			}
			if rng.IntN(2) == 0 {
				owner, target := current.OwnerID, current.CustomerID
				if in.OwnerID != nil {
					owner = *in.OwnerID
				}
				if in.CustomerID != nil {
					target = *in.CustomerID
				}
				in.PayerAccountOwnerID = str(payerFor(owner, target))
			}
			next, errs := rules.CheckAssignment(w.st, w.p1, current, in)
			require.Equal(t, current.ID, next.ID, "step %d", step)
			after := append(m.without(current.ID), next)
			valid := len(w.violations(after)) == 0
			require.Equal(t, valid, len(errs) == 0, "step %d: update %+v to %+v: rules said %q, the scan %q",
				step, *current, next, errs, w.violations(after))
			if !valid {
				stats.rejected++
				break
			}
			if next.CustomerID != current.CustomerID {
				stats.moves++
			}
			w.st.UpdateAssignment(current, next, now)
			m[next.ID] = next
			stats.updates++
		default: // delete
			target := w.byOwner(existing[rng.IntN(len(existing))].OwnerID)
			errs := rules.CheckAssignmentDelete(w.st, target)
			after := m.without(target.ID)
			valid := len(w.violations(after)) == 0
			require.Equal(t, valid, len(errs) == 0, "step %d: delete %+v: rules said %q, the scan %q",
				step, *target, errs, w.violations(after))
			if !valid {
				stats.rejectedDeletes++
				break
			}
			w.st.DeleteAssignment(target)
			delete(m, target.ID)
			stats.deletes++
		}
		w.agree(t, m, step)
		for _, c := range w.st.Customers(w.p1) {
			n := 0
			for _, count := range w.st.AssignmentShape(c).LinkedByPayer {
				n += count
			}
			stats.maxLinked = max(stats.maxLinked, n)
		}
	}
	// The walk must have gone through the interesting places, or it proves
	// little.
	t.Logf("%+v", stats)
	require.Greater(t, stats.creates, 100, "accepted creates")
	require.Greater(t, stats.updates, 50, "accepted updates")
	require.Greater(t, stats.deletes, 50, "accepted deletes")
	require.Greater(t, stats.rejected, 100, "rejected creates and updates")
	require.Greater(t, stats.rejectedDeletes, 0, "refused deletes of a consolidated assignment")
	require.Greater(t, stats.moves, 10, "accepted moves to another customer")
	require.Greater(t, stats.rule1Fails, 10, "creates missing a field")
	require.GreaterOrEqual(t, stats.maxLinked, 3, "linked assignments under one customer")
}
