package emulator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"

	"github.com/stretchr/testify/assert"
)

// The soak's version 2 side: blocks of every type created for customers 4-6
// on the owner ids version 1 assigns to customers 1-6, their payers moved,
// their members deleted (docs/fidelity.md, "Version 2 assignments").

const (
	// soakFamilies is how many small billing families partner 1 has, each a
	// head and soakFamilyMembers members: Family blocks take one whole.
	soakFamilies      = 6
	soakFamilyMembers = 2
)

// soakV2Targets are the customers (by id) version 2 creates aim at; 4 is
// also a version 1 customer until the first of them succeeds.
var soakV2Targets = []int64{4, 5, 6}

// soakBlockTypes are the three billing block types.
var soakBlockTypes = []string{"Standalone", "Consolidated", "Family"}

func soakFamilyHead(f int) string      { return fmt.Sprintf("6666666666%02d", f) }
func soakFamilyMember(f, m int) string { return fmt.Sprintf("6666666667%d%d", f, m) }

// soakRandOwner is one of the owner ids both versions aim at: mostly of the
// two large families, now and then a member of a small one (rarely enough
// that Family blocks still find whole families free).
func soakRandOwner(rng *rand.Rand) string {
	if rng.IntN(20) == 0 {
		return soakFamilyMember(rng.IntN(soakFamilies), rng.IntN(soakFamilyMembers))
	}
	return soakOwner(rng.IntN(soakOwners))
}

// soakBlock is a named Consolidated block a worker created.
type soakBlock struct {
	target int64 // the customer's id
	name   string
	owners []string
}

// soakV2Item is an item of a version 2 answer.
type soakV2Item struct {
	ID                int64  `json:"id"`
	TargetClientAPIID int64  `json:"target_client_api_id"`
	BillingBlockType  string `json:"billing_block_type"`
	BillingBlockName  string `json:"billing_block_name"`
}

// soakV2 does one version 2 operation, chosen by op (0-39): a create (a
// block of a random type), a delete of a random id, a payer move of one of
// the worker's Consolidated blocks, or a list of one customer's assignments.
func soakV2(c *soakClient, log *soakLog, rng *rand.Rand, maxID *soakMax, op int, name string) {
	target := soakV2Targets[rng.IntN(len(soakV2Targets))]
	switch {
	case op < 20:
		soakCreateBlock(c, log, rng, maxID, target, name)
	case op < 29:
		id := 1 + rng.Int64N(maxID.assignment.Load()+3)
		status, _, body, ok := c.send(http.MethodDelete, fmt.Sprintf("/v2/aws_account_assignments/%d", id), demoKey, "")
		if ok && c.expect(log, "v2 delete", status, body, http.StatusOK, http.StatusBadRequest, http.StatusNotFound) &&
			status == http.StatusOK {
			log.deleted = append(log.deleted, id)
			log.v2Deleted++
		}
	case op < 35:
		if len(log.blocks) == 0 {
			return
		}
		b := log.blocks[rng.IntN(len(log.blocks))]
		status, _, body, ok := c.send(http.MethodPut, fmt.Sprintf("/v2/aws_account_assignments/%d", 10000+b.target), demoKey,
			fmt.Sprintf(`{"billing_block_name": %q, "payer_account_owner_id": %q}`, b.name, b.owners[rng.IntN(len(b.owners))]))
		// 422 once the block, or the chosen member, was deleted.
		if ok {
			c.expect(log, "v2 payer move", status, body, http.StatusOK, http.StatusUnprocessableEntity)
		}
	default:
		status, _, body, ok := c.send(http.MethodGet, fmt.Sprintf("/v2/aws_account_assignments?target_client_api_id=%d&per_page=100", 10000+target), demoKey, "")
		if !ok || !c.expect(log, "v2 list", status, body, http.StatusOK) {
			return
		}
		var page struct {
			Items []soakV2Item `json:"aws_account_assignments"`
		}
		if assert.NoError(c.t, json.Unmarshal(body, &page)) {
			for _, it := range page.Items {
				assert.Equal(c.t, 10000+target, it.TargetClientAPIID, "assignment %d listed for the wrong customer", it.ID)
			}
		}
	}
}

// soakCreateBlock creates a block of a random type for the target customer:
// Standalone of one or two random owner ids, Consolidated of two members of
// family 888888888888 (named, so that its payer can move), or a
// Family of a small family's head (or, rarely, of 888888888888's).
func soakCreateBlock(c *soakClient, log *soakLog, rng *rand.Rand, maxID *soakMax, target int64, name string) {
	typ := soakBlockTypes[rng.IntN(len(soakBlockTypes))]
	item := map[string]any{"target_client_api_id": 10000 + target, "billing_block_type": typ}
	var owners []string
	switch typ {
	case "Standalone":
		for range 1 + rng.IntN(2) {
			owners = append(owners, soakRandOwner(rng))
		}
		item["owner_id"] = owners
	case "Consolidated":
		owners = []string{soakOwner(40 + rng.IntN(10)), soakOwner(40 + rng.IntN(10))}
		item["owner_id"], item["payer_account_owner_id"], item["billing_block_name"] = owners, owners[0], name
	default:
		head := soakFamilyHead(rng.IntN(soakFamilies))
		if rng.IntN(8) == 0 {
			head = "888888888888"
		}
		item["owner_id"] = head
	}
	data, err := json.Marshal(map[string]any{"aws_account_assignments": []any{item}})
	if !assert.NoError(c.t, err) {
		return
	}
	status, _, body, ok := c.send(http.MethodPost, "/v2/aws_account_assignments", demoKey, string(data))
	if !ok || !c.expect(log, "v2 create "+typ, status, body, http.StatusOK, http.StatusUnprocessableEntity) || status != http.StatusOK {
		return
	}
	var answer struct {
		Items []soakV2Item `json:"aws_account_assignments"`
	}
	if !assert.NoError(c.t, json.Unmarshal(body, &answer)) || !assert.NotEmpty(c.t, answer.Items) {
		return
	}
	maxID.v2[target].Store(true)
	for _, it := range answer.Items {
		assert.Equal(c.t, 10000+target, it.TargetClientAPIID, "created for the wrong customer: %s", body)
		assert.Equal(c.t, typ, it.BillingBlockType, "created of the wrong type: %s", body)
		log.created = append(log.created, it.ID)
		log.v2Created++
		maxID.v2IDs.Store(it.ID, struct{}{})
		raise(&maxID.assignment, it.ID)
	}
	if typ == "Consolidated" {
		log.blocks = append(log.blocks, soakBlock{target: target, name: name, owners: owners})
	}
}

// soakV2Request is a random version 2 write for soakRequest: a Standalone
// block of one or two owner ids, or a delete.
func soakV2Request(rng *rand.Rand, customer, id int) (method, path, body string) {
	if rng.IntN(2) == 0 {
		return http.MethodDelete, "/v2/aws_account_assignments/" + strconv.Itoa(id), ""
	}
	return http.MethodPost, "/v2/aws_account_assignments", fmt.Sprintf(
		`{"aws_account_assignments": [{"target_client_api_id": %d, "billing_block_type": "Standalone", "owner_id": [%q, %q]}]}`,
		10000+customer, soakRandOwner(rng), soakRandOwner(rng))
}
