package emulator

import (
	"fmt"
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// assignmentHandlers serves the v1 AWS account assignment operations.
var assignmentHandlers = map[string]handler{
	"createAwsAccountAssignment": (*Server).createAssignment,
	"listAwsAccountAssignments":  (*Server).listAssignments,
	"getAwsAccountAssignment":    (*Server).getAssignment,
	"updateAwsAccountAssignment": (*Server).updateAssignment,
	"deleteAwsAccountAssignment": (*Server).deleteAssignment,
}

// assignmentJSON is an AWS account assignment on the wire.
type assignmentJSON struct {
	ID                  int64  `json:"id"`
	OwnerID             string `json:"owner_id"`
	CustomerID          int64  `json:"customer_id"`
	PayerAccountOwnerID string `json:"payer_account_owner_id"`
}

func toAssignmentJSON(a *state.Assignment) assignmentJSON {
	return assignmentJSON{ID: a.ID, OwnerID: a.OwnerID, CustomerID: a.CustomerID, PayerAccountOwnerID: a.PayerAccountOwnerID}
}

// wireObject implements wireObject: the fields as the decoded JSON holds them.
func (a assignmentJSON) wireObject(obj map[string]any) bool {
	if !wireStrings(a.OwnerID, a.PayerAccountOwnerID) {
		return false
	}
	owner := any(a.OwnerID)
	obj["id"], obj["owner_id"], obj["customer_id"] = numberValue(a.ID), owner, numberValue(a.CustomerID)
	obj["payer_account_owner_id"] = sameOr(owner, a.PayerAccountOwnerID)
	return true
}

// path is where the assignment is read: its Location.
func (a assignmentJSON) path() string { return fmt.Sprintf("/v1/aws_account_assignments/%d", a.ID) }

// createAssignment: POST /v1/aws_account_assignments -> 200 with Location.
func (s *Server) createAssignment(rq *call) {
	serveChange(s, rq, http.StatusOK, nil, func(st *state.State, p *state.Partner, req rules.AssignmentFields) (assignmentJSON, error) {
		if errs := rules.CheckV1LockOut(st, p, nil, req); len(errs) > 0 {
			return assignmentJSON{}, unprocessable(errs...)
		}
		next, errs := rules.CheckAssignment(st, p, nil, req)
		if len(errs) > 0 {
			return assignmentJSON{}, unprocessable(errs...)
		}
		st.CreateAssignment(&next, s.now())
		return toAssignmentJSON(&next), nil
	}, assignmentJSON.path)
}

// listAssignments: GET /v1/aws_account_assignments, paged.
func (s *Server) listAssignments(rq *call) {
	servePage(s, rq, "aws_account_assignments", func(st *state.State, p *state.Partner, pg page) (int, []assignmentJSON, error) {
		// The assignments of version 2 customers are not shown (the lock-out).
		page := st.V1AssignmentsPage(p, pg.offset(), pg.perPage)
		out := make([]assignmentJSON, 0, len(page))
		for _, a := range page {
			out = append(out, toAssignmentJSON(a))
		}
		return st.V1AssignmentCount(p), out, nil
	})
}

// getAssignment: GET /v1/aws_account_assignments/{id}.
func (s *Server) getAssignment(rq *call) {
	serveRead(s, rq, func(st *state.State, p *state.Partner) (assignmentJSON, error) {
		a, ok := st.Assignment(p, rq.pathID("id"))
		if !ok {
			return assignmentJSON{}, notFound()
		}
		if msg := rules.LockedOut(st, p, a.CustomerID); msg != "" {
			return assignmentJSON{}, unprocessable(msg)
		}
		return toAssignmentJSON(a), nil
	})
}

// updateAssignment: PUT /v1/aws_account_assignments/{id} with a subset of the
// fields; the merged assignment must pass every rule as if it were new.
func (s *Server) updateAssignment(rq *call) {
	find := func(st *state.State, p *state.Partner) (*state.Assignment, error) {
		a, ok := st.Assignment(p, rq.pathID("id"))
		if !ok {
			return nil, notFound()
		}
		return a, nil
	}
	serveChange(s, rq, http.StatusOK, exists(find), func(st *state.State, p *state.Partner, req rules.AssignmentFields) (assignmentJSON, error) {
		a, err := find(st, p)
		if err != nil {
			return assignmentJSON{}, err
		}
		if errs := rules.CheckV1LockOut(st, p, a, req); len(errs) > 0 {
			return assignmentJSON{}, unprocessable(errs...)
		}
		next, errs := rules.CheckAssignment(st, p, a, req)
		if len(errs) > 0 {
			return assignmentJSON{}, unprocessable(errs...)
		}
		st.UpdateAssignment(a, next, s.now())
		return toAssignmentJSON(a), nil
	}, assignmentJSON.path)
}

// deleteAssignment: DELETE /v1/aws_account_assignments/{id} -> 204. The
// customer's AWS account stays.
func (s *Server) deleteAssignment(rq *call) {
	serveNoContent(s, rq, func(st *state.State, p *state.Partner) error {
		a, ok := st.Assignment(p, rq.pathID("id"))
		if !ok {
			return notFound()
		}
		if msg := rules.LockedOut(st, p, a.CustomerID); msg != "" {
			return unprocessable(msg)
		}
		if errs := rules.CheckAssignmentDelete(st, a); len(errs) > 0 {
			return unprocessable(errs...)
		}
		st.DeleteAssignment(a)
		return nil
	})
}
