package emulator

import "net/http"

// govcloudHandlers serves the GovCloud linkage operations (BEHAVIOR.md
// section 4).
func (s *Server) govcloudHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{}
}
