package pcroom

import (
	"testing"
	"time"
)

func TestHeartbeatAndOnline(t *testing.T) {
	e := newEnv(t)
	c, _ := e.svc.Computer(ctx, e.pc1.ID)
	if e.svc.Online(c) {
		t.Error("online before the first heartbeat")
	}
	locked, err := e.svc.Heartbeat(ctx, e.pc1, Report{Version: "1.0", Source: "10.0.1.1"})
	if err != nil || locked {
		t.Fatalf("heartbeat: got locked=%v, %v", locked, err)
	}
	c, _ = e.svc.Computer(ctx, e.pc1.ID)
	if !e.svc.Online(c) || c.Version != "1.0" || c.Source != "10.0.1.1" {
		t.Errorf("after a heartbeat: got %+v, online %v", c, e.svc.Online(c))
	}
	e.clock.add(OnlineWindow)
	c, _ = e.svc.Computer(ctx, e.pc1.ID)
	if e.svc.Online(c) {
		t.Error("still online after the online window without a heartbeat")
	}
	// The heartbeat reports the mode: an installer run with another mode
	// changes what the room view shows.
	if _, err := e.svc.Heartbeat(ctx, e.pc1, Report{Mode: ModeKiosk}); err != nil {
		t.Fatal(err)
	}
	c, _ = e.svc.Computer(ctx, e.pc1.ID)
	if c.Mode != ModeKiosk || c.Commandable() {
		t.Errorf("got mode %s commandable %v, want kiosk and not commandable", c.Mode, c.Commandable())
	}
	_, err = e.svc.Heartbeat(ctx, e.pc1, Report{Mode: "toaster"})
	wantKind(t, err, Invalid, "heartbeat with a bad mode")
}

func TestUserReports(t *testing.T) {
	e := newEnv(t)
	at := start.Add(-5 * time.Minute)
	if err := e.svc.ReportUser(ctx, e.pc1, Report{User: " " + e.anna.Login + " ", Since: at, Source: "10.0.1.1"}); err != nil {
		t.Fatal(err)
	}
	c, _ := e.svc.Computer(ctx, e.pc1.ID)
	if c.UserLogin != e.anna.Login || c.UserName != "Anna Schmidt" || !c.UserSince.Equal(at) {
		t.Errorf("got user %q %q since %v, want Anna since %v", c.UserLogin, c.UserName, c.UserSince, at)
	}
	// The same state again (a heartbeat repeating it) writes nothing.
	if _, err := e.svc.Heartbeat(ctx, e.pc1, Report{User: e.anna.Login, Since: at}); err != nil {
		t.Fatal(err)
	}
	// Ben takes over (Anna's logout was missed): Anna out, Ben in.
	if _, err := e.svc.Heartbeat(ctx, e.pc1, Report{User: e.ben.Login, Since: start}); err != nil {
		t.Fatal(err)
	}
	e.clock.add(time.Minute)
	if err := e.svc.ReportUser(ctx, e.pc1, Report{}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReportUser(ctx, e.pc1, Report{}); err != nil {
		t.Fatal(err)
	}
	err := e.svc.ReportUser(ctx, e.pc1, Report{User: "niemand"})
	wantKind(t, err, Invalid, "unknown login")
	// A clock in the future on the PC does not move the protocol.
	if err := e.svc.ReportUser(ctx, e.pc2, Report{User: e.anna.Login, Since: start.Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}

	type line struct{ who, what, pc string }
	want := []line{
		{e.anna.Login, "login", "PC-01"}, {e.anna.Login, "logout", "PC-01"}, {e.ben.Login, "login", "PC-01"},
		{e.ben.Login, "logout", "PC-01"}, {e.anna.Login, "login", "PC-02"},
	}
	got := e.protocol("pc.user")
	if len(got) != len(want) {
		t.Fatalf("got %d pc.user lines %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Target != w.who || g.Detail != w.what || g.Computer != w.pc || g.Actor != "pc:"+w.pc || g.Service != "agent" {
			t.Errorf("line %d: got %+v, want %+v", i, g, w)
		}
	}
	if !got[0].At.Equal(at) || !got[2].At.Equal(start) || !got[3].At.Equal(start.Add(time.Minute)) {
		t.Errorf("times: got %v %v %v", got[0].At, got[2].At, got[3].At)
	}
	if !got[4].At.Equal(start.Add(time.Minute)) {
		t.Errorf("future since: got %v, want the server's now", got[4].At)
	}
	c, _ = e.svc.Computer(ctx, e.pc1.ID)
	if c.UserLogin != "" || !c.UserSince.IsZero() {
		t.Errorf("after the logout: got %q since %v", c.UserLogin, c.UserSince)
	}
}

// A purged person disappears from the room view.
func TestPurgedUser(t *testing.T) {
	e := newEnv(t)
	if err := e.svc.ReportUser(ctx, e.pc1, Report{User: e.anna.Login}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.W.Exec(`DELETE FROM people WHERE id = ?`, e.anna.ID); err != nil {
		t.Fatal(err)
	}
	_, list, err := e.svc.RoomView(ctx, e.room.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.UserLogin != "" {
			t.Errorf("%s shows %q after the purge", c.Name, c.UserLogin)
		}
	}
	// Nothing of hers stays in the table either.
	var n int
	e.db.R.QueryRow(`SELECT COUNT(*) FROM pc_computers WHERE user_login != '' OR user_name != '' OR user_since != ''`).Scan(&n)
	if n != 0 {
		t.Errorf("%d rows keep the purged person's login or name", n)
	}
}
