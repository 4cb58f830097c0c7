package rules

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// The rules of the price book endpoints (docs/fidelity.md, "Customer
// statements and price books"). The pages name ids as integers in one place
// and as strings ("enclose each parameter in double quotes") in another, so
// every id of this family is read from a JSON integer or a string of digits.

// SpecificationRoot is the documented root element of a price book's XML
// specification.
const SpecificationRoot = "CHTBillingRules"

// FlexID is an id sent as a JSON integer or as a string of digits.
type FlexID int64

// UnmarshalJSON reads a non-negative integer or a string of its digits.
func (f *FlexID) UnmarshalJSON(data []byte) error {
	raw := string(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		raw = s
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("%s is not an id (an integer, or a string of digits)", data)
	}
	*f = FlexID(n)
	return nil
}

// FlexString is a string sent as a JSON string or a JSON integer (its
// decimal digits).
type FlexString string

// UnmarshalJSON reads a string, or an integer as its digits.
func (f *FlexString) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*f = FlexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return err
	}
	if _, err := n.Int64(); err != nil {
		return fmt.Errorf("%s is neither a string nor an integer", data)
	}
	*f = FlexString(n.String())
	return nil
}

// FlexBool is a boolean sent as true/false or as the string "true"/"false".
type FlexBool bool

// UnmarshalJSON reads a boolean or its string.
func (f *FlexBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", `"true"`:
		*f = true
	case "false", `"false"`:
		*f = false
	default:
		return fmt.Errorf("%s is not a boolean", data)
	}
	return nil
}

// OwnerIDList is billing_account_owner_ids: a JSON array of owner ids (the
// guide's example) or one string of comma-separated owner ids (the guide's
// text).
type OwnerIDList []string

// UnmarshalJSON reads an array of strings (or integers) or a comma-separated
// string.
func (l *OwnerIDList) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		var out OwnerIDList
		for _, part := range strings.Split(s, ",") {
			out = append(out, strings.TrimSpace(part))
		}
		*l = out
		return nil
	}
	var items []FlexString
	if err := json.Unmarshal(data, &items); err != nil {
		return err
	}
	out := make(OwnerIDList, len(items))
	for i, it := range items {
		out[i] = string(it)
	}
	*l = out
	return nil
}

// PriceBookFields are the fields of a price book create or update; nil means
// the request did not send the field.
type PriceBookFields struct {
	BookName      *string `json:"book_name"`
	Specification *string `json:"specification"`
}

// CheckPriceBook checks a create (current nil) or an update of current by
// the partner p, and returns the price book as it would be after the change
// with every failure: both fields required on create, a non-blank name of
// valid UTF-8 without NUL that no other price book of the partner has, and
// a specification that is well-formed XML with the documented root element.
func CheckPriceBook(st *state.State, p *state.Partner, current *state.PriceBook, in PriceBookFields) (state.PriceBook, []string) {
	next := state.PriceBook{PartnerID: p.ID}
	if current != nil {
		next = *current
	}
	var errs []string
	if current == nil && in.BookName == nil {
		errs = append(errs, "book_name is required")
	}
	if current == nil && in.Specification == nil {
		errs = append(errs, "specification is required")
	}
	if in.BookName != nil {
		next.BookName = *in.BookName
		switch {
		case Blank(next.BookName):
			errs = append(errs, "book_name must not be blank")
		case !utf8.ValidString(next.BookName) || strings.ContainsRune(next.BookName, 0):
			errs = append(errs, "book_name must be valid UTF-8 without NUL characters")
		default:
			if other, dup := st.PriceBookByName(p, next.BookName); dup && (current == nil || other.ID != current.ID) {
				errs = append(errs, fmt.Sprintf("book_name %q is already the name of price book %d", next.BookName, other.ID))
			}
		}
	}
	if in.Specification != nil {
		next.Specification = *in.Specification
		if msg := CheckSpecification(next.Specification); msg != "" {
			errs = append(errs, msg)
		}
	}
	return next, errs
}

// CheckSpecification returns why spec is not a price book specification
// (well-formed XML whose one root element is CHTBillingRules), or "". The
// rules inside are not evaluated.
func CheckSpecification(spec string) string {
	if Blank(spec) {
		return "specification must be an XML document with the root element " + SpecificationRoot
	}
	dec := xml.NewDecoder(strings.NewReader(spec))
	dec.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "specification is not well-formed XML: " + err.Error()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					return "specification has more than one root element"
				}
				if t.Name.Local != SpecificationRoot {
					return fmt.Sprintf("specification's root element is <%s>, not <%s>", t.Name.Local, SpecificationRoot)
				}
				if t.Name.Space != "" {
					return fmt.Sprintf("specification's root element <%s> is in the namespace %q: it must have none", t.Name.Local, t.Name.Space)
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return "specification has text outside its root element"
			}
		}
	}
	if roots == 0 {
		return "specification has no root element: it must be " + SpecificationRoot
	}
	if depth != 0 {
		return "specification is not well-formed XML: an element is not closed"
	}
	return ""
}

// PriceBookAssignmentFields are the fields of a price book customer
// assignment's create or update.
type PriceBookAssignmentFields struct {
	PriceBookID       *FlexID `json:"price_book_id"`
	TargetClientAPIID *FlexID `json:"target_client_api_id"`
}

// CheckPriceBookAssignment checks a create (current nil) or an update of
// current by the partner p, and returns the assignment as it would be with
// every failure: both fields required on create, a price book of the
// partner, a customer of the partner (by client_api_id) with no other price
// book assignment; an update cannot move the assignment to another customer.
func CheckPriceBookAssignment(st *state.State, p *state.Partner, current *state.PriceBookAssignment, in PriceBookAssignmentFields) (state.PriceBookAssignment, []string) {
	next := state.PriceBookAssignment{PartnerID: p.ID}
	if current != nil {
		next = *current
	}
	var errs []string
	if current == nil && in.PriceBookID == nil {
		errs = append(errs, "price_book_id is required")
	}
	if current == nil && in.TargetClientAPIID == nil {
		errs = append(errs, "target_client_api_id is required")
	}
	if in.PriceBookID != nil {
		if b, ok := st.PriceBook(p, int64(*in.PriceBookID)); ok {
			next.PriceBookID = b.ID
		} else {
			errs = append(errs, fmt.Sprintf("price_book_id %d is not one of your price books", *in.PriceBookID))
		}
	}
	if in.TargetClientAPIID != nil {
		c, ok := st.CustomerByClientAPIID(p, int64(*in.TargetClientAPIID))
		switch {
		case !ok:
			errs = append(errs, fmt.Sprintf("target_client_api_id %d is not the client_api_id of one of your customers", *in.TargetClientAPIID))
		case current != nil && c.ID != current.CustomerID:
			errs = append(errs, "target_client_api_id cannot change: delete the assignment and assign the price book to the other customer")
		case current == nil:
			if other, dup := st.CustomerPriceBookAssignment(c); dup {
				errs = append(errs, fmt.Sprintf("customer %d (client_api_id %d) already has price book assignment %d: modify that one", c.ID, c.ClientAPIID, other.ID))
			}
			next.CustomerID = c.ID
		}
	}
	return next, errs
}

// AllAccounts is the billing_account_owner_id that names every account of
// the assigned customer.
const AllAccounts = "ALL"

// PriceBookAccountAssignmentFields are the fields of a price book account
// assignment's create or update.
type PriceBookAccountAssignmentFields struct {
	PriceBookAssignmentID  *FlexID      `json:"price_book_assignment_id"`
	BillingAccountOwnerID  *FlexString  `json:"billing_account_owner_id"`
	BillingAccountOwnerIDs *OwnerIDList `json:"billing_account_owner_ids"`
}

// CheckPriceBookAccountAssignments checks a create by the partner p: a
// customer assignment of the partner, exactly one of billing_account_owner_id
// (an owner id or ALL) and billing_account_owner_ids (owner ids), each an
// owner id of one of the partner's AWS accounts or of the assigned
// customer's, none twice, none already assigned under that assignment. It
// returns the assignment and the AWS account ids to assign (0 for ALL), with
// every failure.
func CheckPriceBookAccountAssignments(st *state.State, p *state.Partner, in PriceBookAccountAssignmentFields) (*state.PriceBookAssignment, []int64, []string) {
	var errs []string
	var asg *state.PriceBookAssignment
	if in.PriceBookAssignmentID == nil {
		errs = append(errs, "price_book_assignment_id is required")
	} else if a, ok := st.PriceBookAssignment(p, int64(*in.PriceBookAssignmentID)); ok {
		asg = a
	} else {
		errs = append(errs, fmt.Sprintf("price_book_assignment_id %d is not one of your price book customer assignments", *in.PriceBookAssignmentID))
	}
	var owners []string
	switch {
	case in.BillingAccountOwnerID != nil && in.BillingAccountOwnerIDs != nil:
		errs = append(errs, "send either billing_account_owner_id or billing_account_owner_ids, not both")
	case in.BillingAccountOwnerID != nil:
		owners = []string{string(*in.BillingAccountOwnerID)}
	case in.BillingAccountOwnerIDs != nil:
		owners = *in.BillingAccountOwnerIDs
		if len(owners) == 0 {
			errs = append(errs, "billing_account_owner_ids must name at least one account")
		}
		for _, o := range owners {
			if o == AllAccounts {
				errs = append(errs, `billing_account_owner_ids cannot hold "ALL": send billing_account_owner_id "ALL" instead`)
			}
		}
	default:
		errs = append(errs, `billing_account_owner_id (an owner id or "ALL") or billing_account_owner_ids is required`)
	}
	var ids []int64
	seen := map[string]bool{}
	for _, o := range owners {
		if seen[o] {
			errs = append(errs, fmt.Sprintf("billing account %q is named twice", o))
			continue
		}
		seen[o] = true
		if o == AllAccounts && in.BillingAccountOwnerIDs != nil {
			continue // said above
		}
		id, msg := accountToAssign(st, p, asg, nil, o)
		if msg != "" {
			errs = append(errs, msg)
			continue
		}
		ids = append(ids, id)
	}
	return asg, ids, errs
}

// CheckPriceBookAccountAssignmentUpdate checks an update of current by the
// partner p (only billing_account_owner_id can change: an owner id or ALL)
// and returns the AWS account id it would name (0 for ALL), with every
// failure.
func CheckPriceBookAccountAssignmentUpdate(st *state.State, p *state.Partner, current *state.PriceBookAccountAssignment, in PriceBookAccountAssignmentFields) (int64, []string) {
	var errs []string
	asg, _ := st.PriceBookAssignment(p, current.AssignmentID)
	if in.PriceBookAssignmentID != nil && int64(*in.PriceBookAssignmentID) != current.AssignmentID {
		errs = append(errs, "price_book_assignment_id cannot change: delete this account assignment and create one under the other assignment")
	}
	if in.BillingAccountOwnerIDs != nil {
		errs = append(errs, "billing_account_owner_ids cannot be modified: an account assignment names one account, send billing_account_owner_id")
	}
	id := current.AWSAccountID
	if in.BillingAccountOwnerID != nil {
		var msg string
		if id, msg = accountToAssign(st, p, asg, current, string(*in.BillingAccountOwnerID)); msg != "" {
			errs = append(errs, msg)
		}
	}
	return id, errs
}

// accountToAssign resolves an owner id (or ALL) for an account assignment
// under asg (nil when unknown: only the partner's accounts and ALL can then
// be checked), ignoring the account assignment self.
func accountToAssign(st *state.State, p *state.Partner, asg *state.PriceBookAssignment, self *state.PriceBookAccountAssignment, owner string) (int64, string) {
	var id int64
	if owner != AllAccounts {
		var c *state.Customer
		if asg != nil {
			c, _ = st.Customer(p, asg.CustomerID)
		}
		var a *state.AWSAccount
		var ok bool
		if c != nil {
			a, ok = st.CustomerAccountByOwner(c, owner)
		}
		if !ok {
			a, ok = st.PartnerAccountByOwner(p, owner)
		}
		if !ok || owner == "" {
			return 0, fmt.Sprintf("billing account %q is not the owner id of one of your AWS accounts or of the assigned customer's", owner)
		}
		id = a.ID
	}
	if asg != nil {
		for _, other := range st.AccountAssignmentsOf(asg) {
			if other != self && other.AWSAccountID == id {
				return 0, fmt.Sprintf("billing account %q already has price book account assignment %d under price book assignment %d", owner, other.ID, asg.ID)
			}
		}
	}
	return id, ""
}

// DryRunFields are the fields of a price book dry run. The guide names the
// customer target_client_api_id in its parameters and customer_id in one
// example body: either is read.
type DryRunFields struct {
	PriceBookID           *FlexID     `json:"price_book_id"`
	TargetClientAPIID     *FlexID     `json:"target_client_api_id"`
	CustomerID            *FlexID     `json:"customer_id"`
	Month                 *string     `json:"month"`
	BillingAccountOwnerID *FlexString `json:"billing_account_owner_id"`
	UploadToS3            *FlexBool   `json:"upload_to_s3"`
}

var billingMonth = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}$`)

// ValidBillingPeriod reports whether s is a month as YYYY-MM (month 01-12).
func ValidBillingPeriod(s string) bool {
	if !billingMonth.MatchString(s) {
		return false
	}
	_, err := time.Parse("2006-01", s)
	return err == nil
}

// CheckDryRun checks a dry run by the partner p: a price book of the
// partner, a customer of the partner by client_api_id, a month as YYYY-MM
// and an owner id of one of the partner's or that customer's AWS accounts,
// all required. It returns every failure.
func CheckDryRun(st *state.State, p *state.Partner, in DryRunFields) []string {
	var errs []string
	if in.PriceBookID == nil {
		errs = append(errs, "price_book_id is required")
	} else if _, ok := st.PriceBook(p, int64(*in.PriceBookID)); !ok {
		errs = append(errs, fmt.Sprintf("price_book_id %d is not one of your price books", *in.PriceBookID))
	}
	target := in.TargetClientAPIID
	if in.TargetClientAPIID != nil && in.CustomerID != nil && *in.TargetClientAPIID != *in.CustomerID {
		errs = append(errs, "target_client_api_id and customer_id name different customers: send one")
	} else if target == nil {
		target = in.CustomerID
	}
	var c *state.Customer
	if target == nil {
		errs = append(errs, "target_client_api_id is required")
	} else if cu, ok := st.CustomerByClientAPIID(p, int64(*target)); ok {
		c = cu
	} else {
		errs = append(errs, fmt.Sprintf("target_client_api_id %d is not the client_api_id of one of your customers", *target))
	}
	if in.Month == nil {
		errs = append(errs, "month is required")
	} else if !ValidBillingPeriod(*in.Month) {
		errs = append(errs, fmt.Sprintf("month %q is not a month as YYYY-MM", *in.Month))
	}
	if in.BillingAccountOwnerID == nil {
		errs = append(errs, "billing_account_owner_id is required")
	} else {
		owner := string(*in.BillingAccountOwnerID)
		_, ok := st.PartnerAccountByOwner(p, owner)
		if !ok && c != nil {
			_, ok = st.CustomerAccountByOwner(c, owner)
		}
		if !ok || owner == "" {
			errs = append(errs, fmt.Sprintf("billing_account_owner_id %q is not the owner id of one of your AWS accounts or of the customer's", owner))
		}
	}
	return errs
}
