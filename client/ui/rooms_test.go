package ui

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"kaspel/client/agent"
	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

var _ RoomsAPI = (*serverapi.Client)(nil)

// fastRooms makes the room view refresh and watch quickly, so the tests'
// conditions come true soon (they do not depend on the pace).
func fastRooms(t *testing.T) {
	t.Helper()
	every, watch := roomRefreshEvery, roomWatchEvery
	roomRefreshEvery, roomWatchEvery = 100*time.Millisecond, 50*time.Millisecond
	t.Cleanup(func() { roomRefreshEvery, roomWatchEvery = every, watch })
}

// openRooms taps the "PC-Räume" tile and returns the room view; its
// refresher is stopped at the end of the test.
func openRooms(t *testing.T, u *UI) *RoomScreen {
	t.Helper()
	tl := u.Home.Tiles["rooms"]
	if tl == nil {
		t.Fatal("no PC-Räume tile")
	}
	test.Tap(tl)
	u.Wait()
	s, ok := u.screen("rooms").(*RoomScreen)
	if !ok {
		t.Fatal("the tile opened no room view")
	}
	t.Cleanup(func() { s.close(); <-s.done })
	return s
}

// openComputers logs the admin in and taps the "Computer" tile.
func openComputers(t *testing.T, w *world) (*UI, *ComputersScreen) {
	t.Helper()
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Admin)
	tl := u.Home.Tiles["computers"]
	if tl == nil {
		t.Fatal("the admin has no Computer tile")
	}
	test.Tap(tl)
	u.Wait()
	s, ok := u.screen("computers").(*ComputersScreen)
	if !ok {
		t.Fatal("the tile opened no administration")
	}
	return u, s
}

// pcAgent is a computer enrolled as kaspel-install does it, with its
// agent running.
type pcAgent struct {
	a   *agent.Agent
	key string
	ctx context.Context
	log *testrig.SyncBuffer
}

// enroll uses an enrollment code for a computer as the installer does.
func enroll(t *testing.T, w *world, code, name, room string) (wire.Enrollment, error) {
	t.Helper()
	ca, err := os.ReadFile(w.rig.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := agent.NewServerClient(w.rig.BaseURL, ca, "")
	if err != nil {
		t.Fatal(err)
	}
	return sc.Enroll(ctx, wire.EnrollRequest{Code: code, Name: name, Room: room, Mode: wire.ModePCRoom})
}

// startPCAgent enrolls a computer with code and runs its agent until
// the end of the test.
func startPCAgent(t *testing.T, w *world, code, name, room string) *pcAgent {
	t.Helper()
	e, err := enroll(t, w, code, name, room)
	if err != nil {
		t.Fatalf("enroll %s: %v", name, err)
	}
	ca, err := os.ReadFile(w.rig.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	log := &testrig.SyncBuffer{}
	a, err := agent.New(agent.Config{
		Server: w.rig.BaseURL, CAPEM: ca, Key: e.Key, Computer: e.Computer.Name, Mode: wire.ModePCRoom, Version: "test",
		Local:      agent.LocalConfig{Dir: t.TempDir()},
		Logger:     slog.New(slog.NewTextHandler(log, nil)),
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, KeyRefusedPause: 200 * time.Millisecond,
		PollWait: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	actx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(actx) }()
	t.Cleanup(func() { cancel(); <-done })
	<-a.Ready()
	return &pcAgent{a: a, key: e.Key, ctx: actx, log: log}
}

// until taps refresh and waits for the answer until cond holds (for
// lists that do not refresh themselves).
func until(t *testing.T, what string, u *UI, refresh func(), cond func() bool) {
	t.Helper()
	waitFor(t, what, func() bool {
		refresh()
		u.Wait()
		if cond() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
		return false
	})
}

// TestRoomsFromEnrollmentToTeacherCommands is the PC room's whole story
// through the screens: the admin makes a room and codes, a computer
// enrolls with one, a pupil logs in there, and the teacher's room view
// shows her and locks, unlocks, messages and logs out; the admin
// revokes the key and removes the computer.
func TestRoomsFromEnrollmentToTeacherCommands(t *testing.T) {
	fastRooms(t)
	w := newWorld(t)
	admin, cs := openComputers(t, w)

	// Rooms: make two, rename one, delete it.
	for _, name := range []string{"PC-Raum", "Raum 12"} {
		test.Type(cs.Rooms.Name, name)
		test.Tap(cs.Rooms.Add)
		admin.Wait()
		if cs.Rooms.Row(name) == nil {
			t.Fatalf("room %q not in the list; message %q", name, cs.Rooms.Message.Text)
		}
	}
	test.Tap(cs.Rooms.Row("Raum 12").Rename)
	if !cs.Rooms.Renaming() || cs.Rooms.NewName.Text != "Raum 12" {
		t.Fatalf("rename bar: open %v, text %q", cs.Rooms.Renaming(), cs.Rooms.NewName.Text)
	}
	cs.Rooms.NewName.SetText("")
	test.Type(cs.Rooms.NewName, "Raum 13")
	test.Tap(cs.Rooms.RenameSave)
	admin.Wait()
	if cs.Rooms.Row("Raum 12") != nil || cs.Rooms.Row("Raum 13") == nil {
		t.Fatalf("after the rename: message %q", cs.Rooms.Message.Text)
	}
	test.Tap(cs.Rooms.Row("Raum 13").Delete)
	if !cs.Rooms.Confirm.Asking() {
		t.Fatal("deleting a room did not ask first")
	}
	test.Tap(cs.Rooms.Confirm.Yes)
	admin.Wait()
	if cs.Rooms.Row("Raum 13") != nil {
		t.Fatalf("room still listed after the delete; message %q", cs.Rooms.Message.Text)
	}

	// Enrollment codes: three for the PC room, shown once, printed, saved.
	cs.Tabs.Select(cs.CodesItem)
	admin.Wait()
	cs.Codes.Room.SetSelected("PC-Raum")
	cs.Codes.Count.SetText("")
	test.Type(cs.Codes.Count, "3")
	test.Tap(cs.Codes.Create)
	admin.Wait()
	fresh := cs.Codes.Fresh()
	if len(fresh) != 3 {
		t.Fatalf("new codes shown: got %d, want 3; message %q", len(fresh), cs.Codes.Message.Text)
	}
	for _, c := range fresh {
		if len(c.Code) != 14 || c.Room != "PC-Raum" {
			t.Errorf("new code %+v", c)
		}
		if r := cs.Codes.Row(c.ID); r == nil || r.Code.State != "open" || r.Revoke.Disabled() {
			t.Errorf("code %s… not listed as open", c.Hint)
		}
	}
	if !strings.Contains(cs.Codes.FreshHeading.Text, "PC-Raum") {
		t.Errorf("heading of the new codes: %q", cs.Codes.FreshHeading.Text)
	}
	test.Tap(cs.Codes.PrintPDF)
	admin.Wait()
	pdf := pdfText(t, wantPDF(t, w, 1))
	test.Tap(cs.Codes.SaveText)
	admin.Wait()
	opened := w.opened.list()
	if len(opened) != 2 || filepath.Ext(opened[1]) != ".txt" {
		t.Fatalf("files opened: %v", opened)
	}
	txt, err := os.ReadFile(opened[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range fresh {
		if !strings.Contains(pdf, c.Code) {
			t.Errorf("the PDF lacks the code %s", c.Code)
		}
		if !strings.Contains(string(txt), c.Code) {
			t.Errorf("the text file lacks the code %s", c.Code)
		}
	}
	// The third code is withdrawn; it enrolls nothing any more.
	test.Tap(cs.Codes.Row(fresh[2].ID).Revoke)
	admin.Wait()
	if r := cs.Codes.Row(fresh[2].ID); r == nil || r.Code.State != "revoked" || !r.Revoke.Disabled() {
		t.Fatalf("withdrawn code: message %q", cs.Codes.Message.Text)
	}
	if _, err := enroll(t, w, fresh[2].Code, "PC-09", "PC-Raum"); serverapi.Code(err) != wire.CodeEnrollmentExpired {
		t.Errorf("enroll with a withdrawn code: got %v, want %s", err, wire.CodeEnrollmentExpired)
	}
	test.Tap(cs.Codes.Done)
	if cs.Codes.Shown() != nil || strings.Contains(texts(admin), fresh[0].Code) {
		t.Error("the codes still show after Fertig")
	}

	// Two computers enroll with the other codes and show in the list;
	// a pupil will work at PC-07, PC-08 stays free.
	pc := startPCAgent(t, w, fresh[0].Code, "PC-07", "PC-Raum")
	startPCAgent(t, w, fresh[1].Code, "PC-08", "PC-Raum")
	cs.Tabs.Select(cs.ComputersItem)
	until(t, "PC-07 and PC-08 online in the computer list", admin, func() { test.Tap(cs.Computers.Reload) }, func() bool {
		r, r8 := cs.Computers.Row("PC-07"), cs.Computers.Row("PC-08")
		return r != nil && r.Computer.Online && r8 != nil && r8.Computer.Online
	})
	row := cs.Computers.Row("PC-07")
	if row.Computer.Room != "PC-Raum" || row.Computer.Mode != wire.ModePCRoom || row.Computer.LastSeen.IsZero() {
		t.Errorf("listed computer: %+v", row.Computer)
	}
	if !strings.Contains(row.State.Text, "Online") || !strings.Contains(row.Info.Text, "zuletzt gemeldet") {
		t.Errorf("computer row: state %q, info %q", row.State.Text, row.Info.Text)
	}
	cs.Tabs.Select(cs.CodesItem)
	admin.Wait()
	if r := cs.Codes.Row(fresh[0].ID); r == nil || r.Code.State != "used" || !strings.Contains(r.Info.Text, "PC-07") {
		t.Errorf("the used code is not listed as used for PC-07")
	}

	// The teacher opens the room view before anybody works there.
	tu := w.newUI(config.ModeStaff)
	w.loggedIn(tu, w.Teacher)
	if tu.Home.Tiles["computers"] != nil {
		t.Error("a teacher has the Computer tile")
	}
	rs := openRooms(t, tu)
	if rs.Room.Selected != "PC-Raum" {
		t.Fatalf("room picked: %q (options %v)", rs.Room.Selected, rs.Room.Options)
	}
	// The buttons follow the tiles within the same refresh: wait for both.
	waitFor(t, "PC-07 and PC-08 in the grid, free and online, the buttons for all on", func() bool {
		tiles := rs.Tiles()
		return len(tiles) == 2 && tiles["PC-07"].Online && tiles["PC-07"].User == "frei" && tiles["PC-08"].Online &&
			!rs.LockAll.Disabled()
	})
	if !rs.LogoutSelected.Disabled() || rs.LockAll.Disabled() {
		t.Error("with nothing chosen, the buttons for the choice should be off and those for all on")
	}

	// A pupil logs in on the linked client; the grid shows her without a tap.
	pu := w.newUI(config.ModePCRoom)
	link := pu.ConnectAgent(pc.ctx, pc.a.LinkPath())
	waitFor(t, "the client linked to the agent", link.Connected)
	w.loggedIn(pu, w.Pupil)
	waitFor(t, "the pupil's name on the tile", func() bool {
		ts := rs.Tiles()["PC-07"]
		return strings.Contains(ts.User, "Anna") && strings.HasPrefix(ts.Since, "seit ")
	})

	// Lock all.
	test.Tap(rs.LockAll)
	tu.Wait()
	if rs.Message.Text != "Gesperrt: PC-07, PC-08" {
		t.Errorf("answer to lock all: %q", rs.Message.Text)
	}
	waitFor(t, "the pupil's screen locked", pu.Locked)
	waitFor(t, "both tiles locked", func() bool {
		tiles := rs.Tiles()
		return tiles["PC-07"].Locked && strings.Contains(tiles["PC-07"].State, "Gesperrt") && tiles["PC-08"].Locked
	})

	// Unlock the chosen one.
	test.Tap(rs.Tile("PC-07").Button)
	if ts := rs.Tiles()["PC-07"]; !ts.Selected || rs.Selection.Text != "Ausgewählt: 1" || rs.UnlockSelected.Disabled() {
		t.Fatalf("after a tap on the tile: %+v, %q", ts, rs.Selection.Text)
	}
	test.Tap(rs.UnlockSelected)
	tu.Wait()
	waitFor(t, "the pupil's screen unlocked", func() bool { return !pu.Locked() })
	waitFor(t, "the tile unlocked", func() bool { return !rs.Tiles()["PC-07"].Locked })
	if rs.Message.Text != "Entsperrt: PC-07" || !rs.Tiles()["PC-08"].Locked {
		t.Errorf("unlocking the chosen one: answer %q, PC-08 locked %v", rs.Message.Text, rs.Tiles()["PC-08"].Locked)
	}
	if !rs.Tiles()["PC-07"].Selected || rs.Tiles()["PC-08"].Selected {
		t.Error("a refresh changed the teacher's choice")
	}

	// A message: refused empty, then sent to the choice.
	test.Tap(rs.MessageSelected)
	tu.Wait()
	if !strings.Contains(rs.Message.Text, "Text") {
		t.Errorf("an empty message: %q", rs.Message.Text)
	}
	test.Type(rs.Text, "Bitte speichert jetzt eure Arbeit.")
	test.Tap(rs.MessageSelected)
	tu.Wait()
	waitFor(t, "the message on the pupil's screen", func() bool {
		return pu.roomMessage != nil && pu.roomMessage.Text == "Bitte speichert jetzt eure Arbeit."
	})
	if rs.Text.Text != "" || rs.Message.Text != "Nachricht gesendet an: PC-07" {
		t.Errorf("after sending: field %q, answer %q", rs.Text.Text, rs.Message.Text)
	}

	// Log out all: asked first; "Abbrechen" does nothing.
	test.Tap(rs.LogoutAll)
	if !rs.Confirm.Asking() || !strings.Contains(rs.Confirm.Question.Text, "PC-Raum") {
		t.Fatalf("log out all did not ask first: %q", rs.Confirm.Question.Text)
	}
	test.Tap(rs.Confirm.No)
	tu.Wait()
	if pu.Session() == nil {
		t.Fatal("cancelled logout logged the pupil out")
	}
	test.Tap(rs.LogoutAll)
	test.Tap(rs.Confirm.Yes)
	tu.Wait()
	if rs.Message.Text != "Abgemeldet: PC-07, PC-08" {
		t.Errorf("answer to log out all: %q", rs.Message.Text)
	}
	waitFor(t, "the pupil logged out", func() bool { return pu.Session() == nil })
	waitFor(t, "the tile free again", func() bool { return rs.Tiles()["PC-07"].User == "frei" })

	// A room with a computer cannot be deleted; the server says why.
	cs.Tabs.Select(cs.RoomsItem)
	admin.Wait()
	test.Tap(cs.Rooms.Row("PC-Raum").Delete)
	test.Tap(cs.Rooms.Confirm.Yes)
	admin.Wait()
	if cs.Rooms.Row("PC-Raum") == nil || !strings.Contains(cs.Rooms.Message.Text, "Computer") {
		t.Errorf("deleting a room with a computer: message %q", cs.Rooms.Message.Text)
	}

	// The admin revokes the key: the agent is refused, the teacher sees it.
	cs.Tabs.Select(cs.ComputersItem)
	admin.Wait()
	test.Tap(cs.Computers.Row("PC-07").RevokeKey)
	if !cs.Computers.Confirm.Asking() {
		t.Fatal("revoking a key did not ask first")
	}
	test.Tap(cs.Computers.Confirm.Yes)
	admin.Wait()
	row = cs.Computers.Row("PC-07")
	if row == nil || !row.Computer.Revoked || row.Computer.Online || !row.RevokeKey.Disabled() ||
		!strings.Contains(row.State.Text, "Schlüssel gesperrt") {
		t.Fatalf("revoked computer: message %q, row %+v", cs.Computers.Message.Text, row)
	}
	waitFor(t, "the agent refused", func() bool {
		return strings.Contains(pc.log.String(), "refuses this computer's key")
	})
	ca, _ := os.ReadFile(w.rig.CAFile)
	sc, err := agent.NewServerClient(w.rig.BaseURL, ca, pc.key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Self(ctx); !agent.IsKeyRefused(err) {
		t.Errorf("the revoked key: got %v, want refused", err)
	}
	// The tiles change before the buttons within one refresh: wait for both
	// (a revoked computer that stayed chosen would keep "Auswahl sperren"
	// enabled and this wait would fail).
	waitFor(t, "the tile revoked and offline, and no longer chosen", func() bool {
		ts := rs.Tiles()["PC-07"]
		return ts.Revoked && !ts.Online && !ts.Selectable && strings.Contains(ts.State, "Schlüssel gesperrt") &&
			!ts.Selected && rs.LockSelected.Disabled()
	})

	if !rs.Tiles()["PC-08"].Online {
		t.Error("revoking PC-07's key took PC-08 offline")
	}

	// The computer is removed; the grid keeps the other.
	test.Tap(cs.Computers.Row("PC-07").Delete)
	test.Tap(cs.Computers.Confirm.Yes)
	admin.Wait()
	if cs.Computers.Row("PC-07") != nil || cs.Computers.Row("PC-08") == nil {
		t.Fatalf("after removing PC-07; message %q", cs.Computers.Message.Text)
	}
	waitFor(t, "PC-07 gone from the grid", func() bool {
		tiles := rs.Tiles()
		_, ok := tiles["PC-07"]
		return !ok && len(tiles) == 1
	})
}

// TestRoomTilesByRole: teachers and admins see the room view, only
// admins the administration; pupils and the secretary neither, and the
// server refuses a pupil who opens the view anyway.
func TestRoomTilesByRole(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name             string
		login            string
		rooms, computers bool
	}{
		{"pupil", w.Pupil, false, false},
		{"secretary", w.Secretary, false, false},
		{"teacher", w.Teacher, true, false},
		{"admin", w.Admin, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := w.newUI(config.ModeStaff)
			w.loggedIn(u, tc.login)
			if got := u.Home.Tiles["rooms"] != nil; got != tc.rooms {
				t.Errorf("PC-Räume tile: got %v, want %v", got, tc.rooms)
			}
			if got := u.Home.Tiles["computers"] != nil; got != tc.computers {
				t.Errorf("Computer tile: got %v, want %v", got, tc.computers)
			}
		})
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	u.showRooms()
	u.Wait()
	s := u.screen("rooms").(*RoomScreen)
	t.Cleanup(func() { s.close(); <-s.done })
	if len(s.Room.Options) != 0 || !s.Message.Visible() || s.Message.Text == "" {
		t.Errorf("a pupil's room view: rooms %v, message %q", s.Room.Options, s.Message.Text)
	}
}

// TestRoomViewRefresherEnds: the room view's refresher ends when the
// teacher goes home, when another room view replaces it and at logout.
func TestRoomViewRefresherEnds(t *testing.T) {
	fastRooms(t)
	w := newWorld(t)
	ac := w.client()
	if _, err := ac.Login(ctx, w.Admin, staffPW, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := ac.AddRoom(ctx, "PC-Raum", ""); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	ended := func(s *RoomScreen) func() bool {
		return func() bool {
			select {
			case <-s.done:
				return true
			default:
				return false
			}
		}
	}

	s := openRooms(t, u)
	if s.Room.Selected != "PC-Raum" || !s.Empty.Visible() || !s.LockAll.Disabled() {
		t.Errorf("an empty room: picked %q, empty shown %v, commands on %v", s.Room.Selected, s.Empty.Visible(), !s.LockAll.Disabled())
	}
	test.Tap(u.homeBtn)
	waitFor(t, "the refresher ended after going home", ended(s))

	s = openRooms(t, u)
	u.showRooms()
	u.Wait()
	waitFor(t, "the replaced view's refresher ended", ended(s))
	s = u.screen("rooms").(*RoomScreen)
	t.Cleanup(func() { s.close(); <-s.done })

	if ended(s)() {
		t.Fatal("the open view's refresher ended")
	}
	test.Tap(u.logout)
	u.Wait()
	waitFor(t, "the refresher ended at logout", ended(s))
}

func TestNaturalCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int // sign
	}{
		{"PC-2", "PC-10", -1},
		{"PC-10", "PC-2", 1},
		{"pc-01", "PC-1", 0},
		{"PC-1", "PC-1a", -1},
		{"Apfel", "Ärger", -1},
		{"Raum 9", "Raum 10", -1},
		{"B", "a", 1},
	} {
		got := naturalCompare(tc.a, tc.b)
		if sign(got) != tc.want {
			t.Errorf("naturalCompare(%q, %q) = %d, want sign %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
