package emulator

import (
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireCheck returns what the response check is given for an answer written
// with write: the value from wireTree (ok true), and the body decoded as the
// check decodes one.
func wireCheck(t *testing.T, write func(w http.ResponseWriter)) (tree, decoded any, ok bool) {
	t.Helper()
	rec := newRecorder()
	defer rec.release()
	write(rec)
	require.NoError(t, jsonv2.Unmarshal(rec.body.Bytes(), &decoded), rec.body.String())
	tree, ok = wireTree(rec.encodedFrom(), newWireMaps()) // not released: the test keeps the value
	return tree, decoded, ok
}

// wireStringCases are strings an answer could carry, valid UTF-8 all: what
// the encoder escapes (quotes, backslashes, control characters, U+2028) and
// what it leaves (<, >, &, non-ASCII).
var wireStringCases = []string{"", "000000000001", `a"b\c`, "tab\there\nnew", "\x00\x1f", "<b>&amp;</b>", "é 中 😀", "\u2028\u2029", "\ufffd"}

// wireIntCases are ids, including those a float64 cannot hold exactly.
var wireIntCases = []int64{0, 1, -1, 255, 256, 1 << 53, 1<<53 + 1, math.MaxInt64, math.MinInt64}

// The value an answer type gives the response check is the value decoding
// its body gives, for every id and string: a list page and a read of each
// type, and an empty page.
func TestWireValueIsTheDecodedBody(t *testing.T) {
	var v1 []assignmentJSON
	var v2 []assignmentV2JSON
	for i, n := range wireIntCases {
		s := wireStringCases[i%len(wireStringCases)]
		o := wireStringCases[(i+3)%len(wireStringCases)]
		v1 = append(v1, assignmentJSON{ID: n, OwnerID: s, CustomerID: -n, PayerAccountOwnerID: o})
		v2 = append(v2, assignmentV2JSON{ID: n, OwnerID: s, TargetClientAPIID: n / 3, PayerAccountOwnerID: o,
			BillingFamilyOwnerID: wireStringCases[(i+5)%len(wireStringCases)], BillingBlockType: "Standalone", BillingBlockName: s + o})
		// A standalone assignment: the payer is the owner, the family its own.
		v1 = append(v1, assignmentJSON{ID: n, OwnerID: s, CustomerID: n, PayerAccountOwnerID: s})
		v2 = append(v2, assignmentV2JSON{ID: -n, OwnerID: o, TargetClientAPIID: n, PayerAccountOwnerID: o,
			BillingFamilyOwnerID: o, BillingBlockType: []string{"Family", "Consolidated", "Standalone"}[i%3]})
	}
	for _, tc := range []struct {
		name  string
		write func(w http.ResponseWriter)
	}{
		{"v1 page", func(w http.ResponseWriter) { writePage(w, pageBody[assignmentJSON]{"aws_account_assignments", v1}) }},
		{"v2 page", func(w http.ResponseWriter) { writePage(w, pageBody[assignmentV2JSON]{"aws_account_assignments", v2}) }},
		{"empty page", func(w http.ResponseWriter) {
			writePage(w, pageBody[assignmentJSON]{"aws_account_assignments", []assignmentJSON{}})
		}},
		{"v1 read", func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, v1[len(v1)-1]) }},
		{"v2 read", func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, v2[len(v2)-1]) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree, decoded, ok := wireCheck(t, tc.write)
			require.True(t, ok, "the type gives its value")
			assert.Equal(t, decoded, tree)
		})
	}
}

// Where the value cannot be told from the fields, or is not the whole body,
// the check decodes the body: a string that is not UTF-8 (the encoder
// rewrites it), a v2 result (its errors), a page of items without a value,
// a body written to after writeJSON.
func TestWireValueLeftToTheDecoder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(w http.ResponseWriter)
	}{
		{"invalid UTF-8", func(w http.ResponseWriter) {
			writePage(w, pageBody[assignmentJSON]{"aws_account_assignments", []assignmentJSON{{OwnerID: "\xff"}}})
		}},
		{"v2 invalid UTF-8", func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, assignmentV2JSON{BillingBlockName: "a\xffb"}) }},
		{"v2 result", func(w http.ResponseWriter) {
			writeJSON(w, http.StatusOK, assignmentV2ResultJSON{Errors: map[string][]string{"owner_id": {"x"}}})
		}},
		{"page of another type", func(w http.ResponseWriter) { writePage(w, pageBody[string]{"names", []string{"a"}}) }},
		{"written after", func(w http.ResponseWriter) {
			writeJSON(w, http.StatusOK, assignmentJSON{OwnerID: "000000000001"})
			_, _ = w.Write([]byte(" "))
		}},
		{"written before", func(w http.ResponseWriter) {
			_, _ = w.Write([]byte(" "))
			writeJSON(w, http.StatusOK, assignmentJSON{OwnerID: "000000000001"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, ok := wireCheck(t, tc.write)
			assert.False(t, ok)
		})
	}
}

// FuzzWireValue holds both assignment types to their decoded bodies for any
// ids and strings.
func FuzzWireValue(f *testing.F) {
	for i, n := range wireIntCases {
		f.Add(n, -n, wireStringCases[i%len(wireStringCases)], "000000000001", "Family")
	}
	f.Add(int64(7), int64(8), "\xff", "a\x80", "\xed\xa0\x80")
	f.Add(int64(300), int64(255), "000000000001", "000000000001", "000000000001") // a standalone assignment
	f.Add(int64(-5), int64(256), "Consolidated", "", "")                          // a block type
	f.Fuzz(func(t *testing.T, id, other int64, s1, s2, s3 string) {
		for _, write := range []func(w http.ResponseWriter){
			func(w http.ResponseWriter) {
				writePage(w, pageBody[assignmentJSON]{"k", []assignmentJSON{{ID: id, OwnerID: s1, CustomerID: other, PayerAccountOwnerID: s2}}})
			},
			func(w http.ResponseWriter) {
				writeJSON(w, http.StatusOK, assignmentV2JSON{ID: id, OwnerID: s1, TargetClientAPIID: other,
					PayerAccountOwnerID: s2, BillingFamilyOwnerID: s3, BillingBlockType: s1 + s3, BillingBlockName: s2 + s1})
			},
		} {
			tree, decoded, ok := wireCheck(t, write)
			if ok {
				assert.Equal(t, decoded, tree)
			} else {
				assert.False(t, wireStrings(s1, s2, s3), "only a string that is not UTF-8 leaves the value out")
			}
		}
	})
}

// A list page or a read checked through its value is still held to
// openapi.yaml: an owner id that breaks its pattern, in either version, is a
// 500 and a SpecViolation, as it is when the body is decoded.
func TestWireValueBreakingTheSpec(t *testing.T) {
	bad := "12345678901" // 11 digits
	for _, tc := range []struct {
		name, id, path string
		h              handler
	}{
		{"v1 page", "listAwsAccountAssignments", assignmentsPath, func(_ *Server, rq *call) {
			setPagingHeaders(rq.w, rq.r, page{number: 1, perPage: 30}, 1)
			writePage(rq.w, pageBody[assignmentJSON]{"aws_account_assignments", []assignmentJSON{{ID: 1, OwnerID: bad, CustomerID: 1, PayerAccountOwnerID: "123456789012"}}})
		}},
		{"v2 page", "listAwsAccountAssignmentsV2", assignmentsV2Path, func(_ *Server, rq *call) {
			setPagingHeaders(rq.w, rq.r, page{number: 1, perPage: 30}, 1)
			writePage(rq.w, pageBody[assignmentV2JSON]{"aws_account_assignments", []assignmentV2JSON{{ID: 1, OwnerID: "123456789012",
				TargetClientAPIID: 1, PayerAccountOwnerID: "123456789012", BillingFamilyOwnerID: bad, BillingBlockType: "Standalone"}}})
		}},
		{"v2 page, unknown block type", "listAwsAccountAssignmentsV2", assignmentsV2Path, func(_ *Server, rq *call) {
			setPagingHeaders(rq.w, rq.r, page{number: 1, perPage: 30}, 1)
			writePage(rq.w, pageBody[assignmentV2JSON]{"aws_account_assignments", []assignmentV2JSON{{ID: 1, OwnerID: "123456789012",
				TargetClientAPIID: 1, PayerAccountOwnerID: "123456789012", BillingFamilyOwnerID: "123456789012", BillingBlockType: "Block"}}})
		}},
		{"v1 read", "getAwsAccountAssignment", assignmentPath(1), func(_ *Server, rq *call) {
			writeJSON(rq.w, http.StatusOK, assignmentJSON{ID: 1, OwnerID: "123456789012", CustomerID: 1, PayerAccountOwnerID: bad})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var violations []SpecViolation
			srv, err := New(Options{OnSpecViolation: func(v SpecViolation) { violations = append(violations, v) }})
			require.NoError(t, err)
			rec := serveAs(srv, tc.id, tc.h, httptest.NewRequest(http.MethodGet, tc.path, nil))
			assert.Equal(t, http.StatusInternalServerError, rec.Code, rec.Body.String())
			require.Len(t, violations, 1)
			assert.Equal(t, tc.id, violations[0].Operation)
			assert.Contains(t, violations[0].Problem, "response body doesn't match schema")
		})
	}
}

// A page is written byte for byte as the map of its one key would be, with
// and without items, whatever the key holds.
func TestWritePageIsTheMapEncoding(t *testing.T) {
	items := []assignmentV2JSON{{ID: 1, OwnerID: "<a&b>", BillingBlockName: "é\u2028\"\\"}, {ID: math.MaxInt64}}
	for _, key := range []string{"aws_account_assignments", "<k&\"é\u2028>", ""} {
		for _, page := range [][]assignmentV2JSON{items, {}} {
			want := httptest.NewRecorder()
			writeJSON(want, http.StatusOK, map[string][]assignmentV2JSON{key: page})
			got := httptest.NewRecorder()
			writePage(got, pageBody[assignmentV2JSON]{key, page})
			assert.Equal(t, want.Body.String(), got.Body.String())
			assert.Equal(t, want.Header(), got.Header())
		}
	}
}

// A set of maps that served one check serves the next as a new one would:
// a shorter page after a longer one leaves nothing of it in the value.
func TestWireMapsRecycled(t *testing.T) {
	long := make([]assignmentV2JSON, 40)
	for i := range long {
		long[i] = assignmentV2JSON{ID: int64(i), OwnerID: "000000000001", BillingBlockType: "Family", BillingBlockName: "long"}
	}
	short := []assignmentJSON{{ID: 7, OwnerID: "000000000002", CustomerID: 3, PayerAccountOwnerID: "000000000003"}}
	ms := new(wireMaps)
	_, ok := wireTree(pageBody[assignmentV2JSON]{"a", long}, ms)
	require.True(t, ok)
	ms.reset() // what release does before it returns the set to the pool
	tree, ok := wireTree(pageBody[assignmentJSON]{"b", short}, ms)
	require.True(t, ok)
	assert.Equal(t, map[string]any{"b": []any{map[string]any{"id": 7.0, "owner_id": "000000000002", "customer_id": 3.0,
		"payer_account_owner_id": "000000000003"}}}, tree)
}
