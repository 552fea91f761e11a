# Kaspel: make run starts a demo school, make test runs every test.
GO      ?= go
DATA    ?= kaspel-data
BIN     := bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X kaspel/server/cli.Version=$(VERSION)

# Debian packages the build and the tests need: gcc for cgo (SQLite and
# Fyne), OpenGL and X11 headers for the desktop client, OpenLDAP's client
# tools for the interoperability tests, Xvfb for the client's start-up
# benchmark, the mingw-w64 cross compiler for the Windows client (make
# dist), headless Chromium for the parents' lending page and poppler's
# pdftoppm to read printed barcodes back from the rendered PDFs, and
# libargon2 (the reference argon2id the server hashes passwords with).
DEB_PACKAGES := gcc libc6-dev pkg-config ldap-utils libgl1-mesa-dev xorg-dev xvfb gcc-mingw-w64-x86-64 \
	chromium poppler-utils libargon2-dev

# make bench compares with OpenLDAP's server.
BENCH_PACKAGES := slapd ldap-utils

SHELL := /bin/bash

export LANG ?= C.UTF-8

.PHONY: help deps build dist run test bench bench-go screenshots clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

deps: ## install what a fresh Debian machine lacks (as root; only what is missing)
	@command -v $(GO) >/dev/null || { echo "Go 1.26 or newer is needed: https://go.dev/dl/"; exit 1; }
	@$(call install-missing,$(DEB_PACKAGES))
	@$(GO) mod download

# install-missing installs the Debian packages of $(1) that are missing.
define install-missing
missing=""; for p in $(1); do \
	dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
	echo "installing:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "run as root to install:$$missing"; exit 1; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
fi
endef

build: deps ## build the server, the client, the agent and the installer into bin/ (the first client build takes minutes)
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN)/ ./server/cmd/... ./client/cmd/... ./installer/cmd/...

dist: deps ## release files for Linux and Windows (amd64) into dist/; signs the Windows files if KASPEL_SIGN_CERT and KASPEL_SIGN_KEY are set
	@if [ -n "$$KASPEL_SIGN_CERT" ]; then $(call install-missing,osslsigncode); fi
	GO=$(GO) VERSION=$(VERSION) ./installer/dist.sh

run: build ## start the server on a demo school in ./kaspel-data (made on the first run) and open the client
	@if [ ! -f $(DATA)/kaspel.db ]; then \
		$(BIN)/kaspel-server init --data $(DATA) --school "Grundschule Borsumer Kaspel" --domain gsborsum.de --demo; \
	fi
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "No display: starting only the server (stop it with Ctrl-C)."; \
		exec $(BIN)/kaspel-server serve --data $(DATA); \
	fi; \
	$(BIN)/kaspel-server serve --data $(DATA) & server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/3389) 2>/dev/null && break; sleep 0.1; done; \
	LANG=de_DE.UTF-8 $(BIN)/kaspel-client --config $(DATA)/client.json --server https://127.0.0.1:8443 --ca $(DATA)/pki/ca.crt --mode staff

test: deps ## run every test (vet, unit, end-to-end, OpenLDAP tools)
	$(GO) vet ./...
	LANG=de_DE.UTF-8 KASPEL_REQUIRE_LDAP_UTILS=1 KASPEL_REQUIRE_CHROMIUM=1 KASPEL_REQUIRE_POPPLER=1 $(GO) test -count=1 ./...

bench: build ## Kaspel against OpenLDAP's slapd and more; a table, also in docs/performance.md (installs slapd)
	@$(call install-missing,$(BENCH_PACKAGES))
	LANG=de_DE.UTF-8 $(BIN)/kaspel-bench --server $(BIN)/kaspel-server --client $(BIN)/kaspel-client --out docs/performance.md

bench-go: deps ## the Go micro-benchmarks (bind, search, filters, hashes, inbox, calendar)
	$(GO) test -run '^$$' -bench . -benchmem ./...

screenshots: deps ## render the client's main screens with the demo school into docs/screenshots/
	LANG=de_DE.UTF-8 KASPEL_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestScreenshots ./client/ui/

clean: ## remove bin/ and dist/ (the data folder stays)
	rm -rf $(BIN) dist
