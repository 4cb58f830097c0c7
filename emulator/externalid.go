package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// externalIDHandlers serves the external id operation (docs/fidelity.md,
// "External id").
var externalIDHandlers = map[string]handler{
	"generateExternalId": (*Server).generateExternalID,
}

// externalIDJSON is the answer of GET /v1/aws_accounts/{id}/generate_external_id.
type externalIDJSON struct {
	GeneratedExternalID string `json:"generated_external_id"`
}

// partnerExternalID is the partner's own external id: the one the fixtures
// give it, else one derived from its id (12 hex digits, stable across runs).
func partnerExternalID(p *state.Partner) string {
	if p.GeneratedExternalID != "" {
		return p.GeneratedExternalID
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("cloudhealth-emulator partner %d", p.ID)))
	return hex.EncodeToString(sum[:6])
}

// generateExternalID: GET /v1/aws_accounts/{id}/generate_external_id. The
// {id} segment is not looked up. With client_api_id, that customer's
// generated_external_id (the partner's when it has none); else the partner's.
func (s *Server) generateExternalID(rq *call) {
	serveRead(s, rq, func(st *state.State, p *state.Partner) (externalIDJSON, error) {
		raw := rq.query("client_api_id")
		if raw == "" {
			return externalIDJSON{partnerExternalID(p)}, nil
		}
		c, err := customerByClientAPIID(st, p, raw)
		if err != nil {
			return externalIDJSON{}, err
		}
		if c.GeneratedExternalID != "" {
			return externalIDJSON{c.GeneratedExternalID}, nil
		}
		return externalIDJSON{partnerExternalID(p)}, nil
	})
}
