package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"kaspel/server/directory"
	"kaspel/server/pcroom"
	"kaspel/shared/wire"
)

// The PC room has three kinds of callers:
//
//   - admins manage rooms, enrollment codes and computers;
//   - teachers (and admins) see a room's computers and command them: any
//     teacher any room, because whoever has a class in the PC room
//     supervises it and substitutions are not in Kaspel (every command is
//     in the protocol with its sender);
//   - computers: the agent on each school PC, authenticated by its
//     computer key in "Authorization: Computer KEY". These routes are
//     Public in the user-session sense (no person is logged in) and check
//     the key themselves (withComputer). A computer key is never a
//     session token and a session token never a computer key: the two
//     schemes differ, and each is looked up only in its own table.
//
// The PC room is not a switchable module: New calls pcroomRoutes.

// pcroomAPI holds the PC room's handlers; the rules are the service's.
type pcroomAPI struct {
	svc *pcroom.Service
}

// teachers may use the room view.
var teachers = []directory.Role{directory.Teacher, directory.Admin}

// pcroomRoutes registers the PC room's routes (not switchable).
func (s *Server) pcroomRoutes() { s.registerPCRoom("") }

// registerPCRoom registers the routes; module is "" except while the
// PC room is registered through the module list (pcroom_interim.go).
func (s *Server) registerPCRoom(module string) {
	h := &pcroomAPI{svc: pcroom.New(s.DB, s.Dir)}
	s.sweepers = append(s.sweepers, h.svc.Sweep)
	adm := Access{Roles: admins, Module: module}
	teach := Access{Roles: teachers, Module: module}
	pc := Access{Public: true, Module: module}
	route := func(method, pattern string, acc Access, fn handler) {
		s.handle(method, pattern, acc, func(c *call) error { return pcroomError(fn(c)) })
	}
	computer := func(method, pattern string, fn func(*call, pcroom.Computer) error) {
		route(method, pattern, pc, h.withComputer(fn))
	}

	route("GET", "/api/v1/admin/rooms", adm, h.rooms)
	route("POST", "/api/v1/admin/rooms", adm, h.addRoom)
	route("PATCH", "/api/v1/admin/rooms/{room}", adm, h.editRoom)
	route("DELETE", "/api/v1/admin/rooms/{room}", adm, h.deleteRoom)
	route("GET", "/api/v1/admin/enrollment-codes", adm, h.codes)
	route("POST", "/api/v1/admin/enrollment-codes", adm, h.createCodes)
	route("DELETE", "/api/v1/admin/enrollment-codes/{code}", adm, h.revokeCode)
	route("GET", "/api/v1/admin/computers", adm, h.computers)
	route("PATCH", "/api/v1/admin/computers/{computer}", adm, h.editComputer)
	route("DELETE", "/api/v1/admin/computers/{computer}", adm, h.deleteComputer)
	route("DELETE", "/api/v1/admin/computers/{computer}/key", adm, h.revokeKey)

	route("GET", "/api/v1/rooms", teach, h.rooms)
	route("GET", "/api/v1/rooms/{room}", teach, h.roomView)
	route("POST", "/api/v1/rooms/{room}/commands", teach, h.send)

	route("POST", "/api/v1/pc/enroll", pc, h.enroll)
	computer("GET", "/api/v1/pc/self", h.self)
	computer("POST", "/api/v1/pc/heartbeat", h.heartbeat)
	computer("PUT", "/api/v1/pc/user", h.user)
	computer("GET", "/api/v1/pc/commands", h.fetch)
	computer("POST", "/api/v1/pc/commands/ack", h.ack)
}

var errComputerKey = newError(http.StatusUnauthorized, wire.CodeComputerUnauthenticated, "Dieser Computer ist nicht (mehr) angemeldet.")

// withComputer authenticates the computer key of a computer route.
func (h *pcroomAPI) withComputer(fn func(*call, pcroom.Computer) error) handler {
	return func(c *call) error {
		key, ok := strings.CutPrefix(c.r.Header.Get("Authorization"), wire.ComputerKeyScheme+" ")
		if !ok || key == "" {
			return errComputerKey
		}
		pc, err := h.svc.Authenticate(c.ctx, key)
		if err != nil {
			return err
		}
		c.actor.Name, c.actor.Service = "pc:"+pc.Name, "agent"
		return fn(c, pc)
	}
}

// pcroomError turns a refusal of the PC room's rules into its answer;
// other errors go to the general mapping.
func pcroomError(err error) error {
	e, ok := pcroom.AsError(err)
	if !ok {
		return err
	}
	var fields []string
	if e.Field != "" {
		fields = []string{e.Field}
	}
	switch e.Kind {
	case pcroom.Invalid:
		return invalid(e.German, fields...)
	case pcroom.NotFound:
		return newError(http.StatusNotFound, wire.CodeNotFound, e.German)
	case pcroom.Conflict:
		return newError(http.StatusConflict, wire.CodeConflict, e.German, fields...)
	case pcroom.KeyRefused:
		return errComputerKey
	case pcroom.CodeUnknown:
		return newError(http.StatusForbidden, wire.CodeEnrollmentUnknown, e.German, fields...)
	case pcroom.CodeUsed:
		return newError(http.StatusConflict, wire.CodeEnrollmentUsed, e.German, fields...)
	case pcroom.CodeExpired:
		return newError(http.StatusGone, wire.CodeEnrollmentExpired, e.German, fields...)
	}
	return err
}

func wireRoom(r pcroom.Room) wire.Room {
	return wire.Room{ID: r.ID, Name: r.Name, Note: r.Note, Computers: r.Computers}
}

func (h *pcroomAPI) wireComputer(c pcroom.Computer) wire.Computer {
	out := wire.Computer{ID: c.ID, Name: c.Name, RoomID: c.RoomID, Room: c.Room, Mode: c.Mode, EnrolledAt: c.EnrolledAt,
		LastSeen: c.LastSeen, Online: h.svc.Online(c), Locked: c.Locked, Revoked: c.Revoked(), Commandable: c.Commandable(),
		AgentVersion: c.Version}
	if c.UserLogin != "" {
		out.User = &wire.ComputerUser{Login: c.UserLogin, Name: c.UserName, Since: c.UserSince}
	}
	return out
}

func (h *pcroomAPI) wireComputers(list []pcroom.Computer) []wire.Computer {
	out := make([]wire.Computer, len(list))
	for i, c := range list {
		out[i] = h.wireComputer(c)
	}
	return out
}

func (h *pcroomAPI) wireCode(c pcroom.Code) wire.EnrollmentCode {
	return wire.EnrollmentCode{ID: c.ID, Hint: c.Hint, RoomID: c.RoomID, Room: c.Room, CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy,
		Expires: c.Expires, State: h.svc.CodeState(c), UsedAt: c.UsedAt, Computer: c.Computer}
}

// --- admins

func (h *pcroomAPI) rooms(c *call) error {
	list, err := h.svc.Rooms(c.ctx)
	if err != nil {
		return err
	}
	out := wire.Rooms{Rooms: make([]wire.Room, len(list))}
	for i, r := range list {
		out.Rooms[i] = wireRoom(r)
	}
	return c.ok(out)
}

func (h *pcroomAPI) addRoom(c *call) error {
	var req wire.NewRoom
	if err := c.decode(&req); err != nil {
		return err
	}
	r, err := h.svc.AddRoom(c.ctx, c.actor, req.Name, req.Note)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireRoom(r))
}

func (h *pcroomAPI) editRoom(c *call) error {
	id, err := c.pathID("room")
	if err != nil {
		return err
	}
	var req wire.RoomEdit
	if err := c.decode(&req); err != nil {
		return err
	}
	r, err := h.svc.EditRoom(c.ctx, c.actor, id, req.Name, req.Note)
	if err != nil {
		return err
	}
	return c.ok(wireRoom(r))
}

func (h *pcroomAPI) deleteRoom(c *call) error {
	id, err := c.pathID("room")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteRoom(c.ctx, c.actor, id); err != nil {
		return err
	}
	return c.noContent()
}

func (h *pcroomAPI) codes(c *call) error {
	list, err := h.svc.Codes(c.ctx)
	if err != nil {
		return err
	}
	out := wire.EnrollmentCodes{Codes: make([]wire.EnrollmentCode, len(list))}
	for i, code := range list {
		out.Codes[i] = h.wireCode(code)
	}
	return c.ok(out)
}

func (h *pcroomAPI) createCodes(c *call) error {
	var req wire.EnrollmentCodeRequest
	if err := c.decode(&req); err != nil {
		return err
	}
	if req.ValidHours < 0 || req.ValidHours > int(pcroom.MaxCodeValidity/time.Hour) {
		return invalid("Ein Code gilt 1 Stunde bis 30 Tage.", "valid_hours")
	}
	list, err := h.svc.CreateCodes(c.ctx, c.actor, req.Count, time.Duration(req.ValidHours)*time.Hour, req.RoomID)
	if err != nil {
		return err
	}
	out := wire.EnrollmentCodes{Codes: make([]wire.EnrollmentCode, len(list))}
	for i, code := range list {
		out.Codes[i] = h.wireCode(code.Code)
		out.Codes[i].Code = code.Plain
	}
	return c.reply(http.StatusCreated, out)
}

func (h *pcroomAPI) revokeCode(c *call) error {
	id, err := c.pathID("code")
	if err != nil {
		return err
	}
	if err := h.svc.RevokeCode(c.ctx, c.actor, id); err != nil {
		return err
	}
	return c.noContent()
}

func (h *pcroomAPI) computers(c *call) error {
	var room int64
	if v := c.query("room"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return invalid("Bitte einen Raum angeben.", "room")
		}
		room = id
	}
	list, err := h.svc.Computers(c.ctx, room)
	if err != nil {
		return err
	}
	return c.ok(wire.Computers{Computers: h.wireComputers(list)})
}

func (h *pcroomAPI) editComputer(c *call) error {
	id, err := c.pathID("computer")
	if err != nil {
		return err
	}
	var req wire.ComputerEdit
	if err := c.decode(&req); err != nil {
		return err
	}
	pc, err := h.svc.EditComputer(c.ctx, c.actor, id, req.Name, req.RoomID)
	if err != nil {
		return err
	}
	return c.ok(h.wireComputer(pc))
}

func (h *pcroomAPI) deleteComputer(c *call) error {
	id, err := c.pathID("computer")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteComputer(c.ctx, c.actor, id); err != nil {
		return err
	}
	return c.noContent()
}

func (h *pcroomAPI) revokeKey(c *call) error {
	id, err := c.pathID("computer")
	if err != nil {
		return err
	}
	if err := h.svc.RevokeComputer(c.ctx, c.actor, id); err != nil {
		return err
	}
	return c.noContent()
}

// --- teachers

func (h *pcroomAPI) roomView(c *call) error {
	id, err := c.pathID("room")
	if err != nil {
		return err
	}
	r, list, err := h.svc.RoomView(c.ctx, id)
	if err != nil {
		return err
	}
	return c.ok(wire.RoomView{Room: wireRoom(r), Computers: h.wireComputers(list), OnlineSeconds: int(pcroom.OnlineWindow / time.Second)})
}

func (h *pcroomAPI) send(c *call) error {
	id, err := c.pathID("room")
	if err != nil {
		return err
	}
	var req wire.RoomCommand
	if err := c.decode(&req); err != nil {
		return err
	}
	names, err := h.svc.Send(c.ctx, c.actor, id, req.Kind, req.Text, req.Computers)
	if err != nil {
		return err
	}
	return c.ok(wire.RoomCommandResult{Sent: names})
}

// --- computers

// enroll is the installer's call: authenticated by the one-time code.
func (h *pcroomAPI) enroll(c *call) error {
	var req wire.EnrollRequest
	if err := c.decode(&req); err != nil {
		return err
	}
	pc, key, err := h.svc.Enroll(c.ctx, pcroom.Enrollment{Code: req.Code, Name: req.Name, Room: req.Room, Mode: req.Mode, Source: c.actor.Source})
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wire.Enrollment{Computer: h.wireComputer(pc), Key: key})
}

func (h *pcroomAPI) self(c *call, pc pcroom.Computer) error {
	return c.ok(h.wireComputer(pc))
}

func (h *pcroomAPI) heartbeat(c *call, pc pcroom.Computer) error {
	var req wire.Heartbeat
	if err := c.decode(&req); err != nil {
		return err
	}
	locked, err := h.svc.Heartbeat(c.ctx, pc, pcroom.Report{User: req.User, Since: req.Since, Mode: req.Mode, Version: req.Version, Source: c.actor.Source})
	if err != nil {
		return err
	}
	return c.ok(wire.HeartbeatAnswer{IntervalSeconds: int(pcroom.HeartbeatInterval / time.Second), Locked: locked})
}

func (h *pcroomAPI) user(c *call, pc pcroom.Computer) error {
	var req wire.UserReport
	if err := c.decode(&req); err != nil {
		return err
	}
	if err := h.svc.ReportUser(c.ctx, pc, pcroom.Report{User: req.User, Since: req.Since, Source: c.actor.Source}); err != nil {
		return err
	}
	return c.noContent()
}

// defaultWait is the long poll's wait when the agent names none: below
// the 30-second idle timeouts of common proxies and NAT tables.
const defaultWait = 25 * time.Second

// fetch is the agent's long poll for commands (?wait=SECONDS, 0-30).
func (h *pcroomAPI) fetch(c *call, pc pcroom.Computer) error {
	wait := defaultWait
	if v := c.query("wait"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > int(pcroom.MaxWait/time.Second) {
			return invalid("Die Wartezeit muss zwischen 0 und 30 Sekunden liegen.", "wait")
		}
		wait = time.Duration(n) * time.Second
	}
	list, err := h.svc.Commands(c.ctx, pc, wait)
	if err != nil {
		return err
	}
	out := wire.Commands{Commands: make([]wire.Command, len(list))}
	for i, cmd := range list {
		out.Commands[i] = wire.Command{ID: cmd.ID, Kind: cmd.Kind, Text: cmd.Text, CreatedAt: cmd.CreatedAt}
	}
	return c.ok(out)
}

func (h *pcroomAPI) ack(c *call, pc pcroom.Computer) error {
	var req wire.CommandAck
	if err := c.decode(&req); err != nil {
		return err
	}
	if err := h.svc.Ack(c.ctx, pc, req.IDs); err != nil {
		return err
	}
	return c.noContent()
}
