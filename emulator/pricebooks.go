package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// priceBookHandlers serves the price book operations: price books, their
// customer assignments and their account assignments (docs/fidelity.md,
// "Customer statements and price books").
var priceBookHandlers = map[string]handler{
	"createPriceBook":                   (*Server).createPriceBook,
	"listPriceBooks":                    (*Server).listPriceBooks,
	"getPriceBook":                      (*Server).getPriceBook,
	"updatePriceBook":                   (*Server).updatePriceBook,
	"deletePriceBook":                   (*Server).deletePriceBook,
	"getPriceBookSpecification":         (*Server).getPriceBookSpecification,
	"dryRunPriceBook":                   (*Server).dryRunPriceBook,
	"createPriceBookAssignment":         (*Server).createPriceBookAssignment,
	"listPriceBookAssignments":          (*Server).listPriceBookAssignments,
	"getPriceBookAssignment":            (*Server).getPriceBookAssignment,
	"updatePriceBookAssignment":         (*Server).updatePriceBookAssignment,
	"deletePriceBookAssignment":         (*Server).deletePriceBookAssignment,
	"createPriceBookAccountAssignments": (*Server).createPriceBookAccountAssignments,
	"listPriceBookAccountAssignments":   (*Server).listPriceBookAccountAssignments,
	"getPriceBookAccountAssignment":     (*Server).getPriceBookAccountAssignment,
	"updatePriceBookAccountAssignment":  (*Server).updatePriceBookAccountAssignment,
	"deletePriceBookAccountAssignment":  (*Server).deletePriceBookAccountAssignment,
}

// dryRunLimit is how many dry runs a partner may start per hour (the figure
// the guide's answer quotes).
const dryRunLimit = 4000

// priceBookJSON is a price book on the wire; the specification is read apart.
type priceBookJSON struct {
	ID        int64  `json:"id"`
	BookName  string `json:"book_name"`
	FileHash  string `json:"file_hash"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func toPriceBookJSON(b *state.PriceBook) priceBookJSON {
	return priceBookJSON{ID: b.ID, BookName: b.BookName, FileHash: b.FileHash,
		CreatedAt: fixture.Timestamp(b.CreatedAt), UpdatedAt: fixture.Timestamp(b.UpdatedAt)}
}

// priceBookAssignmentJSON is a price book customer assignment on the wire.
type priceBookAssignmentJSON struct {
	ID                int64  `json:"id"`
	TargetClientAPIID int64  `json:"target_client_api_id"`
	PriceBookID       int64  `json:"price_book_id"`
	CreatedAt         string `json:"created_at"`
	UpdatedAt         string `json:"updated_at"`
}

func toPriceBookAssignmentJSON(st *state.State, a *state.PriceBookAssignment) priceBookAssignmentJSON {
	out := priceBookAssignmentJSON{ID: a.ID, PriceBookID: a.PriceBookID,
		CreatedAt: fixture.Timestamp(a.CreatedAt), UpdatedAt: fixture.Timestamp(a.UpdatedAt)}
	if p, ok := st.Partner(a.PartnerID); ok {
		if c, ok := st.Customer(p, a.CustomerID); ok {
			out.TargetClientAPIID = c.ClientAPIID
		}
	}
	return out
}

// accountAssignmentJSON is a price book account assignment on the wire.
type accountAssignmentJSON struct {
	ID                    int64  `json:"id"`
	TargetClientAPIID     int64  `json:"target_client_api_id"`
	PriceBookAssignmentID int64  `json:"price_book_assignment_id"`
	BillingAccountOwnerID string `json:"billing_account_owner_id"`
}

func toAccountAssignmentJSON(st *state.State, a *state.PriceBookAccountAssignment) accountAssignmentJSON {
	out := accountAssignmentJSON{ID: a.ID, PriceBookAssignmentID: a.AssignmentID, BillingAccountOwnerID: fixture.AccountOwnerID(st, a)}
	if p, ok := st.Partner(a.PartnerID); ok {
		if asg, ok := st.PriceBookAssignment(p, a.AssignmentID); ok {
			out.TargetClientAPIID = toPriceBookAssignmentJSON(st, asg).TargetClientAPIID
		}
	}
	return out
}

// accountAssignmentsJSON is the envelope of the account assignment list, and
// of a create of one or several named accounts.
type accountAssignmentsJSON struct {
	Items []accountAssignmentJSON `json:"price_book_account_assignments"`
}

// findPriceBook returns the partner's price book of the path's id, or a 404.
func findPriceBook(rq *call) func(*state.State, *state.Partner) (*state.PriceBook, error) {
	return func(st *state.State, p *state.Partner) (*state.PriceBook, error) {
		b, ok := st.PriceBook(p, rq.pathID("id"))
		if !ok {
			return nil, notFound()
		}
		return b, nil
	}
}

func findPriceBookAssignment(rq *call) func(*state.State, *state.Partner) (*state.PriceBookAssignment, error) {
	return func(st *state.State, p *state.Partner) (*state.PriceBookAssignment, error) {
		a, ok := st.PriceBookAssignment(p, rq.pathID("id"))
		if !ok {
			return nil, notFound()
		}
		return a, nil
	}
}

func findAccountAssignment(rq *call) func(*state.State, *state.Partner) (*state.PriceBookAccountAssignment, error) {
	return func(st *state.State, p *state.Partner) (*state.PriceBookAccountAssignment, error) {
		a, ok := st.PriceBookAccountAssignment(p, rq.pathID("id"))
		if !ok {
			return nil, notFound()
		}
		return a, nil
	}
}

// serveArrayPage is servePage for a list the guide shows as a top-level
// array (the price books): the same paging headers, no envelope.
func serveArrayPage[T any](s *Server, rq *call, read func(st *state.State, p *state.Partner, pg page) (int, []T, error)) {
	pg := parsePage(rq.r)
	var total int
	var items []T
	err := s.readAs(rq, func(st *state.State, p *state.Partner) error {
		var err error
		total, items, err = read(st, p, pg)
		return err
	})
	if err != nil {
		fail(s.log, rq, err)
		return
	}
	if items == nil {
		items = []T{}
	}
	setPagingHeaders(rq.w, rq.r, pg, total)
	writeJSON(rq.w, http.StatusOK, items)
}

// createPriceBook: POST /v1/price_books -> 200 {"price_book": {...}}.
func (s *Server) createPriceBook(rq *call) {
	type created struct {
		PriceBook priceBookJSON `json:"price_book"`
	}
	serveChange(s, rq, http.StatusOK, nil, func(st *state.State, p *state.Partner, req rules.PriceBookFields) (created, error) {
		next, errs := rules.CheckPriceBook(st, p, nil, req)
		if len(errs) > 0 {
			return created{}, unprocessable(errs...)
		}
		next.CreatedAt, next.UpdatedAt = s.now(), s.now()
		st.AddPriceBook(&next)
		return created{toPriceBookJSON(&next)}, nil
	}, nil)
}

// listPriceBooks: GET /v1/price_books, a top-level array ordered by id, paged.
func (s *Server) listPriceBooks(rq *call) {
	serveArrayPage(s, rq, func(st *state.State, p *state.Partner, pg page) (int, []priceBookJSON, error) {
		list := st.PriceBooksPage(p, pg.offset(), pg.perPage)
		out := make([]priceBookJSON, len(list))
		for i, b := range list {
			out[i] = toPriceBookJSON(b)
		}
		return st.PriceBookCount(p), out, nil
	})
}

// getPriceBook: GET /v1/price_books/{id}.
func (s *Server) getPriceBook(rq *call) {
	find := findPriceBook(rq)
	serveRead(s, rq, func(st *state.State, p *state.Partner) (priceBookJSON, error) {
		b, err := find(st, p)
		if err != nil {
			return priceBookJSON{}, err
		}
		return toPriceBookJSON(b), nil
	})
}

// getPriceBookSpecification: GET /v1/price_books/{id}/specification, the XML
// as it was given.
func (s *Server) getPriceBookSpecification(rq *call) {
	find := findPriceBook(rq)
	serveRead(s, rq, func(st *state.State, p *state.Partner) (map[string]string, error) {
		b, err := find(st, p)
		if err != nil {
			return nil, err
		}
		return map[string]string{"specification": b.Specification}, nil
	})
}

// updatePriceBook: PUT /v1/price_books/{id} with the specification and/or
// the name -> 200, the price book.
func (s *Server) updatePriceBook(rq *call) {
	find := findPriceBook(rq)
	serveChange(s, rq, http.StatusOK, exists(find), func(st *state.State, p *state.Partner, req rules.PriceBookFields) (priceBookJSON, error) {
		b, err := find(st, p)
		if err != nil {
			return priceBookJSON{}, err
		}
		next, errs := rules.CheckPriceBook(st, p, b, req)
		if len(errs) > 0 {
			return priceBookJSON{}, unprocessable(errs...)
		}
		st.UpdatePriceBook(b, next, s.now())
		return toPriceBookJSON(b), nil
	}, nil)
}

// deletePriceBook: DELETE /v1/price_books/{id} -> 204; a price book assigned
// to a customer: 422, naming the assignments.
func (s *Server) deletePriceBook(rq *call) {
	find := findPriceBook(rq)
	serveNoContent(s, rq, func(st *state.State, p *state.Partner) error {
		b, err := find(st, p)
		if err != nil {
			return err
		}
		if asgs := st.PriceBookAssignments(b); len(asgs) > 0 {
			ids := make([]string, len(asgs))
			for i, a := range asgs {
				ids[i] = fmt.Sprint(a.ID)
			}
			return unprocessable(fmt.Sprintf("price book %d is assigned to customers (price book assignments %s): delete those assignments first",
				b.ID, strings.Join(ids, ", ")))
		}
		st.DeletePriceBook(b)
		return nil
	})
}

// dryRunPriceBook: PUT /v1/price_books/dry_run -> 200 {"message": ...}. The
// test results themselves (an email or an S3 upload) are not produced; the
// answer counts the partner's dry runs of the last hour, and past the limit
// is a 429.
func (s *Server) dryRunPriceBook(rq *call) {
	serveChange(s, rq, http.StatusOK, nil, func(st *state.State, p *state.Partner, req rules.DryRunFields) (map[string]string, error) {
		if errs := rules.CheckDryRun(st, p, req); len(errs) > 0 {
			return nil, unprocessable(errs...)
		}
		n, ok := st.RecordDryRun(p, s.now(), dryRunLimit)
		if !ok {
			return nil, &apiError{status: http.StatusTooManyRequests,
				msgs: []string{fmt.Sprintf("Dry run rate limit reached: %d of %d jobs in the last hour", n, dryRunLimit)}}
		}
		where := "you will receive an email with your results in a few minutes"
		if req.UploadToS3 != nil && bool(*req.UploadToS3) {
			where = "results will be uploaded to your Bill Generation S3 Bucket in a few minutes"
		}
		return map[string]string{"message": fmt.Sprintf("Dry run request processing, %s. Current rate limit job count equals %d out of %d per hour", where, n, dryRunLimit)}, nil
	}, nil)
}

// createPriceBookAssignment: POST /v1/price_book_assignments -> 200, the
// assignment.
func (s *Server) createPriceBookAssignment(rq *call) {
	serveChange(s, rq, http.StatusOK, nil, func(st *state.State, p *state.Partner, req rules.PriceBookAssignmentFields) (priceBookAssignmentJSON, error) {
		next, errs := rules.CheckPriceBookAssignment(st, p, nil, req)
		if len(errs) > 0 {
			return priceBookAssignmentJSON{}, unprocessable(errs...)
		}
		next.CreatedAt, next.UpdatedAt = s.now(), s.now()
		st.AddPriceBookAssignment(&next)
		return toPriceBookAssignmentJSON(st, &next), nil
	}, nil)
}

// assignmentFilter reads the customer filter of the customer assignment list:
// target_client_api_id as a query parameter (checked against openapi.yaml)
// or in a JSON body, as the guide's page sends it on this GET; the body wins
// when both are sent, as in Rails' params. No filter: "".
func (s *Server) assignmentFilter(rq *call) (string, error) {
	filter := rq.query("target_client_api_id")
	data, err := io.ReadAll(rq.r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return "", &apiError{status: http.StatusRequestEntityTooLarge, msgs: []string{msgBodyTooLarge}}
		}
		return "", unprocessable("the request body could not be read")
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return filter, nil
	}
	if mt, _, err := mime.ParseMediaType(rq.r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return "", unprocessable(msgContentType)
	}
	var body struct {
		Target *rules.FlexID `json:"target_client_api_id"`
	}
	dec := jsontext.NewDecoder(bytes.NewReader(data), rules.BodyJSON)
	if err := jsonv2.UnmarshalDecode(dec, &body); err != nil {
		return "", unprocessable("the request body must be a JSON object whose target_client_api_id is an integer or a string of digits: " + err.Error())
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return "", unprocessable(msgMalformedJSON)
	}
	if body.Target != nil {
		filter = fmt.Sprint(int64(*body.Target))
	}
	return filter, nil
}

// listPriceBookAssignments: GET /v1/price_book_assignments, paged, in the
// price_book_assignments envelope; with target_client_api_id (query or
// body), that customer's only (unknown: 404).
func (s *Server) listPriceBookAssignments(rq *call) {
	filter, err := s.assignmentFilter(rq)
	if err != nil {
		fail(s.log, rq, err)
		return
	}
	servePage(s, rq, "price_book_assignments", func(st *state.State, p *state.Partner, pg page) (int, []priceBookAssignmentJSON, error) {
		if filter != "" {
			c, err := customerByClientAPIID(st, p, filter)
			if err != nil {
				return 0, nil, err
			}
			a, ok := st.CustomerPriceBookAssignment(c)
			if !ok {
				return 0, nil, nil
			}
			if pg.offset() > 0 {
				return 1, nil, nil
			}
			return 1, []priceBookAssignmentJSON{toPriceBookAssignmentJSON(st, a)}, nil
		}
		list := st.PriceBookAssignmentsPage(p, pg.offset(), pg.perPage)
		out := make([]priceBookAssignmentJSON, len(list))
		for i, a := range list {
			out[i] = toPriceBookAssignmentJSON(st, a)
		}
		return st.PriceBookAssignmentCount(p), out, nil
	})
}

// getPriceBookAssignment: GET /v1/price_book_assignments/{id}.
func (s *Server) getPriceBookAssignment(rq *call) {
	find := findPriceBookAssignment(rq)
	serveRead(s, rq, func(st *state.State, p *state.Partner) (priceBookAssignmentJSON, error) {
		a, err := find(st, p)
		if err != nil {
			return priceBookAssignmentJSON{}, err
		}
		return toPriceBookAssignmentJSON(st, a), nil
	})
}

// updatePriceBookAssignment: PUT /v1/price_book_assignments/{id} with
// price_book_id -> 200, the assignment.
func (s *Server) updatePriceBookAssignment(rq *call) {
	find := findPriceBookAssignment(rq)
	serveChange(s, rq, http.StatusOK, exists(find), func(st *state.State, p *state.Partner, req rules.PriceBookAssignmentFields) (priceBookAssignmentJSON, error) {
		a, err := find(st, p)
		if err != nil {
			return priceBookAssignmentJSON{}, err
		}
		next, errs := rules.CheckPriceBookAssignment(st, p, a, req)
		if len(errs) > 0 {
			return priceBookAssignmentJSON{}, unprocessable(errs...)
		}
		st.UpdatePriceBookAssignment(a, next.PriceBookID, s.now())
		return toPriceBookAssignmentJSON(st, a), nil
	}, nil)
}

// deletePriceBookAssignment: DELETE /v1/price_book_assignments/{id} -> 204;
// while account assignments apply it: 422, naming them.
func (s *Server) deletePriceBookAssignment(rq *call) {
	find := findPriceBookAssignment(rq)
	serveNoContent(s, rq, func(st *state.State, p *state.Partner) error {
		a, err := find(st, p)
		if err != nil {
			return err
		}
		if accts := st.AccountAssignmentsOf(a); len(accts) > 0 {
			ids := make([]string, len(accts))
			for i, aa := range accts {
				ids[i] = fmt.Sprint(aa.ID)
			}
			return unprocessable(fmt.Sprintf("price book assignment %d is applied to accounts (price book account assignments %s): delete those first",
				a.ID, strings.Join(ids, ", ")))
		}
		st.DeletePriceBookAssignment(a)
		return nil
	})
}

// createPriceBookAccountAssignments: POST /v1/price_book_account_assignments
// -> 200: with billing_account_owner_id "ALL" the one account assignment;
// with one or several owner ids, {"price_book_account_assignments": [...]}.
func (s *Server) createPriceBookAccountAssignments(rq *call) {
	serveChange(s, rq, http.StatusOK, nil, func(st *state.State, p *state.Partner, req rules.PriceBookAccountAssignmentFields) (any, error) {
		asg, ids, errs := rules.CheckPriceBookAccountAssignments(st, p, req)
		if len(errs) > 0 {
			return nil, unprocessable(errs...)
		}
		out := accountAssignmentsJSON{Items: make([]accountAssignmentJSON, 0, len(ids))}
		for _, id := range ids {
			a := &state.PriceBookAccountAssignment{PartnerID: p.ID, AssignmentID: asg.ID, AWSAccountID: id}
			st.AddPriceBookAccountAssignment(a)
			out.Items = append(out.Items, toAccountAssignmentJSON(st, a))
		}
		if req.BillingAccountOwnerID != nil && string(*req.BillingAccountOwnerID) == rules.AllAccounts {
			return out.Items[0], nil
		}
		return out, nil
	}, nil)
}

// listPriceBookAccountAssignments: GET /v1/price_book_account_assignments,
// paged, in the price_book_account_assignments envelope.
func (s *Server) listPriceBookAccountAssignments(rq *call) {
	servePage(s, rq, "price_book_account_assignments", func(st *state.State, p *state.Partner, pg page) (int, []accountAssignmentJSON, error) {
		list := st.PriceBookAccountAssignmentsPage(p, pg.offset(), pg.perPage)
		out := make([]accountAssignmentJSON, len(list))
		for i, a := range list {
			out[i] = toAccountAssignmentJSON(st, a)
		}
		return st.PriceBookAccountAssignmentCount(p), out, nil
	})
}

// getPriceBookAccountAssignment: GET /v1/price_book_account_assignments/{id}.
func (s *Server) getPriceBookAccountAssignment(rq *call) {
	find := findAccountAssignment(rq)
	serveRead(s, rq, func(st *state.State, p *state.Partner) (accountAssignmentJSON, error) {
		a, err := find(st, p)
		if err != nil {
			return accountAssignmentJSON{}, err
		}
		return toAccountAssignmentJSON(st, a), nil
	})
}

// updatePriceBookAccountAssignment: PUT /v1/price_book_account_assignments/{id}
// with billing_account_owner_id -> 200, the account assignment.
func (s *Server) updatePriceBookAccountAssignment(rq *call) {
	find := findAccountAssignment(rq)
	serveChange(s, rq, http.StatusOK, exists(find), func(st *state.State, p *state.Partner, req rules.PriceBookAccountAssignmentFields) (accountAssignmentJSON, error) {
		a, err := find(st, p)
		if err != nil {
			return accountAssignmentJSON{}, err
		}
		id, errs := rules.CheckPriceBookAccountAssignmentUpdate(st, p, a, req)
		if len(errs) > 0 {
			return accountAssignmentJSON{}, unprocessable(errs...)
		}
		st.ReplacePriceBookAccountAssignment(a, id)
		return toAccountAssignmentJSON(st, a), nil
	}, nil)
}

// deletePriceBookAccountAssignment: DELETE
// /v1/price_book_account_assignments/{id} -> 204.
func (s *Server) deletePriceBookAccountAssignment(rq *call) {
	find := findAccountAssignment(rq)
	serveNoContent(s, rq, func(st *state.State, p *state.Partner) error {
		a, err := find(st, p)
		if err != nil {
			return err
		}
		st.DeletePriceBookAccountAssignment(a)
		return nil
	})
}
