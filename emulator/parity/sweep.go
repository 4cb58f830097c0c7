package parity

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// sweepPerPage is the page size of the sweep's paged lists (the API's
// largest).
const sweepPerPage = 100

// Sweep reads the account's lists through client, each request marked as the
// sweep (WithTest(SweepTest)), so that a recording starts with the account's
// pre-state: every customer; the partner's AWS accounts, AWS account
// assignments and Azure partner customer accounts; and, for each customer
// with a client_api_id, its AWS accounts, Azure assignments and GovCloud
// linkages. baseURL has no trailing slash. It stops at the first failure.
func Sweep(client *http.Client, baseURL, apiKey string) error {
	get := func(path string) ([]byte, http.Header, error) {
		req, err := http.NewRequest(http.MethodGet, baseURL+path, nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+apiKey)
		resp, err := client.Do(WithTest(req, SweepTest))
		if err != nil {
			return nil, nil, fmt.Errorf("sweep: GET %s: %w", path, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, nil, fmt.Errorf("sweep: GET %s: %w", path, err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, nil, fmt.Errorf("sweep: GET %s answered %d: %s", path, resp.StatusCode, body)
		}
		return body, resp.Header, nil
	}
	pages := func(path, key string, each func(json.RawMessage)) error {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		for page := 1; ; page++ {
			body, _, err := get(fmt.Sprintf("%s%spage=%d&per_page=%d", path, sep, page, sweepPerPage))
			if err != nil {
				return err
			}
			var list map[string][]json.RawMessage
			if err := json.Unmarshal(body, &list); err != nil {
				return fmt.Errorf("sweep: GET %s: %w", path, err)
			}
			for _, item := range list[key] {
				each(item)
			}
			if len(list[key]) < sweepPerPage {
				return nil
			}
		}
	}
	var clientAPIIDs []int64
	err := pages("/v1/customers", "customers", func(item json.RawMessage) {
		var c struct {
			ClientAPIID *int64 `json:"client_api_id"`
		}
		if json.Unmarshal(item, &c) == nil && c.ClientAPIID != nil {
			clientAPIIDs = append(clientAPIIDs, *c.ClientAPIID)
		}
	})
	if err != nil {
		return err
	}
	if err := pages("/v1/aws_accounts", "aws_accounts", func(json.RawMessage) {}); err != nil {
		return err
	}
	if err := pages("/v1/aws_account_assignments", "aws_account_assignments", func(json.RawMessage) {}); err != nil {
		return err
	}
	if _, _, err := get("/v1/azure_partner_customer_accounts/list"); err != nil {
		return err
	}
	for _, id := range clientAPIIDs {
		cid := strconv.FormatInt(id, 10)
		if err := pages("/v1/aws_accounts?client_api_id="+cid, "aws_accounts", func(json.RawMessage) {}); err != nil {
			return err
		}
		if _, _, err := get("/v1/azure_partner_customer_accounts/list/" + cid); err != nil {
			return err
		}
		if _, _, err := get("/api/v1/govcloud_linkages?client_api_id=" + cid); err != nil {
			return err
		}
	}
	return nil
}
