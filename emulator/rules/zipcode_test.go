package rules

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestZipcodeUnmarshal(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{`"01234"`, "01234", true},
		{`""`, "", true},
		{`1234`, "1234", true},
		{`0`, "0", true},
		{`-0`, "0", true},
		{`-5`, "-5", true},
		{`12345678901234567890123`, "12345678901234567890123", true},
		{`1.0`, "1", true},
		{`1e3`, "1000", true},
		{`1234E+0`, "1234", true},
		{`1.5`, "", false},
		{`1e-3`, "", false},
		{`1e999999999`, "", false},
		{`true`, "", false},
		{`[]`, "", false},
		{`{}`, "", false},
	}
	for _, tc := range cases {
		var z Zipcode
		err := json.Unmarshal([]byte(tc.in), &z)
		if !tc.ok {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, string(z), tc.in)
	}
	var absent struct {
		Z *Zipcode `json:"zipcode"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{}`), &absent))
	require.Nil(t, absent.Z.Ptr())
	require.NoError(t, json.Unmarshal([]byte(`{"zipcode": 7}`), &absent))
	require.Equal(t, "7", *absent.Z.Ptr())
}
