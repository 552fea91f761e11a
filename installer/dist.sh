#!/usr/bin/env bash
# dist.sh builds Kaspel's release files into dist/ (make dist calls it):
#
#   dist/linux-amd64/    kaspel-server kaspel-client kaspel-agent kaspel-install
#   dist/windows-amd64/  kaspel-client.exe kaspel-agent.exe kaspel-install.exe
#
# Each platform folder is what goes onto a school computer: kaspel-install
# takes kaspel-agent and kaspel-client from its own folder.
#
# The server and the Linux client need cgo (SQLite; Fyne's OpenGL). The
# Windows client needs cgo too, with Debian's mingw-w64 cross compiler
# (package gcc-mingw-w64-x86-64, installed by make deps); its first build
# compiles GLFW and takes minutes. Agent and installer are pure Go.
#
# Afterwards a Go test checks that the Windows files are PE executables
# for amd64. When KASPEL_SIGN_CERT and KASPEL_SIGN_KEY name a code-signing
# certificate and key (PEM or DER; KASPEL_SIGN_PASS if the key has a
# password, KASPEL_SIGN_TIMESTAMP for a timestamp server), the Windows
# executables are signed with osslsigncode.
#
# Environment: GO (go), DIST (dist), VERSION (git describe),
# KASPEL_DIST_NO_WINDOWS_CLIENT=1 skips the slow Windows client build.
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
DIST=${DIST:-dist}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
MINGW_CC=${MINGW_CC:-x86_64-w64-mingw32-gcc}

linux="$DIST/linux-amd64"
windows="$DIST/windows-amd64"
mkdir -p "$linux" "$windows"

build() { # build OS CGO OUT PKG [LDFLAGS]
	local os=$1 cgo=$2 out=$3 pkg=$4 ldflags=${5:-}
	echo "  $os/amd64  $out"
	GOOS=$os GOARCH=amd64 CGO_ENABLED=$cgo "$GO" build -trimpath -ldflags "-s -w $ldflags" -o "$out" "$pkg"
}

echo "Building Kaspel $VERSION into $DIST/"
build linux 1 "$linux/kaspel-server" ./server/cmd/kaspel-server "-X kaspel/server/cli.Version=$VERSION"
build linux 1 "$linux/kaspel-client" ./client/cmd/kaspel-client
build linux 0 "$linux/kaspel-agent" ./client/cmd/kaspel-agent "-X main.version=$VERSION"
build linux 0 "$linux/kaspel-install" ./installer/cmd/kaspel-install

build windows 0 "$windows/kaspel-agent.exe" ./client/cmd/kaspel-agent "-X main.version=$VERSION"
build windows 0 "$windows/kaspel-install.exe" ./installer/cmd/kaspel-install
if [ "${KASPEL_DIST_NO_WINDOWS_CLIENT:-}" = 1 ]; then
	echo "  windows/amd64  kaspel-client.exe skipped (KASPEL_DIST_NO_WINDOWS_CLIENT=1)"
	rm -f "$windows/kaspel-client.exe"
else
	if ! command -v "$MINGW_CC" >/dev/null; then
		echo "dist.sh: $MINGW_CC is missing: run 'make deps' (Debian package gcc-mingw-w64-x86-64)" >&2
		exit 1
	fi
	start=$(date +%s)
	# -H windowsgui: no console window behind the client.
	CC=$MINGW_CC build windows 1 "$windows/kaspel-client.exe" ./client/cmd/kaspel-client "-H windowsgui"
	echo "  (the Windows client took $(( $(date +%s) - start )) s)"
fi

if [ -n "${KASPEL_SIGN_CERT:-}" ] && [ -n "${KASPEL_SIGN_KEY:-}" ]; then
	command -v osslsigncode >/dev/null || { echo "dist.sh: osslsigncode is missing (apt-get install osslsigncode)" >&2; exit 1; }
	for f in "$windows"/*.exe; do
		args=(sign -certs "$KASPEL_SIGN_CERT" -key "$KASPEL_SIGN_KEY" -n "Kaspel" -h sha256 -in "$f" -out "$f.signed")
		[ -n "${KASPEL_SIGN_PASS:-}" ] && args+=(-pass "$KASPEL_SIGN_PASS")
		[ -n "${KASPEL_SIGN_TIMESTAMP:-}" ] && args+=(-ts "$KASPEL_SIGN_TIMESTAMP")
		osslsigncode "${args[@]}" >/dev/null
		mv "$f.signed" "$f"
		echo "  signed $f"
	done
fi

# The Windows files must be PE executables for amd64 (not, say, an ELF
# file with an .exe name from a wrong GOOS).
case $DIST in /*) abs=$DIST ;; *) abs=$PWD/$DIST ;; esac
KASPEL_DIST="$abs" "$GO" test -count=1 -run '^TestDist' ./installer/
echo "Done: $DIST/"
