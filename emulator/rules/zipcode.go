package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"regexp"

	jsonv2 "github.com/go-json-experiment/json"
)

// Zipcode is address.zipcode as a request sends it: a JSON string, or a JSON
// integer (customer-account-add.md calls it a number, its example sends a
// string; clients send either), which is kept as its decimal string: 1234
// is "1234", and 1.0 or 1e3, which JSON Schema counts as integers too, are
// "1" and "1000". A zipcode is always shown as a string (docs/fidelity.md,
// "address.zipcode").
type Zipcode string

// errZipcodeType is the answer to a zipcode that is neither.
var errZipcodeType = errors.New("address.zipcode: must be a string or an integer")

// UnmarshalJSON reads a JSON string or a JSON integer.
func (z *Zipcode) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*z = Zipcode(s)
		return nil
	}
	if integerLiteral.Match(data) {
		*z = Zipcode(data)
		return nil
	}
	// A fraction or an exponent: exact, but short, so that 1e999999999 is
	// not a billion digits to compute.
	if len(data) > maxZipcodeNumber {
		return errZipcodeType
	}
	r, ok := new(big.Rat).SetString(string(data))
	if !ok || !r.IsInt() {
		return errZipcodeType
	}
	*z = Zipcode(r.Num().String())
	return nil
}

// integerLiteral is a JSON number without fraction or exponent (JSON has no
// leading zeros, and -0 is shown as 0).
var integerLiteral = regexp.MustCompile(`^(0|-?[1-9][0-9]*)$`)

// maxZipcodeNumber is the longest JSON number with a fraction or an
// exponent read as a zipcode.
const maxZipcodeNumber = 32

// Ptr is the zipcode as a *string, nil when z is nil.
func (z *Zipcode) Ptr() *string {
	if z == nil {
		return nil
	}
	s := string(*z)
	return &s
}

// UnmarshalJSON decodes a request's address; its zipcode may be a JSON string
// or a JSON integer (Zipcode).
func (a *AddressFields) UnmarshalJSON(data []byte) error {
	var in struct {
		Street1 *string  `json:"street1"`
		Street2 *string  `json:"street2"`
		City    *string  `json:"city"`
		State   *string  `json:"state"`
		Zipcode *Zipcode `json:"zipcode"`
		Country *string  `json:"country"`
	}
	if err := jsonv2.Unmarshal(data, &in, BodyJSON); err != nil {
		return err
	}
	*a = AddressFields{Street1: in.Street1, Street2: in.Street2, City: in.City, State: in.State, Zipcode: in.Zipcode.Ptr(), Country: in.Country}
	return nil
}
