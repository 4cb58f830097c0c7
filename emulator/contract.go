package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gorilla/mux"

	cloudhealthemulator "github.com/cloudhealth-emulator/cloudhealth-emulator"
)

// contract is one OpenAPI document compiled for serving: its operations, each
// with its handler, and a router that matches a request to one of them.
// Compiling openapi.yaml is most of what building a server costs, so each
// document is compiled once per process (apiContract, controlContract) and
// shared, read-only, by every Server.
type contract struct {
	name string // the file it comes from
	doc  *openapi3.T
	ops  map[string]*operation
	// router only matches (Match), it never serves: a route's name is its
	// operationId.
	router *mux.Router
}

// apiContract is openapi.yaml compiled, with the CloudHealth handlers.
var apiContract = sync.OnceValues(func() (*contract, error) {
	return compileContract("openapi.yaml", cloudhealthemulator.OpenAPI, apiHandlers())
})

// controlContract is control-openapi.yaml compiled, with the control handlers.
var controlContract = sync.OnceValues(func() (*contract, error) {
	return compileContract("control-openapi.yaml", cloudhealthemulator.ControlOpenAPI, controlHandlers())
})

// compileContract loads and validates an OpenAPI document, prepares each of
// its operations and routes them. An operation without a handler, or a
// handler without an operation, is an error: the document and the code must
// describe the same API.
func compileContract(name string, data []byte, handlers map[string]handler) (*contract, error) {
	doc, ops, err := loadSpec(name, data)
	if err != nil {
		return nil, err
	}
	c := &contract{name: name, doc: doc, ops: ops, router: mux.NewRouter().SkipClean(true).UseEncodedPath()}
	for id, op := range ops {
		h, ok := handlers[id]
		if !ok {
			return nil, fmt.Errorf("%s operation %s has no handler", name, id)
		}
		op.handler = h
		c.router.NewRoute().Path(muxPath(op)).Methods(op.route.Method).Name(id)
	}
	for id := range handlers {
		if _, ok := ops[id]; !ok {
			return nil, fmt.Errorf("handler %s has no operation in %s", id, name)
		}
	}
	return c, nil
}

// match returns the operation r is for, with its path parameters; nil when
// no route serves the path and method. HEAD is matched as GET: Rails routes
// HEAD to the GET action and answers its headers without the body.
// Encoded slashes stay inside their segment (%2F is no separator).
func (c *contract) match(r *http.Request) (*operation, map[string]string) {
	if r.Method == http.MethodHead {
		get := *r
		get.Method = http.MethodGet
		r = &get
	}
	var m mux.RouteMatch
	if !c.router.Match(r, &m) || m.MatchErr != nil || m.Route == nil {
		return nil, nil
	}
	return c.ops[m.Route.GetName()], m.Vars
}

// muxPath turns an OpenAPI path template into a gorilla/mux one; an integer
// path parameter only matches digits, so /v1/x/abc is an unknown route (404)
// as it is in CloudHealth's routing.
func muxPath(op *operation) string {
	path := op.route.Path
	for _, p := range op.route.Operation.Parameters {
		if p.Value == nil || p.Value.In != "path" || p.Value.Schema == nil || p.Value.Schema.Value == nil {
			continue
		}
		if p.Value.Schema.Value.Type.Is("integer") {
			path = strings.ReplaceAll(path, "{"+p.Value.Name+"}", "{"+p.Value.Name+":[0-9]{1,18}}")
		}
	}
	return path
}
