package pcroom

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestEnrollment(t *testing.T) {
	e := newEnv(t)
	codes, err := e.svc.CreateCodes(ctx, admin, 3, 2*time.Hour, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 3 {
		t.Fatalf("got %d codes, want 3", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c.Plain) != 14 || strings.Count(c.Plain, "-") != 2 || seen[c.Plain] {
			t.Errorf("got code %q, want a new one like 7KQ4-XM2P-9HTR", c.Plain)
		}
		seen[c.Plain] = true
		if c.Hint != c.Plain[:4] || !c.Expires.Equal(start.Add(2*time.Hour)) {
			t.Errorf("got hint %q, expires %v", c.Hint, c.Expires)
		}
	}
	// Only hashes are stored.
	var n int
	for c := range seen {
		e.db.R.QueryRow(`SELECT COUNT(*) FROM pc_enrollment_codes WHERE code_hash = ? OR hint = ?`, []byte(NormalizeCode(c)), NormalizeCode(c)).Scan(&n)
		if n != 0 {
			t.Errorf("code %s is stored in plain text", c)
		}
	}

	// A typed code may differ in case, hyphens and spaces.
	typed := strings.ToLower(strings.ReplaceAll(codes[0].Plain, "-", " "))
	pc, key, err := e.svc.Enroll(ctx, Enrollment{Code: typed, Name: "PC-03", Room: "pc-raum", Mode: ModePCRoom, Source: "10.0.1.3"})
	if err != nil {
		t.Fatal(err)
	}
	if pc.Name != "PC-03" || pc.Room != "PC-Raum" || pc.Mode != ModePCRoom || len(key) < 40 {
		t.Errorf("got %+v with key %q", pc, key)
	}
	got, err := e.svc.Authenticate(ctx, key)
	if err != nil || got.ID != pc.ID {
		t.Errorf("authenticate: got %+v, %v", got, err)
	}
	var stored []byte
	e.db.R.QueryRow(`SELECT key_hash FROM pc_computers WHERE id = ?`, pc.ID).Scan(&stored)
	if len(stored) != 32 || bytes.Contains(stored, []byte(key)) {
		t.Errorf("stored key %x, want its SHA-256 only", stored)
	}

	tests := []struct {
		name string
		enr  Enrollment
		kind Kind
	}{
		{"code used", Enrollment{Code: codes[0].Plain, Name: "PC-04", Room: "PC-Raum", Mode: ModePCRoom}, CodeUsed},
		{"code unknown", Enrollment{Code: "2222-3333-4444", Name: "PC-04", Room: "PC-Raum", Mode: ModePCRoom}, CodeUnknown},
		{"code malformed", Enrollment{Code: "abc", Name: "PC-04", Room: "PC-Raum", Mode: ModePCRoom}, Invalid},
		{"no such room", Enrollment{Code: codes[1].Plain, Name: "PC-04", Room: "Turnhalle", Mode: ModePCRoom}, Invalid},
		{"no room", Enrollment{Code: codes[1].Plain, Name: "PC-04", Mode: ModePCRoom}, Invalid},
		{"bad mode", Enrollment{Code: codes[1].Plain, Name: "PC-04", Room: "PC-Raum", Mode: "server"}, Invalid},
		{"bad name", Enrollment{Code: codes[1].Plain, Name: "PC;04", Room: "PC-Raum", Mode: ModePCRoom}, Invalid},
		{"name enrolled", Enrollment{Code: codes[1].Plain, Name: "pc-01", Room: "PC-Raum", Mode: ModePCRoom}, Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := e.svc.Enroll(ctx, tt.enr)
			wantKind(t, err, tt.kind, tt.name)
		})
	}
	// A refused attempt used nothing up: codes[1] still enrolls.
	if _, _, err := e.svc.Enroll(ctx, Enrollment{Code: codes[1].Plain, Name: "PC-04", Room: "PC-Raum", Mode: ModePCRoom}); err != nil {
		t.Errorf("codes[1] after refused attempts: %v", err)
	}

	// Revoked and expired codes.
	if err := e.svc.RevokeCode(ctx, admin, codes[2].ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.svc.Enroll(ctx, Enrollment{Code: codes[2].Plain, Name: "PC-05", Room: "PC-Raum", Mode: ModePCRoom})
	wantKind(t, err, CodeExpired, "revoked code")
	err = e.svc.RevokeCode(ctx, admin, codes[0].ID)
	wantKind(t, err, Conflict, "revoke a used code")
	later := e.code(0)
	e.clock.add(24 * time.Hour)
	_, _, err = e.svc.Enroll(ctx, Enrollment{Code: later, Name: "PC-05", Room: "PC-Raum", Mode: ModePCRoom})
	wantKind(t, err, CodeExpired, "expired code")

	list, err := e.svc.Codes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, c := range list {
		states[c.State(e.clock.now())]++
	}
	// 3 from newEnv + codes[0], codes[1] used; codes[2] revoked; later expired.
	if states[CodeUsedUp] != 5 || states[CodeRevoked] != 1 || states[CodeTimeout] != 1 || states[CodeOpen] != 0 {
		t.Errorf("got states %v", states)
	}

	// The protocol has the enrollments and the refused attempts.
	var ok, failed int
	for _, l := range e.protocol("pc.enroll") {
		if l.Success {
			ok++
		} else {
			failed++
		}
	}
	if ok != 5 || failed != 4 { // used, unknown, revoked, expired
		t.Errorf("protocol: got %d enrollments and %d refused, want 5 and 4", ok, failed)
	}
}

func TestCodeForRoom(t *testing.T) {
	e := newEnv(t)
	other, err := e.svc.AddRoom(ctx, admin, "Raum 2", "")
	if err != nil {
		t.Fatal(err)
	}
	code := e.code(other.ID)
	_, _, err = e.svc.Enroll(ctx, Enrollment{Code: code, Name: "PC-09", Room: "PC-Raum", Mode: ModePCRoom})
	wantKind(t, err, Invalid, "code for another room")
	pc, _, err := e.svc.Enroll(ctx, Enrollment{Code: code, Name: "PC-09", Room: "Raum 2", Mode: ModePCRoom})
	if err != nil || pc.RoomID != other.ID {
		t.Errorf("got %+v, %v, want PC-09 in Raum 2", pc, err)
	}
	_, err = e.svc.CreateCodes(ctx, admin, 1, 0, 999)
	wantKind(t, err, NotFound, "code for no room")
	for _, n := range []int{-1, MaxCodes + 1} {
		_, err = e.svc.CreateCodes(ctx, admin, n, 0, 0)
		wantKind(t, err, Invalid, "count")
	}
	for _, d := range []time.Duration{time.Minute, MaxCodeValidity + time.Hour} {
		_, err = e.svc.CreateCodes(ctx, admin, 1, d, 0)
		wantKind(t, err, Invalid, "validity "+d.String())
	}
}

func TestRevokeAndEnrollAgain(t *testing.T) {
	e := newEnv(t)
	if _, err := e.svc.Heartbeat(ctx, e.pc1, Report{User: e.anna.Login}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RevokeComputer(ctx, admin, e.pc1.ID); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Authenticate(ctx, e.keys["PC-01"])
	wantIs(t, err, ErrKeyRefused, "revoked key")
	c, err := e.svc.Computer(ctx, e.pc1.ID)
	if err != nil || !c.Revoked() || c.Commandable() || e.svc.Online(c) || c.RevokedBy != admin.Name {
		t.Errorf("got %+v, %v, want revoked by %s, offline", c, err, admin.Name)
	}
	_, err = e.svc.Authenticate(ctx, "")
	wantIs(t, err, ErrKeyRefused, "empty key")

	// The reinstalled PC enrolls again under its name: same computer, new key.
	pc, key, err := e.svc.Enroll(ctx, Enrollment{Code: e.code(0), Name: "PC-01", Room: "PC-Raum", Mode: ModePCRoom})
	if err != nil {
		t.Fatal(err)
	}
	if pc.ID != e.pc1.ID || key == e.keys["PC-01"] {
		t.Errorf("got computer %d with key %q, want %d with a new key", pc.ID, key, e.pc1.ID)
	}
	if _, err := e.svc.Authenticate(ctx, key); err != nil {
		t.Errorf("new key: %v", err)
	}
	_, err = e.svc.Authenticate(ctx, e.keys["PC-01"])
	wantIs(t, err, ErrKeyRefused, "old key after enrolling again")
	c, _ = e.svc.Computer(ctx, pc.ID)
	if c.Revoked() || c.UserLogin != "" {
		t.Errorf("got %+v, want active with nobody logged in", c)
	}
	if len(e.protocol("pc.revoke")) != 1 {
		t.Error("no pc.revoke line in the protocol")
	}
}
