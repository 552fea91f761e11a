package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"kaspel/server/chat"
	"kaspel/shared/wire"
)

// The chat module (docs/api/chat.md): class and group rooms, direct
// messages, live updates by long poll on the same HTTPS API, and reports.
// Who may read or write a room follows from the data (membership in the
// class, who may write to whom), so the routes are open to every
// logged-in person and the chat service decides; a room the caller is not
// in answers 404. The admin routes show chat content only through an open
// report, and each look is in the protocol.
func init() {
	modules = append(modules, module{name: wire.ModuleChat, migrations: chat.Migrations, register: registerChat})
}

// chatAPI holds the chat module's handlers.
type chatAPI struct {
	svc *chat.Service
}

func registerChat(s *Server) error {
	svc, err := chat.New(s.DB, s.Dir, s.cfg.Chat)
	if err != nil {
		return err
	}
	h := &chatAPI{svc: svc}
	s.sweepers = append(s.sweepers, func(ctx context.Context) error {
		_, err := svc.Sweep(ctx)
		return err
	})
	a := Access{Module: wire.ModuleChat}
	adm := Access{Module: wire.ModuleChat, Roles: admins}
	route := s.handle // refusals are answered by mapError
	route("GET", "/api/v1/chat/rooms", a, h.rooms)
	route("GET", "/api/v1/chat/rooms/{id}", a, h.room)
	route("GET", "/api/v1/chat/rooms/{id}/messages", a, h.history)
	route("POST", "/api/v1/chat/rooms/{id}/messages", a, h.send)
	route("PUT", "/api/v1/chat/rooms/{id}/read", a, h.markRead)
	route("PUT", "/api/v1/chat/rooms/{id}/settings", a, h.settings)
	route("POST", "/api/v1/chat/direct", a, h.direct)
	route("GET", "/api/v1/chat/contacts", a, h.contacts)
	route("GET", "/api/v1/chat/events", a, h.events)
	route("DELETE", "/api/v1/chat/messages/{id}", a, h.delete)
	route("GET", "/api/v1/chat/report-options", a, h.reportOptions)
	route("POST", "/api/v1/chat/messages/{id}/report", a, h.report)
	route("GET", "/api/v1/chat/reports", a, h.reports)

	route("GET", "/api/v1/admin/chat/reports", adm, h.adminReports)
	route("GET", "/api/v1/admin/chat/reports/{id}", adm, h.viewReport)
	route("POST", "/api/v1/admin/chat/reports/{id}/close", adm, h.closeReport)
	return nil
}

// queryInt reads an optional non-negative number from the query.
func chatQueryInt(c *call, name string, def int64, msg string) (int64, error) {
	v := c.query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, invalid(msg, name)
	}
	return n, nil
}

func (h *chatAPI) rooms(c *call) error {
	list, err := h.svc.Rooms(c.ctx, c.me)
	if err != nil {
		return err
	}
	out := wire.ChatRooms{Rooms: make([]wire.ChatRoom, len(list))}
	for i, r := range list {
		out.Rooms[i] = wireChatRoom(r)
	}
	return c.ok(out)
}

func (h *chatAPI) room(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	r, err := h.svc.Room(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	return c.ok(wireChatRoom(r))
}

func (h *chatAPI) history(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	before, err := chatQueryInt(c, "before", 0, "Der Seitenzeiger ist ungültig. Bitte lade den Chat neu.")
	if err != nil {
		return err
	}
	limit, err := chatQueryInt(c, "limit", 50, "Die Anzahl muss eine Zahl sein.")
	if err != nil {
		return err
	}
	p, err := h.svc.History(c.ctx, c.me, id, before, int(min(limit, 1<<20)))
	if err != nil {
		return err
	}
	out := wire.ChatPage{Messages: wireChatMessages(p.Messages)}
	if p.Next != 0 {
		out.Next = strconv.FormatInt(p.Next, 10)
	}
	return c.ok(out)
}

func (h *chatAPI) send(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.ChatSend
	if err := c.decode(&req); err != nil {
		return err
	}
	m, err := h.svc.Send(c.ctx, c.me, id, req.Body)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireChatMessage(m))
}

func (h *chatAPI) markRead(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.ChatRead
	if err := c.decode(&req); err != nil {
		return err
	}
	if err := h.svc.MarkRead(c.ctx, c.me, id, req.MessageID); err != nil {
		return err
	}
	return c.noContent()
}

func (h *chatAPI) settings(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.ChatRoomSettings
	if err := c.decode(&req); err != nil {
		return err
	}
	r, err := h.svc.SetPupilsMayWrite(c.ctx, c.me, id, req.PupilsMayWrite)
	if err != nil {
		return err
	}
	return c.ok(wireChatRoom(r))
}

func (h *chatAPI) direct(c *call) error {
	var req wire.ChatDirect
	if err := c.decode(&req); err != nil {
		return err
	}
	r, err := h.svc.OpenDirect(c.ctx, c.me, req.Login)
	if err != nil {
		return err
	}
	return c.ok(wireChatRoom(r))
}

func (h *chatAPI) contacts(c *call) error {
	limit, err := chatQueryInt(c, "limit", 20, "Die Anzahl muss eine Zahl sein.")
	if err != nil {
		return err
	}
	list, err := h.svc.Contacts(c.ctx, c.me, c.query("q"), int(min(limit, 1<<20)))
	if err != nil {
		return err
	}
	out := wire.ChatContacts{Contacts: make([]wire.ChatContact, len(list))}
	for i, p := range list {
		classes := p.Classes
		if classes == nil {
			classes = []string{}
		}
		out.Contacts[i] = wire.ChatContact{Login: p.Login, Name: p.Name, Role: p.Role, Classes: classes}
	}
	return c.ok(out)
}

// events is the long poll of the live updates: it answers at once when
// something changed after the cursor (or without a cursor, with the
// current one) and otherwise waits up to ?wait= seconds (default and at
// most chat.Config.WaitSeconds, 25) for a message or report. The HTTPS
// server has no write timeout, so the wait is the chat service's alone;
// a client that goes away ends it.
func (h *chatAPI) events(c *call) error {
	cursor, err := chatQueryInt(c, "cursor", -1, "Der Zeiger ist ungültig. Bitte lade den Chat neu.")
	if err != nil {
		return err
	}
	// Without ?wait= (-1) the service waits as long as its configuration
	// allows; a longer wait is cut to that.
	wait, err := chatQueryInt(c, "wait", -1, "Die Wartezeit muss eine Zahl von Sekunden sein.")
	if err != nil {
		return err
	}
	ev, err := h.svc.Events(c.ctx, c.me, cursor, time.Duration(min(wait, 3600))*time.Second)
	if err != nil {
		return err
	}
	out := wire.ChatEvents{Cursor: strconv.FormatInt(ev.Cursor, 10), Reset: ev.Reset, Messages: wireChatMessages(ev.Messages),
		Reports: make([]wire.ChatReport, len(ev.Reports))}
	for i, r := range ev.Reports {
		out.Reports[i] = wireChatReport(r)
	}
	return c.ok(out)
}

func (h *chatAPI) delete(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.ctx, c.me, id); err != nil {
		return err
	}
	return c.noContent()
}

func (h *chatAPI) reportOptions(c *call) error {
	opts, err := h.svc.ReportOptions(c.ctx, c.me)
	if err != nil {
		return err
	}
	out := wire.ChatReportOptions{Teacher: opts.Teacher, Reasons: make([]wire.ChatReason, len(opts.Reasons)),
		Teachers: make([]wire.ChatPerson, len(opts.Teachers))}
	for i, r := range opts.Reasons {
		out.Reasons[i] = wire.ChatReason{Key: r.Key, Title: r.Title}
	}
	for i, p := range opts.Teachers {
		out.Teachers[i] = wire.ChatPerson{Login: p.Login, Name: p.Name}
	}
	return c.ok(out)
}

func (h *chatAPI) report(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.ChatReportRequest
	if err := c.decode(&req); err != nil {
		return err
	}
	r, err := h.svc.Report(c.ctx, c.me, id, req.Reason, req.Note, req.Teacher)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireChatReport(r))
}

func (h *chatAPI) reports(c *call) error {
	list, err := h.svc.Reports(c.ctx, c.me)
	if err != nil {
		return err
	}
	return c.ok(wireChatReports(list))
}

func (h *chatAPI) adminReports(c *call) error {
	list, err := h.svc.AdminReports(c.ctx, c.me, c.query("state"))
	if err != nil {
		return err
	}
	return c.ok(wireChatReports(list))
}

// viewReport opens an open report's window to the admin; the chat
// service writes the protocol line in the transaction that reads it.
func (h *chatAPI) viewReport(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	v, err := h.svc.ViewReport(c.ctx, c.me, c.actor, id)
	if err != nil {
		return err
	}
	return c.ok(wire.ChatReportView{Report: wireChatReport(v.Report), Messages: wireChatMessages(v.Messages)})
}

func (h *chatAPI) closeReport(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.ChatReportClose
	if err := c.decode(&req); err != nil {
		return err
	}
	r, err := h.svc.CloseReport(c.ctx, c.me, c.actor, id, req.Note, req.RemoveMessage)
	if err != nil {
		return err
	}
	return c.ok(wireChatReport(r))
}

func wireChatPerson(p chat.Person) wire.ChatPerson {
	return wire.ChatPerson{Login: p.Login, Name: p.Name}
}

func wireChatRoom(r chat.Room) wire.ChatRoom {
	out := wire.ChatRoom{ID: r.ID, Kind: string(r.Kind), Title: r.Title, Group: r.Group, PupilsMayWrite: r.PupilsMayWrite,
		Unread: r.Unread, MayWrite: r.MayWrite, MayModerate: r.MayModerate}
	if r.Kind == chat.DirectRoom {
		w := wireChatPerson(r.With)
		out.With = &w
	}
	if !r.LastMessage.IsZero() {
		t := r.LastMessage
		out.LastMessage = &t
	}
	return out
}

func wireChatMessage(m chat.Message) wire.ChatMessage {
	return wire.ChatMessage{ID: m.ID, Room: m.RoomID, From: wireChatPerson(m.From), Body: m.Body, SentAt: m.SentAt,
		System: m.System, Deleted: m.Deleted, Mine: m.Mine}
}

func wireChatMessages(list []chat.Message) []wire.ChatMessage {
	out := make([]wire.ChatMessage, len(list))
	for i, m := range list {
		out[i] = wireChatMessage(m)
	}
	return out
}

func wireChatReport(r chat.Report) wire.ChatReport {
	out := wire.ChatReport{ID: r.ID, Message: r.MessageID, Room: r.RoomID, RoomTitle: r.RoomTitle, Reason: r.Reason, ReasonTitle: r.ReasonTitle,
		Note: r.Note, Reporter: wireChatPerson(r.Reporter), Author: wireChatPerson(r.Author), CreatedAt: r.CreatedAt,
		Status: wire.ChatReportOpen, ClosedBy: r.ClosedBy, CloseNote: r.CloseNote, Removed: r.Removed}
	if r.Teacher.Name != "" {
		t := wireChatPerson(r.Teacher)
		out.Teacher = &t
	}
	if !r.Open {
		out.Status = wire.ChatReportClosed
		t := r.ClosedAt
		out.ClosedAt = &t
	}
	return out
}

func wireChatReports(list []chat.Report) wire.ChatReports {
	out := wire.ChatReports{Reports: make([]wire.ChatReport, len(list))}
	for i, r := range list {
		out.Reports[i] = wireChatReport(r)
	}
	return out
}
