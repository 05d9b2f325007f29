# shellcheck shell=bash disable=SC2034
# Pins for the test bed's base images. Sourced by the other scripts.
# The TypeScript code keeps the same pins and a test compares them:
# keep one NAME=value per line, no quoting.
PYTHON_IMAGE=python:3.13-slim
UV_VERSION=0.13.9
UV_IMAGE=ghcr.io/astral-sh/uv:${UV_VERSION}
STANDIN_LABEL=io.slipway.stand-in
