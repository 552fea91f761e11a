package ui

import (
	"context"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// chatContacts is how many people the picker offers at once: a class
// fits, a longer list is narrowed by typing.
const chatContacts = 30

// ChatDirectPicker starts a direct chat: the people the server offers
// (for a pupil: the classmates and the class's teachers; for staff the
// people of their classes, or anyone found by name), narrowed by typing.
type ChatDirectPicker struct {
	Dialog   *dialog.CustomDialog
	Search   *widget.Entry
	Contacts []wire.ChatContact
	Buttons  []*widget.Button // one per contact
	Message  *widget.Label
	Cancel   *widget.Button

	list *fyne.Container
	// The answers come on worker goroutines on Fyne's test driver while
	// typing goes on (as in the mail's recipient picker).
	mu  sync.Mutex
	seq int
}

// chatAskDirect opens the picker with the people of the own classes.
func (u *UI) chatAskDirect(s *ChatScreen) {
	u.touch()
	p := &ChatDirectPicker{list: container.NewVBox()}
	p.Search = widget.NewEntry()
	p.Search.SetPlaceHolder(T("chat.direct.search_hint"))
	p.Search.OnChanged = func(q string) {
		u.touch()
		u.chatFindContacts(s, p, q)
	}
	p.Message = widget.NewLabel("")
	p.Message.Wrapping = fyne.TextWrapWord
	p.Message.Hide()
	p.Cancel = widget.NewButtonWithIcon(T("chat.direct.cancel"), theme.CancelIcon(), func() {
		p.Dialog.Hide()
		if s.Direct == p {
			s.Direct = nil
		}
	})
	intro := widget.NewLabel(T("chat.direct.intro"))
	intro.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(p.list)
	scroll.SetMinSize(fyne.NewSize(0, 300))
	content := container.NewBorder(container.NewVBox(intro, p.Search), p.Message, nil, nil, scroll)
	p.Dialog = dialog.NewCustomWithoutButtons(T("chat.direct.title"), content, u.win)
	p.Dialog.SetButtons([]fyne.CanvasObject{p.Cancel})
	p.Dialog.Resize(fyne.NewSize(460, 520))
	s.Direct = p
	p.Dialog.Show()
	u.win.Canvas().Focus(p.Search)
	u.chatFindContacts(s, p, "")
}

// chatFindContacts asks the server for the people matching q; only the
// answer to the latest text is shown.
func (u *UI) chatFindContacts(s *ChatScreen, p *ChatDirectPicker, q string) {
	q = strings.TrimSpace(q)
	p.mu.Lock()
	p.seq++
	seq := p.seq
	p.mu.Unlock()
	var list []wire.ChatContact
	u.runInSession(func(ctx context.Context) error {
		var err error
		list, err = s.api.ChatContacts(ctx, q, chatContacts)
		return err
	}, func(err error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if seq != p.seq {
			return
		}
		say := func(text string, danger bool) { mailSetLabel(p.Message, text, danger) }
		if u.chatFailed(err, say) {
			return
		}
		say("", false)
		p.Contacts = list
		p.Buttons = nil
		p.list.RemoveAll()
		for _, c := range list {
			c := c
			text := c.Name
			if len(c.Classes) > 0 {
				text = T("chat.direct.contact", "Name", c.Name, "Classes", strings.Join(c.Classes, ", "))
			}
			icon := theme.AccountIcon()
			b := widget.NewButtonWithIcon(text, icon, func() { u.chatOpenDirect(s, p, c) })
			b.Alignment = widget.ButtonAlignLeading
			p.Buttons = append(p.Buttons, b)
			p.list.Add(b)
		}
		if len(list) == 0 {
			p.list.Add(widget.NewLabelWithStyle(T("chat.direct.nobody"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
		}
		p.list.Refresh()
	})
}

// chatOpenDirect opens (or starts) the direct chat with a contact and
// shows it.
func (u *UI) chatOpenDirect(s *ChatScreen, p *ChatDirectPicker, c wire.ChatContact) {
	var room wire.ChatRoom
	u.runInSession(func(ctx context.Context) error {
		var err error
		room, err = s.api.ChatOpenDirect(ctx, c.Login)
		return err
	}, func(err error) {
		if u.chatFailed(err, func(text string, danger bool) { mailSetLabel(p.Message, text, danger) }) {
			return
		}
		p.Dialog.Hide()
		if s.Direct == p {
			s.Direct = nil
		}
		s.mu.Lock()
		if s.roomLocked(room.ID) == nil {
			s.Rooms = append([]wire.ChatRoom{room}, s.Rooms...)
			s.showRoomsLocked()
		}
		s.mu.Unlock()
		u.chatOpenRoom(s, room.ID)
	})
}
