package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	data := newSchool(t)
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"no arguments", nil, 0, "usage:", ""},
		{"help", []string{"help"}, 0, "kaspel-server import --data DIR [--dry-run]", ""},
		{"--help", []string{"--help"}, 0, "--data defaults to $KASPEL_DATA, then ./kaspel-data.", ""},
		{"version", []string{"version"}, 0, "kaspel-server " + Version, ""},
		{"unknown command", []string{"frobnicate", "--data", data}, 2, "", `unknown command "frobnicate"`},
		{"command in capitals", []string{"INIT"}, 2, "", `unknown command "INIT"`},
		{"import without a file", []string{"import", "--data", data}, 2, "", "expected one FILE.csv"},
		{"import with --dry-run only", []string{"import", "--dry-run", "--data", data}, 2, "", "usage: kaspel-server import"},
		{"flag without value", []string{"user", "list", "--data"}, 2, "", "flag needs an argument"},
		{"unknown flag", []string{"promote", "--data", data, "--yes"}, 2, "", "flag provided but not defined: -yes"},
		{"cert without subcommand", []string{"cert"}, 2, "", "give show or renew"},
		{"cert unknown subcommand", []string{"cert", "burn", "--data", data}, 2, "", `unknown subcommand "burn"`},
		{"audit positional", []string{"audit", "everything", "--data", data}, 2, "", `unexpected argument "everything"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := state(t, data)
			r := runCLI(t, tc.args...)
			wantCode(t, r, tc.code)
			if !strings.Contains(r.stdout, tc.wantStdout) {
				t.Errorf("stdout: got %q, want %q in it", r.stdout, tc.wantStdout)
			}
			if !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("stderr: got %q, want %q in it", r.stderr, tc.wantStderr)
			}
			if tc.code == 2 && !strings.Contains(r.stderr, "usage") {
				t.Errorf("stderr of a usage error: got %q, want the usage", r.stderr)
			}
			if tc.code != 0 && r.stdout != "" {
				t.Errorf("stdout of a usage error: got %q, want nothing", r.stdout)
			}
			sameState(t, strings.Join(tc.args, " "), state(t, data), before)
		})
	}
	// a wrong command line changes no folder it names
	fresh := filepath.Join(t.TempDir(), "fresh")
	wantCode(t, runCLI(t, "import", "--data", fresh), 2)
	wantCode(t, runCLI(t, "restore", "--data", fresh), 2)
	if exists(t, fresh) {
		t.Errorf("a usage error made the data folder %s", fresh)
	}
}

func TestCert(t *testing.T) {
	data := newSchool(t)
	fp := caFingerprint(t, data)
	r := mustRun(t, "cert", "show", "--data", data)
	for _, want := range []string{"CA fingerprint (SHA-256): " + fp, "server certificate for: ", "127.0.0.1", "localhost", "valid until: "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("cert show: want %q in\n%s", want, r.stdout)
		}
	}
	r = mustRun(t, "cert", "renew", "--host", "kaspel.gsborsum.lan,10.0.0.5", "--data", data)
	if !strings.Contains(r.stdout, "kaspel.gsborsum.lan") || !strings.Contains(r.stdout, "10.0.0.5") {
		t.Errorf("cert renew: got\n%s\nwant the new names", r.stdout)
	}
	if got := caFingerprint(t, data); got != fp {
		t.Errorf("CA fingerprint after a renewal: got %v, want %v (the PCs pin it)", got, fp)
	}
	wantCode(t, runCLI(t, "cert", "show", "--data", filepath.Join(t.TempDir(), "none")), 1)
}
