# The CloudHealth partner API emulator as a minimal, non-root container.
#
# The binary is built outside the image (make build-static: CGO_ENABLED=0,
# -trimpath, for linux) and copied in, so building the image pulls no base
# image and needs no network: see docs/container.md for why and for the
# docker and podman commands.
#   make image                                   # podman, or docker when podman is absent
#   docker run --rm -p 8080:8080 cloudhealth-emulator
#   podman run --rm -p 8080:8080 cloudhealth-emulator
FROM scratch
COPY bin/image/cloudhealth-emulator /cloudhealth-emulator
# A numeric user and group (scratch has no /etc/passwd): never root.
USER 65532:65532
# Listen on every interface inside the container (the binary's default,
# 127.0.0.1, would be unreachable through -p). The healthcheck reads the same
# variable and probes 127.0.0.1. Without CLOUDHEALTH_EMULATOR_ADMIN_TOKEN the
# emulator warns at start-up that its control API is open.
ENV CLOUDHEALTH_EMULATOR_ADDR=0.0.0.0:8080
# docker stop and podman stop send SIGTERM, then SIGKILL after 10 s by
# default: the emulator gives requests in flight 8 s, then exits 0 by itself.
ENV CLOUDHEALTH_EMULATOR_SHUTDOWN_TIMEOUT=8s
# Fixtures: bind-mount a document and point CLOUDHEALTH_EMULATOR_FIXTURES at it,
# e.g. /fixtures/my.yaml; unset, the embedded default fixtures are served.
EXPOSE 8080
# No shell or curl in the image: the binary's own healthcheck subcommand
# probes /__emulator/health (podman keeps HEALTHCHECK with --format docker).
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["/cloudhealth-emulator", "healthcheck"]
ENTRYPOINT ["/cloudhealth-emulator"]
