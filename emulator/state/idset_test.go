package state

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func idsFrom(from, to int64) []int64 {
	var out []int64
	for id := from; id <= to; id++ {
		out = append(out, id)
	}
	return out
}

func TestIDSetPage(t *testing.T) {
	s := newIDSet()
	for _, id := range []int64{7, 3, 10, 1, 5, 2, 9, 4, 8, 6} { // added out of order
		s.add(id)
	}
	s.add(5) // twice: still one
	assert.Equal(t, 10, s.len())
	rows := []struct {
		name          string
		offset, limit int
		want          []int64
	}{
		{"first page", 0, 3, []int64{1, 2, 3}},
		{"second page", 3, 3, []int64{4, 5, 6}},
		{"last, short page", 9, 3, []int64{10}},
		{"exactly at the end", 10, 3, nil},
		{"far past the end", 1000, 3, nil},
		{"zero limit", 0, 0, nil},
		{"negative limit", 0, -1, nil},
		{"limit larger than the set", 0, 100, idsFrom(1, 10)},
		{"limit larger than what is left", 8, 100, []int64{9, 10}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			assert.Equal(t, row.want, s.page(row.offset, row.limit))
		})
	}
	assert.Equal(t, idsFrom(1, 10), s.all())
}

func TestIDSetPageAfterDeletes(t *testing.T) {
	s := newIDSet()
	for _, id := range idsFrom(1, 10) {
		s.add(id)
	}
	s.remove(2)
	s.remove(5)
	s.remove(10)
	s.remove(42) // absent: no effect
	assert.Equal(t, 7, s.len())
	assert.Equal(t, []int64{1, 3, 4}, s.page(0, 3))
	assert.Equal(t, []int64{6, 7, 8}, s.page(3, 3))
	assert.Equal(t, []int64{9}, s.page(6, 3))
	assert.Nil(t, s.page(7, 3))
	assert.Equal(t, []int64{1, 3, 4, 6, 7, 8, 9}, s.all())

	for _, id := range s.all() {
		s.remove(id)
	}
	assert.Equal(t, 0, s.len())
	assert.Nil(t, s.page(0, 10))
	assert.Empty(t, s.all())
}

// A large set against a sorted slice, at random offsets and limits, with
// random removals in between.
func TestIDSetPageAgainstSortedSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	s := newIDSet()
	ref := map[int64]bool{}
	for range 3000 {
		id := rng.Int64N(5000) + 1
		s.add(id)
		ref[id] = true
	}
	for round := range 200 {
		for range 20 {
			id := rng.Int64N(5000) + 1
			if rng.IntN(2) == 0 {
				s.remove(id)
				delete(ref, id)
			} else {
				s.add(id)
				ref[id] = true
			}
		}
		sorted := make([]int64, 0, len(ref))
		for id := range ref {
			sorted = append(sorted, id)
		}
		slices.Sort(sorted)
		assert.Equal(t, len(sorted), s.len(), "round %d", round)
		offset, limit := rng.IntN(len(sorted)+50), rng.IntN(150)+1
		var want []int64
		if offset < len(sorted) {
			want = sorted[offset:min(offset+limit, len(sorted))]
		}
		assert.Equal(t, want, s.page(offset, limit), "round %d: page(%d, %d)", round, offset, limit)
	}
}
