package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"kaspel/shared/wire"
)

// A matrixRow states, independently of the route table, who may call an
// endpoint. TestAuthorizationMatrix calls every row as every kind of
// caller and checks that the answer is a refusal exactly where the row
// says so; a route without a row (or a row without a route) fails it.
type matrixRow struct {
	method, pattern string
	// who: "public", "all" (every logged-in person), or a comma list of
	// roles (pupil, teacher, secretary, admin) and "protocol" (holders of
	// the protocol right).
	who string
	// duringPW: a session that must change its password may call it.
	duringPW bool
	// path is the concrete path to call ({placeholders} from the fixture's
	// vars); "" means the pattern itself.
	path string
	body any
	// handlerDenies names callers the access rule lets in but the handler
	// refuses because of the data (a teacher without the class), with 403.
	handlerDenies []string
}

// matrix holds the rows; each module's matrix file adds its own in init.
var matrix = []matrixRow{
	{method: "GET", pattern: "/ca.crt", who: "public"},
	{method: "GET", pattern: "/api/v1/health", who: "public"},
	{method: "POST", pattern: "/api/v1/session", who: "public", body: wire.LoginRequest{Login: "nobody", Password: "x"}},
	{method: "GET", pattern: "/api/v1/session", who: "all", duringPW: true},
	{method: "DELETE", pattern: "/api/v1/session", who: "all", duringPW: true},
	{method: "POST", pattern: "/api/v1/password", who: "all", duringPW: true, body: wire.PasswordChange{Old: "wrong", New: "x"}},
	{method: "GET", pattern: "/api/v1/password/policy", who: "public"},
	{method: "GET", pattern: "/api/v1/admin/users", who: "admin"},
	{method: "POST", pattern: "/api/v1/admin/users", who: "admin", body: wire.NewPerson{FirstName: "", LastName: "", Role: "pupil"}},
	{method: "GET", pattern: "/api/v1/admin/users/{login}", who: "admin", path: "/api/v1/admin/users/{target}"},
	{method: "PATCH", pattern: "/api/v1/admin/users/{login}", who: "admin", path: "/api/v1/admin/users/{target}", body: map[string]any{}},
	{method: "POST", pattern: "/api/v1/admin/users/{login}/lock", who: "admin", path: "/api/v1/admin/users/{target}/lock", body: wire.Lock{}},
	{method: "DELETE", pattern: "/api/v1/admin/users/{login}/lock", who: "admin", path: "/api/v1/admin/users/{target}/lock"},
	{method: "POST", pattern: "/api/v1/admin/users/{login}/consent", who: "admin", path: "/api/v1/admin/users/{target}/consent", body: wire.ConsentChange{}},
	{method: "PUT", pattern: "/api/v1/admin/users/{login}/rights/{right}", who: "admin", path: "/api/v1/admin/users/{target}/rights/nonsense"},
	{method: "DELETE", pattern: "/api/v1/admin/users/{login}/rights/{right}", who: "admin", path: "/api/v1/admin/users/{target}/rights/nonsense"},
	{method: "POST", pattern: "/api/v1/admin/import", who: "admin", path: "/api/v1/admin/import?dry_run=1", body: "Vorname;Nachname\n"},
	{method: "POST", pattern: "/api/v1/admin/promotion", who: "admin", path: "/api/v1/admin/promotion?dry_run=1"},
	{method: "GET", pattern: "/api/v1/admin/modules", who: "admin"},
	{method: "PUT", pattern: "/api/v1/admin/modules", who: "admin", body: wire.ModuleSwitches{}},
	{method: "POST", pattern: "/api/v1/users/{login}/password-reset", who: "admin,teacher", path: "/api/v1/users/{target}/password-reset",
		handlerDenies: []string{"protocol"}}, // a teacher without the target's class
	{method: "GET", pattern: "/api/v1/classes/{class}/pupils", who: "teacher,secretary,admin", path: "/api/v1/classes/3a/pupils",
		handlerDenies: []string{"protocol"}},
	{method: "POST", pattern: "/api/v1/classes/{class}/password-reset", who: "admin,teacher", path: "/api/v1/classes/4b/password-reset",
		body: wire.ClassReset{Logins: []string{"nobody"}}, handlerDenies: []string{"teacher", "protocol"}}, // not their class
	{method: "GET", pattern: "/api/v1/groups", who: "all"},
	{method: "GET", pattern: "/api/v1/protocol", who: "protocol"},
}

// matrixVars are filled in by the fixture ({target} and module values).
type matrixVars map[string]string

// matrixSetups let module matrix files prepare values for their rows
// (e.g. a message the callers try to read).
var matrixSetups []func(s *school, vars matrixVars)

// caller is one kind of caller in the matrix.
type caller struct {
	name  string
	login string // "" for anonymous and expired
	role  string
}

func (r matrixRow) allows(c caller) bool {
	for _, w := range strings.Split(r.who, ",") {
		switch strings.TrimSpace(w) {
		case "public", "all":
			return true
		case c.role:
			return true
		case "protocol":
			if c.name == "protocol" {
				return true
			}
		}
	}
	return false
}

func TestAuthorizationMatrix(t *testing.T) {
	s := newSchool(t)
	// Every route has a row, every row a route.
	rows := map[string]matrixRow{}
	for _, r := range matrix {
		key := r.method + " " + r.pattern
		if _, dup := rows[key]; dup {
			t.Errorf("two matrix rows for %s", key)
		}
		rows[key] = r
	}
	routes := map[string]bool{}
	for _, r := range s.API.Routes() {
		key := r.Method + " " + r.Pattern
		routes[key] = true
		row, ok := rows[key]
		if !ok {
			t.Errorf("route %s has no row in the authorization matrix", key)
			continue
		}
		if row.who == "public" != r.Access.Public {
			t.Errorf("%s: matrix says who=%q, route says public=%v", key, row.who, r.Access.Public)
		}
	}
	for key := range rows {
		if !routes[key] {
			t.Errorf("matrix row %s has no route", key)
		}
	}

	vars := matrixVars{}
	for _, setup := range matrixSetups {
		setup(s, vars)
	}
	callers := []caller{
		{"anonymous", "", ""},
		{"expired", "", ""},
		{"must-change", s.MustChange, "pupil"},
		{"pupil", s.Pupil, "pupil"},
		{"teacher", s.Teacher, "teacher"},
		{"secretary", s.Secretary, "secretary"},
		{"admin", s.Admin, "admin"},
		{"protocol", s.Protocol, "teacher"},
	}
	// Sessions are reused between rows; a row that may end the caller's
	// session (the logout) makes the next row log in again.
	tokens := map[string]string{}
	for _, row := range matrix {
		// A fresh target for every row: rows lock it and reset it.
		vars["target"] = s.Rig.AddPerson("Tom", "Ziel", "pupil", pupilPW, "3a")
		for _, c := range callers {
			t.Run(fmt.Sprintf("%s %s as %s", row.method, row.pattern, c.name), func(t *testing.T) {
				token := ""
				switch c.name {
				case "anonymous":
				case "expired":
					token = s.expiredToken()
				default:
					if tokens[c.name] == "" {
						tokens[c.name] = s.token(c.login)
					}
					token = tokens[c.name]
				}
				if row.method == "DELETE" && row.pattern == "/api/v1/session" {
					defer delete(tokens, c.name)
				}
				path := row.path
				if path == "" {
					path = row.pattern
				}
				for k, v := range vars {
					path = strings.ReplaceAll(path, "{"+k+"}", v)
				}
				status, code := s.raw(token, row.method, path, row.body)
				refusal := status == http.StatusUnauthorized || status == http.StatusForbidden
				var want string
				switch {
				case row.who == "public":
				case c.login == "":
					want = wire.CodeUnauthenticated
				case c.name == "must-change" && !row.duringPW:
					want = wire.CodeMustChangePassword
				case !row.allows(c), slices.Contains(row.handlerDenies, c.name):
					want = wire.CodeForbidden
				}
				if want == "" && refusal && !slices.Contains(allowedRefusals, code) {
					t.Errorf("got %d %s, want it allowed", status, code)
				}
				if want != "" && code != want {
					t.Errorf("got %d %q, want refused with %q", status, code, want)
				}
			})
		}
	}
}

// allowedRefusals are codes an allowed call may still get from its
// handler (a wrong old password is 400, a wrong login 401 on the public
// login route): they come from the input, not from the access rule.
var allowedRefusals = []string{wire.CodeWrongCredentials}

// expiredToken logs in and lets the session expire (its last use and its
// start far back in time).
func (s *school) expiredToken() string {
	s.t.Helper()
	token := s.token(s.Pupil2)
	if _, err := s.DB.W.ExecContext(ctx, `UPDATE sessions SET last_seen = '2000-01-01T00:00:00Z', created_at = '2000-01-01T00:00:00Z'`+
		` WHERE person_id = (SELECT id FROM people WHERE login = ?)`, s.Pupil2); err != nil {
		s.t.Fatal(err)
	}
	return token
}
