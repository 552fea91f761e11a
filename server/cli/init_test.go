package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/pki"
	"kaspel/shared/password"
)

var fingerprintRE = regexp.MustCompile(`(?m)^School CA fingerprint \(SHA-256\): ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$`)

// TestInitDefaults keeps the hash parameters init writes: the admin's
// one-time password is checked with them.
func TestInitDefaults(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	r := mustRun(t, "init", "--data", data, "--school", testSchoolName, "--domain", testDomain)

	m := fingerprintRE.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("init output: got %q, want a line with the CA fingerprint", r.stdout)
	}
	fp, err := pki.Fingerprint(config.PKIDir(data))
	if err != nil {
		t.Fatal(err)
	}
	if m[1] != fp {
		t.Errorf("printed fingerprint: got %v, want %v", m[1], fp)
	}
	if got := mustRun(t, "cert", "show", "--data", data).stdout; !strings.Contains(got, "CA fingerprint (SHA-256): "+fp+"\n") {
		t.Errorf("cert show: got %q, want the fingerprint %s", got, fp)
	}

	if n := len(loginLineRE.FindAllString(r.stdout, -1)); n != 1 {
		t.Fatalf("login lines: got %v, want %v\n%s", n, 1, r.stdout)
	}
	pw := onePassword(t, r.stdout, "admin")
	if broken := password.Check(pw); broken != nil {
		t.Errorf("admin password %q breaks the policy: %v", pw, broken)
	}

	cfg, err := config.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Directory.Hash, directory.DefaultHashParams; got != want {
		t.Errorf("hash parameters in config.json: got %v, want %v", got, want)
	}
	p, err := authenticate(t, data, "admin", pw)
	if err != nil {
		t.Fatalf("admin login with the printed password: got %v, want success", err)
	}
	if got, want := p.Role, directory.Admin; got != want {
		t.Errorf("admin role: got %v, want %v", got, want)
	}
	if got, want := p.MustChange, true; got != want {
		t.Errorf("admin must change the one-time password: got %v, want %v", got, want)
	}
	if _, err := authenticate(t, data, "admin", pw+"x"); err == nil {
		t.Errorf("admin login with a wrong password: got success, want an error")
	}
	if got := show(t, data, "admin")["status"]; !strings.Contains(got, "must change password") {
		t.Errorf("admin status: got %q, want it to say %q", got, "must change password")
	}

	// The data folder holds secrets: only the server may read it.
	for _, f := range []string{data, config.DBPath(data), filepath.Join(config.PKIDir(data), pki.CAKeyFile)} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("mode of %s: got %v, want no access for group and others", f, st.Mode().Perm())
		}
	}
}

// snapshotFiles reads every file below dir.
func snapshotFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() || strings.HasSuffix(path, "-shm") {
			return nil
		}
		b, err := os.ReadFile(path)
		files[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestInitTwice(t *testing.T) {
	data := newSchool(t)
	addUser(t, data, "Fred", "Mustermann", "pupil", "3a")
	before, files := state(t, data), snapshotFiles(t, data)

	for _, args := range [][]string{
		{"init", "--data", data, "--school", testSchoolName, "--domain", testDomain},
		{"init", "--data", data, "--school", "Other School", "--domain", "other.de", "--demo"},
	} {
		r := runCLI(t, args...)
		wantCode(t, r, 1)
		if !strings.Contains(r.stderr, "nothing was changed") {
			t.Errorf("stderr: got %q, want it to say that nothing was changed", r.stderr)
		}
	}
	sameState(t, "second init", state(t, data), before)
	after := snapshotFiles(t, data)
	for _, f := range []string{config.ConfigPath(data), filepath.Join(config.PKIDir(data), pki.CACertFile), filepath.Join(config.PKIDir(data), pki.CAKeyFile)} {
		if after[f] != files[f] {
			t.Errorf("%s changed by a second init", f)
		}
	}
}

func TestInitBadDomain(t *testing.T) {
	for _, domain := range []string{"gsborsum", "GSBorsum.DE", "gs borsum.de", "-gsborsum.de", "gsborsum.de.", "http://gsborsum.de"} {
		t.Run(domain, func(t *testing.T) {
			// A folder that did not exist is gone again.
			data := filepath.Join(t.TempDir(), "data")
			r := runCLI(t, "init", "--data", data, "--school", testSchoolName, "--domain", domain)
			wantCode(t, r, 1)
			if !strings.Contains(r.stderr, domain) {
				t.Errorf("stderr: got %q, want it to name the domain %q", r.stderr, domain)
			}
			if exists(t, data) {
				t.Errorf("data folder after a failed init: got it exists, want it removed")
			}

			// A folder that existed stays, as empty as it was.
			data = t.TempDir()
			r = runCLI(t, "init", "--data", data, "--school", testSchoolName, "--domain", domain)
			wantCode(t, r, 1)
			entries, err := os.ReadDir(data)
			if err != nil {
				t.Fatalf("existing data folder after a failed init: %v", err)
			}
			if len(entries) != 0 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("existing folder after a failed init: got %v, want it empty", names)
			}

			// And a later init with a good domain works there.
			mustRun(t, "init", "--data", data, "--school", testSchoolName, "--domain", testDomain)
		})
	}
}

func TestInitUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"missing --school", []string{"--domain", testDomain}},
		{"missing --domain", []string{"--school", testSchoolName}},
		{"empty --school", []string{"--school", "", "--domain", testDomain}},
		{"positional argument", []string{"--school", testSchoolName, "--domain", testDomain, "extra"}},
		{"unknown flag", []string{"--school", testSchoolName, "--domain", testDomain, "--colour", "red"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			r := runCLI(t, append([]string{"init", "--data", data}, tc.args...)...)
			wantCode(t, r, 2)
			if !strings.Contains(r.stderr, "usage: kaspel-server init") {
				t.Errorf("stderr: got %q, want the usage line", r.stderr)
			}
			if exists(t, data) {
				t.Errorf("data folder after a usage error: got it exists, want nothing made")
			}
		})
	}
}

func TestInitDemo(t *testing.T) {
	// Default hash parameters: the demo accounts share one hash.
	data := filepath.Join(t.TempDir(), "data")
	init := mustRun(t, "init", "--data", data, "--school", testSchoolName, "--domain", testDomain, "--demo")

	for _, class := range []string{"1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b"} {
		t.Run(class, func(t *testing.T) {
			all := userList(t, data, "--class", class)
			if n := len(all); n < 15 || n > 25 {
				t.Errorf("user list --class %s: got %v rows, want 15 to 25", class, n)
			}
			pupils := userList(t, data, "--class", class, "--role", "pupil")
			if n := len(pupils); n < 15 || n > 25 {
				t.Errorf("pupils of %s: got %v, want 15 to 25", class, n)
			}
			for _, p := range pupils {
				if f := strings.Fields(p.line); !strings.Contains(p.line, " pupil ") || f[len(f)-2] != class {
					t.Errorf("row %q: want an active pupil of class %s", p.line, class)
				}
			}
			if teachers := userList(t, data, "--class", class, "--role", "teacher"); len(teachers) < 1 {
				t.Errorf("teachers of %s: got %v, want at least 1", class, len(teachers))
			}
		})
	}
	if n := len(userList(t, data, "--role", "teacher")); n < 8 {
		t.Errorf("teachers: got %v, want at least 8 (one per class)", n)
	}
	if n := len(userList(t, data, "--role", "secretary")); n != 1 {
		t.Errorf("secretaries: got %v, want %v", n, 1)
	}
	if n := len(userList(t, data, "--role", "pupil")); n < 8*15 || n > 8*25 {
		t.Errorf("pupils: got %v, want 120 to 200", n)
	}
	if n := len(userList(t, data, "--class", "5a")); n != 0 {
		t.Errorf("user list --class 5a: got %v rows, want %v", n, 0)
	}

	// The admin's one-time password and a login of every demo role with
	// the demo password, which logs in.
	lines := loginLines(t, init.stdout)
	if _, ok := lines["admin"]; !ok {
		t.Errorf("login lines: got %v, want one for admin", lines)
	}
	if got, want := len(lines), 4; got != want {
		t.Fatalf("login lines: got %v (%v), want %v (admin, pupil, teacher, secretary)", got, lines, want)
	}
	roles := map[string]bool{}
	for login, pw := range lines {
		p, err := authenticate(t, data, login, pw)
		if err != nil {
			t.Errorf("demo login %s with the printed password: got %v, want success", login, err)
			continue
		}
		roles[string(p.Role)] = true
	}
	for _, role := range []string{"admin", "pupil", "teacher", "secretary"} {
		if !roles[role] {
			t.Errorf("login lines: got roles %v, want one %s", roles, role)
		}
	}
}

func TestInitDataFolder(t *testing.T) {
	t.Run("KASPEL_DATA", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "from-env")
		vars := map[string]string{"USER": testUser, "KASPEL_DATA": data}
		r := runEnv(t, vars, "init", "--school", testSchoolName, "--domain", testDomain)
		wantCode(t, r, 0)
		if !exists(t, config.DBPath(data)) {
			t.Fatalf("init without --data: got no database in $KASPEL_DATA %s", data)
		}
		r = runEnv(t, vars, "user", "list")
		wantCode(t, r, 0)
		if !strings.Contains(r.stdout, "admin") {
			t.Errorf("user list with $KASPEL_DATA: got %q, want the admin", r.stdout)
		}
		// --data wins over $KASPEL_DATA.
		other := filepath.Join(t.TempDir(), "other")
		r = runEnv(t, vars, "user", "list", "--data", other)
		wantCode(t, r, 1)
		if !strings.Contains(r.stderr, other) {
			t.Errorf("stderr: got %q, want it to name %s", r.stderr, other)
		}
	})
	t.Run("./kaspel-data", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		r := runEnv(t, map[string]string{"USER": testUser}, "init", "--school", testSchoolName, "--domain", testDomain)
		wantCode(t, r, 0)
		if !exists(t, filepath.Join(dir, "kaspel-data", "kaspel.db")) {
			t.Errorf("init without --data and $KASPEL_DATA: got no ./kaspel-data/kaspel.db")
		}
	})
	t.Run("no school", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "nothing")
		for _, args := range [][]string{
			{"user", "list"}, {"user", "show", "admin"}, {"promote"}, {"purge"}, {"audit"},
			{"service-account", "list"}, {"backup", filepath.Join(t.TempDir(), "b.tar.gz")}, {"serve"},
		} {
			r := runCLI(t, append(args, "--data", data)...)
			wantCode(t, r, 1)
			if !strings.Contains(r.stderr, "no Kaspel data in "+data) {
				t.Errorf("%v: stderr: got %q, want %q", args, r.stderr, "no Kaspel data in "+data)
			}
			if exists(t, data) {
				t.Fatalf("%v made the data folder %s", args, data)
			}
		}
	})
}
