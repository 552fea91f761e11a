package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

func init() {
	registerTile(tile{key: "computers", title: "computers.title", icon: theme.ComputerIcon, order: 56,
		visible: func(s *wire.Session) bool { return s.User.Role == wire.RoleAdmin },
		open:    func(u *UI) { u.showComputers() }})
}

// ComputersScreen is the admins' PC-room administration, one tab per
// job in the order of setting up a room: the rooms, the enrollment codes
// the installer needs at each computer, and the enrolled computers (state,
// revoking a key, removing one).
type ComputersScreen struct {
	Tabs      *container.AppTabs
	Rooms     *RoomAdminTab
	Codes     *EnrollCodesTab
	Computers *ComputerListTab

	RoomsItem, CodesItem, ComputersItem *container.TabItem

	u     *UI
	api   RoomsAPI
	rooms []wire.Room // as the rooms tab loaded them last
}

func (u *UI) showComputers() {
	api := u.roomsAPI()
	if api == nil {
		return
	}
	s := &ComputersScreen{u: u, api: api}
	s.Rooms = s.newRoomAdminTab()
	s.Codes = s.newEnrollCodesTab()
	s.Computers = s.newComputerListTab()
	s.RoomsItem = container.NewTabItemWithIcon(T("computers.tab.rooms"), theme.HomeIcon(), s.Rooms.content)
	s.CodesItem = container.NewTabItemWithIcon(T("computers.tab.codes"), theme.LoginIcon(), s.Codes.content)
	s.ComputersItem = container.NewTabItemWithIcon(T("computers.tab.computers"), theme.ComputerIcon(), s.Computers.content)
	s.Tabs = container.NewAppTabs(s.RoomsItem, s.CodesItem, s.ComputersItem)
	s.Tabs.OnSelected = func(item *container.TabItem) {
		u.touch()
		// Computers enroll and report while the admin looks elsewhere.
		switch item {
		case s.CodesItem:
			s.Codes.load()
		case s.ComputersItem:
			s.Computers.load()
		}
	}
	u.setScreen("computers", s)
	u.openScreen(T("computers.title"), s.Tabs)
	s.Rooms.load()
	s.Codes.load()
	s.Computers.load()
}

// setRooms shares the rooms with the tabs that offer them in a picker.
func (s *ComputersScreen) setRooms(rooms []wire.Room) {
	s.rooms = rooms
	s.Codes.setRooms(rooms)
	s.Computers.setRooms(rooms)
}

// roomNames are the names of rooms in order.
func roomNames(rooms []wire.Room) []string {
	out := make([]string, len(rooms))
	for i, r := range rooms {
		out[i] = r.Name
	}
	return out
}

// roomByName finds a room by its name (0 if none).
func roomByName(rooms []wire.Room, name string) int64 {
	for _, r := range rooms {
		if r.Name == name {
			return r.ID
		}
	}
	return 0
}

// RoomAdminTab makes, renames and deletes rooms. A room is where the
// installer puts a computer (--room) and what the teachers pick in their
// room view.
type RoomAdminTab struct {
	Name    *widget.Entry
	Add     *widget.Button
	Rows    []*RoomRow
	Confirm *ConfirmBar
	Message *widget.Label

	// The rename bar, shown under the list for the room being renamed.
	NewName      *widget.Entry
	RenameSave   *widget.Button
	RenameCancel *widget.Button
	RenameLabel  *widget.Label
	renaming     int64
	renameBox    *fyne.Container

	s       *ComputersScreen
	rows    *fyne.Container
	content fyne.CanvasObject
}

// RoomRow is one room of the list.
type RoomRow struct {
	Room   wire.Room
	Name   *widget.Label
	Info   *widget.Label
	Rename *widget.Button
	Delete *widget.Button
}

func (s *ComputersScreen) newRoomAdminTab() *RoomAdminTab {
	t := &RoomAdminTab{s: s, Confirm: newConfirmBar(), Message: newMessage(), rows: container.NewVBox()}
	t.Name = widget.NewEntry()
	t.Name.SetPlaceHolder(T("computers.rooms.name_hint"))
	t.Name.OnSubmitted = func(string) { t.add() }
	t.Add = widget.NewButtonWithIcon(T("computers.rooms.add"), theme.ContentAddIcon(), t.add)
	t.Add.Importance = widget.HighImportance
	t.NewName = widget.NewEntry()
	t.NewName.OnSubmitted = func(string) { t.saveRename() }
	t.RenameLabel = widget.NewLabel("")
	t.RenameSave = widget.NewButtonWithIcon(T("computers.rooms.rename_save"), theme.ConfirmIcon(), t.saveRename)
	t.RenameSave.Importance = widget.HighImportance
	t.RenameCancel = widget.NewButtonWithIcon(T("admin.confirm.no"), theme.CancelIcon(), t.hideRename)
	t.renameBox = container.NewVBox(t.RenameLabel,
		container.NewBorder(nil, nil, nil, container.NewHBox(t.RenameSave, t.RenameCancel), t.NewName))
	t.renameBox.Hide()
	intro := widget.NewLabel(T("computers.rooms.intro"))
	intro.Wrapping = fyne.TextWrapWord
	t.content = adminPanel(
		intro,
		container.NewBorder(nil, nil, nil, t.Add, t.Name),
		t.Message, t.Confirm.box, t.renameBox,
		heading(T("computers.rooms.list")),
		t.rows,
	)
	return t
}

// load lists the rooms.
func (t *RoomAdminTab) load() {
	u := t.s.u
	var rooms []wire.Room
	u.run(func(ctx context.Context) error {
		var err error
		rooms, err = t.s.api.Rooms(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.fill(rooms)
		t.s.setRooms(rooms)
	})
}

func (t *RoomAdminTab) fill(rooms []wire.Room) {
	t.Rows = nil
	t.rows.Objects = nil
	if len(rooms) == 0 {
		t.rows.Add(widget.NewLabel(T("computers.rooms.empty")))
	}
	for _, r := range rooms {
		row := &RoomRow{Room: r,
			Name: widget.NewLabelWithStyle(r.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			Info: widget.NewLabel(roomInfo(r)),
		}
		row.Rename = widget.NewButtonWithIcon(T("computers.rooms.rename"), theme.DocumentCreateIcon(), func() { t.showRename(row) })
		row.Delete = widget.NewButtonWithIcon(T("computers.rooms.delete"), theme.DeleteIcon(), func() { t.askDelete(row) })
		t.Rows = append(t.Rows, row)
		t.rows.Add(container.NewBorder(nil, nil, row.Name, container.NewHBox(row.Rename, row.Delete), row.Info))
	}
	t.rows.Refresh()
}

// roomInfo is what the list says about a room besides its name.
func roomInfo(r wire.Room) string {
	parts := []string{T("computers.rooms.count", "Count", r.Computers)}
	if r.Note != "" {
		parts = append(parts, r.Note)
	}
	return strings.Join(parts, " · ")
}

// Row is the row of a room by name, or nil.
func (t *RoomAdminTab) Row(name string) *RoomRow {
	for _, r := range t.Rows {
		if r.Room.Name == name {
			return r
		}
	}
	return nil
}

func (t *RoomAdminTab) add() {
	u := t.s.u
	name := strings.TrimSpace(t.Name.Text)
	if name == "" {
		setProblem(t.Message, T("computers.rooms.name_missing"))
		u.win.Canvas().Focus(t.Name)
		return
	}
	t.Confirm.Hide()
	t.hideRename()
	u.run(func(ctx context.Context) error {
		_, err := t.s.api.AddRoom(ctx, name, "")
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.Name.SetText("")
		setInfo(t.Message, T("computers.rooms.added", "Name", name))
		t.load()
	})
}

func (t *RoomAdminTab) showRename(row *RoomRow) {
	t.s.u.touch()
	t.Confirm.Hide()
	t.renaming = row.Room.ID
	t.RenameLabel.SetText(T("computers.rooms.rename_label", "Name", row.Room.Name))
	t.NewName.SetText(row.Room.Name)
	t.renameBox.Show()
	t.s.u.win.Canvas().Focus(t.NewName)
}

func (t *RoomAdminTab) hideRename() {
	t.renaming = 0
	t.renameBox.Hide()
}

// Renaming reports whether the rename bar is open.
func (t *RoomAdminTab) Renaming() bool { return t.renameBox.Visible() }

func (t *RoomAdminTab) saveRename() {
	u := t.s.u
	id := t.renaming
	name := strings.TrimSpace(t.NewName.Text)
	if id == 0 {
		return
	}
	if name == "" {
		setProblem(t.Message, T("computers.rooms.name_missing"))
		return
	}
	u.run(func(ctx context.Context) error {
		_, err := t.s.api.EditRoom(ctx, id, wire.RoomEdit{Name: &name})
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.hideRename()
		setInfo(t.Message, T("computers.rooms.renamed", "Name", name))
		t.load()
	})
}

// askDelete asks first; the server refuses a room with computers and
// says what to do instead.
func (t *RoomAdminTab) askDelete(row *RoomRow) {
	t.s.u.touch()
	t.hideRename()
	t.Confirm.Ask(T("computers.rooms.delete_confirm", "Name", row.Room.Name), T("computers.rooms.delete_yes"), func() {
		u := t.s.u
		u.run(func(ctx context.Context) error { return t.s.api.DeleteRoom(ctx, row.Room.ID) }, func(err error) {
			if err != nil {
				u.report(t.Message, err)
				return
			}
			setInfo(t.Message, T("computers.rooms.deleted", "Name", row.Room.Name))
			t.load()
		})
	})
}
