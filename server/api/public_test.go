package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"kaspel/server/testrig"
	"kaspel/shared/password"
	"kaspel/shared/wire"
)

func TestCACert(t *testing.T) {
	s := newSchool(t)
	want, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	resp := s.sendRaw(rawRequest{method: "GET", path: "/ca.crt"})
	if resp.status != http.StatusOK || !bytes.Equal(resp.body, want) {
		t.Errorf("got %d with %d bytes, want 200 with the CA file (%d bytes)", resp.status, len(resp.body), len(want))
	}
	if ct := resp.header.Get("Content-Type"); ct != "application/x-pem-file" {
		t.Errorf("got Content-Type %q, want application/x-pem-file", ct)
	}
	if !bytes.HasPrefix(resp.body, []byte("-----BEGIN CERTIFICATE-----")) {
		t.Errorf("got %q..., want a PEM certificate", resp.body[:min(len(resp.body), 30)])
	}
}

func TestHealthAndPolicy(t *testing.T) {
	s := newSchool(t)
	resp := s.sendRaw(rawRequest{method: "GET", path: "/api/v1/health"})
	var h map[string]string
	if err := json.Unmarshal(resp.body, &h); err != nil || resp.status != http.StatusOK {
		t.Fatalf("got %d %q, want 200 JSON", resp.status, resp.body)
	}
	if h["status"] != "ok" || h["school"] != testrig.School {
		t.Errorf("got %v, want status ok and the school's name", h)
	}
	if err := s.anon().Health(ctx); err != nil {
		t.Errorf("client Health: %v", err)
	}
	pol, err := s.anon().PasswordPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pol.MinLength != password.MinLength || len(pol.Rules) != len(password.Rules) {
		t.Errorf("got %+v, want min length %d and %d rules", pol, password.MinLength, len(password.Rules))
	}
	for i, r := range pol.Rules {
		if r.Key != string(password.Rules[i]) || r.Message != password.Rules[i].German() {
			t.Errorf("rule %d: got %+v, want %s with its German text", i, r, password.Rules[i])
		}
	}
}

// rawRequest is a request of the error tests.
type rawRequest struct {
	method, path string
	token        string
	auth         string // an Authorization header instead of the token's
	body         io.Reader
	size         int64 // Content-Length; -1: unknown (chunked)
}

type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

func (s *school) sendRaw(r rawRequest) rawResponse {
	s.t.Helper()
	req, err := http.NewRequestWithContext(ctx, r.method, s.BaseURL+r.path, r.body)
	if err != nil {
		s.t.Fatal(err)
	}
	if r.body != nil {
		req.ContentLength = r.size
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.auth != "" {
		req.Header.Set("Authorization", r.auth)
	}
	resp, err := s.httpClient().Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("%s %s: read the answer: %v", r.method, r.path, err)
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: data}
}

// internals lists text of Go errors that must never reach a client.
var internals = []string{"sql", "directory:", "store:", "session:", "api:", "addressbook:", "json:", "http:", "EOF",
	"runtime", "goroutine", "%!", "/tmp/", ".go:", "open "}

// checkErrorShape fails unless the answer is the one error shape with a
// German message and no internal text.
func checkErrorShape(t *testing.T, resp rawResponse, status int, code string) {
	t.Helper()
	if resp.status != status {
		t.Errorf("got status %d, want %d (%q)", resp.status, status, resp.body)
	}
	if ct := resp.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("got Content-Type %q, want JSON", ct)
	}
	var raw map[string]map[string]any
	if err := json.Unmarshal(resp.body, &raw); err != nil || len(raw) != 1 || raw["error"] == nil {
		t.Fatalf("got %q, want {\"error\": {...}}", resp.body)
	}
	e := raw["error"]
	if e["code"] != code {
		t.Errorf("got code %v, want %s", e["code"], code)
	}
	msg, _ := e["message"].(string)
	if msg == "" || !strings.HasSuffix(msg, ".") {
		t.Errorf("got message %q, want a German sentence", msg)
	}
	for _, bad := range internals {
		if strings.Contains(string(resp.body), bad) {
			t.Errorf("the answer %q contains %q", resp.body, bad)
		}
	}
}

// bigJSON is a JSON object over 1 MB.
func bigJSON() []byte {
	return []byte(`{"login":"anna","password":"` + strings.Repeat("x", 1<<20+10) + `"}`)
}

// unsized hides the length of a body, so that it is sent chunked.
type unsized struct{ r io.Reader }

func (u unsized) Read(p []byte) (int, error) { return u.r.Read(p) }

func TestErrorAnswers(t *testing.T) {
	s := newSchool(t)
	token := s.token(s.Pupil)
	body := func(b string) (io.Reader, int64) { return strings.NewReader(b), int64(len(b)) }
	login := func(b string) rawRequest {
		r, n := body(b)
		return rawRequest{method: "POST", path: "/api/v1/session", body: r, size: n}
	}
	big := bigJSON()
	tests := []struct {
		name   string
		req    rawRequest
		status int
		code   string
	}{
		{"broken JSON", login(`{"login": "anna`), http.StatusBadRequest, wire.CodeBadRequest},
		{"not an object", login(`["anna", "pw"]`), http.StatusBadRequest, wire.CodeBadRequest},
		{"wrong type", login(`{"login": 5, "password": "x"}`), http.StatusBadRequest, wire.CodeBadRequest},
		{"unknown field", login(`{"login": "anna", "password": "x", "pin": "1234"}`), http.StatusBadRequest, wire.CodeBadRequest},
		{"two objects", login(`{"login": "anna", "password": "x"} {}`), http.StatusBadRequest, wire.CodeBadRequest},
		{"empty body", login(``), http.StatusBadRequest, wire.CodeBadRequest},
		{"over 1 MB", rawRequest{method: "POST", path: "/api/v1/session", body: bytes.NewReader(big), size: int64(len(big))}, http.StatusRequestEntityTooLarge, wire.CodeTooLarge},
		{"over 1 MB, chunked", rawRequest{method: "POST", path: "/api/v1/session", body: unsized{bytes.NewReader(big)}, size: -1}, http.StatusRequestEntityTooLarge, wire.CodeTooLarge},
		{"over 1 MB, logged in", rawRequest{method: "PUT", path: "/api/v1/addressbook/profile", token: token, body: unsized{bytes.NewReader(big)}, size: -1}, http.StatusRequestEntityTooLarge, wire.CodeTooLarge},
		{"over 20 MB upload", rawRequest{method: "POST", path: "/api/v1/admin/import", body: io.LimitReader(zeroBytes{}, wire.MaxUpload+1), size: wire.MaxUpload + 1}, http.StatusRequestEntityTooLarge, wire.CodeTooLarge},
		{"wrong method", rawRequest{method: "PATCH", path: "/api/v1/session"}, http.StatusMethodNotAllowed, wire.CodeBadRequest},
		{"wrong method, public", rawRequest{method: "POST", path: "/api/v1/health"}, http.StatusMethodNotAllowed, wire.CodeBadRequest},
		{"wrong method, logged in", rawRequest{method: "GET", path: "/api/v1/password", token: token}, http.StatusMethodNotAllowed, wire.CodeBadRequest},
		{"unknown path", rawRequest{method: "GET", path: "/api/v1/nothing", token: token}, http.StatusNotFound, wire.CodeNotFound},
		{"root", rawRequest{method: "GET", path: "/"}, http.StatusNotFound, wire.CodeNotFound},
		{"no session", rawRequest{method: "GET", path: "/api/v1/groups"}, http.StatusUnauthorized, wire.CodeUnauthenticated},
		{"empty bearer", rawRequest{method: "GET", path: "/api/v1/groups", auth: "Bearer "}, http.StatusUnauthorized, wire.CodeUnauthenticated},
		{"basic auth", rawRequest{method: "GET", path: "/api/v1/groups", auth: "Basic YW5uYTpwdw=="}, http.StatusUnauthorized, wire.CodeUnauthenticated},
		{"unknown token", rawRequest{method: "GET", path: "/api/v1/groups", token: "bm90LWEtdG9rZW4"}, http.StatusUnauthorized, wire.CodeUnauthenticated},
		{"not allowed", rawRequest{method: "GET", path: "/api/v1/admin/users", token: token}, http.StatusForbidden, wire.CodeForbidden},
		{"no such user", rawRequest{method: "GET", path: "/api/v1/admin/users/niemand", token: s.token(s.Admin)}, http.StatusNotFound, wire.CodeNotFound},
		{"bad escape", rawRequest{method: "GET", path: "/api/v1/addressbook/people/%ff", token: token}, http.StatusNotFound, wire.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.sendRaw(tt.req)
			checkErrorShape(t, resp, tt.status, tt.code)
			if tt.status == http.StatusMethodNotAllowed && resp.header.Get("Allow") == "" {
				t.Errorf("got no Allow header on a 405")
			}
		})
	}
	t.Run("size in the message", func(t *testing.T) {
		resp := s.sendRaw(rawRequest{method: "POST", path: "/api/v1/session", body: bytes.NewReader(big), size: int64(len(big))})
		if !strings.Contains(string(resp.body), "höchstens 1 MB") {
			t.Errorf("got %q, want the limit in the message", resp.body)
		}
	})
	// The server still works for the session that sent the rubbish.
	if _, err := s.as(s.Pupil).Groups(ctx); err != nil {
		t.Errorf("after the error tests: %v", err)
	}
}

// zeros is an endless source of zero bytes.
type zeroBytes struct{}

func (zeroBytes) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// An internal fault is logged with its cause and answered with a general
// German message that does not tell what went wrong inside.
func TestInternalErrorHidden(t *testing.T) {
	s := newSchool(t)
	moved := s.CAFile + ".away"
	if err := os.Rename(s.CAFile, moved); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Rename(moved, s.CAFile) })
	resp := s.sendRaw(rawRequest{method: "GET", path: "/ca.crt"})
	checkErrorShape(t, resp, http.StatusInternalServerError, wire.CodeInternal)
	if strings.Contains(string(resp.body), "ca.crt") || strings.Contains(string(resp.body), "no such file") {
		t.Errorf("got %q, want nothing about the file", resp.body)
	}
	if log := s.Log.String(); !strings.Contains(log, "no such file") || !strings.Contains(log, "/ca.crt") {
		t.Errorf("the log does not have the cause: %q", log)
	}
}
