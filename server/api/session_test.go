package api_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"kaspel/client/serverapi"
	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/password"
	"kaspel/shared/wire"
)

// apiError returns the error answer in err, failing the test if there is
// none.
func apiError(t *testing.T, err error, what string) *serverapi.Error {
	t.Helper()
	var e *serverapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: got %v, want an error answer", what, err)
	}
	return e
}

// protocol reads the protocol as the fixture's protocol reader, after
// the queued login records are written.
func (s *school) readProtocol(q serverapi.ProtocolQuery) []wire.ProtocolEntry {
	s.t.Helper()
	s.FlushAudit()
	entries, err := s.as(s.Protocol).Protocol(ctx, q)
	if err != nil {
		s.t.Fatalf("protocol: %v", err)
	}
	return entries
}

// settableClock is a session clock a test moves.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *settableClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestLoginAnswer(t *testing.T) {
	s := newSchool(t)
	tests := []struct {
		login      string
		name       string
		role       string
		classes    []string
		mustChange bool
		rights     []string
	}{
		{s.Pupil, "Anna Schmidt", wire.RolePupil, []string{"3a"}, false, nil},
		{s.Teacher, "Tina Lehmann", wire.RoleTeacher, []string{"3a"}, false, nil},
		{s.Secretary, "Sabine Sekretär", wire.RoleSecretary, []string{}, false, nil},
		{s.Admin, "Adam Admin", wire.RoleAdmin, []string{}, false, nil},
		{s.Protocol, "Paula Protokoll", wire.RoleTeacher, []string{}, false, []string{directory.RightProtocol}},
		{s.MustChange, "Max Neu", wire.RolePupil, []string{"3a"}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			c := s.anon()
			before := time.Now()
			sess, err := c.Login(ctx, strings.ToUpper(tt.login), s.passwordOf(tt.login), "PC-01")
			if err != nil {
				t.Fatal(err)
			}
			if sess.Token == "" || c.Token() != sess.Token {
				t.Errorf("got token %q (client keeps %q), want one", sess.Token, c.Token())
			}
			// The default idle time is an hour; the answer says when.
			if lo, hi := before.Add(59*time.Minute), time.Now().Add(61*time.Minute); sess.Expires.Before(lo) || sess.Expires.After(hi) {
				t.Errorf("got expiry %v, want about an hour from now", sess.Expires)
			}
			u := sess.User
			first, last, _ := strings.Cut(tt.name, " ")
			if u.Login != tt.login || u.Name != tt.name || u.FirstName != first || u.LastName != last || u.Role != tt.role {
				t.Errorf("got user %+v, want %s %s (%s)", u, tt.login, tt.name, tt.role)
			}
			if !slices.Equal(u.Classes, tt.classes) {
				t.Errorf("got classes %v, want %v", u.Classes, tt.classes)
			}
			if u.Mail != tt.login+"@"+testrig.Domain {
				t.Errorf("got mail %q, want %s@%s", u.Mail, tt.login, testrig.Domain)
			}
			if !slices.Equal(u.Rights, tt.rights) {
				t.Errorf("got rights %v, want %v", u.Rights, tt.rights)
			}
			if !slices.Equal(sess.Modules, s.API.Modules()) || !slices.Contains(sess.Modules, wire.ModuleAddressbook) {
				t.Errorf("got modules %v, want every built module %v", sess.Modules, s.API.Modules())
			}
			if sess.MustChangePassword != tt.mustChange {
				t.Errorf("got must_change_password %v, want %v", sess.MustChangePassword, tt.mustChange)
			}
			if sess.School != testrig.School {
				t.Errorf("got school %q, want %q", sess.School, testrig.School)
			}
			again, err := c.Session(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if again.Token != "" || again.User.Login != tt.login || again.MustChangePassword != tt.mustChange {
				t.Errorf("GET session: got %+v, want the same person and no token", again)
			}
		})
	}
	t.Run("status 201", func(t *testing.T) {
		status, code := s.raw("", "POST", "/api/v1/session", wire.LoginRequest{Login: s.Pupil, Password: pupilPW})
		if status != http.StatusCreated || code != "" {
			t.Errorf("got %d %s, want 201", status, code)
		}
	})
}

func TestLoginRefused(t *testing.T) {
	s := newSchool(t)
	locked := s.Rig.AddPerson("Lotte", "Gesperrt", directory.Pupil, pupilPW, "3a")
	if err := s.Dir.Lock(ctx, testrig.Admin, locked, "Regelverstoß"); err != nil {
		t.Fatal(err)
	}
	leaver := s.Rig.AddPerson("Lea", "Weg", directory.Pupil, pupilPW, "4b")
	if err := s.Dir.SetLeaving(ctx, testrig.Admin, leaver, "2020-07-31"); err != nil {
		t.Fatal(err)
	}
	revoked := s.Rig.AddPerson("Rudi", "Widerruf", directory.Pupil, pupilPW, "4b")
	if err := s.Dir.RevokeConsent(ctx, testrig.Admin, revoked, localToday()); err != nil {
		t.Fatal(err)
	}
	const wrong = "Login oder Passwort stimmt nicht."
	tests := []struct {
		name, login, pw string
		status          int
		code            string
		msg             string // the whole message, or a part with contains
		contains        bool
	}{
		{"wrong password", s.Pupil, "Falsch-123!", http.StatusUnauthorized, wire.CodeWrongCredentials, wrong, false},
		{"unknown login", "niemand.da", "Falsch-123!", http.StatusUnauthorized, wire.CodeWrongCredentials, wrong, false},
		{"empty password", s.Pupil, "", http.StatusBadRequest, wire.CodeInvalid, "Bitte Login und Passwort eingeben.", false},
		{"empty login", "  ", pupilPW, http.StatusBadRequest, wire.CodeInvalid, "Bitte Login und Passwort eingeben.", false},
		{"locked", locked, pupilPW, http.StatusForbidden, wire.CodeAccountLocked, "Wende dich an", true},
		{"leaver", leaver, pupilPW, http.StatusForbidden, wire.CodeAccountLocked, "nicht mehr aktiv", true},
		{"consent revoked", revoked, pupilPW, http.StatusForbidden, wire.CodeAccountLocked, "Wende dich an", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s.anon()
			_, err := c.Login(ctx, tt.login, tt.pw, "PC-02")
			e := apiError(t, err, "login")
			if e.Status != tt.status || e.Code != tt.code {
				t.Errorf("got %d %s, want %d %s", e.Status, e.Code, tt.status, tt.code)
			}
			if tt.contains && !strings.Contains(e.Message, tt.msg) || !tt.contains && e.Message != tt.msg {
				t.Errorf("got message %q, want %q", e.Message, tt.msg)
			}
			if c.Token() != "" {
				t.Errorf("got a token after a refused login")
			}
		})
	}
	// A wrong password and an unknown login look the same.
	_, errWrong := s.anon().Login(ctx, s.Pupil, "Falsch-123!", "")
	_, errUnknown := s.anon().Login(ctx, "keiner.hier", "Falsch-123!", "")
	if errWrong.Error() != errUnknown.Error() {
		t.Errorf("got %v and %v, want the same answer for a wrong password and an unknown login", errWrong, errUnknown)
	}
}

func TestLoginThrottled(t *testing.T) {
	cfg := directory.DefaultConfig
	cfg.Hash = testrig.FastHash
	cfg.Throttle = directory.ThrottleConfig{AccountFailures: 3, SourceFailures: 100, WindowSeconds: 3600}
	rig := testrig.New(t, testrig.Options{Directory: &cfg})
	s := &school{Rig: rig, t: t}
	pupil := rig.AddPerson("Anna", "Schmidt", directory.Pupil, pupilPW, "3a")
	other := rig.AddPerson("Ben", "Becker", directory.Pupil, pupilPW, "3a")
	for i := 1; i <= 3; i++ {
		_, err := s.anon().Login(ctx, pupil, "Falsch-123!", "")
		wantCode(t, err, wire.CodeWrongCredentials, "wrong password")
	}
	for _, pw := range []string{"Falsch-123!", pupilPW} {
		_, err := s.anon().Login(ctx, pupil, pw, "")
		e := apiError(t, err, "throttled login")
		if e.Status != http.StatusTooManyRequests || e.Code != wire.CodeRateLimited {
			t.Errorf("got %d %s, want 429 rate_limited (even with the right password)", e.Status, e.Code)
		}
		if !strings.Contains(e.Message, "Bitte warte") {
			t.Errorf("got message %q, want a German request to wait", e.Message)
		}
	}
	// Another account from the same computer is not blocked.
	if _, err := s.anon().Login(ctx, other, pupilPW, ""); err != nil {
		t.Errorf("another account: got %v, want a session", err)
	}
	// The protocol says why.
	rig.FlushAudit()
	entries, err := audit.List(ctx, rig.DB, audit.Query{Target: pupil, Action: "login", Limit: 1})
	if err != nil || len(entries) != 1 {
		t.Fatalf("got %v, %v, want the last login line", entries, err)
	}
	if e := entries[0]; e.Success || e.Detail != "throttled" {
		t.Errorf("got success %v detail %q, want a failure, throttled", e.Success, e.Detail)
	}
}

func TestTokenStoredOnlyHashed(t *testing.T) {
	s := newSchool(t)
	c := s.as(s.Pupil)
	token := c.Token()
	rows, err := s.DB.R.QueryContext(ctx, `SELECT token_hash, computer, source, created_at, last_seen FROM sessions
		WHERE person_id = (SELECT id FROM people WHERE login = ?)`, s.Pupil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	want := sha256.Sum256([]byte(token))
	for rows.Next() {
		n++
		var hash []byte
		var computer, source, created, seen string
		if err := rows.Scan(&hash, &computer, &source, &created, &seen); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(hash, want[:]) {
			t.Errorf("got token_hash %x, want the SHA-256 of the token %x", hash, want)
		}
		for _, v := range []string{string(hash), computer, source, created, seen} {
			if strings.Contains(v, token) {
				t.Errorf("a column of the session row holds the token")
			}
		}
		if computer != "PC-01" || source != "127.0.0.1" {
			t.Errorf("got computer %q source %q, want PC-01 and 127.0.0.1", computer, source)
		}
	}
	if n != 1 {
		t.Errorf("got %d session rows, want 1", n)
	}
	// Nowhere on disk and not in the log: the database, its WAL, the
	// configuration, the log.
	s.FlushAudit()
	err = filepath.WalkDir(s.Data, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(token)) {
			t.Errorf("%s holds the token", path)
		}
		if bytes.Contains(data, []byte(pupilPW)) {
			t.Errorf("%s holds the password", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if log := s.Log.String(); strings.Contains(log, token) || strings.Contains(log, pupilPW) {
		t.Errorf("the server log holds the token or the password")
	}
}

func TestLoginLogoutProtocol(t *testing.T) {
	s := newSchool(t)
	c := s.anon()
	if _, err := c.Login(ctx, s.Pupil, "Falsch-123!", "PC-07"); err == nil {
		t.Fatal("a wrong password got a session")
	}
	if _, err := c.Login(ctx, s.Pupil, pupilPW, "PC-07"); err != nil {
		t.Fatal(err)
	}
	token := c.Token()
	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Token() != "" {
		t.Errorf("the client kept the token after the logout")
	}
	c.SetToken(token)
	_, err := c.Session(ctx)
	e := apiError(t, err, "session after the logout")
	if e.Status != http.StatusUnauthorized || e.Code != wire.CodeUnauthenticated {
		t.Errorf("after the logout: got %d %s, want 401 unauthenticated", e.Status, e.Code)
	}

	entries := s.readProtocol(serverapi.ProtocolQuery{Login: s.Pupil})
	var got []string
	for _, en := range entries {
		if en.Action == "login" || en.Action == "logout" {
			got = append(got, en.Action+" "+en.Actor+" ok="+boolWord(en.Success)+" on "+en.Computer+" from "+en.Source+" via "+en.Service)
		}
	}
	want := []string{
		"logout " + s.Pupil + " ok=yes on PC-07 from 127.0.0.1 via api",
		"login " + s.Pupil + " ok=yes on PC-07 from 127.0.0.1 via api",
		"login " + s.Pupil + " ok=no on PC-07 from 127.0.0.1 via api",
	}
	if len(got) < 3 || !slices.Equal(got[:3], want) {
		t.Errorf("got %q, want the newest three to be %q", got, want)
	}
}

func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// A computer name longer than the server keeps is cut at a character,
// never in the middle of one (an umlaut is two bytes).
func TestLoginLongComputerName(t *testing.T) {
	s := newSchool(t)
	long := "x" + strings.Repeat("Ä", 40)
	c := s.anon()
	if _, err := c.Login(ctx, s.Pupil, pupilPW, long); err != nil {
		t.Fatal(err)
	}
	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	entries := s.readProtocol(serverapi.ProtocolQuery{Login: s.Pupil, Kind: "logout"})
	if len(entries) != 1 {
		t.Fatalf("got %d logout lines, want 1", len(entries))
	}
	got := entries[0].Computer
	if !utf8.ValidString(got) || strings.ContainsRune(got, utf8.RuneError) || !strings.HasPrefix(long, got) || len(got) > 64 || len(got) < 60 {
		t.Errorf("got computer %q, want the name cut to at most 64 bytes at a character", got)
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	s := newSchool(t)
	clock := &settableClock{t: time.Now()}
	s.Sessions.SetClock(clock.now)
	c := s.as(s.Pupil)
	steps := []struct {
		after time.Duration
		alive bool
	}{
		{30 * time.Minute, true}, // used: the idle time starts again
		{59 * time.Minute, true},
		{59 * time.Minute, true},
		{61 * time.Minute, false}, // an hour and a minute without use
	}
	for i, st := range steps {
		clock.add(st.after)
		_, err := c.Session(ctx)
		if st.alive && err != nil {
			t.Fatalf("step %d: got %v, want the session alive", i, err)
		}
		if !st.alive {
			e := apiError(t, err, "expired session")
			if e.Status != http.StatusUnauthorized || e.Code != wire.CodeUnauthenticated {
				t.Errorf("step %d: got %d %s, want 401 unauthenticated", i, e.Status, e.Code)
			}
		}
	}
	// Gone for good, also when the clock is set back.
	clock.add(-2 * time.Hour)
	if _, err := c.Session(ctx); err == nil {
		t.Errorf("the expired session came back")
	}
}

func TestSessionMaxAge(t *testing.T) {
	s := newSchool(t)
	clock := &settableClock{t: time.Now()}
	s.Sessions.SetClock(clock.now)
	c := s.as(s.Teacher)
	// Used every 50 minutes for a school day: alive until 12 hours.
	for used := 50 * time.Minute; used < 12*time.Hour; used += 50 * time.Minute {
		clock.add(50 * time.Minute)
		if _, err := c.Session(ctx); err != nil {
			t.Fatalf("after %v: got %v, want the session alive", used, err)
		}
	}
	clock.add(50 * time.Minute)
	_, err := c.Session(ctx)
	wantCode(t, err, wire.CodeUnauthenticated, "a session older than 12 hours")
}

func TestLockEndsOpenSession(t *testing.T) {
	s := newSchool(t)
	c := s.as(s.Pupil)
	// A lock from the command line does not touch the sessions table: the
	// next request finds the lock.
	if err := s.Dir.Lock(ctx, testrig.Admin, s.Pupil, "Regelverstoß"); err != nil {
		t.Fatal(err)
	}
	_, err := c.Groups(ctx)
	e := apiError(t, err, "request after the lock")
	if e.Status != http.StatusForbidden || e.Code != wire.CodeAccountLocked || !strings.Contains(e.Message, "Wende dich an") {
		t.Errorf("got %d %s %q, want 403 account_locked telling whom to ask", e.Status, e.Code, e.Message)
	}
	// The session is gone, not just refused: an unlock does not bring it
	// back.
	if err := s.Dir.Unlock(ctx, testrig.Admin, s.Pupil); err != nil {
		t.Fatal(err)
	}
	_, err = c.Groups(ctx)
	wantCode(t, err, wire.CodeUnauthenticated, "the old session after the unlock")
	if _, err := s.anon().Login(ctx, s.Pupil, pupilPW, ""); err != nil {
		t.Errorf("login after the unlock: %v", err)
	}
}

func TestMustChangePassword(t *testing.T) {
	s := newSchool(t)
	first := s.anon()
	sess, err := first.Login(ctx, s.MustChange, s.MustChangePW, "PC-03")
	if err != nil {
		t.Fatal(err)
	}
	if !sess.MustChangePassword {
		t.Fatalf("got must_change_password false, want true")
	}
	second := s.as(s.MustChange)

	// Only the session, the password change and the logout.
	t.Run("nothing else", func(t *testing.T) {
		if _, err := first.Session(ctx); err != nil {
			t.Errorf("GET session: %v", err)
		}
		if _, err := first.PasswordPolicy(ctx); err != nil {
			t.Errorf("password policy: %v", err)
		}
		for name, call := range map[string]func() error{
			"groups":      func() error { _, err := first.Groups(ctx); return err },
			"addressbook": func() error { _, err := first.SearchAddressbook(ctx, serverapi.AddressbookQuery{}); return err },
		} {
			e := apiError(t, call(), name)
			if e.Status != http.StatusForbidden || e.Code != wire.CodeMustChangePassword || e.Message != "Bitte ändere zuerst dein Passwort." {
				t.Errorf("%s: got %d %s %q, want 403 must_change_password", name, e.Status, e.Code, e.Message)
			}
		}
	})

	t.Run("refused changes", func(t *testing.T) {
		tests := []struct {
			name     string
			old, new string
			msg      string
			fields   []string
		}{
			{"short", s.MustChangePW, "kurz", password.Describe(password.Check("kurz")), []string{"new"}},
			{"no digit or special", s.MustChangePW, "Nurbuchstaben", "Das Passwort braucht noch: eine Ziffer, ein Sonderzeichen (zum Beispiel ! - + ?).", []string{"new"}},
			{"no upper case", s.MustChangePW, "klein-123-abc", "Das Passwort braucht noch: ein großer Buchstabe.", []string{"new"}},
			{"old wrong", "Falsch-123!", "Neues-Passwort-1", "Das bisherige Passwort stimmt nicht.", []string{"old"}},
			{"old missing", "", "Neues-Passwort-1", "Bitte gib dein bisheriges Passwort ein.", []string{"old"}},
			{"same as old", s.MustChangePW, s.MustChangePW, "Das neue Passwort muss anders sein als das bisherige.", []string{"new"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := first.ChangePassword(ctx, tt.old, tt.new)
				e := apiError(t, err, "change")
				if e.Status != http.StatusBadRequest || e.Code != wire.CodeInvalid {
					t.Errorf("got %d %s, want 400 invalid", e.Status, e.Code)
				}
				if e.Message != tt.msg || !slices.Equal(e.Fields, tt.fields) {
					t.Errorf("got %q %v, want %q %v", e.Message, e.Fields, tt.msg, tt.fields)
				}
			})
		}
		if _, err := first.Groups(ctx); serverapi.Code(err) != wire.CodeMustChangePassword {
			t.Errorf("after refused changes: got %v, want still must_change_password", err)
		}
	})

	const newPW = "Mein-Neues-Passwort-7"
	if err := first.ChangePassword(ctx, s.MustChangePW, newPW); err != nil {
		t.Fatalf("change: %v", err)
	}
	if _, err := first.Groups(ctx); err != nil {
		t.Errorf("after the change: got %v, want everything open", err)
	}
	if sess, err := first.Session(ctx); err != nil || sess.MustChangePassword {
		t.Errorf("after the change: got must_change_password %v (%v), want false", sess.MustChangePassword, err)
	}
	_, err = second.Session(ctx)
	wantCode(t, err, wire.CodeUnauthenticated, "the other session after the change")
	_, err = s.anon().Login(ctx, s.MustChange, s.MustChangePW, "")
	wantCode(t, err, wire.CodeWrongCredentials, "login with the one-time password")
	if sess, err := s.anon().Login(ctx, s.MustChange, newPW, ""); err != nil || sess.MustChangePassword {
		t.Errorf("login with the new password: got %+v, %v", sess, err)
	}
	if entries := s.readProtocol(serverapi.ProtocolQuery{Login: s.MustChange, Kind: "password.change"}); len(entries) != 1 {
		t.Errorf("got %d password.change lines, want 1", len(entries))
	}
}

// A person who changes the password after the must-change phase ends the
// other sessions too (a stolen session dies with the old password).
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	s := newSchool(t)
	a, b := s.as(s.Teacher), s.as(s.Teacher)
	if err := a.ChangePassword(ctx, teacherPW, "Ganz-Neu-2026!"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session(ctx); err != nil {
		t.Errorf("the changing session: got %v, want it alive", err)
	}
	_, err := b.Session(ctx)
	wantCode(t, err, wire.CodeUnauthenticated, "the other session")
}
