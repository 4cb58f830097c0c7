# syntax=docker/dockerfile:1
# The CloudHealth partner API emulator as a small, non-root container.
#   make docker
#   docker run --rm -p 8080:8080 cloudhealth-emulator
#   docker run --rm -p 8080:8080 -v "$PWD/my.yaml:/fixtures/my.yaml:ro" \
#     -e CLOUDHEALTH_EMULATOR_FIXTURES=/fixtures/my.yaml cloudhealth-emulator

# Build: a static binary (no cgo), paths trimmed from it.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/cloudhealth-emulator ./cmd/cloudhealth-emulator

# Run: distroless static, as its non-root user (uid 65532). No shell, no curl:
# the binary's own healthcheck subcommand probes /__emulator/health.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/cloudhealth-emulator /cloudhealth-emulator
USER nonroot:nonroot
# Listen on every interface inside the container (the binary's default,
# 127.0.0.1, would be unreachable through -p). The healthcheck reads the same
# variable and probes 127.0.0.1.
ENV CLOUDHEALTH_EMULATOR_ADDR=0.0.0.0:8080
# Fixtures: bind-mount a document and point CLOUDHEALTH_EMULATOR_FIXTURES at it,
# e.g. /fixtures/my.yaml; unset, the embedded default fixtures are served.
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["/cloudhealth-emulator", "healthcheck"]
ENTRYPOINT ["/cloudhealth-emulator"]
