package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// Every school the tests make has this name and domain.
const (
	testSchoolName = "Grundschule Borsumer Kaspel"
	testDomain     = "gsborsum.de"
	testBaseDN     = "dc=gsborsum,dc=de"
	testUser       = "tester" // $USER the tests pass: the actor is "cli:tester"
)

// fastHash is a cheap argon2id setting for schools that make many accounts.
var fastHash = directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}

// result is what one run of the command line did.
type result struct {
	code   int
	stdout string
	stderr string
	args   []string
}

func (r result) String() string {
	return "kaspel-server " + strings.Join(r.args, " ") + "\nexit " + strconv.Itoa(r.code) + "\nstdout:\n" + r.stdout + "stderr:\n" + r.stderr
}

// runEnv runs the command line with exactly the environment vars (nothing
// of the real environment leaks in).
func runEnv(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code := run(e, args)
	return result{code: code, stdout: out.String(), stderr: errb.String(), args: args}
}

// runCLI runs the command line as the user "tester".
func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	return runEnv(t, map[string]string{"USER": testUser}, args...)
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := runCLI(t, args...)
	if r.code != 0 {
		t.Fatalf("exit code: got %v, want %v\n%s", r.code, 0, r)
	}
	return r
}

// wantCode fails the test unless the run exited with want; a failing run
// must say why in exactly one line on stderr (plus the usage line for 2).
func wantCode(t *testing.T, r result, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit code: got %v, want %v\n%s", r.code, want, r)
	}
	if want == 1 {
		lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
		if r.stderr == "" || len(lines) != 1 {
			t.Errorf("stderr of a failed command: got %d lines %q, want one line", len(lines), r.stderr)
		}
		if !strings.HasPrefix(r.stderr, "kaspel-server ") {
			t.Errorf("stderr: got %q, want it to start with %q", r.stderr, "kaspel-server ")
		}
	}
}

var loginLineRE = regexp.MustCompile(`(?m)^login: (\S+) password: (\S+)$`)

// loginLines returns login -> password of every "login: L password: P"
// line, and fails on a login printed twice.
func loginLines(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, sm := range loginLineRE.FindAllStringSubmatch(out, -1) {
		if _, dup := m[sm[1]]; dup {
			t.Errorf("login %s printed twice:\n%s", sm[1], out)
		}
		m[sm[1]] = sm[2]
	}
	return m
}

// onePassword returns the password of the only login line, which must be
// for login.
func onePassword(t *testing.T, out, login string) string {
	t.Helper()
	m := loginLines(t, out)
	if len(m) != 1 {
		t.Fatalf("login lines: got %d (%v), want 1\n%s", len(m), m, out)
	}
	pw, ok := m[login]
	if !ok {
		t.Fatalf("login line: got %v, want one for %s", m, login)
	}
	return pw
}

// newSchool inits a school in a folder that does not exist yet and makes
// its password hashing cheap; it returns the data folder.
func newSchool(t *testing.T, extra ...string) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	args := append([]string{"init", "--data", data, "--school", testSchoolName, "--domain", testDomain}, extra...)
	mustRun(t, args...)
	setConfig(t, data, func(c *config.Config) { c.Directory.Hash = fastHash })
	return data
}

// setConfig changes DATA/config.json.
func setConfig(t *testing.T, data string, change func(*config.Config)) {
	t.Helper()
	cfg, err := config.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	change(&cfg)
	if err := config.Save(data, cfg); err != nil {
		t.Fatal(err)
	}
}

// addUser adds a person on the command line and returns login and password.
func addUser(t *testing.T, data, first, last, role, class string) (string, string) {
	t.Helper()
	args := []string{"user", "add", "--data", data, "--first", first, "--last", last, "--role", role}
	if class != "" {
		args = append(args, "--class", class)
	}
	r := mustRun(t, args...)
	m := loginLines(t, r.stdout)
	if len(m) != 1 {
		t.Fatalf("login lines of user add: got %v, want 1\n%s", m, r)
	}
	for l, p := range m {
		return l, p
	}
	panic("unreachable")
}

// openDirectory opens the school's directory beside the command line, as
// another process would; it records no login attempts.
func openDirectory(t *testing.T, data string) *directory.Directory {
	t.Helper()
	cfg, err := config.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(config.DBPath(data), Migrations...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	dir, err := directory.New(db, cfg.Directory, nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// authenticate checks a person's password with a fresh directory (and so a
// fresh throttle).
func authenticate(t *testing.T, data, login, pw string) (directory.Principal, error) {
	t.Helper()
	return openDirectory(t, data).Authenticate(context.Background(), directory.Credentials{
		Kind: directory.PersonPrincipal, Name: login, Password: pw, Source: "127.0.0.1", Service: "test",
	})
}

func authenticateService(t *testing.T, data, name, pw string) error {
	t.Helper()
	_, err := openDirectory(t, data).Authenticate(context.Background(), directory.Credentials{
		Kind: directory.ServicePrincipal, Name: name, Password: pw, Source: "127.0.0.1", Service: "test",
	})
	return err
}

// listed is one row of "user list".
type listed struct {
	login, line string
}

// userList runs "user list" with the filters and returns its rows; it
// checks the "N accounts" line against them.
func userList(t *testing.T, data string, filters ...string) []listed {
	t.Helper()
	r := mustRun(t, append([]string{"user", "list", "--data", data}, filters...)...)
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "LOGIN") {
		t.Fatalf("user list: got %q, want a header and a count line", r.stdout)
	}
	var rows []listed
	for _, l := range lines[1 : len(lines)-1] {
		rows = append(rows, listed{login: strings.Fields(l)[0], line: l})
	}
	if got, want := lines[len(lines)-1], strconv.Itoa(len(rows))+" accounts"; got != want {
		t.Errorf("user list count line: got %q, want %q", got, want)
	}
	return rows
}

func logins(rows []listed) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.login
	}
	return out
}

func row(rows []listed, login string) (string, bool) {
	for _, r := range rows {
		if r.login == login {
			return r.line, true
		}
	}
	return "", false
}

// show runs "user show LOGIN" and returns its fields (first column ->
// rest of the line).
func show(t *testing.T, data, login string) map[string]string {
	t.Helper()
	r := mustRun(t, "user", "show", login, "--data", data)
	fields := map[string]string{}
	for _, l := range strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") {
		// keys may hold one space ("uid number"); columns are 2+ spaces apart
		k, v, ok := strings.Cut(l, "  ")
		if !ok {
			t.Fatalf("user show line %q has no value", l)
		}
		fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return fields
}

// state is everything an admin can see of a school: every account, the
// service accounts, the protocol and the CA. Commands that fail must not
// change it.
func state(t *testing.T, data string) string {
	t.Helper()
	var b strings.Builder
	for _, args := range [][]string{
		{"user", "list", "--all"},
		{"service-account", "list"},
		{"audit", "--limit", "100000"},
		{"cert", "show"},
	} {
		r := mustRun(t, append(args, "--data", data)...)
		b.WriteString(r.stdout)
	}
	return b.String()
}

func sameState(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s: the school changed:\ngot\n%s\nwant\n%s", what, got, want)
	}
}

// exists reports whether path exists.
func exists(t *testing.T, path string) bool {
	t.Helper()
	_, err := os.Stat(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return err == nil
}

// syncBuffer is a bytes.Buffer for a writer in another goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
