package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/gorilla/mux"
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

// fail writes err: an apiError with its status (a 422 in the operation's
// error form), anything else as a 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	switch {
	case errors.Is(err, errNoPartner):
		writeError(w, http.StatusForbidden, msgBadKey)
	case errors.As(err, &ae) && ae.status == http.StatusUnprocessableEntity:
		writeUnprocessable(w, r, ae.msgs...)
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.msgs[0])
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		writeError(w, http.StatusInternalServerError, msgInternalFailure)
	}
}

// decodeBody reads a JSON request body into v after the checks CloudHealth
// makes, in order: Content-Type application/json, a body within 1 MiB (413),
// well-formed JSON with nothing after the value, and the operation's request
// schema in openapi.yaml. Every failure but the size is a 422.
func (s *Server) decodeBody(r *http.Request, v any) error {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return unprocessable(msgContentType)
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return &apiError{status: http.StatusRequestEntityTooLarge, msgs: []string{msgBodyTooLarge}}
		}
		return unprocessable("the request body could not be read")
	}
	if !json.Valid(data) {
		return unprocessable(msgMalformedJSON)
	}
	if err := checkBodyText(data); err != nil {
		return err
	}
	if op := operationOf(r); op != nil && !s.opts.DisableValidation && op.route.Operation.RequestBody != nil {
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(data))
		input := &openapi3filter.RequestValidationInput{Request: r2, PathParams: mux.Vars(r), Route: op.route, Options: validationOptions()}
		if err := openapi3filter.ValidateRequestBody(r.Context(), input, op.route.Operation.RequestBody.Value); err != nil {
			return unprocessable(describeValidation(err)...)
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return unprocessable("the request body does not fit the operation: " + err.Error())
	}
	return nil
}
