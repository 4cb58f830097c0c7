package state

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"
)

// BlockType is how the bill of a billing block is generated.
type BlockType string

// The three billing block types of version 2 assignments.
const (
	FamilyBlock       BlockType = "Family"
	ConsolidatedBlock BlockType = "Consolidated"
	StandaloneBlock   BlockType = "Standalone"
)

// Block is a billing block of a version 2 customer: a named group of its AWS
// account assignments billed together. Version 1 assignments belong to none.
type Block struct {
	CustomerID int64
	// Name is unique among the customer's named blocks; "" when the create
	// request gave none.
	Name string
	Type BlockType

	members idSet
}

// MemberCount returns how many assignments the block holds.
func (b *Block) MemberCount() int { return b.members.len() }

// FirstMemberID returns the smallest assignment id of the block (0 when
// empty): blocks are ordered by it in a dump.
func (b *Block) FirstMemberID() int64 {
	if id, ok := b.members.tree.Min(); ok {
		return id
	}
	return 0
}

// blockIndex is what a customer keeps of its blocks, made on first use so
// that customers without blocks cost nothing.
type blockIndex struct {
	all    map[*Block]struct{}
	byName map[string]*Block
}

func (s *State) blockIdx(c *Customer) *blockIndex {
	if c.blocks == nil {
		keep(s, &c.blocks)
		c.blocks = &blockIndex{all: map[*Block]struct{}{}, byName: map[string]*Block{}}
	}
	return c.blocks
}

// V2 reports whether the customer uses version 2 assignments: it does from
// its first version 2 create on, for good.
func (c *Customer) V2() bool { return c.v2 }

// MarkV2 makes c a version 2 customer: its assignments leave the version 1
// list of its partner.
func (s *State) MarkV2(c *Customer) {
	if c.v2 {
		return
	}
	keep(s, &c.v2)
	c.v2 = true
	p := s.partners[c.PartnerID]
	for _, id := range c.assignmentIDs.all() {
		s.removeID(s.v1AssignmentIDsForWrite(p), id)
	}
}

// AddBlock stores b under customer c with its members, assigning their ids
// when zero, and makes c a version 2 customer. Callers have checked the
// rules. Unlike CreateBlock it creates no customer AWS account (fixtures).
func (s *State) AddBlock(c *Customer, b *Block, members []*Assignment) {
	s.MarkV2(c)
	b.CustomerID = c.ID
	b.members = newIDSet()
	idx := s.blockIdx(c)
	setKey(s, idx.all, b, struct{}{})
	if b.Name != "" {
		setKey(s, idx.byName, b.Name, b)
	}
	for _, a := range members {
		a.CustomerID, a.Block = c.ID, b
		s.AddAssignment(a)
	}
}

// CreateBlock is AddBlock plus, as for a version 1 create, the AWS account of
// each member in the customer's own accounts when it has none.
func (s *State) CreateBlock(c *Customer, b *Block, members []*Assignment, now time.Time) {
	s.AddBlock(c, b, members)
	for _, a := range members {
		s.ensureCustomerAccount(a, now)
	}
}

// BlockByName returns the customer's block with the (non-empty) name.
func (s *State) BlockByName(c *Customer, name string) (*Block, bool) {
	if c.blocks == nil || name == "" {
		return nil, false
	}
	b, ok := c.blocks.byName[name]
	return b, ok
}

// CustomerBlocks returns the customer's blocks ordered by their first
// member's id.
func (s *State) CustomerBlocks(c *Customer) []*Block {
	if c.blocks == nil {
		return nil
	}
	out := make([]*Block, 0, len(c.blocks.all))
	for b := range c.blocks.all {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b *Block) int { return cmp.Compare(a.FirstMemberID(), b.FirstMemberID()) })
	return out
}

// BlockMembers returns the block's assignments ordered by id.
func (s *State) BlockMembers(b *Block) []*Assignment {
	ids := b.members.all()
	out := make([]*Assignment, len(ids))
	for i, id := range ids {
		out[i] = s.assignments[id]
	}
	return out
}

// SetBlockPayer makes payer the payer of every member of b. Callers have
// checked that b is Consolidated and payer one of its members.
func (s *State) SetBlockPayer(b *Block, payer string) {
	for _, a := range s.BlockMembers(b) {
		keep(s, a)
		a.PayerAccountOwnerID = payer
	}
}

// joinBlock and leaveBlock keep a block member's indexes; the last member
// to leave removes the block.
func (s *State) joinBlock(a *Assignment) { s.addID(a.Block.members, a.ID) }

func (s *State) leaveBlock(a *Assignment) {
	b := a.Block
	s.removeID(b.members, a.ID)
	if b.members.len() > 0 {
		return
	}
	idx := s.blockIdx(s.customers[b.CustomerID])
	deleteKey(s, idx.all, b)
	if idx.byName[b.Name] == b {
		deleteKey(s, idx.byName, b.Name)
	}
}

// v1AssignmentIDs are the partner's assignments the version 1 list shows:
// those of its version 1 customers. The set is made by the first write
// (under the write lock); a reader of a partner that has none gets an empty
// set of its own, so that readers never write to the partner.
func (p *Partner) v1AssignmentIDs() idSet {
	if p.v1Assignments.tree == nil {
		return newIDSet()
	}
	return p.v1Assignments
}

// v1AssignmentIDsForWrite is p's v1AssignmentIDs, made when missing: only
// under the write lock.
func (s *State) v1AssignmentIDsForWrite(p *Partner) idSet {
	if p.v1Assignments.tree == nil {
		keep(s, &p.v1Assignments)
		p.v1Assignments = newIDSet()
	}
	return p.v1Assignments
}

// V1AssignmentsPage returns at most limit of the assignments of the
// partner's version 1 customers, ordered by id, from position offset.
func (s *State) V1AssignmentsPage(p *Partner, offset, limit int) []*Assignment {
	ids := p.v1AssignmentIDs().page(offset, limit)
	out := make([]*Assignment, len(ids))
	for i, id := range ids {
		out[i] = s.assignments[id]
	}
	return out
}

// V1AssignmentCount returns how many assignments the partner's version 1
// customers have.
func (s *State) V1AssignmentCount(p *Partner) int { return p.v1AssignmentIDs().len() }

// CustomerAssignmentsPage returns at most limit of the customer's
// assignments, ordered by id, from position offset.
func (s *State) CustomerAssignmentsPage(c *Customer, offset, limit int) []*Assignment {
	ids := c.assignmentIDs.page(offset, limit)
	out := make([]*Assignment, len(ids))
	for i, id := range ids {
		out[i] = s.assignments[id]
	}
	return out
}

// CustomerAssignmentCount returns how many assignments the customer has.
func (s *State) CustomerAssignmentCount(c *Customer) int { return c.assignmentIDs.len() }

// checkBlockIndexes compares the block and version 1 list indexes with a
// scan of the assignments (part of CheckIndexes).
func (s *State) checkBlockIndexes() []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	v1 := map[int64][]int64{}
	members := map[*Block][]int64{}
	for _, id := range slices.Sorted(maps.Keys(s.assignments)) {
		a := s.assignments[id]
		c, ok := s.customers[a.CustomerID]
		if !ok {
			continue // CheckIndexes says so
		}
		if !c.v2 {
			v1[a.PartnerID] = append(v1[a.PartnerID], id)
		}
		if a.Block == nil {
			continue
		}
		if a.Block.CustomerID != a.CustomerID {
			fail("assignment %d of customer %d is in a block of customer %d", id, a.CustomerID, a.Block.CustomerID)
		}
		if c.blocks == nil {
			fail("assignment %d: customer %d has no block index", id, c.ID)
			continue
		}
		if _, ok := c.blocks.all[a.Block]; !ok {
			fail("assignment %d: its block %q is not one of customer %d's", id, a.Block.Name, c.ID)
		}
		members[a.Block] = append(members[a.Block], id)
	}
	for _, id := range slices.Sorted(maps.Keys(s.partners)) {
		compareSet(fail, fmt.Sprintf("partner %d: the version 1 assignment id set", id), s.partners[id].v1AssignmentIDs(), v1[id])
	}
	for _, id := range slices.Sorted(maps.Keys(s.customers)) {
		c := s.customers[id]
		if c.blocks == nil {
			continue
		}
		if len(c.blocks.all) > 0 && !c.v2 {
			fail("customer %d has billing blocks but is not a version 2 customer", id)
		}
		for b := range c.blocks.all {
			compareSet(fail, fmt.Sprintf("customer %d: the members of block %q", id, b.Name), b.members, members[b])
			if b.members.len() == 0 {
				fail("customer %d: block %q has no member", id, b.Name)
			}
			if b.Name != "" && c.blocks.byName[b.Name] != b {
				fail("customer %d: block %q is not under its name", id, b.Name)
			}
		}
		for name, b := range c.blocks.byName {
			if _, ok := c.blocks.all[b]; !ok || b.Name != name {
				fail("customer %d: the block-by-name index holds %q for a block it does not have", id, name)
			}
		}
	}
	return errs
}
