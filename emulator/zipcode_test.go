package emulator

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// address.zipcode is a JSON string or a JSON integer; an integer is stored
// and shown as its decimal string (docs/fidelity.md, "address.zipcode").
func TestZipcodeStringOrInteger(t *testing.T) {
	ts := newTestServer(t, Options{})
	zipOf := func(r response) any {
		t.Helper()
		require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		return r.Object()["address"].(map[string]any)["zipcode"]
	}
	cases := []struct {
		name string
		sent string // the zipcode as JSON
		want string
	}{
		{"an integer", `1234`, "1234"},
		{"a string with a leading zero", `"01234"`, "01234"},
		{"an integer written with an exponent", `1.2e3`, "1200"},
		{"zero", `0`, "0"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			body := `{"name": "Zip ` + string(rune('A'+i)) + `", "address": {"street1": "1 Main St", "city": "Springfield",
				"state": "MA", "zipcode": ` + tc.sent + `, "country": "US"}}`
			created := ts.post(customersPath, body)
			require.Equal(t, tc.want, zipOf(created), "create")
			path := customerPathOf(created.Object()["id"])
			require.Equal(t, tc.want, zipOf(ts.get(path)), "shown as a string")

			require.Equal(t, "99", zipOf(ts.put(path, `{"address": {"zipcode": 99}}`)), "update with an integer")
			require.Equal(t, tc.want, zipOf(ts.put(path, `{"address": {"zipcode": `+tc.sent+`}}`)), "update back")
			require.Equal(t, tc.want, zipOf(ts.get(path)))
			// A PUT of the GET (the zipcode now a string) changes nothing.
			before := ts.stateDump()
			require.Equal(t, tc.want, zipOf(ts.put(path, ts.get(path).Body)))
			require.Equal(t, before, ts.stateDump())
		})
	}
}

// Anything else for a zipcode is a 422 {"error": ...} and changes nothing.
func TestZipcodeRefused(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, z := range []string{`1.5`, `true`, `null`, `[]`, `{}`, `-1e-3`} {
		t.Run(z, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				requireJSONError(t, ts.post(customersPath, `{"name": "Zip", "address": {"street1": "1 Main St", "city": "Springfield",
					"state": "MA", "zipcode": `+z+`, "country": "US"}}`), http.StatusUnprocessableEntity)
				requireJSONError(t, ts.put(customerPathOf(1), `{"address": {"zipcode": `+z+`}}`), http.StatusUnprocessableEntity)
			})
		})
	}
}
