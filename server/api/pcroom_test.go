package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// pc calls a route with an Authorization header as given (auth may be
// "", "Computer KEY", "Bearer TOKEN") and decodes a success into out. It
// returns the status and the error code ("" for success).
func (s *school) pc(auth, method, path string, body, out any) (int, string) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.BaseURL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := s.httpClient().Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		var eb wire.ErrorBody
		if err := json.Unmarshal(data, &eb); err != nil || eb.Error.Message == "" {
			s.t.Errorf("%s %s: error answer is not the JSON error shape: %q", method, path, data)
		}
		return resp.StatusCode, eb.Error.Code
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return resp.StatusCode, ""
}

// enroll enrolls a computer over the API and returns the answer.
func (s *school) enroll(code, name, room, mode string) wire.Enrollment {
	s.t.Helper()
	var e wire.Enrollment
	status, errCode := s.pc("", "POST", "/api/v1/pc/enroll", wire.EnrollRequest{Code: code, Name: name, Room: room, Mode: mode}, &e)
	if status != http.StatusCreated || e.Key == "" {
		s.t.Fatalf("enroll %s: got %d %s", name, status, errCode)
	}
	return e
}

// pcRoom is a school with a room "PC-Raum", PC-01 and PC-02 in PC-room
// mode and the staff computer Lehrer-PC in it, and their keys.
type pcRoom struct {
	*school
	room wire.Room
	keys map[string]string
	ids  map[string]int64
}

func newPCRoom(t *testing.T) *pcRoom {
	s := newSchool(t)
	adm := s.as(s.Admin)
	room, err := adm.AddRoom(ctx, "PC-Raum", "1. Stock")
	if err != nil {
		t.Fatal(err)
	}
	codes, err := adm.CreateEnrollmentCodes(ctx, wire.EnrollmentCodeRequest{Count: 3, ValidHours: 2})
	if err != nil {
		t.Fatal(err)
	}
	p := &pcRoom{school: s, room: room, keys: map[string]string{}, ids: map[string]int64{}}
	for i, pc := range []struct{ name, mode string }{{"PC-01", wire.ModePCRoom}, {"PC-02", wire.ModePCRoom}, {"Lehrer-PC", wire.ModeStaff}} {
		e := s.enroll(codes[i].Code, pc.name, "PC-Raum", pc.mode)
		p.keys[pc.name], p.ids[pc.name] = "Computer "+e.Key, e.Computer.ID
	}
	return p
}

func TestPCRoomAdmin(t *testing.T) {
	p := newPCRoom(t)
	adm := p.as(p.Admin)

	_, err := adm.AddRoom(ctx, "pc-raum", "")
	wantCode(t, err, wire.CodeConflict, "room name taken")
	if msg := serverapi.Message(err); msg != "Einen Raum „pc-raum“ gibt es schon." {
		t.Errorf("got message %q", msg)
	}
	r2, err := adm.AddRoom(ctx, "Bücherei", "")
	if err != nil {
		t.Fatal(err)
	}
	name := "Leseraum"
	if r2, err = adm.EditRoom(ctx, r2.ID, wire.RoomEdit{Name: &name}); err != nil || r2.Name != name {
		t.Errorf("edit room: got %+v, %v", r2, err)
	}
	err = adm.DeleteRoom(ctx, p.room.ID)
	wantCode(t, err, wire.CodeConflict, "delete a room with computers")

	// Codes: the plain code only in the answer to the creation.
	codes, err := adm.CreateEnrollmentCodes(ctx, wire.EnrollmentCodeRequest{Count: 2, ValidHours: 48, RoomID: r2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 2 || codes[0].Code == "" || codes[0].Room != name || codes[0].State != "open" {
		t.Fatalf("got %+v", codes)
	}
	list, err := adm.EnrollmentCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, c := range list {
		if c.Code != "" {
			t.Errorf("the list shows the code %s", c.Code)
		}
		states[c.State]++
	}
	if states["open"] != 2 || states["used"] != 3 {
		t.Errorf("got states %v, want 2 open, 3 used", states)
	}
	if err := adm.RevokeEnrollmentCode(ctx, codes[1].ID); err != nil {
		t.Fatal(err)
	}
	_, err = adm.CreateEnrollmentCodes(ctx, wire.EnrollmentCodeRequest{ValidHours: 10000})
	wantCode(t, err, wire.CodeInvalid, "validity too long")

	// Enrollment refusals, each with its code for the installer.
	tests := []struct {
		name   string
		req    wire.EnrollRequest
		status int
		code   string
	}{
		{"wrong room for the code", wire.EnrollRequest{Code: codes[0].Code, Name: "PC-10", Room: "PC-Raum", Mode: "pcroom"}, 400, wire.CodeInvalid},
		{"revoked", wire.EnrollRequest{Code: codes[1].Code, Name: "PC-10", Room: name, Mode: "pcroom"}, 410, wire.CodeEnrollmentExpired},
		{"unknown", wire.EnrollRequest{Code: "2345-6789-ABCD", Name: "PC-10", Room: name, Mode: "pcroom"}, 403, wire.CodeEnrollmentUnknown},
		{"name enrolled", wire.EnrollRequest{Code: codes[0].Code, Name: "PC-01", Room: name, Mode: "pcroom"}, 409, wire.CodeConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, code := p.pc("", "POST", "/api/v1/pc/enroll", tt.req, nil)
			if status != tt.status || code != tt.code {
				t.Errorf("got %d %s, want %d %s", status, code, tt.status, tt.code)
			}
		})
	}
	e := p.enroll(codes[0].Code, "PC-10", name, "kiosk")
	status, code := p.pc("", "POST", "/api/v1/pc/enroll", wire.EnrollRequest{Code: codes[0].Code, Name: "PC-11", Room: name, Mode: "pcroom"}, nil)
	if status != 409 || code != wire.CodeEnrollmentUsed {
		t.Errorf("used code: got %d %s, want 409 %s", status, code, wire.CodeEnrollmentUsed)
	}
	// An expired code (its time made to pass in the database).
	more, err := adm.CreateEnrollmentCodes(ctx, wire.EnrollmentCodeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DB.W.Exec(`UPDATE pc_enrollment_codes SET expires_at = '2000-01-01T00:00:00Z' WHERE id = ?`, more[0].ID); err != nil {
		t.Fatal(err)
	}
	status, code = p.pc("", "POST", "/api/v1/pc/enroll", wire.EnrollRequest{Code: more[0].Code, Name: "PC-11", Room: name, Mode: "pcroom"}, nil)
	if status != 410 || code != wire.CodeEnrollmentExpired {
		t.Errorf("expired code: got %d %s, want 410 %s", status, code, wire.CodeEnrollmentExpired)
	}

	// Computers: list, move, revoke, delete.
	all, err := adm.Computers(ctx, 0)
	if err != nil || len(all) != 4 {
		t.Fatalf("got %d computers (%v), want 4", len(all), err)
	}
	inRoom, err := adm.Computers(ctx, r2.ID)
	if err != nil || len(inRoom) != 1 || inRoom[0].Name != "PC-10" || inRoom[0].Mode != "kiosk" || inRoom[0].Commandable {
		t.Errorf("computers of %s: got %+v, %v", name, inRoom, err)
	}
	moved, err := adm.EditComputer(ctx, e.Computer.ID, wire.ComputerEdit{RoomID: &p.room.ID})
	if err != nil || moved.Room != "PC-Raum" {
		t.Errorf("move: got %+v, %v", moved, err)
	}
	if err := adm.DeleteRoom(ctx, r2.ID); err != nil {
		t.Errorf("delete the emptied room: %v", err)
	}
	if err := adm.RevokeComputerKey(ctx, p.ids["PC-02"]); err != nil {
		t.Fatal(err)
	}
	if status, code := p.pc(p.keys["PC-02"], "GET", "/api/v1/pc/self", nil, nil); status != 401 || code != wire.CodeComputerUnauthenticated {
		t.Errorf("revoked key: got %d %s, want 401 %s", status, code, wire.CodeComputerUnauthenticated)
	}
	if err := adm.DeleteComputer(ctx, e.Computer.ID); err != nil {
		t.Fatal(err)
	}
	err = adm.DeleteComputer(ctx, e.Computer.ID)
	wantCode(t, err, wire.CodeNotFound, "delete twice")

	p.FlushAudit()
	entries := p.readProtocol(serverapi.ProtocolQuery{Kind: "pc."})
	seen := map[string]bool{}
	for _, l := range entries {
		seen[l.Action] = true
	}
	for _, a := range []string{"pc.enroll", "pc.code.add", "pc.code.revoke", "pc.edit", "pc.revoke", "pc.delete"} {
		if !seen[a] {
			t.Errorf("no %s line in the protocol (got %v)", a, seen)
		}
	}
}

// A computer key does computer things only, and a session is no
// computer key.
func TestComputerKeyIsNoSession(t *testing.T) {
	p := newPCRoom(t)
	key := strings.TrimPrefix(p.keys["PC-01"], "Computer ")
	token := p.token(p.Admin)

	// The key works where it belongs.
	var self wire.Computer
	if status, code := p.pc("Computer "+key, "GET", "/api/v1/pc/self", nil, &self); status != 200 || self.Name != "PC-01" {
		t.Fatalf("own key: got %d %s %+v", status, code, self)
	}
	userRoutes := []struct{ method, path string }{
		{"GET", "/api/v1/session"}, {"GET", "/api/v1/rooms"}, {"GET", "/api/v1/admin/computers"}, {"GET", "/api/v1/mail/folders"},
		{"GET", "/api/v1/protocol"}, {"DELETE", "/api/v1/session"},
	}
	for _, r := range userRoutes {
		for _, auth := range []string{"Bearer " + key, "Computer " + key} {
			status, code := p.pc(auth, r.method, r.path, nil, nil)
			if status != 401 || code != wire.CodeUnauthenticated {
				t.Errorf("%s %s with %q: got %d %s, want 401 %s", r.method, r.path, strings.Fields(auth)[0], status, code, wire.CodeUnauthenticated)
			}
		}
	}
	computerRoutes := []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/pc/self", nil}, {"POST", "/api/v1/pc/heartbeat", wire.Heartbeat{}}, {"PUT", "/api/v1/pc/user", wire.UserReport{User: p.Pupil}},
		{"GET", "/api/v1/pc/commands?wait=0", nil}, {"POST", "/api/v1/pc/commands/ack", wire.CommandAck{IDs: []int64{1}}},
	}
	for _, r := range computerRoutes {
		for _, auth := range []string{"", "Bearer " + token, "Computer " + token, "Computer", "computer " + key, "Computer x" + key} {
			status, code := p.pc(auth, r.method, r.path, r.body, nil)
			if status != 401 || code != wire.CodeComputerUnauthenticated {
				t.Errorf("%s %s with %q: got %d %s, want 401 %s", r.method, r.path, auth, status, code, wire.CodeComputerUnauthenticated)
			}
		}
	}
	// The admin's session still works: nothing above ended it.
	if status, code := p.pc("Bearer "+token, "GET", "/api/v1/session", nil, nil); status != 200 {
		t.Errorf("admin session: got %d %s", status, code)
	}
}

// The teacher's room view and commands, with the computers' side over
// HTTP.
func TestRoomViewAndCommands(t *testing.T) {
	p := newPCRoom(t)
	teacher := p.as(p.Teacher)

	since := time.Now().Add(-10 * time.Minute).UTC().Truncate(time.Second)
	var hb wire.HeartbeatAnswer
	if status, code := p.pc(p.keys["PC-01"], "POST", "/api/v1/pc/heartbeat", wire.Heartbeat{User: p.Pupil, Since: since, Mode: "pcroom", Version: "test"}, &hb); status != 200 {
		t.Fatalf("heartbeat: %d %s", status, code)
	}
	if hb.IntervalSeconds != 30 || hb.Locked {
		t.Errorf("got %+v, want 30 s and unlocked", hb)
	}
	if status, code := p.pc(p.keys["PC-02"], "PUT", "/api/v1/pc/user", wire.UserReport{User: "niemand"}, nil); status != 400 || code != wire.CodeInvalid {
		t.Errorf("unknown login: got %d %s", status, code)
	}

	view, err := teacher.RoomView(ctx, p.room.ID)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]wire.Computer{}
	for _, c := range view.Computers {
		byName[c.Name] = c
	}
	pc1, pc2, staff := byName["PC-01"], byName["PC-02"], byName["Lehrer-PC"]
	if !pc1.Online || pc1.User == nil || pc1.User.Login != p.Pupil || pc1.User.Name != "Anna Schmidt" || !pc1.User.Since.Equal(since) || pc1.AgentVersion != "test" {
		t.Errorf("PC-01: got %+v (user %+v), want online with Anna since %v", pc1, pc1.User, since)
	}
	if pc2.Online || pc2.User != nil || !pc2.Commandable || staff.Commandable {
		t.Errorf("got PC-02 %+v, Lehrer-PC %+v", pc2, staff)
	}
	if view.Room.Name != "PC-Raum" || view.OnlineSeconds != 90 || len(view.Computers) != 3 {
		t.Errorf("got room %+v online %d with %d computers", view.Room, view.OnlineSeconds, len(view.Computers))
	}
	rooms, err := teacher.Rooms(ctx)
	if err != nil || len(rooms) != 1 || rooms[0].Computers != 3 {
		t.Errorf("rooms: got %+v, %v", rooms, err)
	}

	// Lock all: the two PC-room computers, not the staff PC.
	sent, err := teacher.RoomCommand(ctx, p.room.ID, wire.RoomCommand{Kind: wire.CommandLock})
	if err != nil || !slices.Equal(sent, []string{"PC-01", "PC-02"}) {
		t.Fatalf("lock all: got %v, %v", sent, err)
	}
	_, err = teacher.RoomCommand(ctx, p.room.ID, wire.RoomCommand{Kind: wire.CommandLock, Computers: []int64{p.ids["Lehrer-PC"]}})
	wantCode(t, err, wire.CodeConflict, "lock the staff computer")
	_, err = teacher.RoomCommand(ctx, p.room.ID, wire.RoomCommand{Kind: wire.CommandMessage})
	wantCode(t, err, wire.CodeInvalid, "message without text")
	_, err = teacher.RoomCommand(ctx, 999999, wire.RoomCommand{Kind: wire.CommandLock})
	wantCode(t, err, wire.CodeNotFound, "no such room")

	var cmds wire.Commands
	if status, code := p.pc(p.keys["PC-01"], "GET", "/api/v1/pc/commands?wait=0", nil, &cmds); status != 200 || len(cmds.Commands) != 1 || cmds.Commands[0].Kind != "lock" {
		t.Fatalf("fetch: got %d %s %+v", status, code, cmds)
	}
	if status, code := p.pc(p.keys["PC-01"], "POST", "/api/v1/pc/commands/ack", wire.CommandAck{IDs: []int64{cmds.Commands[0].ID}}, nil); status != 204 {
		t.Errorf("ack: got %d %s", status, code)
	}
	if status, code := p.pc(p.keys["PC-01"], "GET", "/api/v1/pc/commands?wait=31", nil, nil); status != 400 || code != wire.CodeInvalid {
		t.Errorf("wait 31: got %d %s", status, code)
	}
	p.pc(p.keys["PC-01"], "POST", "/api/v1/pc/heartbeat", wire.Heartbeat{User: p.Pupil, Since: since}, &hb)
	if !hb.Locked {
		t.Error("heartbeat after the lock: not locked")
	}
	view, _ = teacher.RoomView(ctx, p.room.ID)
	for _, c := range view.Computers {
		if c.Locked != c.Commandable {
			t.Errorf("%s: locked %v", c.Name, c.Locked)
		}
	}

	// PC-02 takes its lock, then waits in a long poll that the teacher's
	// message ends (or, if the message is quicker, finds it at once).
	if p.pc(p.keys["PC-02"], "GET", "/api/v1/pc/commands?wait=0", nil, &cmds); len(cmds.Commands) != 1 || cmds.Commands[0].Kind != "lock" {
		t.Fatalf("PC-02: got %+v, want its lock", cmds)
	}
	p.pc(p.keys["PC-02"], "POST", "/api/v1/pc/commands/ack", wire.CommandAck{IDs: []int64{cmds.Commands[0].ID}}, nil)
	type polled struct {
		cmds wire.Commands
		err  error
	}
	got := make(chan polled, 1)
	go func() {
		var r polled
		req, _ := http.NewRequestWithContext(ctx, "GET", p.BaseURL+"/api/v1/pc/commands?wait=30", nil)
		req.Header.Set("Authorization", p.keys["PC-02"])
		resp, err := p.httpClient().Do(req)
		if err == nil {
			r.err = json.NewDecoder(resp.Body).Decode(&r.cmds)
			resp.Body.Close()
		} else {
			r.err = err
		}
		got <- r
	}()
	msg := "Bitte speichert eure Arbeit."
	if _, err := teacher.RoomCommand(ctx, p.room.ID, wire.RoomCommand{Kind: wire.CommandMessage, Text: msg, Computers: []int64{p.ids["PC-02"]}}); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r.err != nil || len(r.cmds.Commands) != 1 || r.cmds.Commands[0].Kind != "message" || r.cmds.Commands[0].Text != msg {
			t.Errorf("long poll: got %+v, %v, want the message", r.cmds, r.err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the long poll did not return")
	}

	// Who used which PC when: the protocol has the agent's lines, for the
	// holders of the protocol right.
	p.pc(p.keys["PC-01"], "PUT", "/api/v1/pc/user", wire.UserReport{}, nil)
	p.FlushAudit()
	lines, err := p.as(p.Protocol).Protocol(ctx, serverapi.ProtocolQuery{Kind: "pc.user"})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0].Detail != "logout" || lines[1].Detail != "login" || lines[1].Target != p.Pupil || lines[1].Computer != "PC-01" {
		t.Errorf("protocol: got %+v", lines)
	}
	lock, _ := p.as(p.Protocol).Protocol(ctx, serverapi.ProtocolQuery{Kind: "pc.lock"})
	if len(lock) != 1 || lock[0].Actor != p.Teacher {
		t.Errorf("protocol: got %+v, want the lock by %s", lock, p.Teacher)
	}
}
