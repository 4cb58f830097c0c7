package state

import "github.com/tidwall/btree"

// idSet is an ordered set of ids with access by position in O(log n), so that
// a list page costs O(log n + page size) whatever the size of the collection.
type idSet struct {
	tree *btree.BTreeG[int64]
}

func newIDSet() idSet {
	return idSet{tree: btree.NewBTreeGOptions(func(a, b int64) bool { return a < b },
		btree.Options{NoLocks: true, Degree: 64})}
}

func (s idSet) add(id int64)    { s.tree.Set(id) }
func (s idSet) remove(id int64) { s.tree.Delete(id) }
func (s idSet) len() int        { return s.tree.Len() }

// page returns at most limit ids starting at position offset (0-based):
// none when offset is past the end (or negative, which no caller means).
func (s idSet) page(offset, limit int) []int64 {
	if offset < 0 || offset >= s.tree.Len() || limit <= 0 {
		return nil
	}
	first, _ := s.tree.GetAt(offset)
	out := make([]int64, 0, min(limit, s.tree.Len()-offset))
	s.tree.Ascend(first, func(id int64) bool {
		out = append(out, id)
		return len(out) < limit
	})
	return out
}

// all returns every id in ascending order.
func (s idSet) all() []int64 { return s.page(0, s.tree.Len()) }

// clone returns a copy-on-write copy of the set: neither side sees the
// other's later changes.
func (s idSet) clone() idSet {
	if s.tree == nil {
		return s
	}
	return idSet{tree: s.tree.Copy()}
}
