// Package api is the server's HTTPS front: the JSON API under /api/v1/
// that the desktop client uses for everything a person does in Kaspel,
// the school CA download, and the public school calendar.
//
// Every route is registered with its access rule (public, any logged-in
// person, certain roles, a right, a switchable module, usable during a
// forced password change or not). One wrapper enforces the rules before a
// handler runs, and Routes lists them, so a test checks every endpoint
// against every role. Handlers are thin: they decode, call a module's
// service and encode. Errors go through one mapping to a German message;
// internal error text is logged, never sent.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"kaspel/server/audit"
	"kaspel/server/blobs"
	"kaspel/server/chat"
	"kaspel/server/directory"
	"kaspel/server/files"
	"kaspel/server/forum"
	"kaspel/server/homework"
	"kaspel/server/lending"
	"kaspel/server/mail"
	"kaspel/server/pcroom"
	"kaspel/server/session"
	"kaspel/server/store"
	"kaspel/shared/wire"
)

// Config is the API's part of the server configuration.
type Config struct {
	Session  session.Config  `json:"session"`
	Mail     mail.Config     `json:"mail"`
	Homework homework.Config `json:"homework"`
	Forum    forum.Config    `json:"forum"`
	Chat     chat.Config     `json:"chat"`
	Files    files.Config    `json:"files"`
	Lending  lending.Config  `json:"lending"`
}

// DefaultConfig is what a new school starts with.
var DefaultConfig = Config{Session: session.DefaultConfig, Mail: mail.DefaultConfig, Homework: homework.DefaultConfig,
	Forum: forum.DefaultConfig, Chat: chat.DefaultConfig, Files: files.DefaultConfig, Lending: lending.DefaultConfig}

// Deps are the services the API stands on.
type Deps struct {
	DB       *store.DB
	Dir      *directory.Directory
	Blobs    *blobs.Store
	Sessions *session.Service
	Audit    *audit.Log
	PKIDir   string
	Logger   *slog.Logger
}

// Server is the HTTPS handler.
type Server struct {
	Deps
	cfg    Config
	mux    *http.ServeMux
	routes []Route
	// modules lists the modules that are built; the school switches them.
	modules []string
	// Housekeeping the modules register: sweepers run with Sweep, and
	// blobUsers tell whether a stored file is still referenced.
	sweepers  []func(context.Context) error
	blobUsers []func(context.Context, string) (bool, error)
	// pageFailure writes what failed on a web page (Access.Page) as a
	// page; the parents' page sets it.
	pageFailure func(c *call, status int, msg string)
}

// New builds the API with every route.
func New(d Deps, cfg Config) (*Server, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Server{Deps: d, cfg: cfg, mux: http.NewServeMux()}
	s.publicRoutes()
	s.sessionRoutes()
	s.adminRoutes()
	s.protocolRoutes()
	s.pcroomRoutes()
	for _, m := range sortedModules() {
		if err := m.register(s); err != nil {
			return nil, err
		}
		s.modules = append(s.modules, m.name)
	}
	return s, nil
}

// module is a switchable module's registration: each module's
// *_handlers.go file adds itself in an init function.
type module struct {
	name       string
	migrations store.Migrations
	register   func(s *Server) error
}

// modules are the built modules (sorted into wire.AllModules order by
// New).
var modules []module

// Migrations lists the schemas of everything the server stores, in
// dependency order: the protocol, the directory, sessions, then the
// modules (which refer to people).
func Migrations() []store.Migrations {
	out := []store.Migrations{audit.Migrations, directory.Migrations, session.Migrations, pcroom.Migrations}
	for _, m := range sortedModules() {
		out = append(out, m.migrations)
	}
	return out
}

func sortedModules() []module {
	out := slices.Clone(modules)
	slices.SortStableFunc(out, func(a, b module) int {
		return slices.Index(wire.AllModules, a.name) - slices.Index(wire.AllModules, b.name)
	})
	return out
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	if h, pattern := s.mux.Handler(r); pattern == "" {
		s.noRoute(w, r, h)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// noRoute answers a request no route matches. The mux would answer 404
// or 405 in plain text; the API answers every error in its one JSON
// shape. The mux's own handler h tells which of the two it is (and which
// methods the path has).
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request, h http.Handler) {
	probe := &statusProbe{header: http.Header{}}
	h.ServeHTTP(probe, r)
	c := &call{s: s, w: w, r: r, ctx: r.Context()}
	if probe.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", probe.header.Get("Allow"))
		c.fail(errMethodNotAllowed)
		return
	}
	c.fail(errNotFound)
}

// errMethodNotAllowed answers a method the path does not have.
var errMethodNotAllowed = newError(http.StatusMethodNotAllowed, wire.CodeBadRequest, "Diese Anfrage ist hier nicht möglich.")

// statusProbe is a ResponseWriter that keeps only the status and headers.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header         { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *statusProbe) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}

// Routes lists every registered route with its access rule.
func (s *Server) Routes() []Route { return slices.Clone(s.routes) }

// Modules lists the built modules.
func (s *Server) Modules() []string { return slices.Clone(s.modules) }

// enabledModules are the built modules the school has switched on.
func (s *Server) enabledModules(ctx context.Context) ([]string, error) {
	on, err := s.Dir.Modules(ctx, s.modules)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range s.modules {
		if on[m] {
			out = append(out, m)
		}
	}
	return out, nil
}

// blobGrace spares stored files younger than this from the sweep: an
// upload is on disk before the row that names it is committed.
const blobGrace = 24 * time.Hour

// Sweep does the housekeeping: expired sessions, the modules' own
// (expired uploads), and stored files no module refers to any more.
func (s *Server) Sweep(ctx context.Context) {
	if n, err := s.Sessions.Sweep(ctx); err != nil {
		s.Logger.Error("api: sweep sessions", "err", err)
	} else if n > 0 {
		s.Logger.Info("api: expired sessions removed", "count", n)
	}
	for _, sw := range s.sweepers {
		if err := sw(ctx); err != nil {
			s.Logger.Error("api: module housekeeping", "err", err)
		}
	}
	if s.Blobs == nil {
		return
	}
	n, err := s.Blobs.Sweep(func(hash string) bool {
		for _, used := range s.blobUsers {
			in, err := used(ctx, hash)
			if err != nil || in {
				return true // when in doubt, keep
			}
		}
		return false
	}, blobGrace)
	if err != nil {
		s.Logger.Error("api: sweep stored files", "err", err)
	} else if n > 0 {
		s.Logger.Info("api: stored files no longer referenced removed", "count", n)
	}
}

// maxJSON bounds a JSON request body; uploads have their own bound.
const maxJSON = 1 << 20

var _ http.Handler = (*Server)(nil)

func nowUTC() time.Time { return time.Now().UTC() }
