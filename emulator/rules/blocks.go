package rules

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// The rules of version 2 assignments: billing blocks (docs/fidelity.md,
// "Version 2 assignments"). The guide's validation page gives four rules:
// every owner id is one of the partner's AWS accounts; an owner id is
// assigned once; the members of one block cannot merge two billing families;
// a Family block expands to its head's whole family.

// ClientAPIIDValue is a target_client_api_id as a request sends it: a JSON
// integer or a string of digits (the guide says String, its examples send
// integers).
type ClientAPIIDValue int64

// UnmarshalJSON accepts 123 and "123".
func (v *ClientAPIIDValue) UnmarshalJSON(data []byte) error {
	s := string(data)
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("target_client_api_id %s is not an integer", data)
	}
	*v = ClientAPIIDValue(n)
	return nil
}

// BlockOwnerIDs is an owner_id as a version 2 create sends it: one owner id, a
// comma-separated list of them, or a JSON array of them.
type BlockOwnerIDs []string

// UnmarshalJSON accepts "a", "a, b" and ["a", "b"]; blank entries of a
// comma-separated string are dropped.
func (l *BlockOwnerIDs) UnmarshalJSON(data []byte) error {
	var list []string
	if err := json.Unmarshal(data, &list); err == nil {
		*l = list
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("owner_id is neither a string nor an array of strings")
	}
	out := BlockOwnerIDs{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	*l = out
	return nil
}

// BlockItem is one item of a version 2 create: a billing block to make.
type BlockItem struct {
	TargetClientAPIID   *ClientAPIIDValue `json:"target_client_api_id"`
	BillingBlockType    *string           `json:"billing_block_type"`
	BillingBlockName    *string           `json:"billing_block_name"`
	OwnerID             *BlockOwnerIDs    `json:"owner_id"`
	PayerAccountOwnerID *string           `json:"payer_account_owner_id"`
}

// BlocksRequest is the body of POST /v2/aws_account_assignments.
type BlocksRequest struct {
	AWSAccountAssignments []BlockItem `json:"aws_account_assignments"`
}

// BlockPayerFields is the body of PUT /v2/aws_account_assignments/{target_client_api_id}.
type BlockPayerFields struct {
	BillingBlockName    *string `json:"billing_block_name"`
	PayerAccountOwnerID *string `json:"payer_account_owner_id"`
}

// Member is one requested member of a version 2 create, as the 422 answer
// shows it: the fields the request gave for it (its own owner id) and the
// failures that concern it, by field.
type Member struct {
	Item    int // the index of its item in the request
	OwnerID string
	// HasOwner is false for an item that names no owner id at all: it is
	// still shown, with its failure.
	HasOwner bool
	Errors   map[string][]string
}

func (m *Member) fail(field, format string, args ...any) {
	m.Errors[field] = append(m.Errors[field], fmt.Sprintf(format, args...))
}

// PlannedBlock is a block a create that passed would make.
type PlannedBlock struct {
	Customer *state.Customer
	Block    state.Block
	Members  []*state.Assignment
}

// CheckBlocks checks a version 2 create as the partner p. It returns the
// requested members, families expanded, in request order, each with its
// failures (none: an empty map), and, when no member fails, the blocks to
// make. Nothing is assigned unless every member passes.
func CheckBlocks(st *state.State, p *state.Partner, items []BlockItem) ([]Member, []PlannedBlock) {
	var members []Member
	plans := make([]PlannedBlock, len(items))
	var starts []int
	for i, it := range items {
		starts = append(starts, len(members))
		members = append(members, expandItem(st, p, i, it)...)
	}
	starts = append(starts, len(members))

	// Rule 2 within the request: an owner id named twice, by any two items.
	named := map[string]int{}
	for _, m := range members {
		if m.HasOwner {
			named[m.OwnerID]++
		}
	}
	// Block names named twice for one customer within the request.
	type nameKey struct {
		customer int64
		name     string
	}
	names := map[nameKey]int{}
	for _, it := range items {
		if c, ok := targetCustomer(st, p, it); ok && it.BillingBlockName != nil && *it.BillingBlockName != "" {
			names[nameKey{c.ID, *it.BillingBlockName}]++
		}
	}

	failed := false
	for i, it := range items {
		block := members[starts[i]:starts[i+1]]
		c, cok := targetCustomer(st, p, it)
		typ, tok := blockType(it)
		all := func(field, format string, args ...any) {
			for j := range block {
				block[j].fail(field, format, args...)
			}
		}
		switch {
		case it.TargetClientAPIID == nil:
			all("target_client_api_id", "is required")
		case !cok:
			all("target_client_api_id", "%d does not match a customer of the partner", int64(*it.TargetClientAPIID))
		}
		switch {
		case it.BillingBlockType == nil:
			all("billing_block_type", "is required")
		case !tok:
			all("billing_block_type", "%q is not Family, Consolidated or Standalone", *it.BillingBlockType)
		}
		name := ""
		if it.BillingBlockName != nil {
			name = *it.BillingBlockName
		}
		if cok && name != "" {
			if _, taken := st.BlockByName(c, name); taken {
				all("billing_block_name", "%q is already the name of a billing block of the customer", name)
			} else if names[nameKey{c.ID, name}] > 1 {
				all("billing_block_name", "%q names more than one billing block of the customer in this request", name)
			}
		}
		payer := checkMembers(st, p, it, typ, tok, block, named)
		for _, m := range block {
			if len(m.Errors) > 0 {
				failed = true
			}
		}
		if failed {
			continue
		}
		plan := PlannedBlock{Customer: c, Block: state.Block{Name: name, Type: typ}}
		for _, m := range block {
			a := &state.Assignment{PartnerID: p.ID, CustomerID: c.ID, OwnerID: m.OwnerID, PayerAccountOwnerID: payer}
			if typ == state.StandaloneBlock {
				a.PayerAccountOwnerID = m.OwnerID
			}
			plan.Members = append(plan.Members, a)
		}
		plans[i] = plan
	}
	if failed {
		return members, nil
	}
	return members, plans
}

// owners is the owner ids the item names: none when it names no owner_id.
func (it BlockItem) owners() []string {
	if it.OwnerID == nil {
		return nil
	}
	return *it.OwnerID
}

// targetCustomer is the customer an item names, when it is the partner's.
func targetCustomer(st *state.State, p *state.Partner, it BlockItem) (*state.Customer, bool) {
	if it.TargetClientAPIID == nil {
		return nil, false
	}
	return st.CustomerByClientAPIID(p, int64(*it.TargetClientAPIID))
}

// blockType is the item's type when it is one of the three.
func blockType(it BlockItem) (state.BlockType, bool) {
	if it.BillingBlockType == nil {
		return "", false
	}
	switch t := state.BlockType(*it.BillingBlockType); t {
	case state.FamilyBlock, state.ConsolidatedBlock, state.StandaloneBlock:
		return t, true
	}
	return "", false
}

// expandItem lists an item's members: a Family's head and every account of
// its family (ordered by account id), else each owner id given. An item with
// no owner id is one member without one.
func expandItem(st *state.State, p *state.Partner, i int, it BlockItem) []Member {
	newMember := func(owner string) Member {
		return Member{Item: i, OwnerID: owner, HasOwner: true, Errors: map[string][]string{}}
	}
	owners := it.owners()
	if len(owners) == 0 {
		m := Member{Item: i, Errors: map[string][]string{}}
		m.fail("owner_id", "is required")
		return []Member{m}
	}
	if typ, ok := blockType(it); ok && typ == state.FamilyBlock && len(owners) == 1 {
		head := owners[0]
		out := []Member{newMember(head)}
		if IsFamilyHead(st, p, head) {
			for _, a := range FamilyOf(st, p, head) {
				out = append(out, newMember(a.OwnerID))
			}
		}
		return out
	}
	out := make([]Member, 0, len(owners))
	for _, o := range owners {
		out = append(out, newMember(o))
	}
	return out
}

// checkMembers checks the rules that concern each member of one item and
// returns the payer its members would have (Family: the head; Consolidated:
// the payer given; Standalone: "", each its own).
func checkMembers(st *state.State, p *state.Partner, it BlockItem, typ state.BlockType, typeOK bool, block []Member, named map[string]int) string {
	for j := range block {
		m := &block[j]
		if !m.HasOwner {
			continue
		}
		if _, ok := st.PartnerAccountByOwner(p, m.OwnerID); !ok {
			m.fail("owner_id", "%q does not match an AWS account of the partner", m.OwnerID)
		}
		if other, ok := st.AssignmentByOwner(p, m.OwnerID); ok {
			m.fail("owner_id", "%q is already assigned by AWS account assignment %d", m.OwnerID, other.ID)
		}
		if named[m.OwnerID] > 1 {
			m.fail("owner_id", "%q is named more than once in this request", m.OwnerID)
		}
	}
	if !typeOK {
		return ""
	}
	switch typ {
	case state.FamilyBlock:
		if len(block) > 1 && len(it.owners()) > 1 {
			for j := range block {
				block[j].fail("owner_id", "a Family block names one owner_id, the head of a billing family")
			}
			return ""
		}
		head := block[0]
		if _, ok := st.PartnerAccountByOwner(p, head.OwnerID); ok && !IsFamilyHead(st, p, head.OwnerID) {
			block[0].fail("owner_id", "%q is not the head of a billing family: it belongs to the family of %q",
				head.OwnerID, FamilyHeadOf(st, p, head.OwnerID))
		}
		return head.OwnerID
	case state.ConsolidatedBlock:
		if it.PayerAccountOwnerID == nil {
			for j := range block {
				block[j].fail("payer_account_owner_id", "is required for a Consolidated block")
			}
			return ""
		}
		payer := *it.PayerAccountOwnerID
		if !slices.Contains(it.owners(), payer) {
			for j := range block {
				block[j].fail("payer_account_owner_id", "%q is not one of the block's owner_id", payer)
			}
			return payer
		}
		if _, ok := st.PartnerAccountByOwner(p, payer); !ok {
			return payer // the payer's own member says so
		}
		family := FamilyHeadOf(st, p, payer)
		for j := range block {
			m := &block[j]
			if _, ok := st.PartnerAccountByOwner(p, m.OwnerID); ok && FamilyHeadOf(st, p, m.OwnerID) != family {
				m.fail("owner_id", "%q is in the billing family of %q, the payer %q in that of %q: accounts of two billing families cannot be merged into one partner generated billing account",
					m.OwnerID, FamilyHeadOf(st, p, m.OwnerID), payer, family)
			}
		}
		return payer
	}
	return ""
}

// FamilyHeadOf returns the owner id of the head of the billing family the
// partner's account belongs to: its billing_family_owner_id, or its own owner
// id when it names none (a head, or an account in no family).
func FamilyHeadOf(st *state.State, p *state.Partner, ownerID string) string {
	a, ok := st.PartnerAccountByOwner(p, ownerID)
	if !ok || a.BillingFamilyOwnerID == "" {
		return ownerID
	}
	return a.BillingFamilyOwnerID
}

// IsFamilyHead reports whether the partner's account heads a billing family:
// it belongs to no other account's family (a family of its own counts).
func IsFamilyHead(st *state.State, p *state.Partner, ownerID string) bool {
	_, ok := st.PartnerAccountByOwner(p, ownerID)
	return ok && FamilyHeadOf(st, p, ownerID) == ownerID
}

// FamilyOf returns the partner's accounts whose billing family the head
// heads, the head itself excluded, ordered by id.
func FamilyOf(st *state.State, p *state.Partner, head string) []*state.AWSAccount {
	var out []*state.AWSAccount
	for _, a := range st.FamilyMembers(p, head) {
		if a.OwnerID != head && a.OwnerID != "" {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *state.AWSAccount) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// CheckBlockPayer checks a version 2 update of customer c: the named block is
// Consolidated and the payer one of its members. It returns the block.
func CheckBlockPayer(st *state.State, c *state.Customer, in BlockPayerFields) (*state.Block, []string) {
	var errs []string
	if in.BillingBlockName == nil {
		errs = append(errs, "billing_block_name is required")
	}
	if in.PayerAccountOwnerID == nil {
		errs = append(errs, "payer_account_owner_id is required")
	}
	if len(errs) > 0 {
		return nil, errs
	}
	b, ok := st.BlockByName(c, *in.BillingBlockName)
	if !ok {
		return nil, []string{fmt.Sprintf("billing_block_name %q is not the name of a billing block of customer %d", *in.BillingBlockName, c.ClientAPIID)}
	}
	if b.Type != state.ConsolidatedBlock {
		return nil, []string{fmt.Sprintf("billing block %q is a %s block: only a Consolidated block's payer can change", b.Name, b.Type)}
	}
	for _, a := range st.BlockMembers(b) {
		if a.OwnerID == *in.PayerAccountOwnerID {
			return b, nil
		}
	}
	return nil, []string{fmt.Sprintf("payer_account_owner_id %q is not a member of billing block %q", *in.PayerAccountOwnerID, b.Name)}
}

// CheckBlockDelete returns why the version 2 delete of a cannot happen: it
// pays for other members of its block (a Consolidated block's payer, a
// Family block's head) or, for a version 1 assignment, it is the consolidated
// account linked ones still name.
func CheckBlockDelete(st *state.State, a *state.Assignment) string {
	if !a.SelfPaying() {
		return ""
	}
	if a.Block == nil {
		if errs := CheckAssignmentDelete(st, a); len(errs) > 0 {
			return errs[0]
		}
		return ""
	}
	if a.Block.Type == state.StandaloneBlock || a.Block.MemberCount() == 1 {
		return ""
	}
	role := "payer"
	if a.Block.Type == state.FamilyBlock {
		role = "head"
	}
	return fmt.Sprintf("AWS account assignment %d is the %s of billing block %q, which has %d other member(s): delete them first",
		a.ID, role, a.Block.Name, a.Block.MemberCount()-1)
}

// CheckBlockShape checks the members of one block (of one customer, stored
// or about to be) against its type: a Family block holds its head, a family
// head, and accounts of its family, each paid for by the head; a
// Consolidated block's members all name one payer, a member in their
// billing family; a Standalone block's members each pay for themselves.
func CheckBlockShape(st *state.State, p *state.Partner, name string, typ state.BlockType, members []*state.Assignment) []string {
	var errs []string
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("billing block %q: ", name)+fmt.Sprintf(format, args...))
	}
	if len(members) == 0 {
		fail("has no member")
		return errs
	}
	owners := map[string]bool{}
	for _, a := range members {
		owners[a.OwnerID] = true
	}
	switch typ {
	case state.FamilyBlock, state.ConsolidatedBlock:
		payer := members[0].PayerAccountOwnerID
		for _, a := range members {
			if a.PayerAccountOwnerID != payer {
				fail("members name the payers %q and %q: one block has one payer", payer, a.PayerAccountOwnerID)
				return errs
			}
		}
		if !owners[payer] {
			fail("the payer %q is not a member", payer)
			return errs
		}
		if typ == state.FamilyBlock && !IsFamilyHead(st, p, payer) {
			fail("the payer %q of a Family block is not the head of a billing family", payer)
		}
		family := FamilyHeadOf(st, p, payer)
		for _, a := range members {
			if got := FamilyHeadOf(st, p, a.OwnerID); got != family {
				fail("member %q is in the billing family of %q, the payer %q in that of %q", a.OwnerID, got, payer, family)
			}
		}
	case state.StandaloneBlock:
		for _, a := range members {
			if !a.SelfPaying() {
				fail("member %q of a Standalone block names the payer %q", a.OwnerID, a.PayerAccountOwnerID)
			}
		}
	default:
		fail("type %q is not Family, Consolidated or Standalone", typ)
	}
	return errs
}
