package emulator

import (
	"context"
	"net/http"
)

type ctxKey int

const (
	partnerKey ctxKey = iota
	operationKey
	exchangeKey
)

// withPartner records the id of the partner the request's key belongs to.
func withPartner(r *http.Request, partnerID int64) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), partnerKey, partnerID))
}

// partnerOf returns the id of the request's partner (0 before auth).
func partnerOf(r *http.Request) int64 {
	id, _ := r.Context().Value(partnerKey).(int64)
	return id
}

func withOperation(r *http.Request, op *operation) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), operationKey, op))
}

// operationOf returns the openapi.yaml operation the request matched, or nil.
func operationOf(r *http.Request) *operation {
	op, _ := r.Context().Value(operationKey).(*operation)
	return op
}

// withExchange attaches the record the journal keeps of the request.
func withExchange(r *http.Request, x *exchange) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), exchangeKey, x))
}
