package parity

import (
	"encoding/json"
	"strconv"
	"strings"
)

// ids maps the ids of the two sides, recorded and emulated, to shared
// references (<id:1>, <id:2>, ... in order of first appearance): a value
// seen first as 8123 in a recording and 5 in the emulator's answer at the
// same place is <id:1> on both sides, everywhere either appears afterwards.
type ids struct {
	next     int
	rec, emu map[int64]int
	recOf    map[int]int64
	emuOf    map[int]int64
}

func newIDs() *ids {
	return &ids{rec: map[int64]int{}, emu: map[int64]int{}, recOf: map[int]int64{}, emuOf: map[int]int64{}}
}

func (t *ids) fresh() int { t.next++; return t.next }

// pair binds a recorded and an emulated value found at the same place,
// reporting false when either is already bound to another reference.
func (t *ids) pair(r, e int64) bool {
	rr, rok := t.rec[r]
	er, eok := t.emu[e]
	switch {
	case rok && eok:
		return rr == er
	case rok:
		if _, taken := t.emuOf[rr]; taken {
			t.bindEmu(e, t.fresh())
			return false
		}
		t.bindEmu(e, rr)
		return true
	case eok:
		if _, taken := t.recOf[er]; taken {
			t.bindRec(r, t.fresh())
			return false
		}
		t.bindRec(r, er)
		return true
	default:
		n := t.fresh()
		t.bindRec(r, n)
		t.bindEmu(e, n)
		return true
	}
}

func (t *ids) bindRec(v int64, n int) { t.rec[v], t.recOf[n] = n, v }
func (t *ids) bindEmu(v int64, n int) { t.emu[v], t.emuOf[n] = n, v }

// ref is the reference of a value of one side, a new one when unseen.
func (t *ids) ref(v int64, recorded bool) int {
	if recorded {
		if n, ok := t.rec[v]; ok {
			return n
		}
		n := t.fresh()
		t.bindRec(v, n)
		return n
	}
	if n, ok := t.emu[v]; ok {
		return n
	}
	n := t.fresh()
	t.bindEmu(v, n)
	return n
}

// emulated is the emulator's value for a recorded id: the one paired with
// it, or the same number (an id of the pre-state, or one no side knows).
func (t *ids) emulated(r int64) int64 {
	n := t.ref(r, true)
	if e, ok := t.emuOf[n]; ok {
		return e
	}
	if _, taken := t.emu[r]; !taken {
		t.bindEmu(r, n)
	}
	return r
}

// label is how a reference is shown.
func label(n int) string { return "<id:" + strconv.Itoa(n) + ">" }

// isIDKey reports whether a JSON key or query parameter names an id: "id",
// a name ending in "_id", or a GovCloud linkage's "..._acct".
func isIDKey(k string) bool {
	return k == "id" || strings.HasSuffix(k, "_id") || strings.HasSuffix(k, "_acct")
}

// asID is a JSON number or a decimal string as an id.
func asID(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		return n, err == nil
	case string:
		if x == "" || strings.TrimLeft(x, "0123456789") != "" || len(x) > 18 {
			return 0, false
		}
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}
