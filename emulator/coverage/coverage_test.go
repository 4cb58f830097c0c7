package coverage_test

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/coverage"
)

const spec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      tags: [things]
      responses:
        "200": {description: ok}
        "401": {description: no key}
    post:
      operationId: createThing
      responses:
        "201": {description: created}
`

// Each documented status is reported with its count, declared unreachable
// statuses are no gap, and Clear forgets the counts.
func TestReport(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	require.NoError(t, err)
	c := coverage.New()
	c.Record("listThings", 200)
	c.Record("listThings", 200)
	c.Record("", 404)
	entries := coverage.Report(doc, c, map[string]map[int]string{"createThing": {201: "because"}})
	require.Equal(t, []coverage.Entry{
		{Operation: "listThings", Method: "GET", Path: "/things", Tag: "things", Status: "200", Count: 2},
		{Operation: "listThings", Method: "GET", Path: "/things", Tag: "things", Status: "401"},
		{Operation: "createThing", Method: "POST", Path: "/things", Status: "201", Unreachable: "because"},
	}, entries)
	require.Equal(t, []coverage.Entry{entries[1]}, coverage.Gaps(entries))
	require.Equal(t, map[int]int{404: 1}, c.Statuses(""))
	text := coverage.FormatReport("title", entries)
	require.Contains(t, text, "MISSING listThings")
	require.Contains(t, text, "3 documented statuses: 1 exercised, 1 unreachable, 1 missing")

	c.Clear()
	require.Zero(t, c.Count("listThings", 200))
	var none *coverage.Counts
	none.Record("listThings", 200) // a nil record records nothing
	require.Zero(t, none.Count("listThings", 200))
}
