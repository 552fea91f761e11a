package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// TestEnrollCodesRefusedInput: a wrong number of codes is refused on the
// screen before anything is asked of the server; nothing is created.
func TestEnrollCodesRefusedInput(t *testing.T) {
	w := newWorld(t)
	u, cs := openComputers(t, w)
	cs.Tabs.Select(cs.CodesItem)
	u.Wait()
	for _, tc := range []struct{ count, want string }{
		{"", "1 bis 100"},
		{"0", "1 bis 100"},
		{"101", "1 bis 100"},
		{"zwei", "1 bis 100"},
	} {
		t.Run(tc.count, func(t *testing.T) {
			cs.Codes.Count.SetText(tc.count)
			test.Tap(cs.Codes.Create)
			u.Wait()
			if !strings.Contains(cs.Codes.Message.Text, tc.want) {
				t.Errorf("message: got %q, want it to contain %q", cs.Codes.Message.Text, tc.want)
			}
			if got := cs.Codes.Shown(); got != nil {
				t.Errorf("codes shown: %v", got)
			}
		})
	}
	if len(cs.Codes.Rows) != 0 {
		t.Errorf("codes listed: got %d, want 0", len(cs.Codes.Rows))
	}
	// A code for any room, valid one hour, says so.
	cs.Codes.Count.SetText("1")
	cs.Codes.Validity.SetSelected("1 Stunde")
	test.Tap(cs.Codes.Create)
	u.Wait()
	fresh := cs.Codes.Fresh()
	if len(fresh) != 1 || fresh[0].RoomID != 0 {
		t.Fatalf("new code: %+v; message %q", fresh, cs.Codes.Message.Text)
	}
	if d := fresh[0].Expires.Sub(fresh[0].CreatedAt); d != time.Hour {
		t.Errorf("validity: got %s, want 1h", d)
	}
	if !strings.Contains(cs.Codes.FreshHeading.Text, "jeden Raum") {
		t.Errorf("heading: %q", cs.Codes.FreshHeading.Text)
	}
}

// TestRoomAdminRefusedInput: an empty name is refused on the screen, a
// taken one by the server with its German message.
func TestRoomAdminRefusedInput(t *testing.T) {
	w := newWorld(t)
	u, cs := openComputers(t, w)
	test.Tap(cs.Rooms.Add)
	u.Wait()
	if !strings.Contains(cs.Rooms.Message.Text, "Namen") {
		t.Errorf("empty name: %q", cs.Rooms.Message.Text)
	}
	for i := range 2 {
		test.Type(cs.Rooms.Name, "PC-Raum")
		test.Tap(cs.Rooms.Add)
		u.Wait()
		if i == 0 && cs.Rooms.Row("PC-Raum") == nil {
			t.Fatalf("room not made: %q", cs.Rooms.Message.Text)
		}
	}
	if len(cs.Rooms.Rows) != 1 || cs.Rooms.Message.Importance != widget.DangerImportance || cs.Rooms.Message.Text == "" {
		t.Errorf("a taken name: rooms %d, message %q", len(cs.Rooms.Rows), cs.Rooms.Message.Text)
	}
	if cs.Rooms.Name.Text != "PC-Raum" {
		t.Errorf("the refused name should stay in the field, got %q", cs.Rooms.Name.Text)
	}
	// The rooms reach the pickers of the other tabs.
	if got := cs.Codes.Room.Options; len(got) != 2 || got[1] != "PC-Raum" {
		t.Errorf("code room picker: %v", got)
	}
	if got := cs.Computers.Room.Options; len(got) != 2 || got[1] != "PC-Raum" {
		t.Errorf("computer room filter: %v", got)
	}
	if len(cs.Computers.Rows) != 0 || !strings.Contains(cs.Computers.Count.Text, "0 Computer") {
		t.Errorf("the computer list should be empty: %q", cs.Computers.Count.Text)
	}
}

func TestComputerState(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    wire.Computer
		want string
	}{
		{"online", wire.Computer{Online: true, Mode: wire.ModePCRoom}, "Online"},
		{"offline", wire.Computer{Mode: wire.ModePCRoom}, "Offline"},
		{"locked", wire.Computer{Online: true, Locked: true, Mode: wire.ModePCRoom}, "Online · Gesperrt"},
		{"revoked", wire.Computer{Revoked: true, Locked: true, Mode: wire.ModePCRoom}, "Schlüssel gesperrt"},
		{"staff", wire.Computer{Online: true, Mode: wire.ModeStaff}, "Online · Kollegium"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := computerState(tc.c); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
