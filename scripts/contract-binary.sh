#!/usr/bin/env bash
# Runs the contract suite against the emulator binary, as it would run against
# the real API: over the network, with a profile file and writes opted in.
# Builds bin/cloudhealth-emulator, starts it on a free port of 127.0.0.1 on the
# embedded default fixtures, waits for /__emulator/health, runs the suite,
# stops the emulator, and fails if either the emulator or the suite failed.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
BIN=bin/cloudhealth-emulator
PROFILE=$PWD/contracttests/profiles/emulator-default.json
KEY=demo-partner-key # the default fixtures' first partner (contracttests/profiles/emulator-default.json)

"$GO" build -trimpath -o "$BIN" ./cmd/cloudhealth-emulator

# A free port: the emulator listens on port 0 (the kernel picks a free one) and
# logs the address it got.
log=$(mktemp)
"$BIN" --addr 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
stop() {
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}
trap 'stop; rm -f "$log"' EXIT

addr=
for _ in $(seq 1 100); do
	if [ -z "$addr" ]; then
		addr=$(grep -o 'url=http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 | sed 's|url=http://||') || true
	fi
	if [ -n "$addr" ] && curl -fsS "http://$addr/__emulator/health" >/dev/null 2>&1; then
		break
	fi
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "contract-binary: the emulator exited during start-up:" >&2
		cat "$log" >&2
		exit 1
	fi
	sleep 0.1
done
[ -n "$addr" ] || { echo "contract-binary: the emulator logged no address" >&2; cat "$log" >&2; exit 1; }
curl -fsS "http://$addr/__emulator/health" >/dev/null || { echo "contract-binary: no health answer from $addr" >&2; cat "$log" >&2; exit 1; }

rm -f "${CLOUDHEALTH_CONTRACT_COVERAGE:-$PWD/contracttests/coverage-binary.txt}"
suite=0
CLOUDHEALTH_BASE_URL="http://$addr" \
CLOUDHEALTH_API_KEY="$KEY" \
CLOUDHEALTH_CONTRACT_PROFILE="$PROFILE" \
CLOUDHEALTH_CONTRACT_WRITES=1 \
CLOUDHEALTH_CONTRACT_REQUIRE_FULL_COVERAGE=${CLOUDHEALTH_CONTRACT_REQUIRE_FULL_COVERAGE:-1} \
CLOUDHEALTH_CONTRACT_COVERAGE=${CLOUDHEALTH_CONTRACT_COVERAGE:-$PWD/contracttests/coverage-binary.txt} \
	"$GO" test -count=1 ./contracttests/ || suite=$?

emulator=0
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || emulator=$?
trap 'rm -f "$log"' EXIT
if [ "$emulator" -ne 0 ]; then
	echo "contract-binary: the emulator exited with status $emulator:" >&2
	cat "$log" >&2
fi
if grep -q "emulator bug" "$log"; then
	echo "contract-binary: the emulator logged a spec violation:" >&2
	grep "emulator bug" "$log" >&2
	emulator=1
fi
tail -n 1 "${CLOUDHEALTH_CONTRACT_COVERAGE:-$PWD/contracttests/coverage-binary.txt}" 2>/dev/null || true
[ "$suite" -eq 0 ] && [ "$emulator" -eq 0 ]
