package emulator

import "net/http"

// azureHandlers serves the Azure partner customer account assignment
// operations (BEHAVIOR.md section 3).
func (s *Server) azureHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{}
}
