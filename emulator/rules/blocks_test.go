package rules_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/fixtures"
)

// defaultState builds the default fixtures (partner 1 is the caller).
func defaultState(t *testing.T) (*state.State, *state.Partner) {
	t.Helper()
	doc, err := fixture.Parse(fixtures.Default)
	require.NoError(t, err)
	st, err := fixture.Build(doc, now)
	require.NoError(t, err)
	p, ok := st.Partner(1)
	require.True(t, ok)
	return st, p
}

func items(t *testing.T, body string) []rules.BlockItem {
	t.Helper()
	var req rules.BlocksRequest
	require.NoError(t, json.Unmarshal([]byte(body), &req))
	return req.AWSAccountAssignments
}

// CheckBlocks: each member's owner id and errors (by field), and whether the
// create would pass; members in request order, families expanded.
func TestCheckBlocks(t *testing.T) {
	type member struct {
		owner  string
		fields []string // the fields with errors
	}
	cases := []struct {
		name    string
		body    string
		members []member
		pass    bool
	}{
		{"a lone family head", `{"aws_account_assignments": [{"target_client_api_id": 7, "billing_block_type": "Family", "owner_id": "300000000101"}]}`,
			[]member{{"300000000101", nil}}, true},
		{"a family expands to its accounts, by id", `{"aws_account_assignments": [{"target_client_api_id": 7, "billing_block_type": "Family", "owner_id": ["300000000106"]}]}`,
			[]member{{"300000000106", nil}, {"300000000102", nil}, {"300000000103", nil}}, true},
		{"two owner ids for a Family", `{"aws_account_assignments": [{"target_client_api_id": 7, "billing_block_type": "Family", "owner_id": ["300000000101", "300000000107"]}]}`,
			[]member{{"300000000101", []string{"owner_id"}}, {"300000000107", []string{"owner_id"}}}, false},
		{"a family member is no head", `{"aws_account_assignments": [{"target_client_api_id": 7, "billing_block_type": "Family", "owner_id": "300000000104"}]}`,
			[]member{{"300000000104", []string{"owner_id"}}}, false},
		{"a family whose member is assigned", `{"aws_account_assignments": [{"target_client_api_id": 7, "billing_block_type": "Family", "owner_id": "999999999999"}]}`,
			[]member{{"999999999999", nil}, {"000000000001", nil}, {"000000000002", []string{"owner_id"}}, {"000000000003", nil}, {"000000000004", nil}}, false},
		{"consolidated with its head", `{"aws_account_assignments": [{"target_client_api_id": 8, "billing_block_type": "Consolidated", "owner_id": "300000000107,300000000104", "payer_account_owner_id": "300000000104"}]}`,
			[]member{{"300000000107", nil}, {"300000000104", nil}}, true},
		{"consolidated across families", `{"aws_account_assignments": [{"target_client_api_id": 8, "billing_block_type": "Consolidated", "owner_id": ["300000000102", "300000000101"], "payer_account_owner_id": "300000000102"}]}`,
			[]member{{"300000000102", nil}, {"300000000101", []string{"owner_id"}}}, false},
		{"standalone needs no family, ignores the payer", `{"aws_account_assignments": [{"target_client_api_id": "8", "billing_block_type": "Standalone", "owner_id": ["000000000005", "300000000101"], "payer_account_owner_id": "123"}]}`,
			[]member{{"000000000005", nil}, {"300000000101", nil}}, true},
		{"the other partner's customer and account", `{"aws_account_assignments": [{"target_client_api_id": 20001, "billing_block_type": "Standalone", "owner_id": "000000000021"}]}`,
			[]member{{"000000000021", []string{"owner_id", "target_client_api_id"}}}, false},
		{"one name twice for one customer", `{"aws_account_assignments": [{"target_client_api_id": 8, "billing_block_name": "n", "billing_block_type": "Standalone", "owner_id": "300000000101"},
			{"target_client_api_id": 8, "billing_block_name": "n", "billing_block_type": "Standalone", "owner_id": "300000000104"}]}`,
			[]member{{"300000000101", []string{"billing_block_name"}}, {"300000000104", []string{"billing_block_name"}}}, false},
		{"one name for two customers", `{"aws_account_assignments": [{"target_client_api_id": 7, "billing_block_name": "n", "billing_block_type": "Standalone", "owner_id": "300000000101"},
			{"target_client_api_id": 8, "billing_block_name": "n", "billing_block_type": "Standalone", "owner_id": "300000000104"}]}`,
			[]member{{"300000000101", nil}, {"300000000104", nil}}, true},
		{"consolidated with a payer and no owner_id", `{"aws_account_assignments": [{"target_client_api_id": 8, "billing_block_type": "Consolidated", "payer_account_owner_id": "300000000104"}]}`,
			[]member{{"", []string{"owner_id", "payer_account_owner_id"}}}, false},
		{"a family with no owner_id", `{"aws_account_assignments": [{"target_client_api_id": 8, "billing_block_type": "Family"}]}`,
			[]member{{"", []string{"owner_id"}}}, false},
		{"an empty owner_id list", `{"aws_account_assignments": [{"target_client_api_id": 8, "billing_block_type": "Consolidated", "owner_id": [], "payer_account_owner_id": ""}]}`,
			[]member{{"", []string{"owner_id", "payer_account_owner_id"}}}, false},
		{"unnamed blocks never collide", `{"aws_account_assignments": [{"target_client_api_id": 6, "billing_block_type": "Standalone", "owner_id": "300000000101"},
			{"target_client_api_id": 6, "billing_block_type": "Standalone", "owner_id": "300000000104"}]}`,
			[]member{{"300000000101", nil}, {"300000000104", nil}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, p := defaultState(t)
			members, plans := rules.CheckBlocks(st, p, items(t, tc.body))
			var got []member
			for _, m := range members {
				var fields []string
				for _, f := range []string{"billing_block_name", "billing_block_type", "owner_id", "payer_account_owner_id", "target_client_api_id"} {
					if len(m.Errors[f]) > 0 {
						fields = append(fields, f)
					}
				}
				require.NotNil(t, m.Errors)
				got = append(got, member{m.OwnerID, fields})
			}
			require.Equal(t, tc.members, got)
			require.Equal(t, tc.pass, plans != nil)
			for _, pl := range plans {
				// What would be stored fits its type.
				require.Empty(t, rules.CheckBlockShape(st, p, pl.Block.Name, pl.Block.Type, pl.Members))
			}
		})
	}
}

func TestBlockOwnerIDsForms(t *testing.T) {
	for body, want := range map[string]rules.BlockOwnerIDs{
		`"300000000101"`:                   {"300000000101"},
		`" 300000000101 , 300000000104,"`:  {"300000000101", "300000000104"},
		`["300000000101", "300000000104"]`: {"300000000101", "300000000104"},
		`[]`:                               {},
	} {
		var got rules.BlockOwnerIDs
		require.NoError(t, json.Unmarshal([]byte(body), &got), body)
		require.Equal(t, want, got, body)
	}
	var id rules.ClientAPIIDValue
	require.NoError(t, json.Unmarshal([]byte(`"42"`), &id))
	require.Equal(t, rules.ClientAPIIDValue(42), id)
	require.Error(t, json.Unmarshal([]byte(`"4x"`), &id))
	require.Error(t, json.Unmarshal([]byte(`1e40`), &id))
}

func TestCheckBlockDeleteAndPayer(t *testing.T) {
	st, p := defaultState(t)
	c, _ := st.CustomerByClientAPIID(p, 6)
	asg := func(id int64) *state.Assignment { a, _ := st.Assignment(p, id); return a }
	require.NotEmpty(t, rules.CheckBlockDelete(st, asg(5)), "family head")
	require.Empty(t, rules.CheckBlockDelete(st, asg(6)), "family member")
	require.NotEmpty(t, rules.CheckBlockDelete(st, asg(8)), "consolidated payer")
	require.Empty(t, rules.CheckBlockDelete(st, asg(10)), "standalone")
	require.NotEmpty(t, rules.CheckBlockDelete(st, asg(2)), "v1 consolidated with a linked one")
	name, payer := "consolidated block", "300000000012"
	b, errs := rules.CheckBlockPayer(st, c, rules.BlockPayerFields{BillingBlockName: &name, PayerAccountOwnerID: &payer})
	require.Empty(t, errs)
	require.Equal(t, "consolidated block", b.Name)
	require.Equal(t, []string{"billing_block_name is required", "payer_account_owner_id is required"}, func() []string {
		_, e := rules.CheckBlockPayer(st, c, rules.BlockPayerFields{})
		return e
	}())
}

// CheckInvariants sees a block whose members break its type.
func TestInvariantsCheckBlocks(t *testing.T) {
	st, p := defaultState(t)
	require.Empty(t, rules.CheckInvariants(st))
	c, _ := st.CustomerByClientAPIID(p, 6)
	b, _ := st.BlockByName(c, "consolidated block")
	st.SetBlockPayer(b, "300000000020") // not a member
	require.Equal(t, []string{`customer 6: billing block "consolidated block": the payer "300000000020" is not a member`}, rules.CheckInvariants(st))

	st, p = defaultState(t)
	c, _ = st.CustomerByClientAPIID(p, 6)
	fam, _ := st.BlockByName(c, "family block")
	st.SetBlockPayer(fam, "300000000002") // a member, but no family head
	require.Contains(t, rules.CheckInvariants(st), `customer 6: billing block "family block": the payer "300000000002" of a Family block is not the head of a billing family`)
}
