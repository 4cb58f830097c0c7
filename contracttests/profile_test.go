package contracttests

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

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
