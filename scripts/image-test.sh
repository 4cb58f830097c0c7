#!/usr/bin/env bash
# Builds the container image with podman and checks it the way a user runs it:
#   - the health check (podman healthcheck run, and the healthcheck subcommand
#     through podman exec),
#   - a request from the host to the API with the default fixtures' demo key,
#   - a fixture file bind-mounted and named by CLOUDHEALTH_EMULATOR_FIXTURES,
#   - the process runs as the numeric non-root user 65532:65532,
#   - SIGTERM (podman stop -t N) ends it within the grace period with exit 0,
#     a request in flight answered, or cut short after the shutdown timeout,
#   - a state file in a mounted directory outlives the container.
# Installs podman and runc with apt-get when they are missing. Uses its own
# containers.conf (CONTAINERS_CONF) in a temporary directory, host networking
# and a free port; removes its containers, its image tag and the directory at
# exit, so it can run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
IMAGE=localhost/cloudhealth-emulator:image-test
KEY=demo-partner-key # the default fixtures' first partner
GRACE=10             # seconds podman stop waits before SIGKILL
started=$SECONDS

say() { printf '== %s\n' "$*"; }
fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
	say "installing podman and runc"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc >/dev/null
fi

tmp=$(mktemp -d)
# What a sandbox without systemd needs: no default rlimits (podman's are
# refused), cgroupfs (crun and systemd cgroups are not available), events in a
# file rather than journald.
cat >"$tmp/containers.conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
export CONTAINERS_CONF=$tmp/containers.conf
podman() { command podman --runtime runc "$@"; }

containers=()
cleanup() {
	local status=$?
	for c in "${containers[@]}"; do
		podman rm -f -t 0 "$c" >/dev/null 2>&1 || true
	done
	if [ "$status" -ne 0 ] && [ -s "$tmp/podman.log" ]; then
		echo "podman's messages:" >&2
		cat "$tmp/podman.log" >&2
	fi
	podman rmi -f "$IMAGE" >/dev/null 2>&1 || true
	rm -rf "$tmp"
	if [ "$status" -eq 0 ]; then
		say "image-test passed in $((SECONDS - started)) s"
	fi
	exit "$status"
}
trap cleanup EXIT

# freeport prints a TCP port of 127.0.0.1 nothing listens on.
freeport() {
	local port
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	fail "no free port found"
}

# logs_have NAME PATTERN: the container's log has a line matching PATTERN
# (the log is read whole first: grep -q in a pipe would cut podman logs off).
logs_have() {
	local logs
	logs=$(podman logs "$1" 2>&1)
	grep -q -- "$2" <<<"$logs"
}

# slow_request PORT KEY LATENCY_MS OUT: adds a fault rule delaying every
# GET /v1/customers by LATENCY_MS, sends that request in the background (its
# status into OUT) and returns once it is in flight (the rule matched it).
# The background job's pid is in $slow.
slow_request() {
	local port=$1 key=$2 latency=$3 out=$4 fault id
	fault=$(curl -fsS -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$port/__emulator/faults" \
		-d "{\"path\": \"/v1/customers\", \"latency_ms\": $latency}") || fail "adding a fault rule"
	id=$(sed -E 's/.*"id":([0-9]+).*/\1/' <<<"$fault")
	curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/customers" >"$out" 2>/dev/null &
	slow=$!
	for _ in $(seq 1 100); do
		if grep -q '"matched":1' <<<"$(curl -fsS "http://127.0.0.1:$port/__emulator/faults/$id")"; then
			return
		fi
		sleep 0.05
	done
	fail "the slow request never reached the emulator"
}

# start NAME PORT [podman run options...]: runs the image on 127.0.0.1:PORT of
# the host network and waits for its health endpoint.
start() {
	local name=$1 port=$2
	shift 2
	containers+=("$name")
	podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
	# Without systemd, podman logs that it cannot set a timer for the
	# periodic health check: in the log file, shown on failure only.
	podman run -d --name "$name" --network host \
		-e CLOUDHEALTH_EMULATOR_ADDR="127.0.0.1:$port" "$@" "$IMAGE" >/dev/null 2>>"$tmp/podman.log" ||
		{ cat "$tmp/podman.log" >&2; fail "podman run $name"; }
	for _ in $(seq 1 100); do
		if curl -fsS "http://127.0.0.1:$port/__emulator/health" >/dev/null 2>&1; then
			return
		fi
		if [ "$(podman inspect -f '{{.State.Running}}' "$name")" != true ]; then
			podman logs "$name" >&2 || true
			fail "$name exited at start"
		fi
		sleep 0.1
	done
	podman logs "$name" >&2 || true
	fail "$name did not answer on port $port"
}

say "building the image (make image)"
build_started=$SECONDS
make --no-print-directory image GO="$GO" IMAGE="$IMAGE" CONTAINER_ENGINE=podman >"$tmp/build.log" 2>&1 ||
	{ cat "$tmp/build.log" >&2; fail "make image"; }
say "image built in $((SECONDS - build_started)) s: $(podman image inspect -f '{{.Size}}' "$IMAGE") bytes"
[ "$(podman image inspect -f '{{.Config.User}}' "$IMAGE")" = 65532:65532 ] || fail "the image's user is not 65532:65532"
env=$(podman image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE")
grep -qx 'CLOUDHEALTH_EMULATOR_SHUTDOWN_TIMEOUT=8s' <<<"$env" ||
	fail "the image does not set a shutdown timeout shorter than the engines' 10 s stop timeout"
healthcheck=$(podman image inspect -f '{{json .Config.Healthcheck}}' "$IMAGE")
grep -q '"/cloudhealth-emulator","healthcheck"' <<<"$healthcheck" ||
	fail "the image has no HEALTHCHECK through the healthcheck subcommand"

say "default fixtures"
port=$(freeport)
name=cloudhealth-emulator-image-test-$$
start "$name" "$port"
podman healthcheck run "$name" >/dev/null || fail "podman healthcheck run"
podman exec "$name" /cloudhealth-emulator healthcheck || fail "healthcheck subcommand through podman exec"
say "health check: healthy (podman healthcheck run, podman exec ... healthcheck)"
body=$(curl -fsS -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/v1/customers")
grep -q '"name":"Azure Two"' <<<"$body" || fail "GET /v1/customers with the demo key: $body"
say "GET /v1/customers from the host with the demo key: 200"
pid=$(podman inspect -f '{{.State.Pid}}' "$name")
uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")
gids=$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")
[ "$uids" = "65532 65532 65532 65532" ] && [ "$gids" = "65532 65532 65532 65532" ] ||
	fail "the process runs as uid $uids gid $gids"
say "the process runs as uid/gid 65532 (real, effective, saved, fs)"
logs_have "$name" 'level=INFO msg="cloudhealth-emulator listening"' || fail "no start-up log"

# SIGTERM with a slow request in flight: it is answered, then the process exits 0.
slow_request "$port" "$KEY" 1000 "$tmp/slow.status"
stop_started=$(date +%s%N)
podman stop -t "$GRACE" "$name" >/dev/null 2>>"$tmp/podman.log"
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
wait "$slow" || true
exit_code=$(podman inspect -f '{{.State.ExitCode}}' "$name")
[ "$exit_code" = 0 ] || { podman logs "$name" >&2; fail "exit code $exit_code after SIGTERM"; }
[ "$stop_ms" -lt $((GRACE * 1000)) ] || fail "stopping took $stop_ms ms, the grace period is $GRACE s"
[ "$(cat "$tmp/slow.status")" = 200 ] || fail "the request in flight at SIGTERM got $(cat "$tmp/slow.status")"
logs_have "$name" 'shutting down' || fail "no shutdown log"
say "podman stop -t $GRACE: exit 0 after $stop_ms ms, the request in flight answered 200"

say "a mounted fixture file named by CLOUDHEALTH_EMULATOR_FIXTURES"
cat >"$tmp/fixtures.yaml" <<'YAML'
partners:
  - name: Image Test Partner
    api_keys: [image-test-key]
    customers:
      - name: Mounted Customer
YAML
chmod 0644 "$tmp/fixtures.yaml"
port=$(freeport)
name=cloudhealth-emulator-image-test-fixtures-$$
start "$name" "$port" -v "$tmp/fixtures.yaml:/fixtures/mine.yaml:ro" -e CLOUDHEALTH_EMULATOR_FIXTURES=/fixtures/mine.yaml \
	-e CLOUDHEALTH_EMULATOR_SHUTDOWN_TIMEOUT=2s
body=$(curl -fsS -H "Authorization: Bearer image-test-key" "http://127.0.0.1:$port/v1/customers")
grep -q '"name":"Mounted Customer"' <<<"$body" || fail "the mounted fixtures are not served: $body"
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/v1/customers")
[ "$status" = 403 ] || fail "the default fixtures' key still works ($status)"
logs_have "$name" 'fixtures=/fixtures/mine.yaml' || fail "the start-up log does not name the fixtures"
say "the mounted fixtures are served (and the default key refused: 403)"

# A request in flight longer than the shutdown timeout (2 s here) is cut
# short and the process still exits 0, before podman's SIGKILL.
slow_request "$port" image-test-key 60000 "$tmp/cut.status"
stop_started=$(date +%s%N)
podman stop -t "$GRACE" "$name" >/dev/null 2>>"$tmp/podman.log"
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
wait "$slow" || true
exit_code=$(podman inspect -f '{{.State.ExitCode}}' "$name")
[ "$exit_code" = 0 ] || { podman logs "$name" >&2; fail "exit code $exit_code after SIGTERM with a request outlasting the timeout"; }
[ "$stop_ms" -ge 2000 ] && [ "$stop_ms" -lt $((GRACE * 1000)) ] || fail "stopping took $stop_ms ms (shutdown timeout 2 s, grace $GRACE s)"
logs_have "$name" 'shutdown timeout reached' || fail "no log of the shutdown timeout"
say "podman stop -t $GRACE with a 60 s request in flight and a 2 s shutdown timeout: exit 0 after $stop_ms ms"

say "the state file in a mounted directory survives a restart"
mkdir "$tmp/state"
chown 65532:65532 "$tmp/state"
port=$(freeport)
name=cloudhealth-emulator-image-test-state-$$
start "$name" "$port" -v "$tmp/state:/state" -e CLOUDHEALTH_EMULATOR_STATE_FILE=/state/state.json
created=$(curl -fsS -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "http://127.0.0.1:$port/v1/customers" \
	-d '{"name": "Kept Customer", "address": {"street1": "1 Main St", "city": "Springfield", "state": "MA", "zipcode": "01234", "country": "US"}}') ||
	fail "creating a customer"
id=$(sed -E 's/^\{"id":([0-9]+).*/\1/' <<<"$created")
podman stop -t "$GRACE" "$name" >/dev/null 2>>"$tmp/podman.log"
[ "$(podman inspect -f '{{.State.ExitCode}}' "$name")" = 0 ] || { podman logs "$name" >&2; fail "exit code after SIGTERM"; }
podman rm "$name" >/dev/null 2>>"$tmp/podman.log"
start "$name" "$port" -v "$tmp/state:/state" -e CLOUDHEALTH_EMULATOR_STATE_FILE=/state/state.json
logs_have "$name" 'state_loaded=true' || fail "the state file was not loaded"
body=$(curl -fsS -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/v1/customers/$id") || fail "GET /v1/customers/$id after the restart"
grep -q '"name":"Kept Customer"' <<<"$body" || fail "customer $id after the restart: $body"
podman stop -t "$GRACE" "$name" >/dev/null 2>>"$tmp/podman.log"
say "customer $id created, the container stopped and started again: still there"
