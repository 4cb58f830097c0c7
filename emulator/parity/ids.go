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
//
// Values are kept per kind (customer, aws_account, assignment, linkage,
// client_api_id, ...): a customer 5 and an AWS account 5 are two ids, as the
// API counts them per collection.
type ids struct {
	next     int
	rec, emu map[idKey]int
	recOf    map[int]int64
	emuOf    map[int]int64
}

// idKey is an id value of a kind.
type idKey struct {
	kind string
	v    int64
}

func newIDs() *ids {
	return &ids{rec: map[idKey]int{}, emu: map[idKey]int{}, recOf: map[int]int64{}, emuOf: map[int]int64{}}
}

func (t *ids) fresh() int { t.next++; return t.next }

// pair binds a recorded and an emulated value found at the same place,
// reporting false when either is already bound to another reference.
func (t *ids) pair(kind string, r, e int64) bool {
	rk, ek := idKey{kind, r}, idKey{kind, e}
	rr, rok := t.rec[rk]
	er, eok := t.emu[ek]
	switch {
	case rok && eok:
		return rr == er
	case rok:
		if _, taken := t.emuOf[rr]; taken {
			t.bindEmu(ek, t.fresh())
			return false
		}
		t.bindEmu(ek, rr)
		return true
	case eok:
		if _, taken := t.recOf[er]; taken {
			t.bindRec(rk, t.fresh())
			return false
		}
		t.bindRec(rk, er)
		return true
	default:
		n := t.fresh()
		t.bindRec(rk, n)
		t.bindEmu(ek, n)
		return true
	}
}

func (t *ids) bindRec(k idKey, n int) { t.rec[k], t.recOf[n] = n, k.v }
func (t *ids) bindEmu(k idKey, n int) { t.emu[k], t.emuOf[n] = n, k.v }

// ref is the reference of a value of one side, a new one when unseen.
func (t *ids) ref(kind string, v int64, recorded bool) int {
	k := idKey{kind, v}
	if recorded {
		if n, ok := t.rec[k]; ok {
			return n
		}
		n := t.fresh()
		t.bindRec(k, n)
		return n
	}
	if n, ok := t.emu[k]; ok {
		return n
	}
	n := t.fresh()
	t.bindEmu(k, n)
	return n
}

// emulated is the emulator's value for a recorded id: the one paired with
// it, or the same number (an id of the pre-state, or one no side knows).
func (t *ids) emulated(kind string, r int64) int64 {
	n := t.ref(kind, r, true)
	if e, ok := t.emuOf[n]; ok {
		return e
	}
	if _, taken := t.emu[idKey{kind, r}]; !taken {
		t.bindEmu(idKey{kind, r}, n)
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

// collections name the kind of the ids that follow them in a path, or that
// the items of a list under that key carry as "id".
var collections = map[string]string{
	"customers":               "customer",
	"aws_accounts":            "aws_account",
	"aws_account_assignments": "assignment",
	"govcloud_linkages":       "linkage",
	"add":                     "client_api_id",
	"remove":                  "client_api_id",
	"list":                    "client_api_id",
}

// pathKind is the kind of the resource a request path names (its last
// collection), "" when none.
func pathKind(path string) string {
	kind := ""
	for _, s := range strings.Split(path, "/") {
		if k, ok := collections[s]; ok && s != "add" && s != "remove" && s != "list" {
			kind = k
		}
	}
	return kind
}

// keyKind is the kind of the id under a JSON key or query parameter; ctx
// is the kind of the object the key is in.
func keyKind(key, ctx string) string {
	switch {
	case key == "id":
		return ctx
	case key == "customer_id":
		return "customer"
	case strings.HasSuffix(key, "_acct") || strings.HasSuffix(key, "_acct_id"):
		return "aws_account"
	}
	return key
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
