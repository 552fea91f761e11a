package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"

	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/shared/wire"
)

// Access is who may call a route.
type Access struct {
	// Public routes need no session.
	Public bool
	// Roles that may call it; empty: every logged-in person.
	Roles []directory.Role
	// Right, if set, is needed besides the role (e.g. "protocol").
	Right string
	// Module, if set, is the switchable module the route belongs to: when
	// the school switches it off, the route answers 404 for everyone.
	Module string
	// DuringPasswordChange lets a session that must change its password
	// call the route (the password change itself, the session, logout).
	DuringPasswordChange bool
	// MaxBody bounds the request body; 0 means maxJSON.
	MaxBody int64
	// Page marks a web page for people (the parents' page /buecher/):
	// what fails there comes back as a German HTML page, not as JSON.
	Page bool
}

// Route is a registered endpoint.
type Route struct {
	Method  string
	Pattern string
	Access  Access
}

// call is one request as a handler sees it.
type call struct {
	s     *Server
	w     http.ResponseWriter
	r     *http.Request
	ctx   context.Context
	token string
	sess  session.Session
	me    directory.Person // zero on public routes
	actor directory.Actor
	page  bool // Access.Page
}

type handler func(c *call) error

var staff = []directory.Role{directory.Teacher, directory.Secretary, directory.Admin}

// handle registers a route.
func (s *Server) handle(method, pattern string, a Access, h handler) {
	s.routes = append(s.routes, Route{Method: method, Pattern: pattern, Access: a})
	s.mux.HandleFunc(method+" "+pattern, func(w http.ResponseWriter, r *http.Request) {
		c := &call{s: s, w: w, r: r, ctx: r.Context(), page: a.Page}
		max := a.MaxBody
		if max == 0 {
			max = maxJSON
		}
		if r.ContentLength > max {
			// Refused before a byte is read: an upload over the limit
			// never occupies the server's memory.
			c.fail(tooLarge(max))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		c.actor = directory.Actor{Source: clientIP(r), Service: "api"}
		if err := s.admit(c, a); err != nil {
			c.fail(err)
			return
		}
		if err := h(c); err != nil {
			c.fail(err)
		}
	})
}

// admit enforces the access rule of a route.
func (s *Server) admit(c *call, a Access) error {
	if a.Module != "" {
		on, err := s.Dir.Modules(c.ctx, []string{a.Module})
		if err != nil {
			return err
		}
		if !on[a.Module] {
			return errNotFound
		}
	}
	if a.Public {
		return nil
	}
	token, ok := strings.CutPrefix(c.r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return errUnauthenticated
	}
	sess, err := s.Sessions.Lookup(c.ctx, token)
	if errors.Is(err, session.ErrNoSession) {
		return errUnauthenticated
	}
	if err != nil {
		return err
	}
	p, err := s.Dir.PersonByID(c.ctx, sess.PersonID)
	if err != nil {
		return errUnauthenticated
	}
	if err := s.Dir.CheckUsable(c.ctx, p); err != nil {
		// Locked (or left) since the login: the session ends here.
		s.Sessions.Delete(c.ctx, token)
		return loginError(err)
	}
	c.token, c.sess, c.me = token, sess, p
	c.actor.Name = p.Login
	if p.MustChange && !a.DuringPasswordChange {
		return errMustChange
	}
	if len(a.Roles) > 0 && !slices.Contains(a.Roles, p.Role) {
		return errForbidden
	}
	if a.Right != "" {
		has, err := s.Dir.HasRight(c.ctx, p.ID, a.Right)
		if err != nil {
			return err
		}
		if !has {
			return errForbidden
		}
	}
	return nil
}

// clientIP is the remote address without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// decode reads a JSON body into v; unknown fields are an error, so a
// client's typo does not pass silently.
func (c *call) decode(v any) error {
	dec := json.NewDecoder(c.r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return tooLarge(mb.Limit)
		}
		return errBadRequest
	}
	if _, err := dec.Token(); err != io.EOF {
		return errBadRequest
	}
	return nil
}

// reply writes v as JSON with the status.
func (c *call) reply(status int, v any) error {
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.WriteHeader(status)
	return json.NewEncoder(c.w).Encode(v)
}

func (c *call) ok(v any) error { return c.reply(http.StatusOK, v) }

func (c *call) noContent() error {
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// fail writes an error answer; the cause of internal errors goes to the
// log only.
func (c *call) fail(err error) {
	e := mapError(err)
	if e.status >= 500 {
		c.s.Logger.Error("api: request failed", "method", c.r.Method, "path", c.r.URL.Path, "who", c.actor.Name, "err", err)
	}
	if c.page && c.s.pageFailure != nil {
		c.s.pageFailure(c, e.status, e.msg)
		return
	}
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.WriteHeader(e.status)
	json.NewEncoder(c.w).Encode(wire.ErrorBody{Error: wire.Error{Code: e.code, Message: e.msg, Fields: e.fields}})
}

// query returns a query parameter.
func (c *call) query(name string) string { return c.r.URL.Query().Get(name) }

// flag reads a boolean query parameter (1, true, yes).
func (c *call) flag(name string) bool {
	switch strings.ToLower(c.query(name)) {
	case "1", "true", "yes", "ja":
		return true
	}
	return false
}

func (c *call) String() string { return fmt.Sprintf("%s %s", c.r.Method, c.r.URL.Path) }
