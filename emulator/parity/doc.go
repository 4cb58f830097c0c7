// Package parity records exchanges with the CloudHealth API into go-vcr
// cassettes (secrets redacted before anything is written), and replays a
// cassette against a fresh emulator loaded with the account's recorded
// pre-state, comparing every answer after normalisation: ids by reference,
// timestamps and error texts masked, URLs without their host, an allowlist of
// headers, and lists sorted only where their order is undocumented. Each
// exchange is reported as MATCH, DIFF (with JSON paths), KNOWN (an allowed
// difference naming its docs/fidelity.md row) or SKIP. docs/parity.md is the
// user's guide.
package parity
