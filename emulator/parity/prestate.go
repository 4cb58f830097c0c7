package parity

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// ReplayKey is the API key of the partner the pre-state document builds.
const ReplayKey = "parity-replay-key"

// PreState builds the fixture document of the account a recording started
// on, from its sweep (the interactions marked SweepTest): one partner (key
// ReplayKey) with the customers, their AWS accounts, assignments, Azure
// assignments and GovCloud linkages, and the partner's AWS accounts and Azure
// partner customer accounts, all with their recorded ids and timestamps.
// Redacted values are left out (the emulator then makes its own).
//
// The API does not show which consolidated billing family a partner AWS
// account belongs to; PreState takes it from the sweep's assignments (an
// assignment whose payer is not its own owner id) and from families (owner id
// to payer owner id), which a caller can give for the others.
func PreState(interactions []*Interaction, families map[string]string) (doc *fixture.Document, notes []string, err error) {
	partner := fixture.Partner{Name: "recorded partner", APIKeys: []string{ReplayKey}}
	customers := map[int64]*fixture.Customer{}
	byClientAPIID := map[int64]*fixture.Customer{}
	var order []int64
	var assignments []recordedAssignment
	type pending struct {
		clientAPIID int64
		path        string
		body        string
	}
	var perCustomer []pending
	seenAccount := map[int64]bool{}
	consolidated := map[int64]bool{}
	for _, i := range interactions {
		if i.Request.Headers.Get(HeaderTest) != SweepTest || i.Response.Code != 200 {
			continue
		}
		u, err := url.Parse(i.Request.URL)
		if err != nil {
			return nil, nil, fmt.Errorf("sweep request %d: %w", i.ID, err)
		}
		path := strings.TrimSuffix(u.Path, "/")
		q := u.Query()
		body := i.Response.Body
		switch {
		case path == "/v1/customers":
			var list struct {
				Customers []fixture.Customer `json:"customers"`
			}
			if err := json.Unmarshal([]byte(body), &list); err != nil {
				return nil, nil, fmt.Errorf("sweep %s: %w", path, err)
			}
			for _, c := range list.Customers {
				if customers[c.ID] != nil {
					continue
				}
				c := c
				c.GeneratedExternalID = ""
				customers[c.ID] = &c
				order = append(order, c.ID)
				if c.ClientAPIID != 0 {
					byClientAPIID[c.ClientAPIID] = &c
				}
			}
		case path == "/v1/aws_accounts" && q.Get("client_api_id") == "":
			accounts, err := decodeAccounts(body, consolidated)
			if err != nil {
				return nil, nil, fmt.Errorf("sweep %s: %w", path, err)
			}
			for _, a := range accounts {
				if !seenAccount[a.ID] {
					seenAccount[a.ID] = true
					partner.AWSAccounts = append(partner.AWSAccounts, a)
				}
			}
		case path == "/v1/aws_account_assignments":
			var list struct {
				Items []recordedAssignment `json:"aws_account_assignments"`
			}
			if err := json.Unmarshal([]byte(body), &list); err != nil {
				return nil, nil, fmt.Errorf("sweep %s: %w", path, err)
			}
			assignments = append(assignments, list.Items...)
		case path == "/v1/azure_partner_customer_accounts/list":
			// Assigned accounts only; the others are found below.
		default:
			id, err := strconv.ParseInt(q.Get("client_api_id"), 10, 64)
			if rest, ok := strings.CutPrefix(path, "/v1/azure_partner_customer_accounts/list/"); ok {
				id, err = strconv.ParseInt(rest, 10, 64)
			}
			if err == nil {
				perCustomer = append(perCustomer, pending{id, path, body})
			}
		}
	}
	for _, p := range perCustomer {
		c := byClientAPIID[p.clientAPIID]
		if c == nil {
			continue
		}
		switch {
		case p.path == "/v1/aws_accounts":
			accounts, err := decodeAccounts(p.body, nil)
			if err != nil {
				return nil, nil, fmt.Errorf("sweep %s: %w", p.path, err)
			}
			c.AWSAccounts = append(c.AWSAccounts, accounts...)
		case strings.HasPrefix(p.path, "/v1/azure_partner_customer_accounts/list/"):
			var list struct {
				Items []struct {
					Account fixture.AzureAccount `json:"azure_partner_customer_account"`
				} `json:"azure_partner_customer_accounts"`
			}
			if err := json.Unmarshal([]byte(p.body), &list); err != nil {
				return nil, nil, fmt.Errorf("sweep %s: %w", p.path, err)
			}
			for _, item := range list.Items {
				c.AzureCustomerIDs = append(c.AzureCustomerIDs, item.Account.AzureCustomerID)
			}
		case p.path == "/api/v1/govcloud_linkages":
			var list []struct {
				ID             int64  `json:"id"`
				GovcloudAcct   int64  `json:"govcloud_acct"`
				CommercialAcct int64  `json:"commercial_acct"`
				CreatedAt      string `json:"created_at"`
				UpdatedAt      string `json:"updated_at"`
			}
			if err := json.Unmarshal([]byte(p.body), &list); err != nil {
				return nil, nil, fmt.Errorf("sweep %s: %w", p.path, err)
			}
			for _, l := range list {
				c.GovcloudLinkages = append(c.GovcloudLinkages, fixture.Linkage{ID: l.ID, GovcloudAcctID: l.GovcloudAcct, CommercialAcctID: l.CommercialAcct, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt})
			}
		}
	}
	partner.AzurePartnerCustomerAccounts = azureAccounts(interactions)
	for _, a := range assignments {
		if c := customers[a.CustomerID]; c != nil {
			c.AWSAccountAssignments = append(c.AWSAccountAssignments, a.Assignment)
		}
	}
	notes = append(notes, billingFamilies(&partner, assignments, families, consolidated)...)
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	for _, id := range order {
		partner.Customers = append(partner.Customers, *customers[id])
	}
	if len(order) == 0 && len(partner.AWSAccounts) == 0 {
		return nil, nil, fmt.Errorf("the cassettes hold no sweep of the account (requests marked %s: %s): record with the contract suite, or call Sweep first", HeaderTest, SweepTest)
	}
	return &fixture.Document{Partners: []fixture.Partner{partner}}, notes, nil
}

// decodeAccounts reads a list of AWS accounts into fixture accounts: their
// status level, and no redacted secret; consolidated, when not nil, gets the
// ids of those the API shows as consolidated.
func decodeAccounts(body string, consolidated map[int64]bool) ([]fixture.AWSAccount, error) {
	var list struct {
		Items []json.RawMessage `json:"aws_accounts"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		return nil, err
	}
	out := make([]fixture.AWSAccount, 0, len(list.Items))
	for _, raw := range list.Items {
		var a fixture.AWSAccount
		var extra struct {
			Status struct {
				Level string `json:"level"`
			} `json:"status"`
			Billing struct {
				IsConsolidated bool `json:"is_consolidated"`
			} `json:"billing"`
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, err
		}
		_ = json.Unmarshal(raw, &extra)
		a.StatusLevel = extra.Status.Level
		if extra.Billing.IsConsolidated && consolidated != nil {
			consolidated[a.ID] = true
		}
		if auth := a.Authentication; auth != nil {
			if auth.AccessKey == Redacted {
				auth.AccessKey = ""
			}
			if auth.AssumeRoleExternalID == Redacted {
				// Redacted: any value shows it is set (both sides
				// compare redacted).
				auth.AssumeRoleExternalID = "parity-redacted"
			}
		}
		out = append(out, a)
	}
	return out, nil
}
