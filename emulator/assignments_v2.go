package emulator

import (
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// assignmentV2Handlers serves the version 2 AWS account assignment
// operations: the same assignments as version 1, seen with their billing
// blocks (docs/fidelity.md, "Version 2 assignments").
var assignmentV2Handlers = map[string]handler{
	"createAwsAccountAssignmentsV2": (*Server).createAssignmentsV2,
	"listAwsAccountAssignmentsV2":   (*Server).listAssignmentsV2,
	"getAwsAccountAssignmentV2":     (*Server).getAssignmentV2,
	"updateAwsAccountBlockV2":       (*Server).updateBlockV2,
	"deleteAwsAccountAssignmentV2":  (*Server).deleteAssignmentV2,
}

// assignmentV2JSON is an assignment through version 2.
type assignmentV2JSON struct {
	ID                   int64  `json:"id"`
	OwnerID              string `json:"owner_id"`
	TargetClientAPIID    int64  `json:"target_client_api_id"`
	PayerAccountOwnerID  string `json:"payer_account_owner_id"`
	BillingFamilyOwnerID string `json:"billing_family_owner_id"`
	BillingBlockType     string `json:"billing_block_type"`
	BillingBlockName     string `json:"billing_block_name"`
}

// wireObject implements wireObject: the fields as the decoded JSON holds them.
func (a assignmentV2JSON) wireObject(obj map[string]any) bool {
	if !wireStrings(a.OwnerID, a.PayerAccountOwnerID, a.BillingFamilyOwnerID, a.BillingBlockType, a.BillingBlockName) {
		return false
	}
	owner := any(a.OwnerID)
	payer := sameOr(owner, a.PayerAccountOwnerID)
	obj["id"], obj["owner_id"], obj["target_client_api_id"] = numberValue(a.ID), owner, numberValue(a.TargetClientAPIID)
	obj["payer_account_owner_id"], obj["billing_family_owner_id"] = payer, sameOr(payer, a.BillingFamilyOwnerID)
	obj["billing_block_type"], obj["billing_block_name"] = blockTypeValue(a.BillingBlockType), a.BillingBlockName
	return true
}

// assignmentV2ResultJSON is an item of a create or update answer: the
// assignment and its (empty) errors.
type assignmentV2ResultJSON struct {
	assignmentV2JSON
	Errors map[string][]string `json:"errors"`
}

// wireObject hides the embedded assignment's, which knows nothing of the
// errors: a result's body is decoded.
func (assignmentV2ResultJSON) wireObject(map[string]any) bool { return false }

// rejectedMemberJSON is an item of a refused create: what the request gave
// for one member, and what is wrong with it by field ({} when nothing).
type rejectedMemberJSON struct {
	TargetClientAPIID   *int64              `json:"target_client_api_id,omitempty"`
	BillingBlockName    *string             `json:"billing_block_name,omitempty"`
	BillingBlockType    *string             `json:"billing_block_type,omitempty"`
	OwnerID             *string             `json:"owner_id,omitempty"`
	PayerAccountOwnerID *string             `json:"payer_account_owner_id,omitempty"`
	Errors              map[string][]string `json:"errors"`
}

// assignmentsV2Body is the {"aws_account_assignments": [...]} of the answers.
type assignmentsV2Body[T any] struct {
	AWSAccountAssignments []T `json:"aws_account_assignments"`
}

// toAssignmentV2JSON shows a through version 2. A version 1 assignment is in
// no block: it shows the name "" and the type its customer's version 1
// assignments follow (Consolidated when some are linked, else Standalone).
func toAssignmentV2JSON(st *state.State, a *state.Assignment) assignmentV2JSON {
	p, _ := st.Partner(a.PartnerID)
	c, _ := st.Customer(p, a.CustomerID)
	out := assignmentV2JSON{ID: a.ID, OwnerID: a.OwnerID, TargetClientAPIID: c.ClientAPIID,
		PayerAccountOwnerID: a.PayerAccountOwnerID, BillingFamilyOwnerID: rules.FamilyHeadOf(st, p, a.OwnerID)}
	switch {
	case a.Block != nil:
		out.BillingBlockType, out.BillingBlockName = string(a.Block.Type), a.Block.Name
	case len(st.AssignmentShape(c).LinkedByPayer) > 0:
		out.BillingBlockType = string(state.ConsolidatedBlock)
	default:
		out.BillingBlockType = string(state.StandaloneBlock)
	}
	return out
}

func toResults(st *state.State, asgs []*state.Assignment) assignmentsV2Body[assignmentV2ResultJSON] {
	out := assignmentsV2Body[assignmentV2ResultJSON]{AWSAccountAssignments: make([]assignmentV2ResultJSON, 0, len(asgs))}
	for _, a := range asgs {
		out.AWSAccountAssignments = append(out.AWSAccountAssignments,
			assignmentV2ResultJSON{assignmentV2JSON: toAssignmentV2JSON(st, a), Errors: map[string][]string{}})
	}
	return out
}

// rejected is the 422 answer of a refused create: every requested member.
func rejected(items []rules.BlockItem, members []rules.Member) assignmentsV2Body[rejectedMemberJSON] {
	out := assignmentsV2Body[rejectedMemberJSON]{AWSAccountAssignments: make([]rejectedMemberJSON, 0, len(members))}
	for _, m := range members {
		it := items[m.Item]
		r := rejectedMemberJSON{BillingBlockName: it.BillingBlockName, BillingBlockType: it.BillingBlockType,
			PayerAccountOwnerID: it.PayerAccountOwnerID, Errors: m.Errors}
		if it.TargetClientAPIID != nil {
			id := int64(*it.TargetClientAPIID)
			r.TargetClientAPIID = &id
		}
		if m.HasOwner {
			owner := m.OwnerID
			r.OwnerID = &owner
		}
		out.AWSAccountAssignments = append(out.AWSAccountAssignments, r)
	}
	return out
}

// createAssignmentsV2: POST /v2/aws_account_assignments -> 200 with every
// member, or 422 with every member and its errors; all or nothing.
func (s *Server) createAssignmentsV2(rq *call) {
	var req rules.BlocksRequest
	if err := s.decodeBody(rq, &req); err != nil {
		fail(s.log, rq, err)
		return
	}
	var created assignmentsV2Body[assignmentV2ResultJSON]
	var refused *assignmentsV2Body[rejectedMemberJSON]
	err := s.writeAs(rq, func(st *state.State, p *state.Partner) error {
		members, plans := rules.CheckBlocks(st, p, req.AWSAccountAssignments)
		if plans == nil {
			r := rejected(req.AWSAccountAssignments, members)
			refused = &r
			return nil
		}
		now := s.now()
		var all []*state.Assignment
		for i := range plans {
			b := plans[i].Block
			st.CreateBlock(plans[i].Customer, &b, plans[i].Members, now)
			all = append(all, plans[i].Members...)
		}
		created = toResults(st, all)
		return nil
	})
	switch {
	case err != nil:
		fail(s.log, rq, err)
	case refused != nil:
		writeJSON(rq.w, http.StatusUnprocessableEntity, refused)
	default:
		writeJSON(rq.w, http.StatusOK, created)
	}
}

// listAssignmentsV2: GET /v2/aws_account_assignments, every assignment of the
// partner or, with target_client_api_id, of that customer; paged.
func (s *Server) listAssignmentsV2(rq *call) {
	servePage(s, rq, "aws_account_assignments", func(st *state.State, p *state.Partner, pg page) (int, []assignmentV2JSON, error) {
		var page []*state.Assignment
		var total int
		if raw := rq.query("target_client_api_id"); raw != "" {
			c, err := customerByClientAPIID(st, p, raw)
			if err != nil {
				return 0, nil, err
			}
			page, total = st.CustomerAssignmentsPage(c, pg.offset(), pg.perPage), st.CustomerAssignmentCount(c)
		} else {
			page, total = st.AssignmentsPage(p, pg.offset(), pg.perPage), st.AssignmentCount(p)
		}
		out := make([]assignmentV2JSON, 0, len(page))
		for _, a := range page {
			out = append(out, toAssignmentV2JSON(st, a))
		}
		return total, out, nil
	})
}

// getAssignmentV2: GET /v2/aws_account_assignments/{id}.
func (s *Server) getAssignmentV2(rq *call) {
	serveRead(s, rq, func(st *state.State, p *state.Partner) (assignmentV2JSON, error) {
		a, ok := st.Assignment(p, rq.pathID("id"))
		if !ok {
			return assignmentV2JSON{}, notFound()
		}
		return toAssignmentV2JSON(st, a), nil
	})
}

// updateBlockV2: PUT /v2/aws_account_assignments/{target_client_api_id}
// makes another member the payer of a Consolidated block; 200 with every
// member of the block.
func (s *Server) updateBlockV2(rq *call) {
	find := func(st *state.State, p *state.Partner) (*state.Customer, error) {
		return customerByClientAPIID(st, p, rq.vars["id"])
	}
	serveChange(s, rq, http.StatusOK, exists(find), func(st *state.State, p *state.Partner, req rules.BlockPayerFields) (assignmentsV2Body[assignmentV2ResultJSON], error) {
		c, err := find(st, p)
		if err != nil {
			return assignmentsV2Body[assignmentV2ResultJSON]{}, err
		}
		b, errs := rules.CheckBlockPayer(st, c, req)
		if len(errs) > 0 {
			return assignmentsV2Body[assignmentV2ResultJSON]{}, unprocessable(errs...)
		}
		st.SetBlockPayer(b, *req.PayerAccountOwnerID)
		return toResults(st, st.BlockMembers(b)), nil
	}, nil)
}

// deleteAssignmentV2: DELETE /v2/aws_account_assignments/{id} -> 200 with the
// deleted assignment; 400 for the payer or head of a block with other
// members. The last member takes its block with it; the customer's AWS
// account stays.
func (s *Server) deleteAssignmentV2(rq *call) {
	var out assignmentV2JSON
	err := s.writeAs(rq, func(st *state.State, p *state.Partner) error {
		a, ok := st.Assignment(p, rq.pathID("id"))
		if !ok {
			return notFound()
		}
		if msg := rules.CheckBlockDelete(st, a); msg != "" {
			return &apiError{status: http.StatusBadRequest, msgs: []string{msg}}
		}
		out = toAssignmentV2JSON(st, a)
		st.DeleteAssignment(a)
		return nil
	})
	if err != nil {
		fail(s.log, rq, err)
		return
	}
	writeJSON(rq.w, http.StatusOK, out)
}
