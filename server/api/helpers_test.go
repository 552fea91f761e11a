package api_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

var ctx = context.Background()

// Passwords of the fixture's people.
const (
	pupilPW   = "Pupil-Pass-11"
	teacherPW = "Teacher-Pass-22"
	staffPW   = "Staff-Pass-33"
)

// school is a running server with a small school: a class 3a with a
// class teacher and pupils, a class 4b, a secretary, an admin, a teacher
// holding the protocol right, and a pupil who must change the password.
type school struct {
	*testrig.Rig
	t testing.TB

	Pupil, Pupil2, OtherPupil, Teacher, OtherTeacher, Secretary, Admin, Protocol, MustChange string
	MustChangePW                                                                             string
}

func newSchool(t testing.TB) *school {
	t.Helper()
	rig := testrig.New(t, testrig.Options{})
	s := &school{Rig: rig, t: t}
	s.Pupil = rig.AddPerson("Anna", "Schmidt", directory.Pupil, pupilPW, "3a")
	s.Pupil2 = rig.AddPerson("Ben", "Becker", directory.Pupil, pupilPW, "3a")
	s.OtherPupil = rig.AddPerson("Clara", "Roth", directory.Pupil, pupilPW, "4b")
	s.Teacher = rig.AddPerson("Tina", "Lehmann", directory.Teacher, teacherPW, "3a")
	s.OtherTeacher = rig.AddPerson("Otto", "Weber", directory.Teacher, teacherPW, "4b")
	s.Secretary = rig.AddPerson("Sabine", "Sekretär", directory.Secretary, staffPW)
	s.Admin = rig.AddPerson("Adam", "Admin", directory.Admin, staffPW)
	s.Protocol = rig.AddPerson("Paula", "Protokoll", directory.Teacher, teacherPW)
	if err := rig.Dir.SetRight(ctx, testrig.Admin, s.Protocol, directory.RightProtocol, true); err != nil {
		t.Fatal(err)
	}
	p, pw, err := rig.Dir.AddPerson(ctx, testrig.Admin, directory.NewPerson{FirstName: "Max", LastName: "Neu", Role: directory.Pupil, Classes: []string{"3a"}})
	if err != nil {
		t.Fatal(err)
	}
	s.MustChange, s.MustChangePW = p.Login, pw
	return s
}

// passwordOf is the fixture password of a login.
func (s *school) passwordOf(login string) string {
	switch login {
	case s.Pupil, s.Pupil2, s.OtherPupil:
		return pupilPW
	case s.Teacher, s.OtherTeacher, s.Protocol:
		return teacherPW
	case s.MustChange:
		return s.MustChangePW
	}
	return staffPW
}

// anon is an API client without a session.
func (s *school) anon() *serverapi.Client {
	s.t.Helper()
	c, err := serverapi.NewWithPool(s.BaseURL, s.CAPool)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// as is an API client logged in as login.
func (s *school) as(login string) *serverapi.Client {
	s.t.Helper()
	c := s.anon()
	if _, err := c.Login(ctx, login, s.passwordOf(login), "PC-01"); err != nil {
		s.t.Fatalf("login as %s: %v", login, err)
	}
	return c
}

// token logs in over the API and returns the session token.
func (s *school) token(login string) string { return s.as(login).Token() }

// raw sends a request with a bearer token (may be empty) and returns the
// status and the error code of the answer ("" for success).
func (s *school) raw(token, method, path string, body any) (int, string) {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.BaseURL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// One connection per call, closed after it: a test that calls in a
	// loop (the chat's probe) must not pile up open connections.
	client := s.httpClient()
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode < 400 {
		return resp.StatusCode, ""
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		// A web page's failure (Access.Page) is a page for people.
		return resp.StatusCode, pageAnswer
	}
	var eb wire.ErrorBody
	if err := json.Unmarshal(data, &eb); err != nil {
		s.t.Errorf("%s %s: error answer is not the JSON error shape: %q", method, path, data)
	}
	return resp.StatusCode, eb.Error.Code
}

// pageAnswer is raw's code for an error answered as an HTML page.
const pageAnswer = "(page)"

func (s *school) httpClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CAPool}}}
}

// wantCode fails unless err is an API error with the code.
func wantCode(t testing.TB, err error, code string, what string) {
	t.Helper()
	if got := serverapi.Code(err); got != code {
		t.Errorf("%s: got %v (code %q), want code %q", what, err, got, code)
	}
}
