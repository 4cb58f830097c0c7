package contracttests

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/fixtures"
)

var updateProfile = flag.Bool("update-profile", false, "rewrite profiles/emulator-default.json from the default fixtures")

// emulatorDefaultProfile is the profile make contract-binary runs the suite
// with against the binary on its embedded default fixtures.
const emulatorDefaultProfile = "profiles/emulator-default.json"

// The committed profile of the default fixtures is the one derived from them:
// when the fixtures change, regenerate it with
// go test ./contracttests -run TestEmulatorDefaultProfile -update-profile.
func TestEmulatorDefaultProfileMatchesTheDefaultFixtures(t *testing.T) {
	key, err := defaultFixturesKey()
	require.NoError(t, err)
	want, err := EmulatorProfile(fixtures.Default, key)
	require.NoError(t, err)
	if *updateProfile {
		require.NoError(t, os.WriteFile(emulatorDefaultProfile, want.JSON(), 0o644))
	}
	got, err := LoadProfile(emulatorDefaultProfile)
	require.NoError(t, err)
	require.Equal(t, want, got, "%s is stale: run go test ./contracttests -run TestEmulatorDefaultProfile -update-profile", emulatorDefaultProfile)
	raw, err := os.ReadFile(emulatorDefaultProfile)
	require.NoError(t, err)
	require.Equal(t, string(want.JSON()), string(raw))
}

// What the derivation picks from the default fixtures, checked against the
// facts of the document rather than fixed ids.
func TestEmulatorProfileFitsItsFixtures(t *testing.T) {
	key, err := defaultFixturesKey()
	require.NoError(t, err)
	p, err := EmulatorProfile(fixtures.Default, key)
	require.NoError(t, err)
	require.NoError(t, p.Check())
	require.Contains(t, p.Description, "Example Partner")
	_, err = EmulatorProfile(fixtures.Default, "no-such-key")
	require.ErrorContains(t, err, "no partner")

	// The GovCloud customer's accounts: at least two GovCloud ones and a
	// commercial one, all of that customer and in no linkage; the unknown
	// account and linkage ids are none of its.
	doc, err := fixture.Parse(fixtures.Default)
	require.NoError(t, err)
	var customer *fixture.Customer
	for i := range doc.Partners[0].Customers {
		if c := &doc.Partners[0].Customers[i]; c.ID == p.GovcloudCustomerID {
			customer = c
		}
	}
	require.NotNil(t, customer, "govcloud_customer_id is a customer of the partner")
	want := customer.ClientAPIID
	if want == 0 {
		want = customer.ID // omitted in the document: the client_api_id is the id
	}
	require.Equal(t, want, p.GovcloudClientAPIID)
	govcloud := map[int64]bool{}
	for _, a := range customer.AWSAccounts {
		govcloud[a.ID] = a.IsGovcloud
		require.NotEqual(t, p.UnknownAWSAccountID, a.ID)
	}
	for _, id := range p.GovcloudAcctIDs {
		isGov, ok := govcloud[id]
		require.True(t, ok && isGov, "GovCloud account %d of the customer", id)
	}
	isGov, ok := govcloud[p.CommercialAcctID]
	require.True(t, ok && !isGov, "commercial account %d of the customer", p.CommercialAcctID)
	for _, l := range customer.GovcloudLinkages {
		require.NotEqual(t, p.UnknownLinkageID, l.ID)
		for _, id := range append([]int64{p.CommercialAcctID}, p.GovcloudAcctIDs...) {
			require.NotContains(t, []int64{l.GovcloudAcctID, l.CommercialAcctID}, id, "account %d is in linkage %d", id, l.ID)
		}
	}

	// A document without an unassigned Azure account cannot run the suite.
	_, err = EmulatorProfile([]byte(`
partners:
  - id: 1
    name: P
    api_keys: [k]
    aws_accounts:
      - {id: 100, owner_id: "999999999999", name: Payer}
      - {id: 101, owner_id: "000000000001", name: a, billing_family_owner_id: "999999999999"}
      - {id: 102, owner_id: "000000000002", name: b, billing_family_owner_id: "999999999999"}
    customers:
      - {id: 1, client_api_id: 10, name: C, partner_billing_configuration: {enabled: true, folder: ""}}
      - {id: 2, client_api_id: 11, name: D}
`), "k")
	require.ErrorContains(t, err, "azure_customer_ids")
	require.ErrorContains(t, err, "govcloud_acct_ids", "nor one without free GovCloud accounts")
}

func TestLoadProfileRefusesIncompleteOrMistypedFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"unknown field": `{"customer_idd": 1}`,
		"empty":         `{}`,
		"not JSON":      `customer_id: 1`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
			require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
			_, err := LoadProfile(path)
			require.Error(t, err)
		})
	}
	_, err := LoadProfile(filepath.Join(dir, "missing.json"))
	require.Error(t, err)
}
