package ui

import (
	"context"
	"image/color"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// ChatAPI is what the chat screens need from the server: the rooms and
// their messages, the live updates, direct chats, reports ("Melden") and
// the admin's report window. *serverapi.Client is one.
type ChatAPI interface {
	ChatRooms(ctx context.Context) ([]wire.ChatRoom, error)
	ChatHistory(ctx context.Context, room int64, before string, limit int) (wire.ChatPage, error)
	ChatSend(ctx context.Context, room int64, body string) (wire.ChatMessage, error)
	ChatMarkRead(ctx context.Context, room, upTo int64) error
	ChatSetPupilsMayWrite(ctx context.Context, room int64, may bool) (wire.ChatRoom, error)
	ChatOpenDirect(ctx context.Context, login string) (wire.ChatRoom, error)
	ChatContacts(ctx context.Context, q string, limit int) ([]wire.ChatContact, error)
	ChatDelete(ctx context.Context, messageID int64) error
	ChatEvents(ctx context.Context, cursor string, wait time.Duration) (wire.ChatEvents, error)
	ChatFollow(ctx context.Context, cursor string, fn func(wire.ChatEvents)) error
	ChatReportOptions(ctx context.Context) (wire.ChatReportOptions, error)
	ChatReport(ctx context.Context, messageID int64, r wire.ChatReportRequest) (wire.ChatReport, error)
	ChatReports(ctx context.Context) ([]wire.ChatReport, error)
	AdminChatReports(ctx context.Context, state string) ([]wire.ChatReport, error)
	AdminChatReport(ctx context.Context, id int64) (wire.ChatReportView, error)
	AdminCloseChatReport(ctx context.Context, id int64, note string, remove bool) (wire.ChatReport, error)
}

const (
	// chatKey is the chat screen's key in u.screens.
	chatKey = wire.ModuleChat
	// chatPageSize is how many messages a room shows when it opens: a
	// lesson's worth of chat, one request.
	chatPageSize = 50
	// chatKeep bounds the messages a room holds on the screen: a busy
	// class room left open all morning must not grow without end; older
	// ones come back with "Ältere Nachrichten".
	chatKeep = 300
)

func init() {
	registerTile(tile{key: wire.ModuleChat, title: "chat.title", icon: chatIcon, order: 25, module: true,
		open:  func(u *UI) { u.showChat() },
		badge: chatUnread})
}

// chatIcon is a speech bubble in the theme's colour (Fyne has none).
func chatIcon() fyne.Resource { return theme.NewThemedResource(chatBubble) }

var chatBubble = fyne.NewStaticResource("chat.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+
	`<path d="M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/></svg>`))

// chatAPI is the server's chat side, or nil if the client has none.
func (u *UI) chatAPI() ChatAPI {
	a, _ := u.api.(ChatAPI)
	return a
}

// chatUnread counts the unread messages of all rooms, for the home tile.
func chatUnread(ctx context.Context, u *UI) (int, error) {
	api := u.chatAPI()
	if api == nil {
		return 0, nil
	}
	rooms, err := api.ChatRooms(ctx)
	n := 0
	for _, r := range rooms {
		n += r.Unread
	}
	return n, err
}

// ChatScreen is the chat: the rooms on the left (classes and groups,
// then direct chats, each with its unread count, and "Neuer Chat"), the
// open room on the right with its messages, each with "Melden", and at
// the bottom the text field with the send button (Enter sends). New
// messages appear by themselves while the screen is open (chat_live.go).
//
// On Fyne's test driver the live updates and the answers of background
// calls arrive on other goroutines than the taps, so everything the
// screen shows of rooms and messages is guarded by mu; in the app all of
// it runs on the UI goroutine anyway.
type ChatScreen struct {
	NewChat   *widget.Button // a direct chat with someone from the contacts
	MyReports *widget.Button // the reports made, and those naming a teacher
	Rooms     []wire.ChatRoom
	RoomBtns  []*widget.Button // one per room, with the unread count
	NoRooms   *widget.Label

	RoomTitle *widget.Label
	Hint      *widget.Label  // "pick a room" while none is open
	Older     *widget.Button // loads the page before the oldest message shown
	Rows      []*ChatRow     // the open room's messages, oldest first
	Empty     *widget.Label  // the room has no messages yet
	// PupilsMayWrite is the moderators' switch (teachers of the class):
	// off mutes the room for pupils.
	PupilsMayWrite *widget.Check
	ReadOnly       *widget.Label // why the text field is off
	Input          *widget.Entry
	Send           *widget.Button
	Status         *widget.Label // answers: a refusal, "reported", a new report

	// Dialogs while they are open.
	Report        *ChatReportForm
	Direct        *ChatDirectPicker
	Reports       *ChatMyReports
	ConfirmDelete *dialog.ConfirmDialog

	// Room is the open room (nil if none).
	Room *wire.ChatRoom

	mu       sync.Mutex
	api      ChatAPI
	login    string // whose screen it is
	lang     string
	msgs     []wire.ChatMessage // the open room's messages, by id
	older    string             // the before= cursor of the page before msgs; "" if none
	seq      int                // drops the answers of room loads that were overtaken
	sending  bool
	reported map[int64]bool // messages reported from this screen
	newNamed int            // reports naming me that came in live
	options  *wire.ChatReportOptions
	follow   *chatFollower // the live updates while the screen is shown

	roomBox *fyne.Container
	msgBox  *fyne.Container
	scroll  *container.Scroll
	room    fyne.CanvasObject // the right side while a room is open
	content fyne.CanvasObject
	u       *UI
}

// showChat opens the chat (kept while the session lasts, so coming back
// from the home screen finds the same room) and starts its live updates.
func (u *UI) showChat() {
	api := u.chatAPI()
	if api == nil || u.sess == nil {
		u.showError(userError(T("chat.unavailable")))
		return
	}
	s, ok := u.screen(chatKey).(*ChatScreen)
	if !ok || s.lang != Language() || s.login != u.sess.User.Login {
		s = u.newChatScreen(api)
		u.setScreen(chatKey, s)
	}
	u.openScreen(T("chat.title"), s.content)
	u.chatStart(s)
}

func (u *UI) newChatScreen(api ChatAPI) *ChatScreen {
	s := &ChatScreen{api: api, login: u.sess.User.Login, lang: Language(), reported: map[int64]bool{}, u: u}
	s.NewChat = widget.NewButtonWithIcon(T("chat.new_direct"), theme.ContentAddIcon(), func() { u.chatAskDirect(s) })
	s.NewChat.Importance = widget.SuccessImportance
	s.MyReports = widget.NewButtonWithIcon(T("chat.my_reports"), theme.WarningIcon(), func() { u.chatShowMyReports(s) })
	s.NoRooms = widget.NewLabelWithStyle(T("chat.no_rooms"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.NoRooms.Wrapping = fyne.TextWrapWord
	s.NoRooms.Hide()
	s.roomBox = container.NewVBox()
	left := container.NewBorder(container.NewVBox(s.NewChat, widget.NewSeparator()), s.MyReports, nil, nil,
		container.NewVScroll(container.NewVBox(s.NoRooms, s.roomBox)))

	s.RoomTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.RoomTitle.SizeName = theme.SizeNameSubHeadingText
	s.RoomTitle.Truncation = fyne.TextTruncateEllipsis
	s.Hint = widget.NewLabelWithStyle(T("chat.pick_room"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.Hint.Wrapping = fyne.TextWrapWord
	s.Older = widget.NewButtonWithIcon(T("chat.older"), theme.MoveUpIcon(), func() { u.chatLoadOlder(s) })
	s.Older.Hide()
	s.Empty = widget.NewLabelWithStyle(T("chat.empty"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.Empty.Wrapping = fyne.TextWrapWord
	s.Empty.Hide()
	s.msgBox = container.NewVBox()
	s.scroll = container.NewVScroll(container.NewVBox(container.NewCenter(s.Older), s.Empty, s.msgBox))
	s.PupilsMayWrite = widget.NewCheck(T("chat.pupils_may_write"), func(on bool) { u.chatSetPupilsMayWrite(s, on) })
	s.PupilsMayWrite.Hide()
	s.ReadOnly = widget.NewLabel("")
	s.ReadOnly.Wrapping = fyne.TextWrapWord
	s.ReadOnly.Importance = widget.WarningImportance
	s.ReadOnly.Hide()
	s.Input = widget.NewEntry()
	s.Input.SetPlaceHolder(T("chat.input_hint"))
	s.Input.OnChanged = func(string) { u.touch() }
	s.Input.OnSubmitted = func(string) { u.chatSend(s) }
	s.Send = widget.NewButtonWithIcon(T("chat.send"), theme.MailSendIcon(), func() { u.chatSend(s) })
	s.Send.Importance = widget.HighImportance
	s.Status = widget.NewLabel("")
	s.Status.Wrapping = fyne.TextWrapWord
	s.Status.Hide()

	head := container.NewBorder(nil, widget.NewSeparator(), nil, s.PupilsMayWrite, s.RoomTitle)
	foot := container.NewVBox(s.ReadOnly, container.NewBorder(nil, nil, nil, s.Send, s.Input))
	s.room = container.NewBorder(head, foot, nil, nil, s.scroll)
	s.room.Hide()
	right := container.NewBorder(nil, s.Status, nil, nil, container.NewStack(container.NewCenter(s.Hint), s.room))
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(right))
	split.Offset = 0.28
	s.content = split
	return s
}

// chatStart loads the rooms (and the open room's messages) and starts
// the live updates. The live updates' cursor is asked for first, so that
// nothing written while the rooms load is missed.
func (u *UI) chatStart(s *ChatScreen) {
	s.mu.Lock()
	following := s.follow != nil
	room := int64(0)
	if s.Room != nil {
		room = s.Room.ID
	}
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	var cursor string
	var rooms []wire.ChatRoom
	var page wire.ChatPage
	u.runInSession(func(ctx context.Context) error {
		if !following {
			ev, err := s.api.ChatEvents(ctx, "", 0)
			if err != nil {
				return err
			}
			cursor = ev.Cursor
		}
		var err error
		if rooms, err = s.api.ChatRooms(ctx); err != nil {
			return err
		}
		if room != 0 && chatHasRoom(rooms, room) {
			if page, err = s.api.ChatHistory(ctx, room, "", chatPageSize); err != nil {
				return err
			}
			return s.api.ChatMarkRead(ctx, room, 0)
		}
		return nil
	}, func(err error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if u.chatFailed(err, s.setStatus) {
			return
		}
		s.setRoomsLocked(rooms)
		if room != 0 && seq == s.seq {
			if r := s.roomLocked(room); r != nil {
				r.Unread = 0
				s.showRoomLocked(*r)
				s.msgs, s.older = nil, ""
				s.mergeLocked(page.Messages, page.Next, true)
			} else {
				s.closeRoomLocked()
			}
			s.showRoomsLocked()
		}
		if !following && u.screen(chatKey) == s {
			u.chatFollowLocked(s, cursor)
		}
	})
}

func chatHasRoom(rooms []wire.ChatRoom, id int64) bool {
	for _, r := range rooms {
		if r.ID == id {
			return true
		}
	}
	return false
}

// roomLocked finds a room of the list (nil if not there).
func (s *ChatScreen) roomLocked(id int64) *wire.ChatRoom {
	for i := range s.Rooms {
		if s.Rooms[i].ID == id {
			return &s.Rooms[i]
		}
	}
	return nil
}

// setRoomsLocked takes the server's room list (newest activity first),
// keeping the open room's unread count at zero.
func (s *ChatScreen) setRoomsLocked(rooms []wire.ChatRoom) {
	s.Rooms = rooms
	if s.Room != nil {
		if r := s.roomLocked(s.Room.ID); r != nil {
			r.Unread = 0
			s.Room = r
			s.showRoomHeadLocked()
		}
	}
	s.showRoomsLocked()
}

// showRoomsLocked renews the room buttons: the open room highlighted,
// rooms with unread messages in bold with their count.
func (s *ChatScreen) showRoomsLocked() {
	s.roomBox.RemoveAll()
	s.RoomBtns = nil
	for _, r := range s.Rooms {
		id := r.ID
		text := r.Title
		if r.Unread > 0 {
			text = T("chat.room.unread", "Title", r.Title, "Count", r.Unread)
		}
		icon := theme.AccountIcon()
		if r.Kind == wire.ChatGroupRoom {
			icon = chatIcon()
		}
		b := widget.NewButtonWithIcon(text, icon, func() { s.u.chatOpenRoom(s, id) })
		b.Alignment = widget.ButtonAlignLeading
		switch {
		case s.Room != nil && s.Room.ID == id:
			b.Importance = widget.HighImportance
		case r.Unread > 0:
			b.Importance = widget.SuccessImportance
		}
		s.RoomBtns = append(s.RoomBtns, b)
		s.roomBox.Add(b)
	}
	showIf(s.NoRooms, len(s.Rooms) == 0)
	s.roomBox.Refresh()
}

// chatOpenRoom opens a room: its newest messages; the room counts as
// read.
func (u *UI) chatOpenRoom(s *ChatScreen, id int64) {
	u.touch()
	s.mu.Lock()
	r := s.roomLocked(id)
	if r == nil {
		s.mu.Unlock()
		return
	}
	s.seq++
	seq := s.seq
	r.Unread = 0
	s.showRoomLocked(*r)
	s.msgs, s.older = nil, ""
	s.showMessagesLocked()
	s.Empty.Hide() // not known yet
	s.showRoomsLocked()
	s.setStatus("", false)
	s.mu.Unlock()
	u.win.Canvas().Focus(s.Input)
	var page wire.ChatPage
	u.runInSession(func(ctx context.Context) error {
		var err error
		if page, err = s.api.ChatHistory(ctx, id, "", chatPageSize); err != nil {
			return err
		}
		return s.api.ChatMarkRead(ctx, id, 0)
	}, func(err error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if seq != s.seq {
			return
		}
		if u.chatFailed(err, s.setStatus) {
			return
		}
		// Live messages that came in meanwhile stay (merge).
		s.mergeLocked(page.Messages, page.Next, true)
	})
}

// showRoomLocked shows a room's head and text field; the messages follow.
func (s *ChatScreen) showRoomLocked(r wire.ChatRoom) {
	room := r
	s.Room = &room
	s.showRoomHeadLocked()
	s.Hint.Hide()
	s.room.Show()
}

// showRoomHeadLocked shows the open room's title, the moderators' switch
// and whether the person may write.
func (s *ChatScreen) showRoomHeadLocked() {
	r := s.Room
	s.RoomTitle.SetText(r.Title)
	if r.MayModerate && r.Kind == wire.ChatGroupRoom {
		// Set without OnChanged: the handler is for the person's taps.
		s.PupilsMayWrite.Checked = r.PupilsMayWrite
		s.PupilsMayWrite.Refresh()
		s.PupilsMayWrite.Show()
	} else {
		s.PupilsMayWrite.Hide()
	}
	switch {
	case r.MayWrite:
		s.ReadOnly.Hide()
		s.Input.Enable()
		s.updateSendLocked()
	case r.Kind == wire.ChatGroupRoom && !r.PupilsMayWrite:
		s.ReadOnly.SetText(T("chat.muted"))
		s.ReadOnly.Show()
		s.Input.Disable()
		s.Send.Disable()
	default:
		s.ReadOnly.SetText(T("chat.read_only"))
		s.ReadOnly.Show()
		s.Input.Disable()
		s.Send.Disable()
	}
}

func (s *ChatScreen) updateSendLocked() {
	if s.sending || s.Room == nil || !s.Room.MayWrite {
		s.Send.Disable()
	} else {
		s.Send.Enable()
	}
}

// closeRoomLocked empties the right side (the room is gone: the person
// left the class, the room was of last school year).
func (s *ChatScreen) closeRoomLocked() {
	s.Room = nil
	s.msgs, s.older = nil, ""
	s.showMessagesLocked()
	s.room.Hide()
	s.Hint.Show()
}

// mergeLocked adds messages to the open room's (by id: a message that
// is there already is replaced, so a deletion shows). older is the
// cursor of the page before them when they are a page from the server.
func (s *ChatScreen) mergeLocked(list []wire.ChatMessage, older string, page bool) {
	byID := make(map[int64]int, len(s.msgs))
	for i, m := range s.msgs {
		byID[m.ID] = i
	}
	changed := false
	for _, m := range list {
		if s.Room == nil || m.Room != s.Room.ID {
			continue
		}
		if i, ok := byID[m.ID]; ok {
			if s.msgs[i].Deleted && !m.Deleted {
				continue // the deletion came live after this page was read
			}
			s.msgs[i] = m
			if i < len(s.Rows) && s.Rows[i].Message.ID == m.ID {
				s.Rows[i].set(s, m)
				continue
			}
			changed = true
			continue
		}
		byID[m.ID] = len(s.msgs)
		s.msgs = append(s.msgs, m)
		changed = true
	}
	if page {
		s.older = older
	}
	if !changed && !page {
		return
	}
	sort.Slice(s.msgs, func(i, j int) bool { return s.msgs[i].ID < s.msgs[j].ID })
	if len(s.msgs) > chatKeep {
		s.msgs = append([]wire.ChatMessage(nil), s.msgs[len(s.msgs)-chatKeep:]...)
		s.older = strconv.FormatInt(s.msgs[0].ID, 10)
	}
	s.showMessagesLocked()
}

// showMessagesLocked renews the message rows from msgs and scrolls to
// the newest.
func (s *ChatScreen) showMessagesLocked() {
	// Rows of messages still shown are kept, so a live message adds one
	// row instead of rebuilding the room.
	old := make(map[int64]*ChatRow, len(s.Rows))
	for _, r := range s.Rows {
		old[r.Message.ID] = r
	}
	s.Rows = s.Rows[:0:0]
	objs := make([]fyne.CanvasObject, 0, len(s.msgs))
	for _, m := range s.msgs {
		r := old[m.ID]
		if r == nil {
			r = newChatRow(s, m)
		} else {
			r.set(s, m)
		}
		s.Rows = append(s.Rows, r)
		objs = append(objs, r.content)
	}
	s.msgBox.Objects = objs
	s.msgBox.Refresh()
	showIf(s.Older, s.older != "")
	showIf(s.Empty, s.Room != nil && len(s.msgs) == 0)
	s.scroll.ScrollToBottom()
}

// chatLoadOlder loads the page before the oldest message shown.
func (u *UI) chatLoadOlder(s *ChatScreen) {
	s.mu.Lock()
	if s.Room == nil || s.older == "" {
		s.mu.Unlock()
		return
	}
	id, before, seq := s.Room.ID, s.older, s.seq
	s.Older.Disable()
	s.mu.Unlock()
	var page wire.ChatPage
	u.runInSession(func(ctx context.Context) error {
		var err error
		page, err = s.api.ChatHistory(ctx, id, before, chatPageSize)
		return err
	}, func(err error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.Older.Enable()
		if seq != s.seq || u.chatFailed(err, s.setStatus) {
			return
		}
		// Older pages are not bounded by chatKeep: the person asked.
		byID := map[int64]bool{}
		for _, m := range s.msgs {
			byID[m.ID] = true
		}
		for _, m := range page.Messages {
			if !byID[m.ID] {
				s.msgs = append(s.msgs, m)
			}
		}
		sort.Slice(s.msgs, func(i, j int) bool { return s.msgs[i].ID < s.msgs[j].ID })
		s.older = page.Next
		s.showMessagesLocked()
		s.scroll.ScrollToTop()
	})
}

// chatSend sends the text field's message. A refusal (too fast, a chain
// letter, a muted room) shows in German below the room, and the text
// comes back into the field.
func (u *UI) chatSend(s *ChatScreen) {
	u.touch()
	s.mu.Lock()
	text := strings.TrimSpace(s.Input.Text)
	if s.Room == nil || !s.Room.MayWrite || s.sending || text == "" {
		s.mu.Unlock()
		return
	}
	if n := len([]rune(text)); n > wire.ChatMaxBody {
		s.setStatus(T("chat.too_long", "Count", n, "Limit", wire.ChatMaxBody), true)
		s.mu.Unlock()
		return
	}
	room := s.Room.ID
	s.sending = true
	s.updateSendLocked()
	// The field is emptied at once, as messengers do (and a second Enter
	// cannot send the text twice); a refusal puts the text back.
	s.Input.SetText("")
	s.mu.Unlock()
	var sent wire.ChatMessage
	u.runInSession(func(ctx context.Context) error {
		var err error
		sent, err = s.api.ChatSend(ctx, room, text)
		return err
	}, func(err error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.sending = false
		s.updateSendLocked()
		if u.chatFailed(err, s.setStatus) {
			if s.Input.Text == "" && s.Room != nil && s.Room.ID == room {
				s.Input.SetText(text)
			}
			return
		}
		s.setStatus("", false)
		s.bumpRoomLocked(room, sent.SentAt, false)
		s.mergeLocked([]wire.ChatMessage{sent}, "", false)
		u.win.Canvas().Focus(s.Input)
	})
}

// bumpRoomLocked moves a room with a new message to the top of the list
// (the server's order: newest activity first) and counts it unread
// unless the room is open.
func (s *ChatScreen) bumpRoomLocked(id int64, at time.Time, unread bool) {
	for i, r := range s.Rooms {
		if r.ID != id {
			continue
		}
		r.LastMessage = &at
		if unread && (s.Room == nil || s.Room.ID != id) {
			r.Unread++
		}
		s.Rooms = append(append([]wire.ChatRoom{r}, s.Rooms[:i]...), s.Rooms[i+1:]...)
		if s.Room != nil && s.Room.ID == id {
			s.Room = &s.Rooms[0]
		}
		break
	}
	s.showRoomsLocked()
}

// chatSetPupilsMayWrite is the moderators' switch: mute the room for the
// pupils (in the evening, during a test) or open it again.
func (u *UI) chatSetPupilsMayWrite(s *ChatScreen, on bool) {
	s.mu.Lock()
	if s.Room == nil || !s.Room.MayModerate || s.Room.PupilsMayWrite == on {
		s.mu.Unlock()
		return
	}
	id := s.Room.ID
	s.mu.Unlock()
	var room wire.ChatRoom
	u.runInSession(func(ctx context.Context) error {
		var err error
		room, err = s.api.ChatSetPupilsMayWrite(ctx, id, on)
		return err
	}, func(err error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if u.chatFailed(err, s.setStatus) {
			if s.Room != nil {
				s.showRoomHeadLocked() // the switch as it was
			}
			return
		}
		if r := s.roomLocked(id); r != nil {
			room.Unread = 0
			*r = room
			if s.Room != nil && s.Room.ID == id {
				s.Room = r
				s.showRoomHeadLocked()
			}
		}
	})
}

// chatAskDelete deletes a message after asking: the own one, or as a
// moderator any in the room.
func (u *UI) chatAskDelete(s *ChatScreen, m wire.ChatMessage) {
	d := dialog.NewConfirm(T("chat.delete.title"), T("chat.delete.question", "Text", chatQuote(m.Body)), func(yes bool) {
		s.ConfirmDelete = nil
		if !yes {
			return
		}
		u.runInSession(func(ctx context.Context) error { return s.api.ChatDelete(ctx, m.ID) }, func(err error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			if u.chatFailed(err, s.setStatus) {
				return
			}
			gone := m
			gone.Deleted, gone.Body = true, ""
			s.mergeLocked([]wire.ChatMessage{gone}, "", false)
		})
	}, u.win)
	d.SetConfirmText(T("chat.delete.yes"))
	d.SetDismissText(T("chat.delete.no"))
	d.SetConfirmImportance(widget.DangerImportance)
	s.ConfirmDelete = d
	d.Show()
}

// setStatus shows a short answer below the room (danger: red, for
// refusals); "" hides it.
func (s *ChatScreen) setStatus(text string, danger bool) { mailSetLabel(s.Status, text, danger) }

// chatFailed shows the German message of err with say and reports
// whether there was an error; an ended session or a locked account go to
// the login (as in mail).
func (u *UI) chatFailed(err error, say func(text string, danger bool)) bool {
	return u.mailFailed(err, say)
}

// ChatRow is one message of the open room: who wrote it and when, the
// text, and "Melden" (not on the own messages and the server's notices,
// which cannot be reported) and "Löschen" (the own messages; for
// moderators all).
type ChatRow struct {
	Message wire.ChatMessage
	From    *widget.Label
	Time    *widget.Label
	Body    *widget.Label
	Report  *widget.Button
	Delete  *widget.Button

	bubble  *canvas.Rectangle
	card    *fyne.Container
	content *fyne.Container
}

func newChatRow(s *ChatScreen, m wire.ChatMessage) *ChatRow {
	r := &ChatRow{
		From: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		Time: widget.NewLabel(""),
		Body: widget.NewLabel(""),
	}
	r.Body.Wrapping = fyne.TextWrapWord
	r.Body.Selectable = true
	r.Time.SizeName = theme.SizeNameCaptionText
	r.Report = widget.NewButtonWithIcon(T("chat.report"), theme.WarningIcon(), func() { s.u.chatAskReport(s, r.Message) })
	r.Delete = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.u.chatAskDelete(s, r.Message) })
	r.bubble = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	r.bubble.CornerRadius = theme.Size(theme.SizeNameInputRadius) * 2
	head := container.NewHBox(r.From, r.Time, spacer(), r.Report, r.Delete)
	r.card = container.NewStack(r.bubble, container.NewPadded(container.NewVBox(head, r.Body)))
	r.content = container.NewStack()
	r.set(s, m)
	return r
}

// chatIndent is the gap on one side of a message: the own messages lean
// right, the others left, as in the messengers children know.
const chatIndent = 90

// set shows a message in the row.
func (r *ChatRow) set(s *ChatScreen, m wire.ChatMessage) {
	r.Message = m
	now := s.u.opts.Now()
	if m.System {
		note := widget.NewLabelWithStyle(m.Body, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
		note.Wrapping = fyne.TextWrapWord
		r.Body.SetText(m.Body)
		r.From.SetText(T("chat.system_sender"))
		r.Report.Hide()
		r.Delete.Hide()
		r.content.Objects = []fyne.CanvasObject{note}
		r.content.Refresh()
		return
	}
	name := m.From.Name
	if m.Mine {
		name = T("chat.me")
	}
	r.From.SetText(name)
	r.Time.SetText(chatTime(m.SentAt, now))
	if m.Deleted {
		r.Body.TextStyle = fyne.TextStyle{Italic: true}
		r.Body.SetText(T("chat.deleted"))
	} else {
		r.Body.TextStyle = fyne.TextStyle{}
		r.Body.SetText(m.Body)
	}
	switch {
	case m.Mine || m.Deleted:
		r.Report.Hide()
	case s.reported[m.ID]:
		r.Report.SetText(T("chat.reported"))
		r.Report.Disable()
		r.Report.Show()
	default:
		r.Report.SetText(T("chat.report"))
		r.Report.Enable()
		r.Report.Show()
	}
	showIf(r.Delete, !m.Deleted && (m.Mine || s.Room != nil && s.Room.MayModerate))
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(fyne.NewSize(chatIndent, 1))
	if m.Mine {
		r.bubble.FillColor = theme.Color(theme.ColorNameSelection)
		r.content.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, gap, nil, r.card)}
	} else {
		r.bubble.FillColor = theme.Color(theme.ColorNameInputBackground)
		r.content.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, nil, gap, r.card)}
	}
	r.bubble.Refresh()
	r.content.Refresh()
}

// chatTime is a message's time: the time of day for today's, with the
// date for older ones.
func chatTime(t, now time.Time) string {
	t = t.Local()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return T("chat.datetime", "Date", t.Format(T("chat.date_layout")), "Time", t.Format("15:04"))
}

// chatQuote shortens a message for a question about it.
func chatQuote(body string) string {
	body = strings.Join(strings.Fields(body), " ")
	if r := []rune(body); len(r) > 80 {
		body = string(r[:80]) + "…"
	}
	return body
}
