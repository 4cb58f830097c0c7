package emulator

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/getkin/kin-openapi/openapi3"
	jsonv2 "github.com/go-json-experiment/json"
)

// apiError is an answer other than success, returned by a handler's state
// function and written by fail.
type apiError struct {
	status int
	msgs   []string
}

func (e *apiError) Error() string { return e.msgs[0] }

func notFound() *apiError { return &apiError{status: http.StatusNotFound, msgs: []string{msgNotFound}} }

func unprocessable(msgs ...string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, msgs: msgs}
}

// forbidden is the answer to a key whose partner a state replace removed
// while the request was on its way.
func forbidden() *apiError { return &apiError{status: http.StatusForbidden, msgs: []string{msgBadKey}} }

// fail writes err: an apiError with its status (a 422 in the operation's
// error form), anything else as a 500.
func fail(log *slog.Logger, rq *call, err error) {
	rq.x.diagnose(failureDiagnostic(rq, err))
	var ae *apiError
	switch {
	case errors.As(err, &ae) && ae.status == http.StatusUnprocessableEntity:
		writeUnprocessable(rq, ae.msgs...)
	case errors.As(err, &ae):
		writeError(rq.w, ae.status, ae.msgs[0])
	default:
		log.Error("request failed", "method", rq.r.Method, "path", rq.r.URL.Path, "error", err)
		writeError(rq.w, http.StatusInternalServerError, msgInternalFailure)
	}
}

// decodeBody reads c's JSON request body into v after the checks CloudHealth
// makes, in order: Content-Type application/json, a body within 1 MiB (413),
// well-formed JSON with nothing after the value, and the operation's request
// schema in openapi.yaml. Every failure but the size is a 422. The body is
// decoded twice: once into generic values for the schema, once into v.
func (s *Server) decodeBody(rq *call, v any) error {
	mediaType, _, err := mime.ParseMediaType(rq.r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return unprocessable(msgContentType)
	}
	data, err := io.ReadAll(rq.r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return &apiError{status: http.StatusRequestEntityTooLarge, msgs: []string{msgBodyTooLarge}}
		}
		return unprocessable("the request body could not be read")
	}
	var value any
	if err := jsonv2.Unmarshal(data, &value, rules.BodyJSON); err != nil {
		return unprocessable(msgMalformedJSON)
	}
	if err := checkBodyText(data); err != nil {
		return err
	}
	if body := rq.op.route.Operation.RequestBody; body != nil && !s.opts.DisableValidation {
		if err := checkRequestBody(rq.op, body.Value, value); err != nil {
			return unprocessable(describeValidation(err)...)
		}
	}
	// Member names match exactly (rules.BodyJSON): encoding/json v1 would
	// take "Name" for "name".
	if err := jsonv2.Unmarshal(data, v, rules.BodyJSON); err != nil {
		return unprocessable("the request body does not fit the operation: " + err.Error())
	}
	return nil
}

// checkRequestBody checks a decoded JSON body against the operation's
// request body schema, as openapi3filter.ValidateRequestBody would.
func checkRequestBody(op *operation, body *openapi3.RequestBody, value any) error {
	media := body.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return fmt.Errorf("%s documents no application/json request body", op.id)
	}
	return media.Schema.Value.VisitJSON(value, op.requestOpts...)
}
