package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/client/serverapi"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// schoolZone is the school's time zone: the protocol's date filters are
// school days.
var schoolZone = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()

// schoolDay is the date in Berlin days from today.
func schoolDay(days int) string {
	return time.Now().In(schoolZone).AddDate(0, 0, days).Format("2006-01-02")
}

// get sends a GET with a token and returns the status and the body.
func (s *school) getBody(token, path string) (int, []byte) {
	s.t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", s.BaseURL+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.httpClient().Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, data
}

func TestProtocolAccess(t *testing.T) {
	s := newSchool(t)
	tests := []struct {
		caller string
		code   string
	}{
		{s.Protocol, ""},
		{s.Admin, wire.CodeForbidden}, // admins do not have the right by default
		{s.Teacher, wire.CodeForbidden},
		{s.Secretary, wire.CodeForbidden},
		{s.Pupil, wire.CodeForbidden},
		{"", wire.CodeUnauthenticated},
	}
	for _, tt := range tests {
		t.Run("as "+tt.caller, func(t *testing.T) {
			c := s.anon()
			if tt.caller != "" {
				c = s.as(tt.caller)
			}
			_, err := c.Protocol(ctx, serverapi.ProtocolQuery{})
			if got := serverapi.Code(err); got != tt.code {
				t.Errorf("got %v (code %q), want code %q", err, got, tt.code)
			}
		})
	}
}

func TestProtocolFilters(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	if _, err := adm.Lock(ctx, s.Pupil2, "Test"); err != nil {
		t.Fatal(err)
	}
	if _, err := adm.Unlock(ctx, s.Pupil2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.anon().Login(ctx, s.Pupil2, "Falsch-123!", "PC-09"); err == nil {
		t.Fatal("a wrong password got a session")
	}
	s.as(s.Pupil2)
	// One reader, so that no login of the reader comes between the
	// queries.
	reader := s.as(s.Protocol)
	s.FlushAudit()
	read := func(q serverapi.ProtocolQuery) []wire.ProtocolEntry {
		t.Helper()
		entries, err := reader.Protocol(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return entries
	}
	all := read(serverapi.ProtocolQuery{Limit: 5000})
	if len(all) < 10 {
		t.Fatalf("got %d protocol lines, want the fixture's and the test's", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].At.After(all[i-1].At) {
			t.Fatalf("line %d (%v) is newer than line %d (%v): want newest first", i, all[i].At, i-1, all[i-1].At)
		}
	}

	tests := []struct {
		name  string
		q     serverapi.ProtocolQuery
		check func(e wire.ProtocolEntry) bool
		want  int // exact count; -1: at least one
	}{
		{"login", serverapi.ProtocolQuery{Login: s.Pupil2}, func(e wire.ProtocolEntry) bool { return e.Target == s.Pupil2 }, -1},
		{"login, other case", serverapi.ProtocolQuery{Login: strings.ToUpper(s.Pupil2), Kind: "user.lock"}, func(e wire.ProtocolEntry) bool { return e.Target == s.Pupil2 }, 1},
		{"actor", serverapi.ProtocolQuery{Actor: s.Admin}, func(e wire.ProtocolEntry) bool { return e.Actor == s.Admin }, -1},
		{"kind", serverapi.ProtocolQuery{Kind: "login", Login: s.Pupil2}, func(e wire.ProtocolEntry) bool { return e.Action == "login" }, 2},
		{"kind and limit", serverapi.ProtocolQuery{Kind: "login", Login: s.Pupil2, Limit: 1}, func(e wire.ProtocolEntry) bool { return e.Action == "login" }, 1},
		{"kind prefix", serverapi.ProtocolQuery{Kind: "user."}, func(e wire.ProtocolEntry) bool { return strings.HasPrefix(e.Action, "user.") }, -1},
		{"limit", serverapi.ProtocolQuery{Limit: 3}, func(e wire.ProtocolEntry) bool { return true }, 3},
		{"today", serverapi.ProtocolQuery{Since: schoolDay(0), Until: schoolDay(0), Limit: 5000}, func(e wire.ProtocolEntry) bool { return true }, len(all)},
		{"since tomorrow", serverapi.ProtocolQuery{Since: schoolDay(1)}, nil, 0},
		{"until yesterday", serverapi.ProtocolQuery{Until: schoolDay(-1)}, nil, 0},
		{"nothing matches", serverapi.ProtocolQuery{Login: "niemand"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := read(tt.q)
			if tt.want >= 0 && len(got) != tt.want || tt.want < 0 && len(got) == 0 {
				t.Errorf("got %d lines, want %d", len(got), tt.want)
			}
			for _, e := range got {
				if tt.check != nil && !tt.check(e) {
					t.Errorf("got %+v, which the filter excludes", e)
				}
			}
		})
	}
	t.Run("failed login detail", func(t *testing.T) {
		got := read(serverapi.ProtocolQuery{Kind: "login", Login: s.Pupil2})
		if len(got) != 2 || !got[0].Success || got[1].Success || got[1].Computer != "PC-09" || got[1].Detail != "wrong password" {
			t.Errorf("got %+v, want a success after a failure on PC-09 (wrong password)", got)
		}
	})
}

func TestProtocolBadFilters(t *testing.T) {
	s := newSchool(t)
	token := s.token(s.Protocol)
	const badLimit = "Die Anzahl muss zwischen 1 und 5000 liegen."
	tests := []struct {
		query  string
		msg    string
		fields []string
	}{
		{"limit=0", badLimit, []string{"limit"}},
		{"limit=-3", badLimit, []string{"limit"}},
		{"limit=5001", badLimit, []string{"limit"}},
		{"limit=viele", badLimit, []string{"limit"}},
		{"since=27.11.2026", "„27.11.2026“ ist kein Datum wie 2026-11-27.", []string{"since"}},
		{"until=gestern", "„gestern“ ist kein Datum wie 2026-11-27.", []string{"until"}},
		{"since=2026-13-01", "„2026-13-01“ ist kein Datum wie 2026-11-27.", []string{"since"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, body := s.getBody(token, "/api/v1/protocol?"+tt.query)
			var eb wire.ErrorBody
			if err := json.Unmarshal(body, &eb); err != nil {
				t.Fatalf("got %q, want the JSON error shape", body)
			}
			if status != http.StatusBadRequest || eb.Error.Code != wire.CodeInvalid || eb.Error.Message != tt.msg || !slices.Equal(eb.Error.Fields, tt.fields) {
				t.Errorf("got %d %+v, want 400 invalid %q %v", status, eb.Error, tt.msg, tt.fields)
			}
		})
	}
	// The values are query parameters: escaped ones arrive as typed.
	status, _ := s.getBody(token, "/api/v1/protocol?kind="+url.QueryEscape("user.")+"&login="+url.QueryEscape(testrig.Admin.Name))
	if status != http.StatusOK {
		t.Errorf("escaped filters: got %d, want 200", status)
	}
}
