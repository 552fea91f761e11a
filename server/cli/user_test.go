package cli

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"

	"kaspel/server/directory"
	"kaspel/shared/password"
)

func TestUserAdd(t *testing.T) {
	data := newSchool(t)
	for _, tc := range []struct {
		first, last, role, class string
		login, wantRole          string
	}{
		{"Fred", "Mustermann", "pupil", "3a", "fred.mustermann", "pupil"},
		{"Fred", "Mustermann", "pupil", "3b", "fred.mustermann.2", "pupil"},
		{"Fred", "Mustermann", "teacher", "", "fred.mustermann.3", "teacher"},
		{"Jörg", "Müller-Lüdenscheidt", "Lehrerin", "3a,4a", "j.mueller-luedensche", "teacher"}, // 20 characters at most (Windows)
		{"Sabine", "Weiß", "secretary", "", "sabine.weiss", "secretary"},
		{"Ada", "Admin", "admin", "", "ada.admin", "admin"},
	} {
		t.Run(tc.login, func(t *testing.T) {
			login, pw := addUser(t, data, tc.first, tc.last, tc.role, tc.class)
			if login != tc.login {
				t.Errorf("login: got %v, want %v", login, tc.login)
			}
			if broken := password.Check(pw); broken != nil {
				t.Errorf("one-time password %q breaks the policy: %v", pw, broken)
			}
			p, err := authenticate(t, data, login, pw)
			if err != nil {
				t.Fatalf("login with the printed password: got %v, want success", err)
			}
			if got := string(p.Role); got != tc.wantRole {
				t.Errorf("role: got %v, want %v", got, tc.wantRole)
			}
			if !p.MustChange {
				t.Errorf("must change the one-time password: got %v, want %v", p.MustChange, true)
			}
			d := show(t, data, login)
			if got, want := d["name"], tc.first+" "+tc.last; got != want {
				t.Errorf("name: got %v, want %v", got, want)
			}
			if got, want := d["mail"], login+"@"+testDomain; got != want {
				t.Errorf("mail: got %v, want %v", got, want)
			}
			for _, c := range splitList(tc.class) {
				if !strings.Contains(d["groups"], c) {
					t.Errorf("groups: got %q, want class %s", d["groups"], c)
				}
			}
		})
	}

	t.Run("errors", func(t *testing.T) {
		before := state(t, data)
		for _, tc := range []struct {
			name string
			args []string
			code int
		}{
			{"unknown role", []string{"--first", "A", "--last", "B", "--role", "janitor"}, 2},
			{"no role", []string{"--first", "A", "--last", "B"}, 2},
			{"no first name", []string{"--last", "B", "--role", "pupil"}, 1},
			{"no last name", []string{"--first", "A", "--role", "pupil"}, 1},
			{"name without letters", []string{"--first", "!!!", "--last", "B", "--role", "pupil"}, 1},
			{"pupil in two classes", []string{"--first", "A", "--last", "B", "--role", "pupil", "--class", "3a,3b"}, 1},
			{"class that is a role", []string{"--first", "A", "--last", "B", "--role", "pupil", "--class", "lehrer"}, 1},
			{"positional argument", []string{"fred", "--first", "A", "--last", "B", "--role", "pupil"}, 2},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := runCLI(t, append([]string{"user", "add", "--data", data}, tc.args...)...)
				wantCode(t, r, tc.code)
				if strings.Contains(r.stdout, "password:") {
					t.Errorf("stdout of a failed add: got %q, want no password", r.stdout)
				}
			})
		}
		sameState(t, "failed user add", state(t, data), before)
	})
}

func TestUserList(t *testing.T) {
	data := newSchool(t)
	fred, _ := addUser(t, data, "Fred", "Mustermann", "pupil", "3a")
	lena, _ := addUser(t, data, "Lena", "Schmidt", "pupil", "3b")
	maja, _ := addUser(t, data, "Maja", "Köhler", "pupil", "3A") // normalised to 3a
	tina, _ := addUser(t, data, "Tina", "Lehmann", "teacher", "3a,3b")
	sven, _ := addUser(t, data, "Sven", "Sport", "teacher", "")
	for _, tc := range []struct {
		filters []string
		want    []string
	}{
		{nil, []string{fred, maja, tina, lena, "admin", sven}},
		{[]string{"--class", "3a"}, []string{fred, maja, tina}},
		{[]string{"--class", "3 A"}, []string{fred, maja, tina}},
		{[]string{"--class", "3b"}, []string{tina, lena}},
		{[]string{"--class", "4a"}, nil},
		{[]string{"--role", "pupil"}, []string{fred, maja, lena}},
		{[]string{"--role", "teacher"}, []string{tina, sven}},
		{[]string{"--role", "admin"}, []string{"admin"}},
		{[]string{"--role", "secretary"}, nil},
		{[]string{"--class", "3a", "--role", "pupil"}, []string{fred, maja}},
		{[]string{"--class", "3b", "--role", "teacher"}, []string{tina}},
	} {
		t.Run(strings.Join(tc.filters, " "), func(t *testing.T) {
			got := logins(userList(t, data, tc.filters...))
			// the order is the documented one (class, last, first name),
			// but classes of teachers sort as "3a,3b": compare as sets
			// where the list order is not specified.
			sort.Strings(got)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
				t.Errorf("user list %v: got %v, want %v", tc.filters, got, want)
			}
		})
	}
	t.Run("order", func(t *testing.T) {
		got := logins(userList(t, data, "--role", "pupil"))
		if want := []string{maja, fred, lena}; !reflect.DeepEqual(got, want) {
			t.Errorf("pupils by class and name: got %v, want %v", got, want)
		}
	})
	t.Run("columns", func(t *testing.T) {
		line, _ := row(userList(t, data), tina)
		for _, want := range []string{"Tina Lehmann", "teacher", "3a,3b", "must change password"} {
			if !strings.Contains(line, want) {
				t.Errorf("row %q: want %q in it", line, want)
			}
		}
	})
	for _, tc := range []struct {
		filters []string
		code    int
	}{
		{[]string{"--role", "janitor"}, 2},
		{[]string{"--class", "3a!"}, 1},
		{[]string{"extra"}, 2},
	} {
		t.Run("bad "+strings.Join(tc.filters, " "), func(t *testing.T) {
			wantCode(t, runCLI(t, append([]string{"user", "list", "--data", data}, tc.filters...)...), tc.code)
		})
	}
}

func TestUserPasswd(t *testing.T) {
	data := newSchool(t)
	login, first := addUser(t, data, "Fred", "Mustermann", "pupil", "3a")
	// Fred chose his own password: no change needed any more.
	ctx := context.Background()
	own := "Eigenes-Passwort-7"
	if err := openDirectory(t, data).ChangePassword(ctx, directory.Actor{Name: login, Service: "test"}, login, own); err != nil {
		t.Fatal(err)
	}
	if got := show(t, data, login)["status"]; got != "active" {
		t.Fatalf("status after the own password: got %q, want %q", got, "active")
	}

	r := mustRun(t, "user", "passwd", login, "--data", data)
	pw := onePassword(t, r.stdout, login)
	if broken := password.Check(pw); broken != nil {
		t.Errorf("new one-time password %q breaks the policy: %v", pw, broken)
	}
	if pw == first || pw == own {
		t.Errorf("new password: got %v, want a new one", pw)
	}
	if got := show(t, data, login)["status"]; !strings.Contains(got, "must change password") {
		t.Errorf("status after the reset: got %q, want it to say %q", got, "must change password")
	}
	if line, _ := row(userList(t, data), login); !strings.Contains(line, "must change password") {
		t.Errorf("user list row after the reset: got %q, want %q", line, "must change password")
	}
	p, err := authenticate(t, data, login, pw)
	if err != nil {
		t.Fatalf("login with the new password: got %v, want success", err)
	}
	if !p.MustChange {
		t.Errorf("must change: got %v, want %v", p.MustChange, true)
	}
	for _, old := range []string{first, own} {
		if _, err := authenticate(t, data, login, old); !errors.Is(err, directory.ErrInvalidCredentials) {
			t.Errorf("login with the old password %q: got %v, want %v", old, err, directory.ErrInvalidCredentials)
		}
	}

	// A second reset makes yet another password.
	r = mustRun(t, "user", "passwd", "--data", data, login)
	if pw2 := onePassword(t, r.stdout, login); pw2 == pw {
		t.Errorf("second reset: got the same password %v", pw2)
	}
}

func TestUserLock(t *testing.T) {
	data := newSchool(t)
	login, pw := addUser(t, data, "Fred", "Mustermann", "pupil", "3a")

	t.Run("without reason", func(t *testing.T) {
		before := state(t, data)
		for _, args := range [][]string{
			{"user", "lock", login, "--data", data},
			{"user", "lock", login, "--data", data, "--reason", "   "},
		} {
			r := runCLI(t, args...)
			wantCode(t, r, 1)
			if !strings.Contains(r.stderr, "reason") {
				t.Errorf("stderr: got %q, want it to ask for a reason", r.stderr)
			}
		}
		sameState(t, "lock without a reason", state(t, data), before)
	})

	t.Run("lock", func(t *testing.T) {
		// the flag after the login
		mustRun(t, "user", "lock", login, "--reason", "Passwort weitergegeben", "--data", data)
		d := show(t, data, login)
		if !strings.Contains(d["status"], "locked") {
			t.Errorf("status: got %q, want %q", d["status"], "locked")
		}
		if want := "by cli:" + testUser + ": Passwort weitergegeben"; !strings.Contains(d["locked"], want) {
			t.Errorf("locked: got %q, want %q in it", d["locked"], want)
		}
		if line, _ := row(userList(t, data), login); !strings.Contains(line, "locked") {
			t.Errorf("user list row: got %q, want %q", line, "locked")
		}
		if _, err := authenticate(t, data, login, pw); !errors.Is(err, directory.ErrLocked) {
			t.Errorf("login of a locked account: got %v, want %v", err, directory.ErrLocked)
		}
	})

	t.Run("unlock", func(t *testing.T) {
		mustRun(t, "user", "unlock", login, "--data", data)
		d := show(t, data, login)
		if strings.Contains(d["status"], "locked") || d["locked"] != "" {
			t.Errorf("after unlock: got status %q, locked %q, want no lock", d["status"], d["locked"])
		}
		if line, _ := row(userList(t, data), login); strings.Contains(line, "locked") {
			t.Errorf("user list row after unlock: got %q, want no lock", line)
		}
		if _, err := authenticate(t, data, login, pw); err != nil {
			t.Errorf("login after unlock: got %v, want success", err)
		}
		r := runCLI(t, "user", "unlock", login, "--data", data)
		wantCode(t, r, 1)
		if !strings.Contains(r.stderr, "not locked") {
			t.Errorf("second unlock: got %q, want %q", r.stderr, "not locked")
		}
	})
}

func TestUserEdit(t *testing.T) {
	data := newSchool(t)
	login, pw := addUser(t, data, "Fred", "Mustermann", "pupil", "3a")

	mustRun(t, "user", "edit", login, "--last", "Musterfrau", "--first", "Frieda", "--class", "4b", "--id", "4711", "--data", data)
	d := show(t, data, login)
	if got, want := d["login"], login; got != want {
		t.Errorf("login after the edit: got %v, want %v", got, want)
	}
	if got, want := d["name"], "Frieda Musterfrau"; got != want {
		t.Errorf("name: got %v, want %v", got, want)
	}
	if got, want := d["id"], "4711"; got != want {
		t.Errorf("id: got %v, want %v", got, want)
	}
	if got, want := logins(userList(t, data, "--class", "4b")), []string{login}; !reflect.DeepEqual(got, want) {
		t.Errorf("class 4b: got %v, want %v", got, want)
	}
	if got := logins(userList(t, data, "--class", "3a")); len(got) != 0 {
		t.Errorf("class 3a: got %v, want nobody", got)
	}
	if _, err := authenticate(t, data, login, pw); err != nil {
		t.Errorf("login after the edit: got %v, want success (the password stays)", err)
	}
	// A namesake of the new name gets the free login, not Fred's.
	if l, _ := addUser(t, data, "Frieda", "Musterfrau", "pupil", ""); l != "frieda.musterfrau" {
		t.Errorf("login of the namesake: got %v, want %v", l, "frieda.musterfrau")
	}

	mustRun(t, "user", "edit", login, "--class", "-", "--id", "-", "--role", "teacher", "--data", data)
	d = show(t, data, login)
	if d["id"] != "" || d["role"] != "teacher" {
		t.Errorf("after clearing: got id %q role %q, want no id and teacher", d["id"], d["role"])
	}

	before := state(t, data)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"nothing to change", []string{"user", "edit", login}, 2},
		{"no login", []string{"user", "edit", "--first", "X"}, 2},
		{"empty name", []string{"user", "edit", login, "--first", " "}, 1},
		{"bad role", []string{"user", "edit", login, "--role", "king"}, 2},
		{"pupil in two classes", []string{"user", "edit", login, "--role", "pupil", "--class", "1a,2a"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, runCLI(t, append(tc.args, "--data", data)...), tc.code)
		})
	}
	sameState(t, "failed edits", state(t, data), before)
}

func TestUserLeaveHoldBackConsentGrant(t *testing.T) {
	data := newSchool(t)
	fred, pw := addUser(t, data, "Fred", "Mustermann", "pupil", "3a")
	tina, _ := addUser(t, data, "Tina", "Lehmann", "teacher", "3a")

	t.Run("leave", func(t *testing.T) {
		mustRun(t, "user", "leave", fred, "--date", "2999-07-31", "--data", data)
		if got := show(t, data, fred)["status"]; !strings.Contains(got, "leaving 2999-07-31") {
			t.Errorf("status: got %q, want %q", got, "leaving 2999-07-31")
		}
		if _, ok := row(userList(t, data), fred); !ok {
			t.Errorf("user list: got no %s, want a pupil who leaves in the future listed", fred)
		}
		mustRun(t, "user", "leave", fred, "--date", "2020-01-01", "--data", data)
		if _, ok := row(userList(t, data), fred); ok {
			t.Errorf("user list: got %s, want someone who has left left out", fred)
		}
		line, ok := row(userList(t, data, "--all"), fred)
		if !ok || !strings.Contains(line, "left 2020-01-01") {
			t.Errorf("user list --all: got %q, want %s with %q", line, fred, "left 2020-01-01")
		}
		if _, err := authenticate(t, data, fred, pw); !errors.Is(err, directory.ErrLeft) {
			t.Errorf("login after leaving: got %v, want %v", err, directory.ErrLeft)
		}
		mustRun(t, "user", "leave", fred, "--undo", "--data", data)
		if got := show(t, data, fred)["status"]; strings.Contains(got, "left") || strings.Contains(got, "leaving") {
			t.Errorf("status after --undo: got %q, want no leaving date", got)
		}
		if _, err := authenticate(t, data, fred, pw); err != nil {
			t.Errorf("login after --undo: got %v, want success", err)
		}
		wantCode(t, runCLI(t, "user", "leave", fred, "--data", data), 2)
		wantCode(t, runCLI(t, "user", "leave", fred, "--date", "31.07.2027", "--data", data), 1)
	})

	t.Run("hold-back", func(t *testing.T) {
		mustRun(t, "user", "hold-back", fred, "--data", data)
		if got := show(t, data, fred)["status"]; !strings.Contains(got, "held back") {
			t.Errorf("status: got %q, want %q", got, "held back")
		}
		mustRun(t, "user", "hold-back", fred, "--undo", "--data", data)
		if got := show(t, data, fred)["status"]; strings.Contains(got, "held back") {
			t.Errorf("status after --undo: got %q, want no %q", got, "held back")
		}
		r := runCLI(t, "user", "hold-back", tina, "--data", data)
		wantCode(t, r, 1)
		if !strings.Contains(r.stderr, "pupils") {
			t.Errorf("hold-back of a teacher: got %q, want it to say only pupils", r.stderr)
		}
	})

	t.Run("consent", func(t *testing.T) {
		if got := show(t, data, fred)["consent"]; got != "not recorded" {
			t.Errorf("consent of a new pupil: got %q, want %q", got, "not recorded")
		}
		mustRun(t, "user", "consent", fred, "--guardian", "Erika Mustermann", "--signed", "2026-08-20", "--data", data)
		if got, want := show(t, data, fred)["consent"], "signed 2026-08-20 by Erika Mustermann"; got != want {
			t.Errorf("consent: got %q, want %q", got, want)
		}
		if _, err := authenticate(t, data, fred, pw); err != nil {
			t.Errorf("login with consent: got %v, want success", err)
		}
		mustRun(t, "user", "consent", fred, "--revoke", "2026-09-01", "--data", data)
		if got := show(t, data, fred)["consent"]; !strings.Contains(got, "revoked 2026-09-01") {
			t.Errorf("consent: got %q, want %q", got, "revoked 2026-09-01")
		}
		if _, err := authenticate(t, data, fred, pw); !errors.Is(err, directory.ErrConsentRevoked) {
			t.Errorf("login after the consent was revoked: got %v, want %v", err, directory.ErrConsentRevoked)
		}
		// a new consent lets the pupil in again
		mustRun(t, "user", "consent", fred, "--guardian", "Max Mustermann", "--signed", "2026-09-10", "--data", data)
		if _, err := authenticate(t, data, fred, pw); err != nil {
			t.Errorf("login with a new consent: got %v, want success", err)
		}
		for _, args := range [][]string{
			{"--guardian", "Erika Mustermann"},
			{"--signed", "2026-08-20"},
			{"--guardian", "E", "--signed", "2026-08-20", "--revoke", "2026-09-01"},
			{},
		} {
			wantCode(t, runCLI(t, append([]string{"user", "consent", fred, "--data", data}, args...)...), 2)
		}
	})

	t.Run("grant", func(t *testing.T) {
		mustRun(t, "user", "grant", tina, "protocol", "--data", data)
		if got := show(t, data, tina)["rights"]; got != "protocol" {
			t.Errorf("rights: got %q, want %q", got, "protocol")
		}
		mustRun(t, "user", "revoke", tina, "protocol", "--data", data)
		if got := show(t, data, tina)["rights"]; got != "" {
			t.Errorf("rights after revoke: got %q, want none", got)
		}
		r := runCLI(t, "user", "grant", tina, "root", "--data", data)
		wantCode(t, r, 1)
		if !strings.Contains(r.stderr, `"root"`) {
			t.Errorf("unknown right: got %q, want it named", r.stderr)
		}
		wantCode(t, runCLI(t, "user", "grant", tina, "--data", data), 2)
	})
}

func TestUserUnknownLogin(t *testing.T) {
	data := newSchool(t)
	before := state(t, data)
	for _, args := range [][]string{
		{"passwd", "nobody"},
		{"lock", "nobody", "--reason", "x"},
		{"unlock", "nobody"},
		{"show", "nobody"},
		{"edit", "nobody", "--first", "X"},
		{"leave", "nobody", "--date", "2027-07-31"},
		{"hold-back", "nobody"},
		{"consent", "nobody", "--guardian", "G", "--signed", "2026-08-20"},
		{"grant", "nobody", "protocol"},
		{"revoke", "nobody", "protocol"},
	} {
		t.Run(args[0], func(t *testing.T) {
			r := runCLI(t, append(append([]string{"user"}, args...), "--data", data)...)
			wantCode(t, r, 1)
			want := "kaspel-server user: person \"nobody\": not found\n"
			if r.stderr != want {
				t.Errorf("stderr: got %q, want %q", r.stderr, want)
			}
			if r.stdout != "" {
				t.Errorf("stdout: got %q, want nothing", r.stdout)
			}
		})
	}
	sameState(t, "commands on an unknown login", state(t, data), before)
}

func TestUserUsage(t *testing.T) {
	data := newSchool(t)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"user", "frobnicate", "--data", data}, 2},
		{[]string{"user", "passwd", "--data", data}, 2},
		{[]string{"user", "passwd", "a", "b", "--data", data}, 2},
		{[]string{"user", "lock", "--reason", "x", "--data", data}, 2},
		{[]string{"user", "show", "admin", "--bogus", "--data", data}, 2},
		{[]string{"user", "help"}, 0},
		{[]string{"user"}, 0},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runCLI(t, tc.args...)
			wantCode(t, r, tc.code)
			if tc.code == 2 && !strings.Contains(r.stderr, "usage: kaspel-server user") {
				t.Errorf("stderr: got %q, want the usage line", r.stderr)
			}
			if tc.code == 0 && !strings.Contains(r.stdout, "user lock     LOGIN --reason TEXT") {
				t.Errorf("help: got %q, want the subcommands", r.stdout)
			}
		})
	}
}
