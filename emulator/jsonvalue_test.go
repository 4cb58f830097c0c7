package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdDecode is what kin-openapi's own JSON body decoder returns.
func stdDecode(data []byte) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&v)
	return v, err
}

// The fast path gives encoding/json's value for what it takes, declines the
// rest, and the decoder as a whole gives encoding/json's value or an error
// wherever encoding/json does.
func TestJSONBodyDecoderMatchesEncodingJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fast bool // the fast path takes it
	}{
		{`{"id":1,"owner_id":"123456789012","customer_id":2}`, true},
		{` {"a" : [ 1 , -2.5e+3 , 0 , 0.5 , 1E9 ] , "b" : { } , "c" : [ ] } ` + "\n", true},
		{`{"x":true,"y":false,"z":null}`, true},
		{`[]`, true},
		{`"plain"`, true},
		{`-0`, true},
		{`{"aws_account_assignments":[{"id":1},{"id":2}]}`, true},
		{`{"a":"caf\u00e9"}`, false},
		{`{"a":"café"}`, false},
		{`{"a":"tab\tin"}`, false},
		{`{"a":"\ud83d\ude00"}`, false},
		{`{"a":1,"a":2}`, false},
		{`{"a":1} {"b":2}`, false},
		{`{"a":1} x`, false},
		{`{"a":01}`, false},
		{`{"a":1.}`, false},
		{`{"a":.5}`, false},
		{`{"a":1e}`, false},
		{`{"a":-}`, false},
		{`{"a":tru}`, false},
		{`{"a":truex}`, false},
		{`{"a":1,}`, false},
		{`[1,]`, false},
		{`{a:1}`, false},
		{`{"a" 1}`, false},
		{`[1 2]`, false},
		{``, false},
		{`   `, false},
		{`{"a":[`, false},
		{`"unterminated`, false},
		{string(bytes.Repeat([]byte("["), 100)) + string(bytes.Repeat([]byte("]"), 100)), false},
		{string(bytes.Repeat([]byte("["), 20000)) + string(bytes.Repeat([]byte("]"), 20000)), false},
	} {
		t.Run(tc.in[:min(len(tc.in), 40)], func(t *testing.T) {
			want, wantErr := stdDecode([]byte(tc.in))
			fast, ok := parseJSONValue([]byte(tc.in))
			require.Equal(t, tc.fast, ok)
			if ok {
				require.NoError(t, wantErr)
				assert.Equal(t, want, fast)
			}
			for _, body := range []interface{ Read([]byte) (int, error) }{bytes.NewBufferString(tc.in), bytes.NewReader([]byte(tc.in))} {
				got, err := jsonBodyDecoder(body, http.Header{}, nil, nil)
				if wantErr != nil {
					require.Error(t, err)
					continue
				}
				require.NoError(t, err)
				assert.Equal(t, want, got)
			}
		})
	}
}

// Any input: the decoder agrees with encoding/json.
func FuzzJSONBodyDecoder(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `[-0.5e-3,"x",true]`, `{"a":"\u00e9"}`, `{"a":1,"a":2}`, `{"a":1} 2`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := stdDecode(data)
		got, err := jsonBodyDecoder(bytes.NewBuffer(data), http.Header{}, nil, nil)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("error %v, encoding/json: %v", err, wantErr)
		}
		if err == nil {
			assert.Equal(t, want, got)
		}
	})
}

// compilePattern matches what Go's regexp matches, for the digit patterns it
// takes itself and for the others.
func TestCompilePatternMatchesRegexp(t *testing.T) {
	inputs := []string{"", "123456789012", "12345678901", "1234567890123", "12345678901a", "123456789012\n", "\n123456789012",
		"١٢٣٤٥٦٧٨٩٠١٢", "abc", "0", "00"}
	for _, expr := range []string{`^[0-9]{12}$`, `^[0-9]{1}$`, `^[0-9]{2}$`, `^[0-9]{1,2}$`, `^[a-z]+$`, `^\u0061$`, `[0-9]{12}`} {
		m, err := compilePattern(expr)
		require.NoError(t, err)
		_, fast := fixedDigits(expr)
		assert.Equal(t, expr == `^[0-9]{12}$` || expr == `^[0-9]{1}$` || expr == `^[0-9]{2}$`, fast, expr)
		std, err := compilePatternStd(expr)
		require.NoError(t, err)
		for _, in := range append(inputs, "a") {
			assert.Equal(t, std.MatchString(in), m.MatchString(in), "%s on %q", expr, in)
		}
	}
	_, err := compilePattern(`^[`)
	assert.Error(t, err)
}
