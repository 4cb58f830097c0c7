package emulator

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// Bounds of the fault rules (docs/limits-journal-faults.md).
const (
	// maxFaultRules is how many fault rules the emulator holds at once.
	maxFaultRules = 1000
	// maxFaultBody bounds the body of one rule.
	maxFaultBody = 64 << 10
	// faultIndexDepth is how many leading literal path segments index a rule.
	faultIndexDepth = 3
)

// errTooManyFaults is the refusal of a rule beyond maxFaultRules.
var errTooManyFaults = fmt.Errorf("the emulator holds at most %d fault rules: remove some first (DELETE /__emulator/faults/{id} or DELETE /__emulator/faults)", maxFaultRules)

// faults holds the fault rules, tried in the order they were added. It is
// safe for concurrent use.
//
// A request is matched against only the rules that could match it: each rule
// sits in a tree of literal path segments at the node of its leading literal
// segments (up to faultIndexDepth; a {name} segment or the unfinished last
// segment of a path_prefix stops the descent), and a request visits only the
// nodes along its own path. With no rule at all, pick takes no lock.
type faults struct {
	count  atomic.Int64 // len(order), read without the lock
	mu     sync.Mutex
	order  []*Fault // every rule, in the order added
	root   faultNode
	nextID int64
}

// faultNode is one node of the index: the rules whose leading literal
// segments end here, in the order added, and the deeper nodes.
type faultNode struct {
	rules    []*Fault
	children map[string]*faultNode
}

// indexSegments returns the leading literal segments that place a rule in
// the index: a request can only match the rule if its path starts with them.
func (rule *FaultRule) indexSegments() []string {
	var segs []string
	if rule.PathPrefix != "" {
		// Only the segments followed by a slash are whole: "/v1/cust" is
		// matched by /v1/customers too.
		pieces := strings.Split(rule.PathPrefix, "/")
		segs = pieces[1 : len(pieces)-1]
	} else {
		pieces := strings.Split(rule.Path, "/")
		for i, p := range pieces[1:] {
			if isParamSegment(p) {
				pieces = pieces[:i+1]
				break
			}
		}
		segs = pieces[1:]
	}
	return segs[:min(len(segs), faultIndexDepth)]
}

// node returns the node of segs, creating it when create is set (nil when
// it does not exist).
func (f *faults) node(segs []string, create bool) *faultNode {
	n := &f.root
	for _, seg := range segs {
		child := n.children[seg]
		if child == nil {
			if !create {
				return nil
			}
			if n.children == nil {
				n.children = map[string]*faultNode{}
			}
			child = &faultNode{}
			n.children[seg] = child
		}
		n = child
	}
	return n
}

// add holds a normalised rule; it refuses a rule beyond maxFaultRules.
func (f *faults) add(rule FaultRule) (Fault, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.order) >= maxFaultRules {
		return Fault{}, errTooManyFaults
	}
	f.nextID++
	fault := &Fault{FaultRule: rule, ID: f.nextID, Remaining: rule.Times}
	f.order = append(f.order, fault)
	n := f.node(rule.indexSegments(), true)
	n.rules = append(n.rules, fault)
	f.count.Store(int64(len(f.order)))
	return *fault, nil
}

func (f *faults) list() []Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Fault, 0, len(f.order))
	for _, r := range f.order {
		out = append(out, *r)
	}
	return out
}

func (f *faults) get(id int64) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.order {
		if r.ID == id {
			return *r, true
		}
	}
	return Fault{}, false
}

func (f *faults) remove(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.order {
		if r.ID == id {
			f.unlink(r)
			return true
		}
	}
	return false
}

// unlink takes rule out of the order and the index; f.mu is held.
func (f *faults) unlink(rule *Fault) {
	f.order = deleteFault(f.order, rule)
	segs := rule.indexSegments()
	n := f.node(segs, false)
	n.rules = deleteFault(n.rules, rule)
	// Drop the nodes left empty, deepest first, so that a stream of rules on
	// distinct paths does not grow the tree for ever.
	for len(segs) > 0 {
		n = f.node(segs, false)
		if len(n.rules) > 0 || len(n.children) > 0 {
			break
		}
		parent := f.node(segs[:len(segs)-1], false)
		delete(parent.children, segs[len(segs)-1])
		segs = segs[:len(segs)-1]
	}
	f.count.Store(int64(len(f.order)))
}

func deleteFault(rules []*Fault, rule *Fault) []*Fault {
	for i, r := range rules {
		if r == rule {
			copy(rules[i:], rules[i+1:])
			rules[len(rules)-1] = nil
			return rules[:len(rules)-1]
		}
	}
	return rules
}

func (f *faults) clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.order, f.root = nil, faultNode{}
	f.count.Store(0)
}

// pick returns the first rule, in the order added, that matches the request
// and fires (its probability allowing), counting it; a rule with Times is
// removed when spent.
func (f *faults) pick(r *http.Request) (Fault, bool) {
	if f.count.Load() == 0 {
		return Fault{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	// The candidates: the rules of the nodes along the request's path, each
	// list in the order added; merged by id, they are tried in that order.
	var lists [faultIndexDepth + 1][]*Fault
	lists[0] = f.root.rules
	n, rest := &f.root, strings.TrimPrefix(r.URL.Path, "/")
	for depth := 1; depth <= faultIndexDepth && n.children != nil; depth++ {
		seg, tail, more := strings.Cut(rest, "/")
		if n = n.children[seg]; n == nil {
			break
		}
		lists[depth] = n.rules
		if !more {
			break
		}
		rest = tail
	}
	for {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || l[0].ID < lists[best][0].ID) {
				best = i
			}
		}
		if best < 0 {
			return Fault{}, false
		}
		rule := lists[best][0]
		lists[best] = lists[best][1:]
		if !rule.matches(r) {
			continue
		}
		if rule.Probability != nil && rand.Float64() >= *rule.Probability {
			continue
		}
		rule.Matched++
		if rule.Times > 0 {
			rule.Remaining--
			if rule.Remaining == 0 {
				f.unlink(rule)
			}
		}
		return *rule, true
	}
}
