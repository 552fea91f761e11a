package serverapi

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"

	"kaspel/shared/wire"
)

// ChatRooms lists the own rooms (classes, groups, direct chats), newest
// activity first, with unread counts.
func (c *Client) ChatRooms(ctx context.Context) ([]wire.ChatRoom, error) {
	var r wire.ChatRooms
	err := c.do(ctx, request{method: "GET", path: "/api/v1/chat/rooms", out: &r})
	return r.Rooms, err
}

func chatRoomPath(id int64) string { return "/api/v1/chat/rooms/" + strconv.FormatInt(id, 10) }

// ChatRoom returns one room.
func (c *Client) ChatRoom(ctx context.Context, id int64) (wire.ChatRoom, error) {
	var r wire.ChatRoom
	err := c.do(ctx, request{method: "GET", path: chatRoomPath(id), out: &r})
	return r, err
}

// ChatHistory reads a page of a room's messages, oldest first. before is
// the Next of the page read before ("" for the newest page); limit 0
// takes the server's default (50).
func (c *Client) ChatHistory(ctx context.Context, room int64, before string, limit int) (wire.ChatPage, error) {
	v := url.Values{}
	if before != "" {
		v.Set("before", before)
	}
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	var p wire.ChatPage
	err := c.do(ctx, request{method: "GET", path: chatRoomPath(room) + "/messages", query: v, out: &p})
	return p, err
}

// ChatSend writes a message into a room.
func (c *Client) ChatSend(ctx context.Context, room int64, body string) (wire.ChatMessage, error) {
	var m wire.ChatMessage
	err := c.do(ctx, request{method: "POST", path: chatRoomPath(room) + "/messages", json: wire.ChatSend{Body: body}, out: &m})
	return m, err
}

// ChatMarkRead marks a room read up to a message (0: the newest).
func (c *Client) ChatMarkRead(ctx context.Context, room, upTo int64) error {
	return c.do(ctx, request{method: "PUT", path: chatRoomPath(room) + "/read", json: wire.ChatRead{MessageID: upTo}})
}

// ChatSetPupilsMayWrite mutes a class or group room for pupils (false) or
// opens it again (teachers of the class or group).
func (c *Client) ChatSetPupilsMayWrite(ctx context.Context, room int64, may bool) (wire.ChatRoom, error) {
	var r wire.ChatRoom
	err := c.do(ctx, request{method: "PUT", path: chatRoomPath(room) + "/settings", json: wire.ChatRoomSettings{PupilsMayWrite: may}, out: &r})
	return r, err
}

// ChatOpenDirect opens the direct room with a person (creating it if the
// caller may write to them).
func (c *Client) ChatOpenDirect(ctx context.Context, login string) (wire.ChatRoom, error) {
	var r wire.ChatRoom
	err := c.do(ctx, request{method: "POST", path: "/api/v1/chat/direct", json: wire.ChatDirect{Login: login}, out: &r})
	return r, err
}

// ChatContacts lists people the caller may start a direct chat with,
// filtered by q; limit 0 takes the server's default (20).
func (c *Client) ChatContacts(ctx context.Context, q string, limit int) ([]wire.ChatContact, error) {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	var out wire.ChatContacts
	err := c.do(ctx, request{method: "GET", path: "/api/v1/chat/contacts", query: v, out: &out})
	return out.Contacts, err
}

// ChatDelete deletes a message (one's own; a teacher any in their class's
// room).
func (c *Client) ChatDelete(ctx context.Context, messageID int64) error {
	return c.do(ctx, request{method: "DELETE", path: "/api/v1/chat/messages/" + strconv.FormatInt(messageID, 10)})
}

// ChatEvents is one long-poll request of the live updates. With cursor ""
// it answers at once with the current cursor; with a cursor it answers as
// soon as something changed after it, or after wait (at most 25 s; 0 or
// less: the server's 25 s) with nothing. ChatFollow runs the loop.
func (c *Client) ChatEvents(ctx context.Context, cursor string, wait time.Duration) (wire.ChatEvents, error) {
	v := url.Values{}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if wait > 0 {
		v.Set("wait", strconv.Itoa(int(wait/time.Second)))
	}
	var ev wire.ChatEvents
	err := c.do(ctx, request{method: "GET", path: "/api/v1/chat/events", query: v, out: &ev})
	return ev, err
}

// ChatFollow delivers the live updates to fn until ctx ends, one long
// poll after the other on the same HTTPS connection. Start it with the
// cursor of a ChatEvents(ctx, "", 0) call made before the rooms and
// histories were loaded, so that nothing between the two is missed (""
// starts from now). fn gets every non-empty answer in order: new messages
// (a deleted one comes again with Deleted set), report notices, and Reset
// when the client must reload its rooms. fn runs on ChatFollow's
// goroutine; a UI hands it over with fyne.Do.
//
// Network failures, server errors and "too many windows open" are waited
// out (1 s, doubling up to 30 s). It returns ctx's error when ctx ends,
// and an error answer that waiting does not cure: the session ended
// (unauthenticated, must_change_password, account_locked) or the chat was
// switched off (not_found).
func (c *Client) ChatFollow(ctx context.Context, cursor string, fn func(wire.ChatEvents)) error {
	backoff := time.Duration(0)
	for {
		ev, err := c.ChatEvents(ctx, cursor, 0)
		if err == nil && cursor != "" && (ev.Reset || len(ev.Messages) > 0 || len(ev.Reports) > 0) {
			fn(ev)
		}
		switch {
		case err == nil:
			cursor, backoff = ev.Cursor, 0
			continue
		case ctx.Err() != nil:
			return ctx.Err()
		case !chatRetryable(err):
			return err
		}
		backoff = min(max(2*backoff, time.Second), 30*time.Second)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// chatRetryable tells whether waiting may cure a failed call: the network,
// the server's own faults, too many requests.
func chatRetryable(err error) bool {
	if errors.Is(err, ErrUnreachable) {
		return true
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Status >= 500 || e.Code == wire.CodeRateLimited
	}
	return false
}

// ChatReportOptions returns the reasons, whether a teacher is named, and
// the teachers the caller may name when reporting.
func (c *Client) ChatReportOptions(ctx context.Context) (wire.ChatReportOptions, error) {
	var o wire.ChatReportOptions
	err := c.do(ctx, request{method: "GET", path: "/api/v1/chat/report-options", out: &o})
	return o, err
}

// ChatReport reports a message ("Melden").
func (c *Client) ChatReport(ctx context.Context, messageID int64, r wire.ChatReportRequest) (wire.ChatReport, error) {
	var out wire.ChatReport
	err := c.do(ctx, request{method: "POST", path: "/api/v1/chat/messages/" + strconv.FormatInt(messageID, 10) + "/report", json: r, out: &out})
	return out, err
}

// ChatReports lists the reports the caller made or, as the chosen
// teacher, was told about (without chat content).
func (c *Client) ChatReports(ctx context.Context) ([]wire.ChatReport, error) {
	var r wire.ChatReports
	err := c.do(ctx, request{method: "GET", path: "/api/v1/chat/reports", out: &r})
	return r.Reports, err
}

// AdminChatReports lists reports for admins: state "open" (default, ""),
// "closed" or "all"; without chat content.
func (c *Client) AdminChatReports(ctx context.Context, state string) ([]wire.ChatReport, error) {
	v := url.Values{}
	if state != "" {
		v.Set("state", state)
	}
	var r wire.ChatReports
	err := c.do(ctx, request{method: "GET", path: "/api/v1/admin/chat/reports", query: v, out: &r})
	return r.Reports, err
}

func chatAdminReportPath(id int64) string {
	return "/api/v1/admin/chat/reports/" + strconv.FormatInt(id, 10)
}

// AdminChatReport opens an open report (admins): the reported message
// and up to 20 messages before and after it. The look goes into the
// protocol.
func (c *Client) AdminChatReport(ctx context.Context, id int64) (wire.ChatReportView, error) {
	var v wire.ChatReportView
	err := c.do(ctx, request{method: "GET", path: chatAdminReportPath(id), out: &v})
	return v, err
}

// AdminCloseChatReport closes a report with a note, and with remove also
// removes the message from its room.
func (c *Client) AdminCloseChatReport(ctx context.Context, id int64, note string, remove bool) (wire.ChatReport, error) {
	var r wire.ChatReport
	err := c.do(ctx, request{method: "POST", path: chatAdminReportPath(id) + "/close", json: wire.ChatReportClose{Note: note, RemoveMessage: remove}, out: &r})
	return r, err
}
