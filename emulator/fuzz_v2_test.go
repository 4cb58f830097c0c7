package emulator

import (
	"net/http"
	"testing"
)

// Fuzz targets of the version 2 bodies: whatever the body, the answer is
// JSON of openapi.yaml, never a 5xx, and a refusal changes nothing.

var blockSeeds = []string{
	`{"aws_account_assignments": [{"target_client_api_id": 7, "billing_block_name": "b1", "billing_block_type": "Family", "owner_id": "300000000101"}]}`,
	`{"aws_account_assignments": [{"target_client_api_id": "8", "billing_block_type": "Consolidated", "owner_id": ["300000000102", "300000000103"], "payer_account_owner_id": "300000000102"}]}`,
	`{"aws_account_assignments": [{"target_client_api_id": 8, "billing_block_type": "Standalone", "owner_id": "300000000104,300000000104"}]}`,
	`{"aws_account_assignments": [{"target_client_api_id": 6, "billing_block_type": "Family", "owner_id": "300000000106", "billing_block_name": "family block"}]}`,
	`{"aws_account_assignments": [{}, {"target_client_api_id": 99999999999999999999}]}`,
	`{"aws_account_assignments": [{"owner_id": [1]}]}`,
	`{"aws_account_assignments": []}`,
	`[]`,
}

var blockPayerSeeds = []string{
	`{"billing_block_name": "consolidated block", "payer_account_owner_id": "300000000012"}`,
	`{"billing_block_name": "family block", "payer_account_owner_id": "300000000002"}`,
	`{"billing_block_name": "", "payer_account_owner_id": ""}`,
	`{"billing_block_name": null}`,
	`{}`,
}

// v2CreateRefused: a 4xx (a 422 of either form); nothing may change then.
func v2CreateRefused(r response) bool { return r.Status >= 400 }

func FuzzCreateBlocks(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: fixedPath("/v2/aws_account_assignments"), refused: v2CreateRefused}, blockSeeds...)
}

func FuzzUpdateBlockPayer(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v2/aws_account_assignments/%d", 6, 7, 10001, 20001, 99999)}, blockPayerSeeds...)
}
