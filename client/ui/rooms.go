package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// RoomViewAPI is what the teachers' room view needs: the rooms, a room's
// computers with who works at them, and the room commands.
type RoomViewAPI interface {
	Rooms(ctx context.Context) ([]wire.Room, error)
	RoomView(ctx context.Context, room int64) (wire.RoomView, error)
	RoomCommand(ctx context.Context, room int64, cmd wire.RoomCommand) ([]string, error)
}

// ComputersAPI is what the admins' PC-room administration needs besides:
// rooms, enrollment codes and the enrolled computers.
type ComputersAPI interface {
	AddRoom(ctx context.Context, name, note string) (wire.Room, error)
	EditRoom(ctx context.Context, id int64, e wire.RoomEdit) (wire.Room, error)
	DeleteRoom(ctx context.Context, id int64) error
	EnrollmentCodes(ctx context.Context) ([]wire.EnrollmentCode, error)
	CreateEnrollmentCodes(ctx context.Context, req wire.EnrollmentCodeRequest) ([]wire.EnrollmentCode, error)
	RevokeEnrollmentCode(ctx context.Context, id int64) error
	Computers(ctx context.Context, room int64) ([]wire.Computer, error)
	DeleteComputer(ctx context.Context, id int64) error
	RevokeComputerKey(ctx context.Context, id int64) error
}

// RoomsAPI is everything the PC-room screens need; *serverapi.Client is
// one. (Client is to embed it; until then roomsAPI asks u.api for it.)
type RoomsAPI interface {
	RoomViewAPI
	ComputersAPI
}

// roomsAPI is the server's PC-room API, or nil (and a message) when the
// client given to New cannot do it.
func (u *UI) roomsAPI() RoomsAPI {
	if r, ok := u.api.(RoomsAPI); ok {
		return r
	}
	u.showError(userError(T("rooms.unsupported")))
	return nil
}

func init() {
	registerTile(tile{key: "rooms", title: "rooms.title", icon: theme.DesktopIcon, order: 55,
		visible: func(s *wire.Session) bool {
			return s.User.Role == wire.RoleTeacher || s.User.Role == wire.RoleAdmin
		},
		open: func(u *UI) { u.showRooms() }})
}

// How often the open room view asks the server again, and how often it
// checks that it is still on the screen. The view shows who sits where
// and whether a lock arrived, so it must not lag by more than a few
// seconds; the check is cheap (a look at the window) and ends the
// refresher soon after the teacher leaves the screen or logs out. Tests
// shorten both.
var (
	roomRefreshEvery = 5 * time.Second
	roomWatchEvery   = time.Second
)

// RoomScreen is the teachers' view of a PC room: a big tile per computer
// with its state (online, locked), the child logged in there and since
// when. The teacher picks tiles with a tap and locks, unlocks or logs out
// the chosen ones or all, and sends a short message to the screens. It
// refreshes itself every few seconds while it is open.
type RoomScreen struct {
	Room    *widget.Select
	Summary *widget.Label
	Refresh *widget.Button

	LockAll, UnlockAll, LogoutAll                *widget.Button
	LockSelected, UnlockSelected, LogoutSelected *widget.Button
	Selection                                    *widget.Label // how many are chosen
	ClearSelection                               *widget.Button

	Text                        *widget.Entry // the message to the screens
	MessageAll, MessageSelected *widget.Button

	Confirm *ConfirmBar
	Message *widget.Label // answers to the teacher's commands
	Status  *widget.Label // a refresh that failed (the grid shows the last state)
	Empty   *widget.Label // no rooms, or no computers in the room

	u     *UI
	api   RoomsAPI
	rooms []wire.Room

	// mu guards the tiles: the refresher applies the server's answer
	// through fyne.Do, which under the test driver runs on the
	// refresher's goroutine, beside the test's taps.
	mu     sync.Mutex
	roomID int64
	tiles  map[int64]*ComputerTile
	order  []int64 // the tiles in the grid's order
	// asked counts the questions for the room view, shown is the number
	// of the last answer shown: an answer that overtook a later question
	// (the refresher's, from before a lock) must not undo its news.
	asked, shown uint64

	grid    *fyne.Container
	content fyne.CanvasObject
	cancel  context.CancelFunc
	done    chan struct{} // closed when the refresher has ended
}

func (u *UI) showRooms() {
	api := u.roomsAPI()
	if api == nil {
		return
	}
	if old, ok := u.screen("rooms").(*RoomScreen); ok {
		old.close()
	}
	s := &RoomScreen{u: u, api: api, tiles: map[int64]*ComputerTile{},
		Summary: widget.NewLabel(""), Selection: widget.NewLabel(""),
		Confirm: newConfirmBar(), Message: newMessage(), Status: newMessage(), Empty: newMessage(),
		grid: container.NewGridWrap(fyne.NewSize(210, 190)),
	}
	s.Room = widget.NewSelect(nil, func(name string) { s.pickRoom(name) })
	s.Room.PlaceHolder = T("rooms.pick_room")
	s.Refresh = widget.NewButtonWithIcon(T("rooms.refresh"), theme.ViewRefreshIcon(), func() { s.reload() })

	s.LockAll = widget.NewButtonWithIcon(T("rooms.lock_all"), theme.VisibilityOffIcon(), func() { s.command(wire.CommandLock, nil, "") })
	s.UnlockAll = widget.NewButtonWithIcon(T("rooms.unlock_all"), theme.VisibilityIcon(), func() { s.command(wire.CommandUnlock, nil, "") })
	s.LogoutAll = widget.NewButtonWithIcon(T("rooms.logout_all"), theme.LogoutIcon(), s.askLogoutAll)
	s.LockAll.Importance = widget.HighImportance
	s.LogoutAll.Importance = widget.WarningImportance
	s.LockSelected = widget.NewButtonWithIcon(T("rooms.lock_selected"), theme.VisibilityOffIcon(), func() {
		s.command(wire.CommandLock, s.selected(), "")
	})
	s.UnlockSelected = widget.NewButtonWithIcon(T("rooms.unlock_selected"), theme.VisibilityIcon(), func() {
		s.command(wire.CommandUnlock, s.selected(), "")
	})
	s.LogoutSelected = widget.NewButtonWithIcon(T("rooms.logout_selected"), theme.LogoutIcon(), s.askLogoutSelected)
	s.ClearSelection = widget.NewButtonWithIcon(T("rooms.clear_selection"), theme.ContentClearIcon(), s.clearSelection)

	s.Text = widget.NewEntry()
	s.Text.SetPlaceHolder(T("rooms.message_hint"))
	s.MessageAll = widget.NewButtonWithIcon(T("rooms.message_all"), theme.MailSendIcon(), func() { s.sendMessage(false) })
	s.MessageSelected = widget.NewButtonWithIcon(T("rooms.message_selected"), theme.MailSendIcon(), func() { s.sendMessage(true) })
	// No send on Enter: whether a message goes to all or the chosen
	// screens is the teacher's tap, never a side effect of a key.

	top := container.NewVBox(
		container.NewBorder(nil, nil,
			container.NewHBox(widget.NewLabel(T("rooms.room")), s.Room), s.Refresh, s.Summary),
		container.NewHBox(heading(T("rooms.all")), s.LockAll, s.UnlockAll, s.LogoutAll),
		container.NewHBox(s.Selection, s.LockSelected, s.UnlockSelected, s.LogoutSelected, s.ClearSelection),
		s.Confirm.box, s.Message, s.Status, s.Empty,
	)
	bottom := container.NewBorder(nil, nil, widget.NewLabel(T("rooms.message")),
		container.NewHBox(s.MessageAll, s.MessageSelected), s.Text)
	s.content = container.NewBorder(container.NewPadded(top), container.NewPadded(bottom), nil, nil,
		container.NewVScroll(container.NewPadded(s.grid)))
	s.updateButtons()
	u.setScreen("rooms", s)
	u.openScreen(T("rooms.title"), s.content)
	s.loadRooms()
	s.startRefresher()
}

// loadRooms fills the room picker and shows the first room.
func (s *RoomScreen) loadRooms() {
	u := s.u
	var rooms []wire.Room
	u.run(func(ctx context.Context) error {
		var err error
		rooms, err = s.api.Rooms(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		s.rooms = rooms
		names := make([]string, len(rooms))
		for i, r := range rooms {
			names[i] = r.Name
		}
		s.Room.Options = names
		s.Room.Refresh()
		if len(rooms) == 0 {
			setPlain(s.Empty, T("rooms.no_rooms"))
			return
		}
		s.Room.SetSelected(names[0])
	})
}

// pickRoom shows another room: its tiles replace the last room's, and
// nothing stays chosen (a selection belongs to one room).
func (s *RoomScreen) pickRoom(name string) {
	s.u.touch()
	i := slices.IndexFunc(s.rooms, func(r wire.Room) bool { return r.Name == name })
	if i < 0 {
		return
	}
	s.Confirm.Hide()
	clearMessage(s.Message)
	clearMessage(s.Status)
	s.mu.Lock()
	s.roomID = s.rooms[i].ID
	s.tiles = map[int64]*ComputerTile{}
	s.order = nil
	s.mu.Unlock()
	s.grid.Objects = nil
	s.grid.Refresh()
	s.reload()
}

// reload asks for the room now (after a command, a new room, a tap on
// "Aktualisieren"), with the progress bar.
func (s *RoomScreen) reload() {
	u := s.u
	room, n := s.ask()
	if room == 0 {
		return
	}
	var v wire.RoomView
	u.run(func(ctx context.Context) error {
		var err error
		v, err = s.api.RoomView(ctx, room)
		return err
	}, func(err error) { s.refreshed(room, n, v, err) })
}

func (s *RoomScreen) currentRoom() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roomID
}

// ask numbers a question for the room view about to be asked.
func (s *RoomScreen) ask() (room int64, n uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked++
	return s.roomID, s.asked
}

// fresh reports whether the answer to question n is newer than what the
// grid shows, and marks it shown.
func (s *RoomScreen) fresh(n uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= s.shown {
		return false
	}
	s.shown = n
	return true
}

// refreshed takes the server's answer n for room (on the UI goroutine).
// An answer for a room no longer shown, or one overtaken by a later
// question's, is dropped; a failed refresh
// keeps the last picture and says so, without a dialog every few
// seconds.
func (s *RoomScreen) refreshed(room int64, n uint64, v wire.RoomView, err error) {
	if !s.isOpen() || room != s.currentRoom() || !s.fresh(n) {
		return
	}
	if err != nil {
		switch serverapi.Code(err) {
		case wire.CodeUnauthenticated, wire.CodeAccountLocked:
			s.close()
			s.u.handle(err)
			return
		}
		setProblem(s.Status, T("rooms.refresh_failed", "Reason", errorText(err)))
		return
	}
	clearMessage(s.Status)
	s.apply(v)
}

// apply brings the tiles to the server's state. Tiles are kept per
// computer, so a refresh neither loses the teacher's selection nor
// rebuilds the grid unless computers came or went.
func (s *RoomScreen) apply(v wire.RoomView) {
	now := s.u.opts.Now()
	comps := slices.Clone(v.Computers)
	slices.SortStableFunc(comps, func(a, b wire.Computer) int { return naturalCompare(a.Name, b.Name) })
	s.mu.Lock()
	order := make([]int64, 0, len(comps))
	seen := map[int64]bool{}
	for _, c := range comps {
		t := s.tiles[c.ID]
		if t == nil {
			t = s.newTile(c)
			s.tiles[c.ID] = t
		}
		t.set(c, now)
		order = append(order, c.ID)
		seen[c.ID] = true
	}
	for id := range s.tiles {
		if !seen[id] {
			delete(s.tiles, id)
		}
	}
	rebuild := !slices.Equal(order, s.order)
	s.order = order
	var objs []fyne.CanvasObject
	if rebuild {
		for _, id := range order {
			objs = append(objs, s.tiles[id].obj)
		}
	}
	s.mu.Unlock()
	if rebuild {
		s.grid.Objects = objs
		s.grid.Refresh()
	}
	online, users := 0, 0
	for _, c := range comps {
		if c.Online {
			online++
		}
		if c.User != nil {
			users++
		}
	}
	s.Summary.SetText(T("rooms.summary", "Computers", len(comps), "Online", online, "Users", users))
	if len(comps) == 0 {
		setPlain(s.Empty, T("rooms.no_computers"))
	} else {
		clearMessage(s.Empty)
	}
	s.updateButtons()
}

// selected lists the chosen computers.
func (s *RoomScreen) selected() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int64
	for _, id := range s.order {
		if t := s.tiles[id]; t.Pick.Checked {
			out = append(out, id)
		}
	}
	return out
}

// selectionChanged follows a tap on a tile.
func (s *RoomScreen) selectionChanged() {
	s.u.touch()
	s.Confirm.Hide() // a question about the old selection no longer fits
	s.updateButtons()
}

func (s *RoomScreen) clearSelection() {
	s.mu.Lock()
	var picked []*ComputerTile
	for _, t := range s.tiles {
		if t.Pick.Checked {
			picked = append(picked, t)
		}
	}
	s.mu.Unlock()
	for _, t := range picked {
		t.Pick.SetChecked(false) // outside the lock: it calls selectionChanged
	}
	s.updateButtons()
}

// updateButtons enables what makes sense now: the buttons for all when
// the room has computers, those for the selection when tiles are chosen.
func (s *RoomScreen) updateButtons() {
	s.mu.Lock()
	has := len(s.order) > 0
	s.mu.Unlock()
	n := len(s.selected())
	s.Selection.SetText(T("rooms.selection", "Count", n))
	for _, b := range []*widget.Button{s.LockAll, s.UnlockAll, s.LogoutAll, s.MessageAll} {
		enableIf(b, has)
	}
	for _, b := range []*widget.Button{s.LockSelected, s.UnlockSelected, s.LogoutSelected, s.MessageSelected, s.ClearSelection} {
		enableIf(b, n > 0)
	}
}

// enableIf enables or disables a button.
func enableIf(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (s *RoomScreen) roomName() string { return s.Room.Selected }

// askLogoutAll asks first: a logout loses what the children did not save.
func (s *RoomScreen) askLogoutAll() {
	s.u.touch()
	s.Confirm.Ask(T("rooms.logout_all_confirm", "Room", s.roomName()), T("rooms.logout_all_yes"),
		func() { s.command(wire.CommandLogout, nil, "") })
}

func (s *RoomScreen) askLogoutSelected() {
	s.u.touch()
	ids := s.selected()
	s.Confirm.Ask(T("rooms.logout_selected_confirm", "Count", len(ids)), T("rooms.logout_selected_yes"),
		func() { s.command(wire.CommandLogout, ids, "") })
}

// sendMessage sends the typed text to all screens or the chosen ones.
func (s *RoomScreen) sendMessage(toSelection bool) {
	text := strings.TrimSpace(s.Text.Text)
	if text == "" {
		setProblem(s.Message, T("rooms.message_empty"))
		s.u.win.Canvas().Focus(s.Text)
		return
	}
	var ids []int64
	if toSelection {
		if ids = s.selected(); len(ids) == 0 {
			return
		}
	}
	s.command(wire.CommandMessage, ids, text)
}

// command sends a room command to the computers ids (nil: all the
// room's PC-room computers) and shows which got it.
func (s *RoomScreen) command(kind string, ids []int64, text string) {
	u := s.u
	room := s.currentRoom()
	if room == 0 {
		return
	}
	u.touch()
	s.Confirm.Hide()
	var sent []string
	u.run(func(ctx context.Context) error {
		var err error
		sent, err = s.api.RoomCommand(ctx, room, wire.RoomCommand{Kind: kind, Text: text, Computers: ids})
		return err
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		setInfo(s.Message, sentText(kind, sent))
		if kind == wire.CommandMessage {
			s.Text.SetText("")
		}
		s.reload()
	})
}

// startRefresher asks the server for the room every few seconds while
// the screen is open. The goroutine ends when the screen is left (home,
// another screen, logout: the watch notices within roomWatchEvery), when
// the session ends, or at close; it makes no calls while another room
// is being picked, and never uses u.run, so the progress bar does not
// blink every few seconds.
func (s *RoomScreen) startRefresher() {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.done = make(chan struct{})
	every, watchEvery := roomRefreshEvery, roomWatchEvery
	go func() {
		defer close(s.done)
		defer cancel()
		refresh := time.NewTicker(every)
		defer refresh.Stop()
		watch := time.NewTicker(watchEvery)
		defer watch.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-watch.C:
				if !s.stillOpen() {
					return
				}
			case <-refresh.C:
				if !s.stillOpen() {
					return
				}
				room, n := s.ask()
				if room == 0 {
					continue
				}
				rctx, rcancel := context.WithTimeout(ctx, every+10*time.Second)
				v, err := s.api.RoomView(rctx, room)
				rcancel()
				if ctx.Err() != nil {
					return
				}
				fyne.DoAndWait(func() { s.refreshed(room, n, v, err) })
			}
		}
	}()
}

// stillOpen asks the UI goroutine whether the screen still shows.
func (s *RoomScreen) stillOpen() bool {
	var open bool
	fyne.DoAndWait(func() { open = s.isOpen() })
	return open
}

// isOpen reports whether the screen is the one in the window (on the UI
// goroutine).
func (s *RoomScreen) isOpen() bool {
	objs := s.u.body.Objects
	return s.u.sess != nil && len(objs) == 1 && objs[0] == s.content
}

// close ends the refresher.
func (s *RoomScreen) close() {
	if s.cancel != nil {
		s.cancel()
	}
}

// sentText tells the teacher which computers got a command.
func sentText(kind string, sent []string) string {
	names := strings.Join(sent, ", ")
	switch kind {
	case wire.CommandLock:
		return T("rooms.sent_lock", "Names", names)
	case wire.CommandUnlock:
		return T("rooms.sent_unlock", "Names", names)
	case wire.CommandLogout:
		return T("rooms.sent_logout", "Names", names)
	}
	return T("rooms.sent_message", "Names", names)
}

// naturalCompare orders names as people count: PC-2 before PC-10, and
// case does not matter.
func naturalCompare(a, b string) int {
	ra, rb := []rune(strings.ToLower(a)), []rune(strings.ToLower(b))
	for len(ra) > 0 && len(rb) > 0 {
		da, db := digitRun(ra), digitRun(rb)
		if da > 0 && db > 0 {
			na, nb := trimZeros(ra[:da]), trimZeros(rb[:db])
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if c := slices.Compare(na, nb); c != 0 {
				return c
			}
			ra, rb = ra[da:], rb[db:]
			continue
		}
		if ra[0] != rb[0] {
			return int(ra[0]) - int(rb[0])
		}
		ra, rb = ra[1:], rb[1:]
	}
	return len(ra) - len(rb)
}

// digitRun is the number of ASCII digits r starts with.
func digitRun(r []rune) int {
	i := 0
	for i < len(r) && r[i] >= '0' && r[i] <= '9' {
		i++
	}
	return i
}

func trimZeros(r []rune) []rune {
	for len(r) > 1 && r[0] == '0' {
		r = r[1:]
	}
	return r
}
