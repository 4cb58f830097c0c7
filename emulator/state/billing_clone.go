package state

import (
	"slices"
	"time"
)

// clone returns a deep copy of the statements and price books: the price
// book entities are copied (they change), their indexes point at the copies,
// and the statement lists are copied (a customer's delete removes from
// them); statements themselves never change after the build and are shared.
func (b *billingState) clone() billingState {
	out := billingState{lastBookID: b.lastBookID, lastAsgID: b.lastAsgID, lastAcctAsgID: b.lastAcctAsgID}
	if b.statements != nil {
		out.statements = make(map[int64]statementIndex, len(b.statements))
		for pid, idx := range b.statements {
			c := make(statementIndex, len(idx))
			for f, list := range idx {
				c[f] = slices.Clone(list)
			}
			out.statements[pid] = c
		}
	}
	if b.dryRuns != nil {
		out.dryRuns = make(map[int64][]time.Time, len(b.dryRuns))
		for pid, runs := range b.dryRuns {
			out.dryRuns[pid] = slices.Clone(runs)
		}
	}
	if b.books == nil {
		return out
	}
	out.books = cloneEntities(b.books)
	out.asgs = cloneEntities(b.asgs)
	out.acctAsgs = cloneEntities(b.acctAsgs)
	out.asgByCustomer = remap(b.asgByCustomer, out.asgs, func(a *PriceBookAssignment) int64 { return a.ID })
	out.asgsByBook = cloneSets(b.asgsByBook)
	out.acctAsgsByAsg = cloneSets(b.acctAsgsByAsg)
	out.acctAsgsByAcct = cloneSets(b.acctAsgsByAcct)
	out.byPartner = make(map[int64]*partnerBooks, len(b.byPartner))
	for pid, pb := range b.byPartner {
		out.byPartner[pid] = &partnerBooks{
			bookIDs: pb.bookIDs.clone(), asgIDs: pb.asgIDs.clone(), acctAsgIDs: pb.acctAsgIDs.clone(),
			byName: remap(pb.byName, out.books, func(p *PriceBook) int64 { return p.ID }),
		}
	}
	return out
}

// cloneSets copies a map of id sets.
func cloneSets(m map[int64]idSet) map[int64]idSet {
	out := make(map[int64]idSet, len(m))
	for k, set := range m {
		out[k] = set.clone()
	}
	return out
}

// cloneBlocks gives every customer of out (a Clone) copies of its billing
// blocks, and points every assignment of out at its block's copy.
func cloneBlocks(out *State) {
	copies := map[*Block]*Block{}
	for _, c := range out.customers {
		if c.blocks == nil {
			continue
		}
		idx := &blockIndex{all: make(map[*Block]struct{}, len(c.blocks.all)), byName: make(map[string]*Block, len(c.blocks.byName))}
		for b := range c.blocks.all {
			nb := &Block{CustomerID: b.CustomerID, Name: b.Name, Type: b.Type, members: b.members.clone()}
			copies[b] = nb
			idx.all[nb] = struct{}{}
		}
		for name, b := range c.blocks.byName {
			idx.byName[name] = copies[b]
		}
		c.blocks = idx
	}
	for _, a := range out.assignments {
		if a.Block != nil {
			a.Block = copies[a.Block]
		}
	}
}
