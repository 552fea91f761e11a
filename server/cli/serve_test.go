package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"kaspel/server/config"
	"kaspel/server/pki"
)

// server is "kaspel-server serve" running in a goroutine.
type server struct {
	data               string
	ldap, ldaps, https string
	stdout, stderr     *syncBuffer
	stop               chan struct{}
	done               chan int
	stopped            bool
}

var listenRE = regexp.MustCompile(`(?m)^kaspel-server: (LDAP|LDAPS|HTTPS) on (\S+)$`)

// startServe runs serve on loopback ports chosen by the kernel and waits
// until it names its addresses.
func startServe(t *testing.T, data string) *server {
	t.Helper()
	s := &server{data: data, stdout: &syncBuffer{}, stderr: &syncBuffer{}, stop: make(chan struct{}), done: make(chan int, 1)}
	e := &env{stdout: s.stdout, stderr: s.stderr, getenv: func(k string) string {
		if k == "USER" {
			return testUser
		}
		return ""
	}, stop: s.stop}
	go func() {
		s.done <- run(e, []string{"serve", "--data", data, "--ldap", "127.0.0.1:0", "--ldaps", "127.0.0.1:0", "--https", "127.0.0.1:0"})
	}()
	t.Cleanup(func() { s.shutdown(t) })

	// Poll for the address lines. The deadline only guards against a hung
	// test; nothing asserts how fast the server starts.
	deadline := time.Now().Add(30 * time.Second)
	for {
		found := map[string]string{}
		for _, m := range listenRE.FindAllStringSubmatch(s.stdout.String(), -1) {
			found[m[1]] = m[2]
		}
		if len(found) == 3 {
			s.ldap, s.ldaps, s.https = found["LDAP"], found["LDAPS"], found["HTTPS"]
			return s
		}
		select {
		case code := <-s.done:
			s.stopped = true
			t.Fatalf("serve ended before it listened: exit %d\nstdout:\n%s\nstderr:\n%s", code, s.stdout, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not name its addresses\nstdout:\n%s\nstderr:\n%s", s.stdout, s.stderr)
		}
	}
}

// shutdown closes the stop channel and returns serve's exit code.
func (s *server) shutdown(t *testing.T) int {
	t.Helper()
	if s.stopped {
		return -1
	}
	s.stopped = true
	close(s.stop)
	select {
	case code := <-s.done:
		return code
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not return after the stop channel was closed\nstderr:\n%s", s.stderr)
		return -1
	}
}

// ldapTool runs one of OpenLDAP's client tools against the school's CA.
type ldapTool struct {
	env []string
}

func newLDAPTool(t *testing.T, data string) *ldapTool {
	t.Helper()
	for _, name := range []string{"ldapsearch", "ldapwhoami", "ldappasswd"} {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("KASPEL_REQUIRE_LDAP_UTILS") == "1" {
				t.Fatalf("%s not found (install Debian's ldap-utils): %v; KASPEL_REQUIRE_LDAP_UTILS=1 makes this an error", name, err)
			}
			t.Skipf("%s not found (install Debian's ldap-utils); set KASPEL_REQUIRE_LDAP_UTILS=1 to make this an error", name)
		}
	}
	home := t.TempDir() // no ~/.ldaprc of whoever runs the tests
	var environ []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "LDAP") || strings.HasPrefix(kv, "HOME=") {
			continue
		}
		environ = append(environ, kv)
	}
	environ = append(environ,
		"HOME="+home,
		"LDAPTLS_CACERT="+filepath.Join(config.PKIDir(data), pki.CACertFile),
		"LDAPTLS_REQCERT=demand",
	)
	return &ldapTool{env: environ}
}

// run runs the tool and returns its exit code and output.
func (l *ldapTool) run(t *testing.T, name string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, append([]string{"-o", "nettimeout=20"}, args...)...)
	cmd.Env = l.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %v did not end", name, args)
	}
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s: %v", name, err)
		}
		code = ee.ExitCode()
	}
	return code, out.String()
}

func personDN(login string) string { return "uid=" + login + ",ou=people," + testBaseDN }

// whoami binds with -ZZ (StartTLS required) or over LDAPS and returns
// the exit code and output of ldapwhoami.
func (l *ldapTool) whoami(t *testing.T, url string, startTLS bool, login, pw string) (int, string) {
	t.Helper()
	args := []string{"-x", "-H", url, "-D", personDN(login), "-w", pw}
	if startTLS {
		args = append([]string{"-ZZ"}, args...)
	}
	return l.run(t, "ldapwhoami", args...)
}

// wantBind checks that login binds with pw (and that ldapwhoami names it).
func (l *ldapTool) wantBind(t *testing.T, url string, startTLS bool, login, pw string) {
	t.Helper()
	code, out := l.whoami(t, url, startTLS, login, pw)
	if want := "dn:" + personDN(login); code != 0 || strings.TrimSpace(out) != want {
		t.Errorf("ldapwhoami -H %s as %s: got exit %d, %q, want exit 0, %q", url, login, code, out, want)
	}
}

// wantNoBind checks that login cannot bind with pw.
func (l *ldapTool) wantNoBind(t *testing.T, url string, login, pw, why string) {
	t.Helper()
	code, out := l.whoami(t, url, true, login, pw)
	if code == 0 {
		t.Errorf("ldapwhoami as %s (%s): got exit 0, %q, want a failed bind", login, why, out)
	}
	if !strings.Contains(out, "Invalid credentials (49)") {
		t.Errorf("ldapwhoami as %s (%s): got %q, want %q", login, why, out, "Invalid credentials (49)")
	}
}

func TestServe(t *testing.T) {
	data := newSchool(t)
	lena, lenaPW := addUser(t, data, "Lena", "Schmidt", "pupil", "3a")
	fred, fredPW := addUser(t, data, "Fred", "Mustermann", "teacher", "3a")
	r := mustRun(t, "service-account", "add", "sssd", "--data", data)
	svcPW := onePassword(t, r.stdout, "sssd")
	svcDN := "cn=sssd,ou=services," + testBaseDN

	s := startServe(t, data)
	fp := caFingerprint(t, data)
	if !strings.Contains(s.stdout.String(), "school CA fingerprint (SHA-256) "+fp) {
		t.Errorf("serve output: got %q, want the CA fingerprint %s", s.stdout, fp)
	}
	for _, a := range []string{s.ldap, s.ldaps, s.https} {
		if host, port, err := net.SplitHostPort(a); err != nil || host != "127.0.0.1" || port == "0" {
			t.Errorf("listen address: got %q, want 127.0.0.1 with a real port", a)
		}
	}
	ldapURL, ldapsURL := "ldap://"+s.ldap, "ldaps://"+s.ldaps

	t.Run("ldap-utils", func(t *testing.T) {
		l := newLDAPTool(t, data)

		t.Run("search as the service account", func(t *testing.T) {
			code, out := l.run(t, "ldapsearch", "-x", "-ZZ", "-LLL", "-H", ldapURL, "-D", svcDN, "-w", svcPW, "-b", testBaseDN, "(uid="+lena+")")
			if code != 0 {
				t.Fatalf("ldapsearch: got exit %d, %q, want 0", code, out)
			}
			for _, want := range []string{"dn: " + personDN(lena), "uid: " + lena, "mail: " + lena + "@" + testDomain} {
				if !strings.Contains(out, want+"\n") {
					t.Errorf("ldapsearch: want %q in\n%s", want, out)
				}
			}
			if strings.Contains(out, fred) {
				t.Errorf("ldapsearch (uid=%s): got %s too", lena, fred)
			}
			code, out = l.run(t, "ldapsearch", "-x", "-LLL", "-H", ldapsURL, "-D", svcDN, "-w", svcPW, "-b", testBaseDN, "(uid="+fred+")", "uid")
			if code != 0 || !strings.Contains(out, "dn: "+personDN(fred)) {
				t.Errorf("ldapsearch over LDAPS: got exit %d, %q, want %s", code, out, personDN(fred))
			}
			code, out = l.run(t, "ldapsearch", "-x", "-ZZ", "-LLL", "-H", ldapURL, "-D", svcDN, "-w", svcPW+"x", "-b", testBaseDN, "(uid="+lena+")")
			if code == 0 || strings.Contains(out, "dn: ") {
				t.Errorf("ldapsearch with a wrong service password: got exit %d, %q, want a failed bind", code, out)
			}
		})

		t.Run("whoami", func(t *testing.T) {
			l.wantBind(t, ldapURL, true, lena, lenaPW)
			l.wantBind(t, ldapsURL, false, lena, lenaPW)
			l.wantBind(t, ldapsURL, false, fred, fredPW)
			l.wantNoBind(t, ldapURL, lena, lenaPW+"x", "wrong password")
			l.wantNoBind(t, ldapURL, "nobody", lenaPW, "unknown login")
			// Without TLS no password goes over the wire.
			code, out := l.whoami(t, ldapURL, false, lena, lenaPW)
			if code == 0 || !strings.Contains(out, "Confidentiality required") {
				t.Errorf("plain bind: got exit %d, %q, want %q", code, out, "Confidentiality required")
			}
		})

		t.Run("the CA is checked", func(t *testing.T) {
			other := t.TempDir()
			mustRun(t, "init", "--data", filepath.Join(other, "d"), "--school", "Andere Schule", "--domain", "andere.de")
			wrong := &ldapTool{env: append(append([]string(nil), l.env...), "LDAPTLS_CACERT="+filepath.Join(other, "d", "pki", pki.CACertFile))}
			code, out := wrong.whoami(t, ldapsURL, false, lena, lenaPW)
			if code == 0 {
				t.Errorf("ldapwhoami trusting another school's CA: got exit 0, %q, want a TLS failure", out)
			}
		})

		newPW := "Neues-Passwort-42"
		t.Run("ldappasswd", func(t *testing.T) {
			code, out := l.run(t, "ldappasswd", "-x", "-ZZ", "-H", ldapURL, "-D", personDN(lena), "-w", lenaPW, "-s", "kurz")
			if code == 0 {
				t.Errorf("ldappasswd with a password against the policy: got exit 0, %q, want a refusal", out)
			}
			code, out = l.run(t, "ldappasswd", "-x", "-ZZ", "-H", ldapURL, "-D", personDN(lena), "-w", lenaPW, "-s", newPW)
			if code != 0 {
				t.Fatalf("ldappasswd: got exit %d, %q, want 0", code, out)
			}
			l.wantNoBind(t, ldapURL, lena, lenaPW, "the old password")
			l.wantBind(t, ldapURL, true, lena, newPW)
			// The command line sees the change the server made.
			if got := show(t, data, lena)["status"]; got != "active" {
				t.Errorf("status after the own password: got %q, want %q", got, "active")
			}
		})

		t.Run("changes on the command line hold at once", func(t *testing.T) {
			mustRun(t, "user", "lock", lena, "--reason", "Test", "--data", data)
			code, out := l.whoami(t, ldapURL, true, lena, newPW)
			if code == 0 || !strings.Contains(out, "Invalid credentials (49)") {
				t.Errorf("bind right after the lock: got exit %d, %q, want invalid credentials", code, out)
			}
			code, out = l.whoami(t, ldapsURL, false, lena, newPW)
			if code == 0 {
				t.Errorf("LDAPS bind right after the lock: got exit 0, %q, want a failed bind", out)
			}
			mustRun(t, "user", "unlock", lena, "--data", data)
			l.wantBind(t, ldapURL, true, lena, newPW)

			r := mustRun(t, "user", "passwd", lena, "--data", data)
			reset := onePassword(t, r.stdout, lena)
			l.wantNoBind(t, ldapURL, lena, newPW, "password reset on the command line")
			l.wantBind(t, ldapURL, true, lena, reset)

			mustRun(t, "user", "leave", fred, "--date", "2020-01-01", "--data", data)
			l.wantNoBind(t, ldapURL, fred, fredPW, "left the school")

			r = mustRun(t, "service-account", "passwd", "sssd", "--data", data)
			svcPW2 := onePassword(t, r.stdout, "sssd")
			code, out = l.run(t, "ldapsearch", "-x", "-ZZ", "-LLL", "-H", ldapURL, "-D", svcDN, "-w", svcPW, "-b", testBaseDN, "(uid="+lena+")", "uid")
			if code == 0 {
				t.Errorf("ldapsearch with the rotated-out service password: got exit 0, %q, want a failed bind", out)
			}
			code, out = l.run(t, "ldapsearch", "-x", "-ZZ", "-LLL", "-H", ldapURL, "-D", svcDN, "-w", svcPW2, "-b", testBaseDN, "(uid="+lena+")", "uid")
			if code != 0 || !strings.Contains(out, "dn: "+personDN(lena)) {
				t.Errorf("ldapsearch with the new service password: got exit %d, %q, want %s", code, out, personDN(lena))
			}

			svcPW = svcPW2

			late, latePW := addUser(t, data, "Paula", "Neu", "pupil", "1a")
			l.wantBind(t, ldapsURL, false, late, latePW)
		})

	})

	t.Run("https", func(t *testing.T) {
		pool := x509.NewCertPool()
		caPEM, err := os.ReadFile(filepath.Join(config.PKIDir(data), pki.CACertFile))
		if err != nil {
			t.Fatal(err)
		}
		if !pool.AppendCertsFromPEM(caPEM) {
			t.Fatal("no certificate in ca.crt")
		}
		client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
		base := "https://" + s.https

		resp, err := client.Get(base + "/ca.crt")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, caPEM) {
			t.Errorf("GET /ca.crt: got %d, %q, want 200 and the CA PEM", resp.StatusCode, body)
		}
		if !bytes.HasPrefix(body, []byte("-----BEGIN CERTIFICATE-----")) {
			t.Errorf("GET /ca.crt: got %q, want a PEM certificate", body)
		}

		resp, err = client.Get(base + "/api/v1/health")
		if err != nil {
			t.Fatal(err)
		}
		var health map[string]string
		err = json.NewDecoder(resp.Body).Decode(&health)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("GET /api/v1/health: %v", err)
		}
		if resp.StatusCode != http.StatusOK || health["status"] != "ok" {
			t.Errorf("GET /api/v1/health: got %d, %v, want 200 and status ok", resp.StatusCode, health)
		}
		if got, want := health["school"], testSchoolName; got != want {
			t.Errorf("school in the health check: got %v, want %v", got, want)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type of the health check: got %q, want application/json", ct)
		}

		// A client that trusts other CAs only refuses the server.
		stranger := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}}
		if resp, err := stranger.Get(base + "/api/v1/health"); err == nil {
			resp.Body.Close()
			t.Errorf("GET without the school CA: got %d, want a TLS error", resp.StatusCode)
		}
	})

	t.Run("backup while serving", func(t *testing.T) {
		backup := filepath.Join(t.TempDir(), "live.tar.gz")
		mustRun(t, "backup", backup, "--data", data)
		fresh := filepath.Join(t.TempDir(), "restored")
		mustRun(t, "restore", backup, "--data", fresh)
		if _, ok := row(userList(t, fresh), lena); !ok {
			t.Errorf("backup made while serving: got no %s in it", lena)
		}
	})

	t.Run("stop", func(t *testing.T) {
		if code := s.shutdown(t); code != 0 {
			t.Fatalf("serve after the stop channel closed: got exit %d, want 0\nstderr:\n%s", code, s.stderr)
		}
		for _, a := range []string{s.ldap, s.ldaps, s.https} {
			if c, err := net.Dial("tcp", a); err == nil {
				c.Close()
				t.Errorf("%s after serve returned: got a connection, want none", a)
			}
		}
	})

	t.Run("protocol", func(t *testing.T) {
		// The server wrote every bind to the protocol (at the latest
		// when it stopped): successes and failures, with the reason.
		if _, err := exec.LookPath("ldapwhoami"); err != nil {
			t.Skip("no binds without ldap-utils")
		}
		details := map[string]int{}
		for _, line := range auditRows(t, data, "--action", "login", "--login", lena, "--limit", "1000") {
			details[line.ok+" "+line.detail]++
			if !strings.HasPrefix(line.source, "ldap 127.0.0.1:") {
				t.Errorf("source of a login line: got %q, want %q", line.source, "ldap 127.0.0.1:...")
			}
			if line.actor != lena {
				t.Errorf("actor of a login line: got %q, want %q", line.actor, lena)
			}
		}
		for _, want := range []string{"yes ", "no wrong password", "no locked"} {
			if details[want] == 0 {
				t.Errorf("login lines of %s: got %v, want one %q", lena, details, want)
			}
		}
		for _, line := range auditRows(t, data, "--login", lena, "--limit", "1000") {
			if line.action == "password.change" && line.actor == lena && strings.HasPrefix(line.source, "ldap") {
				return
			}
		}
		t.Errorf("protocol of %s: got no password.change over LDAP", lena)
	})
}

// TestServeRestore restores a backup while the server runs: the server
// serves the restored accounts at the next request.
func TestServeRestore(t *testing.T) {
	data := newSchool(t)
	lena, lenaPW := addUser(t, data, "Lena", "Schmidt", "pupil", "3a")
	s := startServe(t, data)
	l := newLDAPTool(t, data)
	ldapURL, ldapsURL := "ldap://"+s.ldap, "ldaps://"+s.ldaps

	backup := filepath.Join(t.TempDir(), "live.tar.gz")
	mustRun(t, "backup", backup, "--data", data)
	zoe, zoePW := addUser(t, data, "Zoë", "Zuletzt", "pupil", "2a")
	l.wantBind(t, ldapsURL, false, zoe, zoePW)
	mustRun(t, "user", "lock", lena, "--reason", "after the backup", "--data", data)

	mustRun(t, "restore", "--force", backup, "--data", data)
	l.wantNoBind(t, ldapURL, zoe, zoePW, "restored a backup without the account")
	l.wantBind(t, ldapURL, true, lena, lenaPW) // not locked in the backup
	if code := s.shutdown(t); code != 0 {
		t.Errorf("serve: got exit %d, want 0\nstderr:\n%s", code, s.stderr)
	}
}

func TestServeErrors(t *testing.T) {
	data := newSchool(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	stop := make(chan struct{})
	close(stop) // a serve that starts by mistake ends at once
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"port in use", []string{"--ldap", busy.Addr().String(), "--ldaps", "127.0.0.1:0", "--https", "127.0.0.1:0"}, 1, "cannot listen for LDAP on " + busy.Addr().String()},
		{"everything off", []string{"--ldap", "off", "--ldaps", "off", "--https", "off"}, 2, "every listener is off"},
		{"bad address", []string{"--ldap", "nowhere", "--ldaps", "off", "--https", "off"}, 1, "cannot listen"},
		{"positional argument", []string{"now"}, 2, "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, stop: stop}
			code := run(e, append([]string{"serve", "--data", data}, tc.args...))
			if code != tc.code {
				t.Fatalf("exit code: got %v, want %v\nstdout:\n%s\nstderr:\n%s", code, tc.code, out.String(), errb.String())
			}
			if !strings.Contains(errb.String(), tc.want) {
				t.Errorf("stderr: got %q, want %q in it", errb.String(), tc.want)
			}
			if strings.Contains(out.String(), " on 127.0.0.1") {
				t.Errorf("stdout: got %q, want no listener announced", out.String())
			}
		})
	}
}
