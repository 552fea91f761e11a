package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/shared/wire"
)

// The chat module end to end: the real HTTPS listener on loopback, the
// Go client the desktop client uses.

// chatSafety bounds the waiting calls of the live-update tests: it only
// ends a hung test, it is never what a test asserts.
const chatSafety = 2 * time.Minute

// chatRoomOf returns the id of the caller's room of a class or group.
func (s *school) chatRoomOf(c *serverapi.Client, group string) int64 {
	s.t.Helper()
	rooms, err := c.ChatRooms(ctx)
	if err != nil {
		s.t.Fatalf("chat rooms: %v", err)
	}
	for _, r := range rooms {
		if r.Kind == wire.ChatGroupRoom && r.Group == group {
			return r.ID
		}
	}
	s.t.Fatalf("no chat room of %s in %+v", group, rooms)
	return 0
}

// chatIDs lists message ids.
func chatIDs(list []wire.ChatMessage) []int64 {
	out := []int64{}
	for _, m := range list {
		out = append(out, m.ID)
	}
	return out
}

func TestChatHappyPath(t *testing.T) {
	s := newSchool(t)
	anna, ben, tina := s.as(s.Pupil), s.as(s.Pupil2), s.as(s.Teacher)
	room := s.chatRoomOf(anna, "3a")
	m, err := anna.ChatSend(ctx, room, "Hallo 3a!")
	if err != nil {
		t.Fatal(err)
	}
	if m.Room != room || !m.Mine || m.From.Name != "Anna Schmidt" || m.From.Login != s.Pupil {
		t.Errorf("sent: got %+v", m)
	}
	if _, err := tina.ChatSend(ctx, room, "Hallo Anna"); err != nil {
		t.Fatal(err)
	}

	rooms, err := ben.ChatRooms(ctx)
	if err != nil || len(rooms) != 1 {
		t.Fatalf("ben's rooms: %+v, %v", rooms, err)
	}
	if r := rooms[0]; r.Title != "Klasse 3a" || r.Unread != 2 || !r.MayWrite || r.MayModerate || r.LastMessage == nil {
		t.Errorf("ben's room: got %+v", r)
	}
	p, err := ben.ChatHistory(ctx, room, "", 0)
	if err != nil || len(p.Messages) != 2 || p.Messages[0].Body != "Hallo 3a!" || p.Messages[1].From.Login != s.Teacher || p.Next != "" {
		t.Fatalf("history: got %+v, %v", p, err)
	}
	if err := ben.ChatMarkRead(ctx, room, 0); err != nil {
		t.Fatal(err)
	}
	if r, _ := ben.ChatRoom(ctx, room); r.Unread != 0 {
		t.Errorf("after reading: %d unread", r.Unread)
	}

	t.Run("direct messages", func(t *testing.T) {
		dm, err := anna.ChatOpenDirect(ctx, s.Pupil2)
		if err != nil {
			t.Fatal(err)
		}
		if dm.Kind != wire.ChatDirectRoom || dm.With == nil || dm.With.Login != s.Pupil2 || dm.Title != "Ben Becker" {
			t.Errorf("direct room: got %+v", dm)
		}
		if _, err := anna.ChatSend(ctx, dm.ID, "Psst, Ben"); err != nil {
			t.Fatal(err)
		}
		again, err := ben.ChatOpenDirect(ctx, s.Pupil)
		if err != nil || again.ID != dm.ID || again.Unread != 1 {
			t.Errorf("ben opens the same room: got %+v, %v", again, err)
		}
		_, err = anna.ChatOpenDirect(ctx, s.OtherPupil)
		wantCode(t, err, wire.CodeForbidden, "pupil to another class")
		if msg := serverapi.Message(err); !strings.Contains(msg, "aus deiner Klasse") {
			t.Errorf("German message: %q", msg)
		}
		if _, err := tina.ChatOpenDirect(ctx, s.OtherPupil); err != nil {
			t.Errorf("teacher to a pupil of another class: %v", err)
		}
		_, err = s.as(s.OtherPupil).ChatHistory(ctx, dm.ID, "", 0)
		wantCode(t, err, wire.CodeNotFound, "a third person reads a direct chat")
		contacts, err := anna.ChatContacts(ctx, "", 0)
		if err != nil || len(contacts) != 3 { // ben, max (must change) and tina
			t.Errorf("anna's contacts: %+v, %v", contacts, err)
		}
	})

	t.Run("moderation", func(t *testing.T) {
		_, err := anna.ChatSetPupilsMayWrite(ctx, room, false)
		wantCode(t, err, wire.CodeForbidden, "pupil mutes")
		r, err := tina.ChatSetPupilsMayWrite(ctx, room, false)
		if err != nil || r.PupilsMayWrite || !r.MayModerate {
			t.Fatalf("tina mutes: %+v, %v", r, err)
		}
		_, err = anna.ChatSend(ctx, room, "Hallo?")
		wantCode(t, err, wire.CodeForbidden, "pupil in a muted room")
		if _, err := tina.ChatSetPupilsMayWrite(ctx, room, true); err != nil {
			t.Fatal(err)
		}
		err = ben.ChatDelete(ctx, m.ID)
		wantCode(t, err, wire.CodeForbidden, "ben deletes anna's message")
		if err := anna.ChatDelete(ctx, m.ID); err != nil {
			t.Errorf("anna deletes her own: %v", err)
		}
		p, _ := ben.ChatHistory(ctx, room, "", 0)
		if first := p.Messages[0]; first.ID != m.ID || !first.Deleted || first.Body != "" {
			t.Errorf("deleted message in the history: %+v", first)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		_, err := anna.ChatSend(ctx, room, "   ")
		wantCode(t, err, wire.CodeInvalid, "empty message")
		_, err = anna.ChatSend(ctx, room, strings.Repeat("a", wire.ChatMaxBody+1))
		wantCode(t, err, wire.CodeInvalid, "too long")
		_, err = s.as(s.OtherPupil).ChatSend(ctx, room, "Hallo 3a")
		wantCode(t, err, wire.CodeNotFound, "another class's room")
		_, err = anna.ChatHistory(ctx, room, "x", 0)
		wantCode(t, err, wire.CodeInvalid, "bad cursor")
	})
}

// The live update: a waiting call returns when another person writes.
// Nothing is timed: the test waits for the call itself.
func TestChatLiveUpdate(t *testing.T) {
	s := newSchool(t)
	anna, ben := s.as(s.Pupil), s.as(s.Pupil2)
	room := s.chatRoomOf(anna, "3a")
	start, err := ben.ChatEvents(ctx, "", 0)
	if err != nil || start.Cursor == "" || len(start.Messages) != 0 {
		t.Fatalf("first call: %+v, %v", start, err)
	}

	type answer struct {
		ev  wire.ChatEvents
		err error
	}
	got := make(chan answer, 1)
	go func() {
		c, cancel := context.WithTimeout(ctx, chatSafety)
		defer cancel()
		ev, err := ben.ChatEvents(c, start.Cursor, 0)
		got <- answer{ev, err}
	}()
	// Anna writes until the waiting call has it: a message sent before
	// the call is registered comes back at once too, so one message is
	// enough whatever the order.
	sent, err := anna.ChatSend(ctx, room, "Kommst du heute mit auf den Spielplatz?")
	if err != nil {
		t.Fatal(err)
	}
	a := <-got
	if a.err != nil {
		t.Fatal(a.err)
	}
	if !slices.Equal(chatIDs(a.ev.Messages), []int64{sent.ID}) || a.ev.Messages[0].Body != sent.Body || a.ev.Messages[0].Mine {
		t.Errorf("woken with: %+v", a.ev)
	}
	if a.ev.Cursor == start.Cursor {
		t.Errorf("cursor did not move")
	}

	t.Run("follow", func(t *testing.T) {
		c, cancel := context.WithTimeout(ctx, chatSafety)
		defer cancel()
		events := make(chan wire.ChatEvents, 8)
		done := make(chan error, 1)
		go func() { done <- ben.ChatFollow(c, a.ev.Cursor, func(ev wire.ChatEvents) { events <- ev }) }()
		dm, err := s.as(s.Teacher).ChatOpenDirect(ctx, s.Pupil2)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.as(s.Teacher).ChatSend(ctx, dm.ID, "Ben, bitte komm ins Lehrerzimmer.")
		if err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-events:
			if !slices.Equal(chatIDs(ev.Messages), []int64{want.ID}) {
				t.Errorf("followed: %+v", ev)
			}
		case err := <-done:
			t.Fatalf("ChatFollow ended: %v", err)
		}
		cancel()
		if err := <-done; err != context.Canceled && err != context.DeadlineExceeded {
			t.Errorf("ChatFollow after cancel: %v", err)
		}
	})
}

// The waiting calls of one person are bounded: with four of Anna's calls
// waiting, the next is refused with 429 (the client waits and tries
// again), while Ben can still wait.
func TestChatLiveUpdateBounded(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	start, err := anna.ChatEvents(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(ctx, chatSafety)
	defer cancel()
	done := make(chan error, 8)
	wait := func() {
		go func() {
			_, err := anna.ChatEvents(c, start.Cursor, 0)
			done <- err
		}()
	}
	for range 4 { // chat.DefaultConfig.MaxWaitingPerPerson
		wait()
	}
	// A probe that waits for nothing (wait=0) is refused once the four
	// wait; until they all do, it is let in and answers at once. A probe
	// counts while it runs, so one of the four may be refused meanwhile:
	// then it waits again.
	probe := "/api/v1/chat/events?wait=0&cursor=" + start.Cursor
	token := anna.Token()
	for {
		select {
		case err := <-done:
			if serverapi.Code(err) != wire.CodeRateLimited {
				t.Fatalf("a waiting call ended: %v", err)
			}
			wait()
			continue
		default:
		}
		status, code := s.raw(token, "GET", probe, nil)
		if status == http.StatusTooManyRequests && code == wire.CodeRateLimited {
			break
		}
		if status != http.StatusOK || c.Err() != nil {
			t.Fatalf("probe: got %d %s (context %v), want 429 once four calls wait", status, code, c.Err())
		}
		time.Sleep(5 * time.Millisecond) // let the four get there
	}
	if status, code := s.raw(s.token(s.Pupil2), "GET", probe, nil); status != http.StatusOK {
		t.Errorf("ben while anna's calls wait: got %d %s", status, code)
	}
	cancel()
	for range 4 {
		<-done
	}
}

// A report opens exactly the reported window of a chat to an admin and
// nothing else: the reported message with 20 before and 20 after it in
// its room, no other room, no admin route into the room, and each look in
// the protocol.
func TestChatReportOpensExactlyItsWindow(t *testing.T) {
	s := newSchool(t)
	anna, ben, tina, admin := s.as(s.Pupil), s.as(s.Pupil2), s.as(s.Teacher), s.as(s.Admin)
	// Two more teachers of 3a share the writing, so that no one meets the
	// rate limit per minute.
	extra := []*serverapi.Client{tina,
		s.as(s.Rig.AddPerson("Uwe", "Ulm", directory.Teacher, staffPW, "3a")),
		s.as(s.Rig.AddPerson("Vera", "Voss", directory.Teacher, staffPW, "3a"))}
	room := s.chatRoomOf(anna, "3a")
	dm, err := anna.ChatOpenDirect(ctx, s.Pupil2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ben.ChatSend(ctx, dm.ID, "Geheimnis im Direktchat"); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var bodies []string
	write := func(c *serverapi.Client, body string) {
		m, err := c.ChatSend(ctx, room, body)
		if err != nil {
			t.Fatalf("send %q: %v", body, err)
		}
		ids, bodies = append(ids, m.ID), append(bodies, body)
	}
	for i := range 24 {
		write(extra[i%3], fmt.Sprintf("Vorher %d", i+1))
	}
	write(ben, "Du bist so doof, Anna!") // index 24
	for i := range 24 {
		write(extra[i%3], fmt.Sprintf("Nachher %d", i+1))
	}
	if _, err := ben.ChatSend(ctx, dm.ID, "Noch ein Geheimnis"); err != nil {
		t.Fatal(err)
	}

	rep, err := anna.ChatReport(ctx, ids[24], wire.ChatReportRequest{Reason: "insult", Note: "Das macht er jeden Tag.", Teacher: s.Teacher})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != wire.ChatReportOpen || rep.Author.Login != s.Pupil2 || rep.Teacher == nil || rep.Teacher.Login != s.Teacher {
		t.Errorf("report: got %+v", rep)
	}

	t.Run("without opening, no content anywhere", func(t *testing.T) {
		list, err := admin.AdminChatReports(ctx, "")
		if err != nil || len(list) != 1 || list[0].ID != rep.ID || list[0].ReasonTitle != "Beleidigung oder Mobbing" {
			t.Fatalf("admin's list: %+v, %v", list, err)
		}
		rooms, err := admin.ChatRooms(ctx)
		if err != nil || len(rooms) != 0 {
			t.Errorf("admin's rooms: %+v, %v", rooms, err)
		}
		for _, r := range []int64{room, dm.ID} {
			_, err := admin.ChatHistory(ctx, r, "", 0)
			wantCode(t, err, wire.CodeNotFound, "admin reads a room")
		}
		named, err := tina.ChatReports(ctx)
		if err != nil || len(named) != 1 || named[0].Reporter.Login != s.Pupil || named[0].Note != "Das macht er jeden Tag." {
			t.Errorf("the named teacher's reports: %+v, %v", named, err)
		}
		_, err = tina.AdminChatReport(ctx, rep.ID)
		wantCode(t, err, wire.CodeForbidden, "a teacher opens the report")
	})

	t.Run("the admin sees exactly the window", func(t *testing.T) {
		v, err := admin.AdminChatReport(ctx, rep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := chatIDs(v.Messages), ids[4:45]; !slices.Equal(got, want) {
			t.Errorf("window ids: got %v, want %v", got, want)
		}
		for i, m := range v.Messages {
			if m.Room != room || m.Body != bodies[4+i] {
				t.Errorf("window message %d: got %+v, want %q in room %d", i, m, bodies[4+i], room)
			}
		}
		if v.Report.ID != rep.ID || v.Report.Message != ids[24] || v.Report.RoomTitle != "Klasse 3a" {
			t.Errorf("report in the view: %+v", v.Report)
		}
	})

	t.Run("each look is in the protocol", func(t *testing.T) {
		if _, err := admin.AdminChatReport(ctx, rep.ID); err != nil {
			t.Fatal(err)
		}
		list, err := s.as(s.Protocol).Protocol(ctx, serverapi.ProtocolQuery{Kind: "chat.report.view"})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Actor != s.Admin || list[0].Target != s.Pupil2 {
			t.Errorf("protocol: %+v, want two looks by the admin at ben's message", list)
		}
	})

	t.Run("closing ends the looks", func(t *testing.T) {
		closed, err := admin.AdminCloseChatReport(ctx, rep.ID, "Mit Ben und den Eltern gesprochen.", true)
		if err != nil || closed.Status != wire.ChatReportClosed || !closed.Removed || closed.ClosedAt == nil {
			t.Fatalf("close: %+v, %v", closed, err)
		}
		_, err = admin.AdminChatReport(ctx, rep.ID)
		wantCode(t, err, wire.CodeConflict, "opening a closed report")
		p, err := anna.ChatHistory(ctx, room, strconv.FormatInt(ids[25], 10), 1)
		if err != nil || len(p.Messages) != 1 || !p.Messages[0].Deleted || p.Messages[0].Body != "" {
			t.Errorf("the removed message in the room: %+v, %v", p, err)
		}
		mine, err := anna.ChatReports(ctx)
		if err != nil || len(mine) != 1 || mine[0].Status != wire.ChatReportClosed {
			t.Errorf("anna's report after closing: %+v, %v", mine, err)
		}
	})
}

func TestChatReportRefusals(t *testing.T) {
	s := newSchool(t)
	anna, ben := s.as(s.Pupil), s.as(s.Pupil2)
	room := s.chatRoomOf(anna, "3a")
	own, _ := anna.ChatSend(ctx, room, "Meins")
	bens, _ := ben.ChatSend(ctx, room, "Seins")
	opts, err := anna.ChatReportOptions(ctx)
	if err != nil || len(opts.Reasons) != 6 || opts.Teacher != "optional" || len(opts.Teachers) != 1 || opts.Teachers[0].Login != s.Teacher {
		t.Errorf("options: %+v, %v", opts, err)
	}
	_, err = anna.ChatReport(ctx, own.ID, wire.ChatReportRequest{Reason: "spam"})
	wantCode(t, err, wire.CodeInvalid, "the own message")
	_, err = anna.ChatReport(ctx, bens.ID, wire.ChatReportRequest{Reason: "other"})
	wantCode(t, err, wire.CodeInvalid, "other without a note")
	_, err = anna.ChatReport(ctx, bens.ID, wire.ChatReportRequest{Reason: "spam", Teacher: s.OtherTeacher})
	wantCode(t, err, wire.CodeInvalid, "a teacher of another class")
	_, err = s.as(s.OtherPupil).ChatReport(ctx, bens.ID, wire.ChatReportRequest{Reason: "spam"})
	wantCode(t, err, wire.CodeNotFound, "a message of another class")
	if _, err := anna.ChatReport(ctx, bens.ID, wire.ChatReportRequest{Reason: "spam"}); err != nil {
		t.Fatal(err)
	}
	_, err = anna.ChatReport(ctx, bens.ID, wire.ChatReportRequest{Reason: "spam"})
	wantCode(t, err, wire.CodeConflict, "reported twice")
}

func TestChatRateLimit(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	room := s.chatRoomOf(anna, "3a")
	for i := range 10 { // chat.DefaultConfig.PupilsPerMinute
		if _, err := anna.ChatSend(ctx, room, fmt.Sprintf("Nachricht %d", i+1)); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	_, err := anna.ChatSend(ctx, room, "Noch eine")
	wantCode(t, err, wire.CodeRateLimited, "11th message within a minute")
	if msg := serverapi.Message(err); !strings.Contains(msg, "in der letzten Minute schon 10") {
		t.Errorf("German message: %q", msg)
	}
	if _, err := s.as(s.Pupil2).ChatSend(ctx, room, "Hör auf!"); err != nil {
		t.Errorf("ben is not held up by anna: %v", err)
	}
}

func TestChatModuleSwitchedOff(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	if _, err := anna.ChatRooms(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.as(s.Admin).SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleChat, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	_, err := anna.ChatRooms(ctx)
	wantCode(t, err, wire.CodeNotFound, "rooms with chat off")
	_, err = anna.ChatEvents(ctx, "", 0)
	wantCode(t, err, wire.CodeNotFound, "events with chat off")
	err = anna.ChatFollow(ctx, "", func(wire.ChatEvents) {})
	wantCode(t, err, wire.CodeNotFound, "follow with chat off")
	_, err = s.as(s.Admin).AdminChatReports(ctx, "")
	wantCode(t, err, wire.CodeNotFound, "admin reports with chat off")
	sess, err := anna.Session(ctx)
	if err != nil || slices.Contains(sess.Modules, wire.ModuleChat) {
		t.Errorf("session modules: %v, %v", sess.Modules, err)
	}
}
