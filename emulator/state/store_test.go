package state_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chfixture "github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// dump is the state as GET /__emulator/state shows it.
func dump(t *testing.T, st *state.State) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, chfixture.WriteJSON(&buf, st))
	return buf.String()
}

// served returns the state the store serves.
func served(store *state.Store) *state.State {
	var out *state.State
	store.Read(func(st *state.State) { out = st })
	return out
}

// writeAll makes one change of every kind the state knows (creates,
// updates and deletes of every entity, billing blocks, price books and
// statements) to st.
func writeAll(t *testing.T, st *state.State) {
	t.Helper()
	p, _ := st.Partner(1)
	c1, _ := st.Customer(p, 1)
	c2, _ := st.Customer(p, 2)
	a := &state.Assignment{PartnerID: p.ID, CustomerID: c2.ID, OwnerID: owner(2), PayerAccountOwnerID: owner(2)}
	st.CreateAssignment(a, t1)
	linked := &state.Assignment{PartnerID: p.ID, CustomerID: c2.ID, OwnerID: owner(3), PayerAccountOwnerID: owner(2)}
	st.CreateAssignment(linked, t1)
	st.UpdateAssignment(linked, state.Assignment{OwnerID: owner(3), CustomerID: c1.ID, PayerAccountOwnerID: owner(3)}, t1)
	old, _ := st.AssignmentByOwner(p, owner(1))
	st.DeleteAssignment(old)
	acct, _ := st.PartnerAccountByOwner(p, owner(4))
	settings := state.AWSAccountSettings{BillingBucket: "b", Tags: []state.Tag{{Key: "k", Value: "v"}}}
	st.UpdateAWSAccount(acct, state.AWSAccount{OwnerID: "123456789012", Name: "renamed", BillingFamilyOwnerID: "888888888888", Settings: &settings}, t1)
	st.AddAWSAccount(p, &state.AWSAccount{OwnerID: "210987654321", Name: "new", CreatedAt: t1, UpdatedAt: t1})
	gone, _ := st.PartnerAccountByOwner(p, owner(1))
	st.DeleteAWSAccount(gone)
	st.UpdateCustomer(c1, state.Customer{Name: "c1 renamed", Tags: []state.Tag{{Key: "a", Value: "b"}}}, t1)
	nc := &state.Customer{Name: "new customer", CreatedAt: t1, UpdatedAt: t1}
	st.AddCustomer(p, nc)
	gov := &state.AWSAccount{CustomerID: nc.ID, OwnerID: "300000000001", Name: "gov", IsGovcloud: true}
	com := &state.AWSAccount{CustomerID: nc.ID, OwnerID: "300000000002", Name: "com"}
	st.AddAWSAccount(p, gov)
	st.AddAWSAccount(p, com)
	st.CreateLinkage(&state.GovcloudLinkage{CustomerID: nc.ID, GovcloudAcctID: gov.ID, CommercialAcctID: com.ID}, t1)
	block := &state.Block{Name: "v2", Type: state.ConsolidatedBlock}
	members := []*state.Assignment{
		{PartnerID: p.ID, OwnerID: "999999999999", PayerAccountOwnerID: "999999999999"},
		{PartnerID: p.ID, OwnerID: "210987654321", PayerAccountOwnerID: "999999999999"},
	}
	st.CreateBlock(nc, block, members, t1)
	st.SetBlockPayer(block, "210987654321")
	book := &state.PriceBook{PartnerID: p.ID, BookName: "book", Specification: "<CHTBillingRules/>", CreatedAt: t1, UpdatedAt: t1}
	st.AddPriceBook(book)
	asg := &state.PriceBookAssignment{PartnerID: p.ID, PriceBookID: book.ID, CustomerID: c2.ID, CreatedAt: t1, UpdatedAt: t1}
	st.AddPriceBookAssignment(asg)
	st.AddPriceBookAccountAssignment(&state.PriceBookAccountAssignment{PartnerID: p.ID, AssignmentID: asg.ID})
	st.AddStatement(&state.Statement{CustomerID: c2.ID, Cloud: "AWS", BillingPeriod: "2019-05", Status: "Final"})
	st.RecordDryRun(p, t1, 10)
	st.DeleteCustomer(c2)
	require.Empty(t, st.CheckIndexes(), "the state after the writes")
}

// restorable returns a store serving the small fixture (with one
// assignment, which writeAll deletes) as its base, and the base's dump.
func restorable(t *testing.T) (*state.State, string, *state.Store) {
	f := newFixture(t)
	f.assign(f.p1, f.c1, owner(1), owner(1))
	store := state.NewStore(nil)
	before := dump(t, f.st)
	store.Restorable(f.st)
	return f.st, before, store
}

// A reset takes back every kind of write: the base is served again, itself,
// with the dump and the indexes it had, round after round.
func TestResetTakesBackEveryWrite(t *testing.T) {
	base, before, store := restorable(t)
	for round := range 3 {
		require.NoError(t, store.Write(func(st *state.State) error {
			require.Same(t, base, st, "round %d: writes change the base itself (no copy)", round)
			writeAll(t, st)
			return nil
		}))
		require.NotEqual(t, before, dump(t, served(store)), "round %d: the writes show", round)
		assert.False(t, store.Reset(), "round %d: no whole state dropped", round)
		require.Same(t, base, served(store))
		require.Equal(t, before, dump(t, base), "round %d: the reset gives the dump back", round)
		require.Empty(t, base.CheckIndexes(), "round %d: and every index", round)
		p, _ := base.Partner(1)
		runs, _ := base.RecordDryRun(p, t1, 10)
		require.Equal(t, 1, runs, "round %d: the dry runs of the writes are gone too", round)
		store.Reset()
	}
}

// A refused write changes nothing, so a reset after it has nothing to undo.
func TestARefusedWriteLeavesNothingToUndo(t *testing.T) {
	store := state.NewStore(nil)
	store.Restorable(newFixture(t).st)
	refused := errors.New("refused")
	require.ErrorIs(t, store.Write(func(*state.State) error { return refused }), refused)
	assert.Zero(t, store.UndoSteps())
}

// A log longer than its limit is folded away by the next write: the store
// goes on with a copy holding every write, the base is rolled back, and a
// reset serves the base again (dropping the copy).
func TestAnUndoLogTooLongIsFolded(t *testing.T) {
	f := newFixture(t)
	base := f.st
	before := dump(t, base)
	store := state.NewStore(nil)
	store.Restorable(base)
	store.SetUndoLimit(20) // an AddCustomer is 6 steps
	write := func(name string) {
		require.NoError(t, store.Write(func(st *state.State) error {
			p, _ := st.Partner(f.p1.ID)
			st.AddCustomer(p, &state.Customer{Name: name})
			return nil
		}))
	}
	for _, name := range []string{"a", "b", "c", "d"} {
		write(name)
	}
	require.Same(t, base, served(store), "under the limit the base is written")
	require.Greater(t, store.UndoSteps(), 20)
	write("e")
	copied := served(store)
	require.NotSame(t, base, copied, "past the limit the store goes on with a copy")
	assert.Equal(t, before, dump(t, base), "the base is rolled back")
	assert.Zero(t, store.UndoSteps())
	p, _ := copied.Partner(f.p1.ID)
	assert.Equal(t, 7, copied.CustomerCount(p), "the copy has every write")
	write("f")
	assert.Equal(t, before, dump(t, base), "later writes go to the copy")
	assert.True(t, store.Reset(), "the reset drops the copy")
	require.Same(t, base, served(store))
	assert.Equal(t, before, dump(t, base))
}

// A replace rolls the base back and keeps it aside; a reset serves it again.
func TestReplaceKeepsTheBaseForReset(t *testing.T) {
	base, before, store := restorable(t)
	require.NoError(t, store.Write(func(st *state.State) error { writeAll(t, st); return nil }))
	other := state.New()
	store.Replace(other)
	require.Same(t, other, served(store))
	assert.Equal(t, before, dump(t, base), "the base is rolled back at the replace")
	require.NoError(t, store.Write(func(st *state.State) error {
		st.AddPartner(&state.Partner{Name: "p", APIKeys: []string{"x"}})
		return nil
	}))
	assert.True(t, store.Reset())
	require.Same(t, base, served(store))
	assert.Equal(t, before, dump(t, base))
}

// Restorable, Replace and Reset count as changes; a refused write does not.
func TestStoreVersionCountsResetsReplacesAndWrites(t *testing.T) {
	store := state.NewStore(state.New())
	store.Restorable(state.New())
	_ = store.Write(func(*state.State) error { return errors.New("no") })
	require.Equal(t, uint64(1), store.Version())
	require.NoError(t, store.Write(func(*state.State) error { return nil }))
	store.Replace(state.New())
	store.Reset()
	require.Equal(t, uint64(4), store.Version())
}

// BenchmarkResetAfterWrites: what a reset costs after a test's writes (a
// customer created and given an assignment, n times): the writes are not
// timed, the reset is; it reports the cost per undo step.
func BenchmarkResetAfterWrites(b *testing.B) {
	for _, n := range []int{10, 1_000} {
		b.Run(fmt.Sprintf("writes=%d", n), func(b *testing.B) {
			st := state.New()
			p := &state.Partner{Name: "p", APIKeys: []string{"k"}}
			st.AddPartner(p)
			for i := range n {
				st.AddAWSAccount(p, &state.AWSAccount{OwnerID: fmt.Sprintf("%012d", i+1), Name: "a"})
			}
			store := state.NewStore(nil)
			store.Restorable(st)
			steps := 0
			for range b.N {
				b.StopTimer()
				require.NoError(b, store.Write(func(st *state.State) error {
					p, _ := st.Partner(1)
					for i := range n {
						c := &state.Customer{Name: fmt.Sprint("c", i)}
						st.AddCustomer(p, c)
						owner := fmt.Sprintf("%012d", i+1)
						st.CreateAssignment(&state.Assignment{PartnerID: p.ID, CustomerID: c.ID, OwnerID: owner, PayerAccountOwnerID: owner}, t1)
					}
					return nil
				}))
				steps += store.UndoSteps()
				b.StartTimer()
				store.Reset()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps), "ns/step")
		})
	}
}
