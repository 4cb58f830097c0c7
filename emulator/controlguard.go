package emulator

import (
	"crypto/subtle"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// The control API's protections against browsers (docs/control-api.md): a
// page on another site, or one that rebinds its DNS name to 127.0.0.1, must
// not reset the state or read every partner's API keys from
// GET /__emulator/state.

// Messages of the control API's refusals.
const (
	msgCrossSite   = "Forbidden: the control API refuses cross-site requests (an Origin other than the emulator's own, or Sec-Fetch-Site: cross-site)"
	msgForeignHost = "Forbidden: the emulator listens on a loopback address and this request's Host is not a loopback name or address"
	msgControlType = "Content-Type must be application/json or application/yaml (YAML where the operation takes it) on a control request with a body"
)

func isHealth(op *operation) bool {
	return op != nil && op.id == "health"
}

// hostAllowed reports whether the request's Host may reach the control API:
// always, unless the connection came in on a loopback address and Host names
// something else. The listener's address is only known through the request.
func hostAllowed(r *http.Request) bool {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return true // not served from a listener (a handler called directly)
	}
	tcp, ok := local.(*net.TCPAddr)
	if !ok || !tcp.IP.IsLoopback() {
		return true
	}
	return r.Host == "" || isLoopbackHost(r.Host) // HTTP/1.0 without Host: no browser sends that
}

// isLoopbackHost reports whether a Host header (with or without a port)
// names the loopback interface: localhost, 127.0.0.0/8 or ::1.
func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// crossSite reports a request a browser sent from another origin: an Origin
// header other than the request's own scheme and host (Origin: null
// included), or Sec-Fetch-Site: cross-site.
func crossSite(r *http.Request) bool {
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("Sec-Fetch-Site")), "cross-site") {
		return true
	}
	origins := r.Header.Values("Origin")
	if len(origins) == 0 {
		return false
	}
	if len(origins) > 1 {
		return true
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u, err := url.Parse(strings.TrimSpace(origins[0]))
	if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
		return true // "null", or not an origin
	}
	return !strings.EqualFold(u.Scheme, scheme) || !strings.EqualFold(withPort(u.Host, scheme), withPort(r.Host, scheme))
}

// withPort adds the scheme's default port to a host that has none.
func withPort(host, scheme string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	port := "80"
	if strings.EqualFold(scheme, "https") {
		port = "443"
	}
	return net.JoinHostPort(host, port)
}

// hasBody reports whether a request carries a body: a Content-Length above
// zero, or one not declared (chunked).
func hasBody(r *http.Request) bool {
	return r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody
}

// bodyTypeAllowed reports whether the request's Content-Type is one its
// operation takes: application/json always, application/yaml where
// control-openapi.yaml declares it for the request body.
func bodyTypeAllowed(r *http.Request, op *operation) bool {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return false
	}
	if mediaType == "application/json" {
		return true
	}
	if op == nil || op.route.Operation.RequestBody == nil || op.route.Operation.RequestBody.Value == nil {
		return false
	}
	_, declared := op.route.Operation.RequestBody.Value.Content[mediaType]
	return declared && mediaType == "application/yaml"
}

// adminOK reports whether the request carries the admin token (or the
// emulator has none), in either header: a partner key in one does not hide
// the token in the other.
func (s *Server) adminOK(r *http.Request) bool {
	if s.opts.AdminToken == "" {
		return true
	}
	want := []byte(s.opts.AdminToken)
	ok := false
	for _, got := range r.Header.Values("X-Emulator-Admin-Token") {
		ok = subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), want) == 1 || ok
	}
	for _, h := range r.Header.Values("Authorization") {
		if scheme, token, found := strings.Cut(h, " "); found && strings.EqualFold(scheme, "Bearer") {
			ok = subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), want) == 1 || ok
		}
	}
	return ok
}
