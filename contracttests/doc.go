// Package contracttests is the contract test suite of the CloudHealth partner
// API: the same tests run against the emulator (in-process, or a running
// binary) and against the real CloudHealth API, and prove the two agree.
//
// The tests speak only HTTP to a base URL. Every request and response of the
// suite passes through Transport, which checks both against openapi.yaml and
// records which (operationId, status) pairs the suite exercised. What a test
// needs to exist on the target (a customer with partner billing, assignable
// AWS accounts, unassigned Azure accounts, a customer's GovCloud and
// commercial accounts free to link, ids known not to exist) comes from a
// Profile. README.md in this directory explains how to run the suite against a
// real account and how to add an endpoint family.
package contracttests
