package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// chatWatchEvery is how often the live updates look whether their screen
// is still shown and its person still logged in. The framework has no
// hook for a screen that goes away or a session that ends, so the loop
// looks itself, as the PC-room gate does for the idle time: at most this
// long after the home button, a logout or the idle logout the long poll
// is cancelled and nothing of the chat keeps running for the next person.
const chatWatchEvery = 500 * time.Millisecond

// chatFollower is the live-update loop of a shown chat screen.
type chatFollower struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the loop has ended
}

// chatFollowLocked starts the live updates from cursor (taken before the
// rooms were loaded). They run on their own goroutine, not in u.run: a
// long poll waits up to 25 s and must not hold the progress bar or
// u.Wait. Every change to the screen goes through fyne.Do.
func (u *UI) chatFollowLocked(s *ChatScreen, cursor string) {
	if s.follow != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	f := &chatFollower{ctx: ctx, cancel: cancel, done: make(chan struct{})}
	s.follow = f
	api := s.api
	go func() {
		defer close(f.done)
		ended := make(chan error, 1)
		go func() {
			ended <- api.ChatFollow(ctx, cursor, func(ev wire.ChatEvents) { u.chatReceive(s, f, ev) })
		}()
		tick := time.NewTicker(chatWatchEvery)
		defer tick.Stop()
		for {
			select {
			case err := <-ended:
				cancel()
				if !errors.Is(err, context.Canceled) {
					fyne.Do(func() { u.chatFollowEnded(s, f, err) })
				}
				return
			case <-tick.C:
				fyne.Do(func() {
					if !u.chatShown(s) {
						s.stopFollow(f)
					}
				})
			}
		}
	}()
}

// chatShown tells whether the chat screen is on the window for the person
// it was made for.
func (u *UI) chatShown(s *ChatScreen) bool {
	if u.sess == nil || u.sess.User.Login != s.login {
		return false
	}
	objs := u.body.Objects
	return len(objs) == 1 && objs[0] == s.content
}

// stopFollow ends the live updates (if f is still the screen's loop);
// it does not wait, so it may be called on the UI goroutine, which the
// loop itself waits for in fyne.DoAndWait. When the person is gone, the
// screen forgets the room's messages at once.
func (s *ChatScreen) stopFollow(f *chatFollower) {
	// The screen lets go of the loop before it is cancelled: coming back
	// to the chat at once then starts a new one instead of relying on the
	// ending one.
	s.mu.Lock()
	if s.follow == f {
		s.follow = nil
	}
	if u := s.u; u.sess == nil || u.sess.User.Login != s.login {
		s.forgetLocked()
	}
	s.mu.Unlock()
	f.cancel()
}

// forgetLocked drops the rooms and messages the screen holds. After a
// logout the screen is no longer in u.screens and is never shown again
// (showChat makes a new one); this lets its content go at once, even
// while a late answer still refers to the screen.
func (s *ChatScreen) forgetLocked() {
	s.Rooms = nil
	s.Room = nil
	s.msgs, s.older = nil, ""
	s.Rows = nil
	s.msgBox.Objects = nil
	s.roomBox.Objects = nil
	s.RoomBtns = nil
	// Dialogs lie over the whole window, also over the login that follows.
	if s.Report != nil {
		s.Report.Dialog.Hide()
		s.Report = nil
	}
	if s.Direct != nil {
		s.Direct.Dialog.Hide()
		s.Direct = nil
	}
	if s.Reports != nil {
		s.Reports.Dialog.Hide()
		s.Reports = nil
	}
	if s.ConfirmDelete != nil {
		s.ConfirmDelete.Hide()
		s.ConfirmDelete = nil
	}
}

// chatStopLive ends the chat's live updates of a UI and returns a channel
// that is closed when the loop has ended (closed at once if none ran).
// Tests use it at their end; the app needs no call: the loop stops by
// itself when the screen goes.
func (u *UI) chatStopLive() <-chan struct{} {
	s, ok := u.screen(chatKey).(*ChatScreen)
	if !ok {
		done := make(chan struct{})
		close(done)
		return done
	}
	s.mu.Lock()
	f := s.follow
	s.mu.Unlock()
	if f == nil {
		done := make(chan struct{})
		close(done)
		return done
	}
	s.stopFollow(f)
	return f.done
}

// chatReceive hands a live update to the screen (on the follower's
// goroutine) and does the network work it asks for there: marking the
// open room read, loading the rooms when a new one appeared or the
// server lost the cursor.
func (u *UI) chatReceive(s *ChatScreen, f *chatFollower, ev wire.ChatEvents) {
	var need chatNeeds
	fyne.DoAndWait(func() { need = s.apply(f, ev) })
	ctx := f.ctx
	if need.rooms {
		rooms, err := s.api.ChatRooms(ctx)
		var page wire.ChatPage
		if err == nil && need.reload != 0 && chatHasRoom(rooms, need.reload) {
			page, err = s.api.ChatHistory(ctx, need.reload, "", chatPageSize)
		}
		if err == nil {
			fyne.DoAndWait(func() { s.applyRooms(f, rooms, need.reload, page) })
		}
	}
	if need.markRead != 0 && ctx.Err() == nil {
		s.api.ChatMarkRead(ctx, need.markRead, need.upTo) // a failure leaves it unread; nothing to tell
	}
}

// chatNeeds is the network work a live update asks for.
type chatNeeds struct {
	rooms          bool  // load the room list
	reload         int64 // and this room's newest page (after a reset)
	markRead, upTo int64 // mark the open room read up to a message
}

// live reports whether f is the screen's loop and the screen's person is
// still logged in: an update that comes in after the logout (the long
// poll was already running) shows nothing.
func (s *ChatScreen) liveLocked(f *chatFollower) bool {
	u := s.u
	return s.follow == f && f.ctx.Err() == nil && u.sess != nil && u.sess.User.Login == s.login
}

// apply shows a live update: new messages in the open room, unread
// counts on the other rooms, deletions, and reports naming the person
// (a teacher) or, for an admin, any new report.
func (s *ChatScreen) apply(f *chatFollower, ev wire.ChatEvents) chatNeeds {
	s.mu.Lock()
	defer s.mu.Unlock()
	var need chatNeeds
	if !s.liveLocked(f) {
		return need
	}
	if ev.Reset {
		need.rooms = true
		if s.Room != nil {
			need.reload = s.Room.ID
		}
		return need
	}
	for _, m := range ev.Messages {
		r := s.roomLocked(m.Room)
		if r == nil {
			need.rooms = true // a new direct chat, or a class room made meanwhile
			continue
		}
		if m.System {
			// A notice of the server (a teacher muted the room): who may
			// write changed, which the room list says.
			need.rooms = true
		}
		if s.Room != nil && s.Room.ID == m.Room {
			if !m.Deleted {
				need.markRead, need.upTo = m.Room, max(need.upTo, m.ID)
			}
			continue
		}
		if !m.Deleted && !m.Mine {
			s.bumpRoomLocked(m.Room, m.SentAt, true)
		}
	}
	var fresh []wire.ChatMessage
	for _, m := range ev.Messages {
		if s.Room != nil && m.Room == s.Room.ID {
			fresh = append(fresh, m)
		}
	}
	if len(fresh) > 0 {
		last := fresh[len(fresh)-1]
		if !last.Deleted {
			s.bumpRoomLocked(last.Room, last.SentAt, false)
		}
		s.mergeLocked(fresh, "", false)
	}
	for _, rep := range ev.Reports {
		if rep.Reporter.Login == s.login {
			continue
		}
		reason := chatReasonTitle(wire.ChatReason{Key: rep.Reason, Title: rep.ReasonTitle})
		s.setStatus(T("chat.report.came_in", "Reporter", rep.Reporter.Name, "Reason", reason, "Room", rep.RoomTitle), false)
		if rep.Teacher == nil || rep.Teacher.Login != s.login {
			continue // an admin's notice of any report: their list is the tile
		}
		s.newNamed++
		s.MyReports.SetText(T("chat.my_reports_new", "Count", s.newNamed))
		s.MyReports.Importance = widget.WarningImportance
		s.MyReports.Refresh()
	}
	return need
}

// applyRooms takes a reloaded room list (and, after a reset, the open
// room's newest page).
func (s *ChatScreen) applyRooms(f *chatFollower, rooms []wire.ChatRoom, reload int64, page wire.ChatPage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.liveLocked(f) {
		return
	}
	s.setRoomsLocked(rooms)
	if s.Room != nil && s.roomLocked(s.Room.ID) == nil {
		s.closeRoomLocked()
		return
	}
	if reload != 0 && s.Room != nil && s.Room.ID == reload {
		s.msgs, s.older = nil, ""
		s.mergeLocked(page.Messages, page.Next, true)
	}
}

// chatFollowEnded is called when the live updates stopped on their own:
// the session ended (to the login), or the chat was switched off.
func (u *UI) chatFollowEnded(s *ChatScreen, f *chatFollower, err error) {
	s.mu.Lock()
	live := s.liveLocked(f)
	if s.follow == f {
		s.follow = nil
	}
	s.mu.Unlock()
	if !live || !u.chatShown(s) {
		return
	}
	switch serverapi.Code(err) {
	case wire.CodeUnauthenticated, wire.CodeAccountLocked, wire.CodeMustChangePassword:
		u.handle(err)
		return
	}
	s.mu.Lock()
	s.setStatus(T("chat.live_stopped", "Message", serverapi.Message(err)), true)
	s.mu.Unlock()
}
