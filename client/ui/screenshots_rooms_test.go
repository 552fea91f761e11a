package ui

import (
	"os"
	"testing"
	"time"

	"kaspel/client/agent"
	"kaspel/client/config"
	"kaspel/shared/wire"
)

// screenshotsRooms renders the PC-room screens: the teacher's room view
// with two computers, a pupil working at one ("rooms"), and the admin's
// computer list ("computers"). TestScreenshots calls it with its world
// and shot function; the computers report as agents do, without agents
// running, so the picture does not depend on timing.
func screenshotsRooms(t *testing.T, w *world, shot func(u *UI, name string)) {
	t.Helper()
	ac := w.client()
	if _, err := ac.Login(ctx, w.Admin, staffPW, ""); err != nil {
		t.Fatal(err)
	}
	room, err := ac.AddRoom(ctx, "PC-Raum 1", "Erdgeschoss")
	if err != nil {
		t.Fatal(err)
	}
	codes, err := ac.CreateEnrollmentCodes(ctx, wire.EnrollmentCodeRequest{Count: 2, RoomID: room.ID})
	if err != nil {
		t.Fatal(err)
	}
	ca, err := os.ReadFile(w.rig.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"PC-01", "PC-02"} {
		e, err := enroll(t, w, codes[i].Code, name, room.Name)
		if err != nil {
			t.Fatal(err)
		}
		pc, err := agent.NewServerClient(w.rig.BaseURL, ca, e.Key)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pc.Heartbeat(ctx, wire.Heartbeat{Mode: wire.ModePCRoom, Version: "1.0"}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := pc.ReportUser(ctx, wire.UserReport{User: w.Pupil, Since: time.Now().Add(-20 * time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
	}

	u := w.newUI(config.ModeStaff)
	u.opts.Now = time.Now // "seit 10:40", not a date: the reports use the real clock
	w.loggedIn(u, w.Teacher)
	u.showRooms()
	u.Wait()
	s, ok := u.screen("rooms").(*RoomScreen)
	if !ok {
		t.Fatal("no room view")
	}
	defer func() { s.close(); <-s.done }()
	if tl := s.Tile("PC-01"); tl != nil {
		tl.Pick.SetChecked(true)
	}
	shot(u, "rooms")

	a := w.newUI(config.ModeStaff)
	a.opts.Now = time.Now
	w.loggedIn(a, w.Admin)
	a.showComputers()
	a.Wait()
	if cs, ok := a.screen("computers").(*ComputersScreen); ok {
		cs.Tabs.Select(cs.ComputersItem)
	}
	shot(a, "computers")
}

// TestScreenshotsRooms renders the PC-room screenshots in memory, so
// that screenshotsRooms keeps working between the runs of make
// screenshots.
func TestScreenshotsRooms(t *testing.T) {
	w := newWorld(t)
	var shots []string
	screenshotsRooms(t, w, func(u *UI, name string) {
		u.Wait()
		u.win.Content().Refresh()
		img := u.win.Canvas().Capture()
		if img == nil || img.Bounds().Empty() {
			t.Errorf("%s: nothing rendered", name)
		}
		if name == "rooms" {
			s := u.screen("rooms").(*RoomScreen)
			tiles := s.Tiles()
			if len(tiles) != 2 || tiles["PC-01"].User == "frei" || tiles["PC-02"].User != "frei" {
				t.Errorf("room view for the screenshot: %+v", tiles)
			}
		}
		shots = append(shots, name)
	})
	if len(shots) != 2 {
		t.Errorf("screenshots: %v", shots)
	}
}
