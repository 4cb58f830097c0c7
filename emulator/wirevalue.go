package emulator

import (
	"sync"
	"unicode/utf8"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// The response check (responsebody.go) hands kin-openapi's VisitJSON the
// generic value that decoding the answer's JSON gives: maps, slices,
// strings, float64 numbers. Decoding a list page of 30 into that value was
// over half of the check's cost. The answer types of the hot paths (the
// assignments of a list page or a read) build that same value from their
// fields instead, where it is known to be equal to the decoded one:
// TestWireValueIsTheDecodedBody and FuzzWireValue hold each type to it, so a
// field added to the type but not to its wireObject fails them. Any other
// answer is decoded from its bytes as before, and every answer still goes
// through VisitJSON.

// wireObject is an answer type that knows the value decoding its JSON
// encoding gives: it sets its members in obj, an empty map. ok is false when
// it cannot say (a string that is not valid UTF-8, which the encoder
// rewrites): the body is decoded then.
type wireObject interface {
	wireObject(obj map[string]any) (ok bool)
}

// pageBody is the body of a list page, {key: items}, as servePage writes it.
type pageBody[T any] struct {
	key   string
	items []T
}

// wireValue is the decoded form of p when every item is a wireObject, in
// maps of ms.
func (p pageBody[T]) wireValue(ms *wireMaps) (any, bool) {
	out := ms.list(len(p.items))
	for i := range p.items {
		o, ok := any(&p.items[i]).(wireObject) // a pointer: no copy of the item
		if !ok {
			return nil, false
		}
		m := ms.next()
		if !o.wireObject(m) {
			return nil, false
		}
		out[i] = m
	}
	top := ms.next()
	top[p.key] = out
	return top, true
}

// wireValuer is an answer whose decoded form its value gives (pageBody).
type wireValuer interface {
	wireValue(ms *wireMaps) (any, bool)
}

// wireTree returns the decoded form of v, an answer's body before it was
// encoded, when v's type knows it, in maps of ms.
func wireTree(v any, ms *wireMaps) (any, bool) {
	switch v := v.(type) {
	case wireValuer:
		return v.wireValue(ms)
	case wireObject:
		if m := ms.next(); v.wireObject(m) {
			return m, true
		}
	}
	return nil, false
}

// wireMaps are the maps and the list of one checked value, recycled from
// one check to the next once the check is done with them (release): the 30
// maps of a page were a third of the bytes a list request allocated.
type wireMaps struct {
	maps  []map[string]any
	used  int
	items []any
}

var wireMapSets = sync.Pool{New: func() any { return new(wireMaps) }}

// newWireMaps returns an empty set of maps, from the pool.
func newWireMaps() *wireMaps { return wireMapSets.Get().(*wireMaps) }

// next returns an empty map of the set.
func (ms *wireMaps) next() map[string]any {
	if ms.used == len(ms.maps) {
		ms.maps = append(ms.maps, make(map[string]any, 8))
	}
	m := ms.maps[ms.used]
	ms.used++
	return m
}

// list returns the set's list, n long and never nil (an empty list
// decodes as []any{}); a set has one.
func (ms *wireMaps) list(n int) []any {
	if ms.items == nil || cap(ms.items) < n {
		ms.items = make([]any, n, max(n, 1))
	}
	ms.items = ms.items[:n]
	return ms.items
}

// release empties the set and returns it to the pool. Only a value that
// nothing holds any more may go back: not one a schema error refers to.
func (ms *wireMaps) release() {
	ms.reset()
	wireMapSets.Put(ms)
}

// reset empties the set's maps and list, keeping their room.
func (ms *wireMaps) reset() {
	for _, m := range ms.maps[:ms.used] {
		clear(m)
	}
	clear(ms.items)
	ms.used, ms.items = 0, ms.items[:0]
}

// wireStrings reports whether the encoder writes each of ss as it is, so
// that its decoded value is the string itself: true for valid UTF-8.
func wireStrings(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

// The value of a field is an interface: each string and number of a page
// is boxed into one, an allocation apiece. The helpers below spare the
// allocations they can: a string equal to the one boxed before it shares
// its box (a standalone assignment's payer is its owner), the block types
// and small numbers (customer ids, client API ids) have boxes made once.

// sameOr returns prev, the box of the string before, when s equals it, else
// s boxed.
func sameOr(prev any, s string) any {
	if p, ok := prev.(string); ok && p == s {
		return prev
	}
	return s
}

// The boxes of the billing block types.
var (
	familyValue       any = string(state.FamilyBlock)
	consolidatedValue any = string(state.ConsolidatedBlock)
	standaloneValue   any = string(state.StandaloneBlock)
)

// blockTypeValue returns t boxed, sharing the box of a known block type.
func blockTypeValue(t string) any {
	switch state.BlockType(t) {
	case state.FamilyBlock:
		return familyValue
	case state.ConsolidatedBlock:
		return consolidatedValue
	case state.StandaloneBlock:
		return standaloneValue
	}
	return t
}

// smallNumbers are the boxes of the numbers 0 to 255 as float64, the type
// the decoder gives a JSON number.
var smallNumbers = func() (out [256]any) {
	for i := range out {
		out[i] = float64(i)
	}
	return out
}()

// numberValue returns n as the decoder gives it, a float64, boxed.
func numberValue(n int64) any {
	if n >= 0 && n < int64(len(smallNumbers)) {
		return smallNumbers[n]
	}
	return float64(n)
}
