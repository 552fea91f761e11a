package ui

import (
	"context"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/agentlink"
	"kaspel/shared/wire"
)

// ConnectAgent links the client to this computer's agent (kaspel-agent,
// installed by kaspel-install): the agent learns who logs in and out
// here, and the teachers' room commands (lock, unlock, log out, a
// message) come back and are obeyed at once. Without an agent the link
// keeps trying quietly. It runs until ctx ends.
func (u *UI) ConnectAgent(ctx context.Context, linkPath string) *agentlink.Client {
	c := agentlink.NewClient(linkPath, func(cmd agentlink.Command) {
		fyne.Do(func() { u.obey(cmd) })
	})
	previous := u.onSession
	u.onSession = func(s *wire.Session) {
		if s == nil {
			c.SetSession("", time.Now())
		} else {
			c.SetSession(s.User.Login, time.Now())
		}
		if previous != nil {
			previous(s)
		}
	}
	if u.sess != nil {
		c.SetSession(u.sess.User.Login, time.Now())
	}
	go c.Run(ctx)
	return c
}

// obey carries out a room command.
func (u *UI) obey(cmd agentlink.Command) {
	switch cmd.Kind {
	case agentlink.TypeLock:
		u.LockScreen()
	case agentlink.TypeUnlock:
		u.UnlockScreen()
	case agentlink.TypeLogout:
		u.UnlockScreen()
		if u.sess != nil {
			u.Logout(T("gate.logged_out_by_teacher"))
		}
	case agentlink.TypeMessage:
		u.ShowRoomMessage(cmd.Text)
	}
}

// LockScreen is the teacher's lock: the whole screen, on top of
// everything the client shows, until the teacher unlocks. It takes every
// tap and key (a Fyne overlay does), and the window can neither be closed
// (the gate intercepts closing) nor left full screen while it shows.
type LockScreen struct {
	Message *widget.Label
	obj     fyne.CanvasObject
	wasFull bool
}

// Locked reports whether the teacher's lock shows.
func (u *UI) Locked() bool { return u.lock != nil }

// LockScreen shows the lock.
func (u *UI) LockScreen() {
	if u.lock != nil {
		return
	}
	l := &LockScreen{wasFull: u.win.FullScreen()}
	l.Message = widget.NewLabelWithStyle(T("gate.locked"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.Message.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(color.NRGBA{R: 0x1b, G: 0x3a, B: 0x1d, A: 0xff})
	icon := canvas.NewImageFromResource(theme.VisibilityOffIcon())
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))
	text := canvas.NewText(T("gate.locked_title"), color.White)
	text.TextSize = 36
	text.TextStyle.Bold = true
	text.Alignment = fyne.TextAlignCenter
	sub := canvas.NewText(T("gate.locked"), color.White)
	sub.TextSize = 20
	sub.Alignment = fyne.TextAlignCenter
	l.obj = container.NewStack(bg, container.NewCenter(container.NewVBox(icon, text, sub)))
	u.lock = l
	u.win.Canvas().Unfocus()
	u.win.Canvas().Overlays().Add(l.obj)
	u.win.SetFullScreen(true)
}

// UnlockScreen lifts the teacher's lock.
func (u *UI) UnlockScreen() {
	l := u.lock
	if l == nil {
		return
	}
	u.lock = nil
	u.win.Canvas().Overlays().Remove(l.obj)
	if !l.wasFull && u.sess != nil {
		u.win.SetFullScreen(false)
	}
	u.touch() // the pupil did not walk away
}

// ShowRoomMessage shows a teacher's message to the room.
func (u *UI) ShowRoomMessage(text string) {
	msg := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(T("gate.message_title"), T("gate.message_ok"), container.NewGridWrap(fyne.NewSize(420, 120), msg), u.win)
	u.roomMessage = msg
	d.Show()
}
