package cli

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"kaspel/server/directory"
	"kaspel/shared/password"
)

func TestServiceAccount(t *testing.T) {
	data := newSchool(t)
	dn := "cn=sssd,ou=services," + testBaseDN

	r := mustRun(t, "service-account", "add", "sssd", "--data", data)
	pw := onePassword(t, r.stdout, "sssd")
	if !strings.Contains(r.stdout, "Bind DN: "+dn+"\n") {
		t.Errorf("service-account add: got\n%s\nwant the bind DN %s", r.stdout, dn)
	}
	if !strings.Contains(r.stdout, "Search base: "+testBaseDN) {
		t.Errorf("service-account add: got\n%s\nwant the search base %s", r.stdout, testBaseDN)
	}
	if broken := password.Check(pw); broken != nil || len(pw) < 24 {
		t.Errorf("service password %q: got %d characters, broken rules %v, want a long secret", pw, len(pw), broken)
	}
	if err := authenticateService(t, data, "sssd", pw); err != nil {
		t.Errorf("service login with the printed password: got %v, want success", err)
	}
	// A service account is not a person.
	if _, err := authenticate(t, data, "sssd", pw); err == nil {
		t.Errorf("person login as sssd: got success, want an error")
	}
	mustRun(t, "service-account", "add", "--data", data, "pgina")

	r = mustRun(t, "service-account", "list", "--data", data)
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("service-account list: got %q, want a header and two accounts", r.stdout)
	}
	for i, name := range []string{"pgina", "sssd"} {
		f := strings.Fields(lines[i+1])
		if len(f) < 2 || f[0] != name || f[1] != "cn="+name+",ou=services,"+testBaseDN {
			t.Errorf("service-account list row: got %q, want %s with its DN", lines[i+1], name)
		}
	}
	if strings.Contains(r.stdout, pw) {
		t.Errorf("service-account list shows a password")
	}

	t.Run("passwd", func(t *testing.T) {
		r := mustRun(t, "service-account", "passwd", "sssd", "--data", data)
		pw2 := onePassword(t, r.stdout, "sssd")
		if pw2 == pw {
			t.Fatalf("rotated password: got the old one %v", pw2)
		}
		if !strings.Contains(r.stdout, "Bind DN: "+dn+"\n") {
			t.Errorf("service-account passwd: got\n%s\nwant the bind DN", r.stdout)
		}
		if err := authenticateService(t, data, "sssd", pw); !errors.Is(err, directory.ErrInvalidCredentials) {
			t.Errorf("service login with the old password: got %v, want %v", err, directory.ErrInvalidCredentials)
		}
		if err := authenticateService(t, data, "sssd", pw2); err != nil {
			t.Errorf("service login with the new password: got %v, want success", err)
		}
	})

	t.Run("errors", func(t *testing.T) {
		before := state(t, data)
		for _, tc := range []struct {
			args []string
			code int
			want string
		}{
			{[]string{"add", "sssd"}, 1, "exists already"},
			{[]string{"add", "SSSD!"}, 1, "service account name"},
			{[]string{"add", "x"}, 1, "service account name"},
			{[]string{"passwd", "nobody"}, 1, `"nobody": not found`},
			{[]string{"remove", "nobody"}, 1, `"nobody": not found`},
			{[]string{"add"}, 2, "usage"},
			{[]string{"list", "sssd"}, 2, "usage"},
			{[]string{"frobnicate", "sssd"}, 2, "usage"},
		} {
			t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
				r := runCLI(t, append(append([]string{"service-account"}, tc.args...), "--data", data)...)
				wantCode(t, r, tc.code)
				if !strings.Contains(r.stderr, tc.want) {
					t.Errorf("stderr: got %q, want %q in it", r.stderr, tc.want)
				}
				if strings.Contains(r.stdout, "password:") {
					t.Errorf("stdout of a failed command: got %q, want no password", r.stdout)
				}
			})
		}
		wantCode(t, runCLI(t, "service-account"), 2)
		// A wrong command line is one whatever the data folder holds.
		wantCode(t, runCLI(t, "service-account", "frobnicate", "sssd", "--data", filepath.Join(t.TempDir(), "none")), 2)
		sameState(t, "failed service-account commands", state(t, data), before)
	})

	t.Run("remove", func(t *testing.T) {
		mustRun(t, "service-account", "remove", "pgina", "--data", data)
		r := mustRun(t, "service-account", "list", "--data", data)
		if strings.Contains(r.stdout, "pgina") || !strings.Contains(r.stdout, "sssd") {
			t.Errorf("service-account list after remove: got %q, want sssd only", r.stdout)
		}
	})
}
