package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// Authentication protocols, regions and primary regions of AWS accounts
// (aws-account-add.md).
const (
	ProtocolAssumeRole = "assume_role"
	ProtocolAccessKey  = "access_key"
	RegionGlobal       = "global"
	RegionGovcloud     = "govcloud"
	regionUSEast1      = "us-east-1"
	regionEUCentral1   = "eu-central-1"
	regionUSGovWest1   = "us-gov-west-1"
)

// roleARN is a well-formed IAM role ARN; its fifth field is the 12-digit AWS
// account id, which becomes the account's owner_id.
var roleARN = regexp.MustCompile(`^arn:aws(?:-us-gov|-cn)?:iam::([0-9]{12}):role/[A-Za-z0-9+=,.@_/-]+$`)

// OwnerIDOfRoleARN returns the 12-digit AWS account id of a well-formed IAM
// role ARN.
func OwnerIDOfRoleARN(arn string) (string, bool) {
	m := roleARN.FindStringSubmatch(arn)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// AWSAccountFields are the fields of an AWS account create or update
// request; nil means the request did not send the field.
type AWSAccountFields struct {
	Name               *string               `json:"name"`
	Authentication     *AuthenticationFields `json:"authentication"`
	Billing            *BillingFields        `json:"billing"`
	CostAndUsageReport *CURFields            `json:"cost_and_usage_report"`
	CloudTrail         *CloudTrailFields     `json:"cloudtrail"`
	CloudWatch         *CloudWatchFields     `json:"cloudwatch"`
	Tags               *[]state.Tag          `json:"tags"`
	HidePublicFields   *bool                 `json:"hide_public_fields"`
	Region             *string               `json:"region"`
	IsGovcloud         *bool                 `json:"is_govcloud"`
	PrimaryAWSRegion   *string               `json:"primary_aws_region"`
}

// AuthenticationFields are the sub-fields of authentication.
type AuthenticationFields struct {
	Protocol             *string `json:"protocol"`
	AccessKey            *string `json:"access_key"`
	SecretKey            *string `json:"secret_key"`
	AssumeRoleARN        *string `json:"assume_role_arn"`
	AssumeRoleExternalID *string `json:"assume_role_external_id"`
}

// BillingFields are the sub-fields of billing.
type BillingFields struct {
	Bucket *string `json:"bucket"`
}

// CURFields are the sub-fields of cost_and_usage_report.
type CURFields struct {
	Bucket *string `json:"bucket"`
	Path   *string `json:"path"`
}

// CloudTrailFields are the sub-fields of cloudtrail.
type CloudTrailFields struct {
	Enabled *bool   `json:"enabled"`
	Bucket  *string `json:"bucket"`
	Prefix  *string `json:"prefix"`
}

// CloudWatchFields are the sub-fields of cloudwatch.
type CloudWatchFields struct {
	Enabled    *bool   `json:"enabled"`
	Namespaces *string `json:"namespaces"`
	Runtime    *int    `json:"runtime"`
}

// DefaultAWSAccountSettings are the settings of an account that was never
// configured through the AWS account endpoints (a fixture account that names
// none, or an account an assignment created), and the starting point of a
// create: CloudWatch on every hour, the default primary region, an
// assume_role authentication naming the owner's CloudHealth role when the
// owner id is known.
func DefaultAWSAccountSettings(ownerID string, isGovcloud bool) state.AWSAccountSettings {
	s := state.AWSAccountSettings{
		CloudWatch:       state.CloudWatch{Enabled: true, Runtime: 1},
		PrimaryAWSRegion: regionUSEast1,
		AccountType:      "Unknown",
		StatusLevel:      "unknown",
		Tags:             []state.Tag{},
	}
	partition := "aws"
	if isGovcloud {
		s.PrimaryAWSRegion, partition = regionUSGovWest1, "aws-us-gov"
	}
	if ownerID != "" {
		s.Authentication = state.Authentication{Protocol: ProtocolAssumeRole,
			AssumeRoleARN:        fmt.Sprintf("arn:%s:iam::%s:role/CloudHealth", partition, ownerID),
			AssumeRoleExternalID: "cloudhealth-emulator"}
	} else {
		s.Authentication = state.Authentication{Protocol: ProtocolAccessKey}
	}
	return s
}

// Unconfigured reports whether settings are the zero value: the account was
// never given settings, and shows DefaultAWSAccountSettings.
func Unconfigured(s state.AWSAccountSettings) bool {
	return s.Authentication.Protocol == "" && s.PrimaryAWSRegion == "" && s.AccountType == "" && s.StatusLevel == ""
}

// EffectiveAWSAccountSettings returns the settings the API shows for a.
func EffectiveAWSAccountSettings(a *state.AWSAccount) state.AWSAccountSettings {
	s := a.SettingsValue()
	if Unconfigured(s) {
		return DefaultAWSAccountSettings(a.OwnerID, a.IsGovcloud)
	}
	if s.Tags == nil {
		s.Tags = []state.Tag{}
	}
	return s
}

// CheckAWSAccount checks a create (current nil) or a partial update of
// current, an account of partner p or (c not nil) of customer c
// (docs/fidelity.md), and returns the account as it would be after the
// change with every failure. The owner id comes from the role ARN; an
// access_key account keeps the owner id it has (none on create). Sub-objects
// are merged field by field, except authentication, which is replaced whole.
func CheckAWSAccount(st *state.State, p *state.Partner, c *state.Customer, current *state.AWSAccount, in AWSAccountFields) (state.AWSAccount, []string) {
	next := state.AWSAccount{PartnerID: p.ID}
	if c != nil {
		next.CustomerID = c.ID
	}
	// next gets its own settings, a copy: the current ones are never
	// changed in place (the undo log keeps the pointer, and a clone shares
	// them).
	var settings state.AWSAccountSettings
	if current != nil {
		next = *current
		settings = EffectiveAWSAccountSettings(current)
	} else {
		settings = DefaultAWSAccountSettings("", false)
		settings.Authentication = state.Authentication{}
	}
	next.Settings = &settings
	errs := awsAccountTexts(in)
	if in.Name != nil {
		next.Name = *in.Name
	}
	if Blank(next.Name) {
		errs = append(errs, "name is required")
	}
	if current == nil && in.Authentication == nil {
		errs = append(errs, "authentication is required")
	}
	// An update that sends the authentication the account already shows (a
	// PUT of a GET: the secret key is never shown, and an account without
	// an owner id shows access_key without a key) leaves it unchecked.
	if in.Authentication != nil && !(current != nil && sameAuthentication(*in.Authentication, next.Settings.Authentication)) {
		auth, owner, aerrs := checkAuthentication(*in.Authentication, current == nil)
		errs = append(errs, aerrs...)
		next.Settings.Authentication = auth
		if owner != "" {
			next.OwnerID = owner
		}
	}
	errs = append(errs, checkRegion(&next, in)...)
	errs = append(errs, mergeSettings(next.Settings, in)...)
	errs = append(errs, ownerChange(st, p, c, current, next)...)
	return next, errs
}

// sameAuthentication reports whether the request's authentication is the
// shown one: the same protocol, key, role and external id, and no secret key.
func sameAuthentication(in AuthenticationFields, shown state.Authentication) bool {
	get := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return get(in.SecretKey) == "" && state.Authentication{Protocol: get(in.Protocol), AccessKey: get(in.AccessKey),
		AssumeRoleARN: get(in.AssumeRoleARN), AssumeRoleExternalID: get(in.AssumeRoleExternalID)} == shown
}

func checkAuthentication(in AuthenticationFields, create bool) (state.Authentication, string, []string) {
	get := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	auth := state.Authentication{Protocol: get(in.Protocol), AccessKey: get(in.AccessKey),
		AssumeRoleARN: get(in.AssumeRoleARN), AssumeRoleExternalID: get(in.AssumeRoleExternalID)}
	var errs []string
	var owner string
	switch auth.Protocol {
	case ProtocolAssumeRole:
		var ok bool
		if owner, ok = OwnerIDOfRoleARN(auth.AssumeRoleARN); !ok {
			errs = append(errs, fmt.Sprintf("authentication.assume_role_arn %q is not an IAM role ARN (arn:aws:iam::<12-digit account id>:role/<name>)", auth.AssumeRoleARN))
		}
		if Blank(auth.AssumeRoleExternalID) {
			errs = append(errs, "authentication.assume_role_external_id is required with protocol assume_role")
		}
		auth.AccessKey = ""
	case ProtocolAccessKey:
		if Blank(auth.AccessKey) {
			errs = append(errs, "authentication.access_key is required with protocol access_key")
		}
		if create && strings.TrimSpace(get(in.SecretKey)) == "" {
			errs = append(errs, "authentication.secret_key is required with protocol access_key")
		}
		auth.AssumeRoleARN, auth.AssumeRoleExternalID = "", ""
	default:
		errs = append(errs, fmt.Sprintf("authentication.protocol %q is neither %s nor %s", auth.Protocol, ProtocolAssumeRole, ProtocolAccessKey))
	}
	return auth, owner, errs
}

// checkRegion: region and is_govcloud agree, and the primary region fits
// the account's kind (ownerChange keeps a linked account's kind).
func checkRegion(next *state.AWSAccount, in AWSAccountFields) []string {
	var errs []string
	if in.Region != nil {
		switch *in.Region {
		case RegionGlobal, RegionGovcloud:
			next.IsGovcloud = *in.Region == RegionGovcloud
		default:
			errs = append(errs, fmt.Sprintf("region %q is neither %s nor %s", *in.Region, RegionGlobal, RegionGovcloud))
		}
	}
	if in.IsGovcloud != nil {
		if in.Region != nil && (*in.Region == RegionGovcloud) != *in.IsGovcloud {
			errs = append(errs, fmt.Sprintf("region %q and is_govcloud %t disagree", *in.Region, *in.IsGovcloud))
		}
		next.IsGovcloud = *in.IsGovcloud
	}
	primary := next.Settings.PrimaryAWSRegion
	if in.PrimaryAWSRegion != nil {
		primary = *in.PrimaryAWSRegion
	} else if next.IsGovcloud != (primary == regionUSGovWest1) {
		// The kind changed and the client named no primary region: the
		// kind's default.
		primary = DefaultAWSAccountSettings("", next.IsGovcloud).PrimaryAWSRegion
	}
	next.Settings.PrimaryAWSRegion = primary
	switch {
	case next.IsGovcloud && primary != regionUSGovWest1:
		errs = append(errs, fmt.Sprintf("primary_aws_region %q: a GovCloud account's primary region is %s", primary, regionUSGovWest1))
	case !next.IsGovcloud && primary != regionUSEast1 && primary != regionEUCentral1:
		errs = append(errs, fmt.Sprintf("primary_aws_region %q is neither %s nor %s", primary, regionUSEast1, regionEUCentral1))
	}
	return errs
}

var cloudWatchNamespaces = map[string]bool{"CWAgent": true, "System/Linux": true, "System/Windows": true}

// mergeSettings merges the sent sub-objects into s and checks them.
func mergeSettings(s *state.AWSAccountSettings, in AWSAccountFields) []string {
	var errs []string
	if in.Billing != nil && in.Billing.Bucket != nil {
		if Blank(*in.Billing.Bucket) {
			errs = append(errs, "billing.bucket must not be blank")
		}
		s.BillingBucket = *in.Billing.Bucket
	}
	if cur := in.CostAndUsageReport; cur != nil {
		setString(&s.CostAndUsageReport.Bucket, cur.Bucket)
		setString(&s.CostAndUsageReport.Path, cur.Path)
		if Blank(s.CostAndUsageReport.Bucket) {
			errs = append(errs, "cost_and_usage_report.bucket is required")
		}
	}
	if ct := in.CloudTrail; ct != nil {
		if ct.Enabled != nil {
			s.CloudTrail.Enabled = *ct.Enabled
		}
		setString(&s.CloudTrail.Bucket, ct.Bucket)
		setString(&s.CloudTrail.Prefix, ct.Prefix)
		if s.CloudTrail.Enabled && Blank(s.CloudTrail.Bucket) {
			errs = append(errs, "cloudtrail.bucket is required when cloudtrail.enabled is true")
		}
	}
	if cw := in.CloudWatch; cw != nil {
		if cw.Enabled != nil {
			s.CloudWatch.Enabled = *cw.Enabled
		}
		setString(&s.CloudWatch.Namespaces, cw.Namespaces)
		if cw.Runtime != nil {
			s.CloudWatch.Runtime = *cw.Runtime
		}
		if s.CloudWatch.Runtime != 1 && s.CloudWatch.Runtime != 24 {
			errs = append(errs, fmt.Sprintf("cloudwatch.runtime %d is neither 1 nor 24", s.CloudWatch.Runtime))
		}
		if s.CloudWatch.Namespaces != "" {
			for _, ns := range strings.Split(s.CloudWatch.Namespaces, ",") {
				if !cloudWatchNamespaces[strings.TrimSpace(ns)] {
					errs = append(errs, fmt.Sprintf("cloudwatch.namespaces: %q is none of CWAgent, System/Linux, System/Windows", ns))
				}
			}
		}
	}
	if in.Tags != nil {
		s.Tags = append([]state.Tag{}, *in.Tags...)
		errs = append(errs, tagsValid(s.Tags, 0)...)
	}
	if in.HidePublicFields != nil {
		s.HidePublicFields = *in.HidePublicFields
	}
	return errs
}

func setString(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

// ownerChange: the owner id is unused by the owner's other accounts, and the
// owner id or kind of an account in use does not change.
func ownerChange(st *state.State, p *state.Partner, c *state.Customer, current *state.AWSAccount, next state.AWSAccount) []string {
	var errs []string
	if next.OwnerID != "" && (current == nil || next.OwnerID != current.OwnerID) {
		var other *state.AWSAccount
		var dup bool
		if c == nil {
			other, dup = st.PartnerAccountByOwner(p, next.OwnerID)
		} else {
			other, dup = st.CustomerAccountByOwner(c, next.OwnerID)
		}
		if dup {
			errs = append(errs, fmt.Sprintf("owner_id %q (from the role ARN) is already the owner_id of AWS account %d", next.OwnerID, other.ID))
		}
	}
	if current == nil {
		return errs
	}
	if next.OwnerID != current.OwnerID {
		for _, use := range accountUses(st, p, current, false) {
			errs = append(errs, fmt.Sprintf("owner_id of AWS account %d cannot change: %s", current.ID, use))
		}
	}
	if next.IsGovcloud != current.IsGovcloud {
		if l, ok := st.LinkageOfAccount(current.ID); ok {
			errs = append(errs, fmt.Sprintf("AWS account %d is in GovCloud linkage %d: its region cannot change", current.ID, l.ID))
		}
	}
	return errs
}

// CheckAWSAccountDelete returns why a cannot be deleted: an assignment uses
// it, it heads the billing family of assigned accounts, or a GovCloud
// linkage uses it.
func CheckAWSAccountDelete(st *state.State, p *state.Partner, a *state.AWSAccount) []string {
	var errs []string
	for _, use := range accountUses(st, p, a, true) {
		errs = append(errs, fmt.Sprintf("AWS account %d cannot be deleted: %s", a.ID, use))
	}
	return errs
}

// accountUses lists what uses a, by its owner id (assignments, billing
// family) and, with linkages, by its id.
func accountUses(st *state.State, p *state.Partner, a *state.AWSAccount, linkages bool) []string {
	var uses []string
	if a.OwnerID != "" {
		if asg, ok := st.AssignmentByOwner(p, a.OwnerID); ok && (a.CustomerID == 0 || asg.CustomerID == a.CustomerID) {
			uses = append(uses, fmt.Sprintf("AWS account assignment %d assigns its owner_id %q", asg.ID, a.OwnerID))
		}
		if a.CustomerID == 0 {
			var assigned []string
			for _, m := range st.FamilyMembers(p, a.OwnerID) {
				if _, ok := st.AssignmentByOwner(p, m.OwnerID); ok && m.ID != a.ID {
					assigned = append(assigned, m.OwnerID)
				}
			}
			if len(assigned) > 0 {
				uses = append(uses, fmt.Sprintf("it heads the billing family of %d assigned account(s)", len(assigned)))
			}
		}
	}
	if linkages {
		if l, ok := st.LinkageOfAccount(a.ID); ok {
			uses = append(uses, fmt.Sprintf("GovCloud linkage %d uses it", l.ID))
		}
	}
	return uses
}

// CheckAWSAccountSettings checks settings given whole (a fixture account's)
// against the rules a request's settings meet: a known protocol with its
// keys, a well-formed role ARN naming the account's own owner id, a primary
// region that fits the account's kind, and a valid CloudWatch runtime and
// namespaces.
func CheckAWSAccountSettings(ownerID string, isGovcloud bool, s state.AWSAccountSettings) []string {
	a := s.Authentication
	var errs []string
	switch a.Protocol {
	case ProtocolAssumeRole:
		owner, ok := OwnerIDOfRoleARN(a.AssumeRoleARN)
		switch {
		case !ok:
			errs = append(errs, fmt.Sprintf("authentication.assume_role_arn %q is not an IAM role ARN (arn:aws:iam::<12-digit account id>:role/<name>)", a.AssumeRoleARN))
		case ownerID != "" && owner != ownerID:
			errs = append(errs, fmt.Sprintf("authentication.assume_role_arn %q names account %s, not the owner_id %s", a.AssumeRoleARN, owner, ownerID))
		}
	case ProtocolAccessKey:
	default:
		errs = append(errs, fmt.Sprintf("authentication.protocol %q is neither %s nor %s", a.Protocol, ProtocolAssumeRole, ProtocolAccessKey))
	}
	merged := s // checked on a copy: s is what the fields are taken from
	next := state.AWSAccount{OwnerID: ownerID, IsGovcloud: isGovcloud, Settings: &merged}
	errs = append(errs, checkRegion(&next, AWSAccountFields{PrimaryAWSRegion: &s.PrimaryAWSRegion})...)
	runtime, namespaces := s.CloudWatch.Runtime, s.CloudWatch.Namespaces
	errs = append(errs, mergeSettings(next.Settings, AWSAccountFields{Tags: &s.Tags,
		CloudWatch: &CloudWatchFields{Runtime: &runtime, Namespaces: &namespaces}})...)
	return errs
}

// awsAccountTexts checks every string field an AWS account request sent
// (Text).
func awsAccountTexts(in AWSAccountFields) []string {
	fields := []textField{{"name", in.Name}, {"region", in.Region}, {"primary_aws_region", in.PrimaryAWSRegion}}
	if in.Billing != nil {
		fields = append(fields, textField{"billing.bucket", in.Billing.Bucket})
	}
	if a := in.Authentication; a != nil {
		fields = append(fields, textField{"authentication.protocol", a.Protocol},
			textField{"authentication.access_key", a.AccessKey}, textField{"authentication.secret_key", a.SecretKey},
			textField{"authentication.assume_role_arn", a.AssumeRoleARN},
			textField{"authentication.assume_role_external_id", a.AssumeRoleExternalID})
	}
	if c := in.CostAndUsageReport; c != nil {
		fields = append(fields, textField{"cost_and_usage_report.bucket", c.Bucket}, textField{"cost_and_usage_report.path", c.Path})
	}
	if c := in.CloudTrail; c != nil {
		fields = append(fields, textField{"cloudtrail.bucket", c.Bucket}, textField{"cloudtrail.prefix", c.Prefix})
	}
	if c := in.CloudWatch; c != nil {
		fields = append(fields, textField{"cloudwatch.namespaces", c.Namespaces})
	}
	return append(texts(fields...), tagTexts("tags", in.Tags)...)
}
