package rules

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// BodyJSON is how a request body of the CloudHealth surface is decoded,
// everywhere (the schema's generic value, the typed fields, an address, a
// list's body filter): member names match exactly, as Rails' params do (an
// "Owner_Id" is an unknown field, never owner_id); a name given twice keeps
// its last value, as Rails' JSON parser does; invalid UTF-8 is let through
// here and refused with its path by the body text check.
var BodyJSON = jsonv2.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
