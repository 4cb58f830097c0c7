package state_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// A shared state is read as it is and never changed: each write (even a
// refused one) goes to a copy taken first, and sharing it again serves it
// unchanged.
func TestShareNeverChangesTheSharedState(t *testing.T) {
	f := newFixture(t)
	f.assign(f.p1, f.c1, owner(1), owner(1))
	shared := f.st
	store := state.NewStore(nil)
	for round := range 3 {
		store.Share(shared)
		var same bool
		store.Read(func(st *state.State) { same = st == shared })
		require.True(t, same, "round %d: Share serves the state itself", round)

		refused := errors.New("refused")
		require.ErrorIs(t, store.Write(func(*state.State) error { return refused }), refused)
		require.NoError(t, store.Write(func(st *state.State) error {
			require.NotSame(t, shared, st, "round %d: a write changes a copy", round)
			p, _ := st.Partner(f.p1.ID)
			c, _ := st.Customer(p, f.c2.ID)
			st.CreateAssignment(&state.Assignment{PartnerID: p.ID, CustomerID: c.ID, OwnerID: owner(2), PayerAccountOwnerID: owner(2)}, t1)
			st.AddCustomer(p, &state.Customer{Name: "written"})
			return nil
		}))
		store.Read(func(st *state.State) {
			p, _ := st.Partner(f.p1.ID)
			assert.Equal(t, 2, st.AssignmentCount(p), "round %d: the copy has the write", round)
			assert.Equal(t, 3, st.CustomerCount(p))
		})
		assert.Equal(t, 1, shared.AssignmentCount(f.p1), "round %d: the shared state is unchanged", round)
		assert.Equal(t, 2, shared.CustomerCount(f.p1))
		assert.Empty(t, shared.CustomerAssignments(f.c2))
		// The owner-id indexes hold ids and are copied whole: the copy's
		// new entries are not in the shared state's.
		_, found := shared.AssignmentByOwner(f.p1, owner(2))
		assert.False(t, found, "round %d: the shared assignment-by-owner index is unchanged", round)
		_, found = shared.CustomerAccountByOwner(f.c2, owner(2))
		assert.False(t, found, "round %d: the shared customer account-by-owner index is unchanged", round)
	}
}

// Share and Replace count as changes; a refused write does not.
func TestStoreVersionCountsShareReplaceAndWrites(t *testing.T) {
	store := state.NewStore(state.New())
	store.Share(state.New())
	_ = store.Write(func(*state.State) error { return errors.New("no") })
	require.Equal(t, uint64(1), store.Version())
	require.NoError(t, store.Write(func(*state.State) error { return nil }))
	store.Replace(state.New())
	require.Equal(t, uint64(3), store.Version())
}
