package emulator

import (
	"fmt"
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// awsAccountHandlers serves the AWS account operations (docs/fidelity.md): the partner's own accounts, or with the client_api_id query
// parameter one customer's.
var awsAccountHandlers = map[string]handler{
	"createAwsAccount": (*Server).createAWSAccount,
	"listAwsAccounts":  (*Server).listAWSAccounts,
	"getAwsAccount":    (*Server).getAWSAccount,
	"updateAwsAccount": (*Server).updateAWSAccount,
	"deleteAwsAccount": (*Server).deleteAWSAccount,
}

// awsAccountJSON is an AWS account on the wire (aws-account-add.md's
// response, plus owner_id and is_govcloud).
type awsAccountJSON struct {
	ID                 int64              `json:"id"`
	Name               string             `json:"name"`
	OwnerID            *string            `json:"owner_id"`
	IsGovcloud         bool               `json:"is_govcloud"`
	Region             string             `json:"region"`
	PrimaryAWSRegion   string             `json:"primary_aws_region"`
	HidePublicFields   bool               `json:"hide_public_fields"`
	CreatedAt          string             `json:"created_at"`
	UpdatedAt          string             `json:"updated_at"`
	AccountType        string             `json:"account_type"`
	Status             accountStatusJSON  `json:"status"`
	Authentication     authenticationJSON `json:"authentication"`
	Billing            billingJSON        `json:"billing"`
	CostAndUsageReport *curJSON           `json:"cost_and_usage_report,omitempty"`
	CloudTrail         cloudTrailJSON     `json:"cloudtrail"`
	CloudWatch         cloudWatchJSON     `json:"cloudwatch"`
	Tags               []tagJSON          `json:"tags"`
	Links              linksJSON          `json:"_links"`
}

type accountStatusJSON struct {
	Level string `json:"level"`
}

type authenticationJSON struct {
	Protocol             string `json:"protocol"`
	AccessKey            string `json:"access_key,omitempty"`
	AssumeRoleARN        string `json:"assume_role_arn,omitempty"`
	AssumeRoleExternalID string `json:"assume_role_external_id,omitempty"`
}

type billingJSON struct {
	Bucket         string `json:"bucket,omitempty"`
	IsConsolidated bool   `json:"is_consolidated"`
}

type curJSON struct {
	Bucket string `json:"bucket"`
	Path   string `json:"path,omitempty"`
}

type cloudTrailJSON struct {
	Enabled bool   `json:"enabled"`
	Bucket  string `json:"bucket,omitempty"`
	Prefix  string `json:"prefix,omitempty"`
}

type cloudWatchJSON struct {
	Enabled    bool   `json:"enabled"`
	Namespaces string `json:"namespaces"`
	Runtime    int    `json:"runtime"`
}

// optional is s, or nil (JSON null) when it is empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// awsAccountPath is the path of an account; a customer's account carries
// the customer's client_api_id, without which the path does not find it.
func awsAccountPath(id int64, c *state.Customer) string {
	path := fmt.Sprintf("/v1/aws_accounts/%d", id)
	if c != nil {
		path += fmt.Sprintf("?client_api_id=%d", c.ClientAPIID)
	}
	return path
}

func toAWSAccountJSON(st *state.State, p *state.Partner, c *state.Customer, a *state.AWSAccount) awsAccountJSON {
	set := rules.EffectiveAWSAccountSettings(a)
	region := rules.RegionGlobal
	if a.IsGovcloud {
		region = rules.RegionGovcloud
	}
	out := awsAccountJSON{ID: a.ID, Name: a.Name, OwnerID: optional(a.OwnerID), IsGovcloud: a.IsGovcloud,
		Region: region, PrimaryAWSRegion: set.PrimaryAWSRegion, HidePublicFields: set.HidePublicFields,
		CreatedAt: fixture.Timestamp(a.CreatedAt), UpdatedAt: fixture.Timestamp(a.UpdatedAt),
		AccountType: set.AccountType, Status: accountStatusJSON{Level: set.StatusLevel},
		Authentication: authenticationJSON(set.Authentication),
		Billing:        billingJSON{Bucket: set.BillingBucket},
		CloudTrail:     cloudTrailJSON(set.CloudTrail), CloudWatch: cloudWatchJSON(set.CloudWatch),
		Tags: toTagsJSON(set.Tags), Links: selfLink(awsAccountPath(a.ID, c))}
	if c == nil && a.OwnerID != "" {
		out.Billing.IsConsolidated = len(st.FamilyMembers(p, a.OwnerID)) > 0
	}
	if set.CostAndUsageReport.Bucket != "" {
		cur := curJSON(set.CostAndUsageReport)
		out.CostAndUsageReport = &cur
	}
	return out
}

// accountOwner returns the customer named by the request's client_api_id
// query parameter (nil without one: the partner's own accounts), or a 404.
func accountOwner(st *state.State, p *state.Partner, rq *call) (*state.Customer, error) {
	q := rq.r.URL.Query()
	if !q.Has("client_api_id") {
		return nil, nil
	}
	return customerByClientAPIID(st, p, q.Get("client_api_id"))
}

// ownedAccount returns the account with the id when it belongs to the
// partner (c nil) or to customer c, or a 404.
func ownedAccount(st *state.State, p *state.Partner, c *state.Customer, id int64) (*state.AWSAccount, error) {
	a, ok := st.AWSAccount(id)
	if !ok || a.PartnerID != p.ID {
		return nil, notFound()
	}
	if (c == nil && a.CustomerID != 0) || (c != nil && a.CustomerID != c.ID) {
		return nil, notFound()
	}
	return a, nil
}

// createAWSAccount: POST /v1/aws_accounts -> 201 with Location.
func (s *Server) createAWSAccount(rq *call) {
	find := func(st *state.State, p *state.Partner) (*state.Customer, error) { return accountOwner(st, p, rq) }
	serveChange(s, rq, http.StatusCreated, exists(find), func(st *state.State, p *state.Partner, req rules.AWSAccountFields) (awsAccountJSON, error) {
		c, err := find(st, p)
		if err != nil {
			return awsAccountJSON{}, err
		}
		next, errs := rules.CheckAWSAccount(st, p, c, nil, req)
		if len(errs) > 0 {
			return awsAccountJSON{}, unprocessable(errs...)
		}
		now := s.now()
		next.CreatedAt, next.UpdatedAt = now, now
		st.AddAWSAccount(p, &next)
		return toAWSAccountJSON(st, p, c, &next), nil
	}, func(a awsAccountJSON) string { return a.Links.Self.Href })
}

// listAWSAccounts: GET /v1/aws_accounts, paged.
func (s *Server) listAWSAccounts(rq *call) {
	servePage(s, rq, "aws_accounts", func(st *state.State, p *state.Partner, pg page) (int, []awsAccountJSON, error) {
		c, err := accountOwner(st, p, rq)
		if err != nil {
			return 0, nil, err
		}
		total, accounts := st.PartnerAccountCount(p), st.PartnerAccountsPage(p, pg.offset(), pg.perPage)
		if c != nil {
			total, accounts = st.CustomerAccountCount(c), st.CustomerAccountsPage(c, pg.offset(), pg.perPage)
		}
		var out []awsAccountJSON
		for _, a := range accounts {
			out = append(out, toAWSAccountJSON(st, p, c, a))
		}
		return total, out, nil
	})
}

// getAWSAccount: GET /v1/aws_accounts/{id}.
func (s *Server) getAWSAccount(rq *call) {
	serveRead(s, rq, func(st *state.State, p *state.Partner) (awsAccountJSON, error) {
		c, err := accountOwner(st, p, rq)
		if err != nil {
			return awsAccountJSON{}, err
		}
		a, err := ownedAccount(st, p, c, rq.pathID("id"))
		if err != nil {
			return awsAccountJSON{}, err
		}
		return toAWSAccountJSON(st, p, c, a), nil
	})
}

// updateAWSAccount: PUT /v1/aws_accounts/{id} with any subset of the
// fields -> 200; updated_at moves only when something changed.
func (s *Server) updateAWSAccount(rq *call) {
	type target struct {
		c *state.Customer
		a *state.AWSAccount
	}
	find := func(st *state.State, p *state.Partner) (target, error) {
		c, err := accountOwner(st, p, rq)
		if err != nil {
			return target{}, err
		}
		a, err := ownedAccount(st, p, c, rq.pathID("id"))
		return target{c, a}, err
	}
	serveChange(s, rq, http.StatusOK, exists(find), func(st *state.State, p *state.Partner, req rules.AWSAccountFields) (awsAccountJSON, error) {
		t, err := find(st, p)
		if err != nil {
			return awsAccountJSON{}, err
		}
		next, errs := rules.CheckAWSAccount(st, p, t.c, t.a, req)
		if len(errs) > 0 {
			return awsAccountJSON{}, unprocessable(errs...)
		}
		st.UpdateAWSAccount(t.a, next, s.now())
		return toAWSAccountJSON(st, p, t.c, t.a), nil
	}, nil)
}

// deleteAWSAccount: DELETE /v1/aws_accounts/{id} -> 204, unless an
// assignment, a billing family of assigned accounts or a GovCloud linkage
// uses the account (422).
func (s *Server) deleteAWSAccount(rq *call) {
	serveNoContent(s, rq, func(st *state.State, p *state.Partner) error {
		c, err := accountOwner(st, p, rq)
		if err != nil {
			return err
		}
		a, err := ownedAccount(st, p, c, rq.pathID("id"))
		if err != nil {
			return err
		}
		if errs := rules.CheckAWSAccountDelete(st, p, a); len(errs) > 0 {
			return unprocessable(errs...)
		}
		st.DeleteAWSAccount(a)
		return nil
	})
}
