package ui

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"kaspel/client/agent"
	"kaspel/client/config"
	"kaspel/shared/wire"
)

// waitFor waits until cond holds; the deadline is only a safety net.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRoomCommandsReachTheClient: a PC-room computer enrolled like the
// installer does it, its agent running, the client linked to the agent:
// the teacher's lock, message and logout-all reach the client at once,
// and the locked screen cannot be closed away.
func TestRoomCommandsReachTheClient(t *testing.T) {
	w := newWorld(t)
	admin, teacher := w.client(), w.client()
	if _, err := admin.Login(ctx, w.Admin, staffPW, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := teacher.Login(ctx, w.Teacher, teacherPW, ""); err != nil {
		t.Fatal(err)
	}
	room, err := admin.AddRoom(ctx, "PC-Raum", "")
	if err != nil {
		t.Fatal(err)
	}
	codes, err := admin.CreateEnrollmentCodes(ctx, wire.EnrollmentCodeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	ca, err := os.ReadFile(w.rig.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := agent.NewServerClient(w.rig.BaseURL, ca, "")
	if err != nil {
		t.Fatal(err)
	}
	e, err := sc.Enroll(ctx, wire.EnrollRequest{Code: codes[0].Code, Name: "PC-07", Room: "PC-Raum", Mode: wire.ModePCRoom})
	if err != nil {
		t.Fatal(err)
	}
	a, err := agent.New(agent.Config{
		Server: w.rig.BaseURL, CAPEM: ca, Key: e.Key, Computer: e.Computer.Name, Mode: wire.ModePCRoom, Version: "test",
		Local:      agent.LocalConfig{Dir: t.TempDir()},
		Logger:     slog.New(slog.NewTextHandler(&strings.Builder{}, nil)),
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

	u := w.newUI(config.ModePCRoom)
	link := u.ConnectAgent(actx, a.LinkPath())
	waitFor(t, "the client linked to the agent", link.Connected)
	w.loggedIn(u, w.Pupil)

	// The room view shows the pupil at PC-07.
	waitFor(t, "the pupil in the room view", func() bool {
		v, err := teacher.RoomView(ctx, room.ID)
		if err != nil || len(v.Computers) != 1 || v.Computers[0].User == nil {
			return false
		}
		return v.Computers[0].User.Login == w.Pupil
	})

	if _, err := teacher.RoomCommand(ctx, room.ID, wire.RoomCommand{Kind: "lock"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the lock on the screen", u.Locked)
	if !u.win.FullScreen() || len(u.win.Canvas().Overlays().List()) == 0 {
		t.Error("the lock does not cover the screen")
	}
	u.gate.closeRequested() // the close button, Alt+F4
	if !u.Locked() || u.Session() == nil {
		t.Error("closing the window left the lock or logged out")
	}
	w.clock.add(30 * time.Minute)
	u.gate.tick()
	if u.Session() == nil {
		t.Error("a locked screen counted as idle and logged the pupil out")
	}

	if _, err := teacher.RoomCommand(ctx, room.ID, wire.RoomCommand{Kind: "unlock"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the lock lifted", func() bool { return !u.Locked() })
	if u.win.FullScreen() {
		t.Error("after the unlock the pupil's window stayed full screen")
	}

	if _, err := teacher.RoomCommand(ctx, room.ID, wire.RoomCommand{Kind: "message", Text: "Bitte speichert jetzt eure Arbeit."}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the teacher's message", func() bool {
		return u.roomMessage != nil && u.roomMessage.Text == "Bitte speichert jetzt eure Arbeit."
	})

	if _, err := teacher.RoomCommand(ctx, room.ID, wire.RoomCommand{Kind: "logout"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the logout", func() bool { return u.Session() == nil })
	u.Wait()
	if !strings.Contains(u.Login.Message.Text, "Lehrkraft") {
		t.Errorf("message after the teacher's logout: %q", u.Login.Message.Text)
	}
	waitFor(t, "the room view without the pupil", func() bool {
		v, err := teacher.RoomView(ctx, room.ID)
		return err == nil && len(v.Computers) == 1 && v.Computers[0].User == nil
	})
	if n := len(u.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("%d overlays (the message to the pupil) stayed over the login", n)
	}
	test.Tap(u.Login.Submit) // the gate still works: an empty login is refused in place
	if !strings.Contains(u.Login.Message.Text, "Login") {
		t.Errorf("login screen after the logout: %q", u.Login.Message.Text)
	}

	// Locked, and the session ends otherwise (the teacher's logout lifts
	// the lock first): the lock stays over the login.
	w.loggedIn(u, w.Pupil)
	if _, err := teacher.RoomCommand(ctx, room.ID, wire.RoomCommand{Kind: "lock"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the lock on the screen", u.Locked)
	u.Logout("Die Anmeldung ist abgelaufen.")
	u.Wait()
	if ov := u.win.Canvas().Overlays().List(); !u.Locked() || len(ov) != 1 || ov[0] != u.lock.obj {
		t.Errorf("after a logout under the lock: locked %v, %d overlays; want the lock alone", u.Locked(), len(ov))
	}
}
