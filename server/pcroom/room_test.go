package pcroom

import (
	"testing"
)

func TestRooms(t *testing.T) {
	e := newEnv(t)
	r2, err := e.svc.AddRoom(ctx, admin, "  Bücherei ", "")
	if err != nil {
		t.Fatal(err)
	}
	if r2.Name != "Bücherei" {
		t.Errorf("got name %q, want it trimmed", r2.Name)
	}
	_, err = e.svc.AddRoom(ctx, admin, "pc-raum", "")
	wantKind(t, err, Conflict, "room name taken (other case)")
	for _, bad := range []string{"", "   ", "a\tb", "Ein Raumname, der viel zu lang ist, über vierzig"} {
		_, err = e.svc.AddRoom(ctx, admin, bad, "")
		wantKind(t, err, Invalid, "room name "+bad)
	}

	list, err := e.svc.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "Bücherei" || list[1].Name != "PC-Raum" || list[1].Computers != 3 || list[0].Computers != 0 {
		t.Errorf("got rooms %+v, want Bücherei (0 computers), PC-Raum (3)", list)
	}

	name, note := "Leseraum", "neben dem Lehrerzimmer"
	r2, err = e.svc.EditRoom(ctx, admin, r2.ID, &name, &note)
	if err != nil || r2.Name != name || r2.Note != note {
		t.Errorf("edit: got %+v, %v", r2, err)
	}
	taken := "PC-Raum"
	_, err = e.svc.EditRoom(ctx, admin, r2.ID, &taken, nil)
	wantKind(t, err, Conflict, "rename to a taken name")

	err = e.svc.DeleteRoom(ctx, admin, e.room.ID)
	wantKind(t, err, Conflict, "delete a room with computers")
	if err := e.svc.DeleteRoom(ctx, admin, r2.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Room(ctx, r2.ID)
	wantIs(t, err, ErrNoRoom, "deleted room")
	err = e.svc.DeleteRoom(ctx, admin, r2.ID)
	wantKind(t, err, NotFound, "delete again")

	for _, action := range []string{"room.add", "room.edit", "room.delete"} {
		lines := e.protocol(action)
		if len(lines) == 0 || lines[len(lines)-1].Actor != admin.Name {
			t.Errorf("protocol %s: got %+v, want a line by %s", action, lines, admin.Name)
		}
	}
}

func TestMoveAndRenameComputer(t *testing.T) {
	e := newEnv(t)
	other, err := e.svc.AddRoom(ctx, admin, "Raum 2", "")
	if err != nil {
		t.Fatal(err)
	}
	name := "PC-21"
	c, err := e.svc.EditComputer(ctx, admin, e.pc1.ID, &name, &other.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "PC-21" || c.RoomID != other.ID || c.Room != "Raum 2" {
		t.Errorf("got %+v, want PC-21 in Raum 2", c)
	}
	taken := "pc-02"
	_, err = e.svc.EditComputer(ctx, admin, e.pc1.ID, &taken, nil)
	wantKind(t, err, Conflict, "rename to a taken name")
	bad := "PC/01"
	_, err = e.svc.EditComputer(ctx, admin, e.pc1.ID, &bad, nil)
	wantKind(t, err, Invalid, "rename to a name with a slash")
	var nowhere int64 = 999
	_, err = e.svc.EditComputer(ctx, admin, e.pc1.ID, nil, &nowhere)
	wantKind(t, err, NotFound, "move to no room")
	// Its key still works under the new name.
	got, err := e.svc.Authenticate(ctx, e.keys["PC-01"])
	if err != nil || got.Name != "PC-21" {
		t.Errorf("authenticate after rename: got %+v, %v", got, err)
	}

	if err := e.svc.DeleteComputer(ctx, admin, e.pc2.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Authenticate(ctx, e.keys["PC-02"])
	wantIs(t, err, ErrKeyRefused, "key of a deleted computer")
	list, err := e.svc.Computers(ctx, e.room.ID)
	if err != nil || len(list) != 1 || list[0].Name != "Lehrer-PC" {
		t.Errorf("got %+v, %v, want only Lehrer-PC left in the room", list, err)
	}
}
