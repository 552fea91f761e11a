package agent

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// SystemLogger is the system log as kardianos/service offers it (syslog
// or the journal on Linux, the event log on Windows). The interface keeps
// the service module out of this package.
type SystemLogger interface {
	Error(v ...any) error
	Warning(v ...any) error
	Info(v ...any) error
}

// SystemLogHandler is a slog.Handler that writes to the system log: one
// line per record, "message key=value ...", at the record's level (debug
// goes nowhere).
type SystemLogHandler struct {
	out   SystemLogger
	attrs []slog.Attr
	group string
	mu    *sync.Mutex
}

// NewSystemLogHandler makes the handler.
func NewSystemLogHandler(out SystemLogger) *SystemLogHandler {
	return &SystemLogHandler{out: out, mu: &sync.Mutex{}}
}

// Enabled reports whether the level is logged: info and up.
func (h *SystemLogHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }

// Handle writes a record.
func (h *SystemLogHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	write := func(a slog.Attr) {
		if a.Equal(slog.Attr{}) {
			return
		}
		key := a.Key
		if h.group != "" {
			key = h.group + "." + key
		}
		fmt.Fprintf(&b, " %s=%v", key, a.Value.Resolve())
	}
	for _, a := range h.attrs {
		write(a)
	}
	r.Attrs(func(a slog.Attr) bool {
		write(a)
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case r.Level >= slog.LevelError:
		return h.out.Error(b.String())
	case r.Level >= slog.LevelWarn:
		return h.out.Warning(b.String())
	}
	return h.out.Info(b.String())
}

// WithAttrs returns a handler that adds attrs to every record.
func (h *SystemLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	n := *h
	n.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &n
}

// WithGroup returns a handler that puts later attributes in a group.
func (h *SystemLogHandler) WithGroup(name string) slog.Handler {
	n := *h
	if n.group != "" {
		name = n.group + "." + name
	}
	n.group = name
	return &n
}

var _ slog.Handler = (*SystemLogHandler)(nil)
