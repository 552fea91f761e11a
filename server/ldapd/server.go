// Package ldapd is Kaspel's LDAP server: a read view of the directory as
// RFC 2307 and inetOrgPerson entries for the PCs (sssd and nslcd on Linux,
// pGina on Windows) and any LDAP application, with bind, search (real
// filter evaluation, scopes, size limit, paging), StartTLS and LDAPS, the
// password policy control, Password Modify and WhoAmI.
//
// The protocol layer is our own, on go-asn1-ber for decoding and a small
// appending encoder for answers: gldap v0.1.14 cannot carry the payload of
// extended operations (Password Modify, WhoAmI), drops the connection on
// Compare or SASL binds, has no per-connection bind state and kills idle
// connections with an absolute read deadline, all of which the PCs need.
//
// Every request reads the database through a directory.View: what an admin
// changes on the command line holds at the next request.
package ldapd

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"kaspel/server/directory"
)

// Version is shown in the root DSE; the build sets it.
var Version = "dev"

// Config is the LDAP server's part of the server configuration.
type Config struct {
	// SizeLimit is the most entries one search (or one page) returns.
	SizeLimit int `json:"size_limit"`
	// MaxConnections bounds open connections; more wait in the kernel's
	// backlog until one closes.
	MaxConnections int `json:"max_connections"`
	// HomeBase and LoginShell fill homeDirectory and loginShell.
	HomeBase   string `json:"home_base"`
	LoginShell string `json:"login_shell"`
	// AllowPlainBind lets passwords travel without TLS. Off: the plain
	// port serves StartTLS and the anonymous root DSE only.
	AllowPlainBind bool `json:"allow_plain_bind"`
}

// DefaultConfig is what a new school starts with.
var DefaultConfig = Config{SizeLimit: 1000, MaxConnections: 4096, HomeBase: "/home", LoginShell: "/bin/bash"}

// Timeouts that protect the server from clients that stall. There is no
// idle timeout between requests: sssd keeps its connection open for hours.
const (
	handshakeTimeout = 10 * time.Second
	messageTimeout   = 30 * time.Second // to read the rest of a started request
	writeTimeout     = 30 * time.Second
)

// Server serves LDAP on any number of listeners.
type Server struct {
	dir  *directory.Directory
	cfg  Config
	tls  *tls.Config
	log  *slog.Logger
	slot chan struct{}

	trees atomic.Pointer[treeBase] // derived from the school and groups, per generation

	mu        sync.Mutex
	closed    bool
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	wg        sync.WaitGroup
}

// New makes a server. tlsConfig may be nil only in tests of the plain
// protocol; without it StartTLS and LDAPS are unavailable.
func New(dir *directory.Directory, cfg Config, tlsConfig *tls.Config, logger *slog.Logger) *Server {
	if cfg.SizeLimit <= 0 {
		cfg.SizeLimit = DefaultConfig.SizeLimit
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = DefaultConfig.MaxConnections
	}
	if cfg.HomeBase == "" {
		cfg.HomeBase = DefaultConfig.HomeBase
	}
	if cfg.LoginShell == "" {
		cfg.LoginShell = DefaultConfig.LoginShell
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Server{
		dir: dir, cfg: cfg, tls: tlsConfig, log: logger,
		slot:      make(chan struct{}, cfg.MaxConnections),
		listeners: map[net.Listener]struct{}{},
		conns:     map[*conn]struct{}{},
	}
}

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("ldapd: server closed")

// Serve accepts connections on l until Close. With implicitTLS every
// connection starts with a TLS handshake (LDAPS); otherwise it is plain
// LDAP that can be upgraded with StartTLS. A failing Accept (too many open
// files, say) is logged and retried with a growing pause: it never ends
// the server.
func (s *Server) Serve(l net.Listener, implicitTLS bool) error {
	if implicitTLS && s.tls == nil {
		return errors.New("ldapd: LDAPS needs a TLS configuration")
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
	}()

	var pause time.Duration
	for {
		s.slot <- struct{}{}
		nc, err := l.Accept()
		if err != nil {
			<-s.slot
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			if pause == 0 {
				pause = 5 * time.Millisecond
			} else if pause < time.Second {
				pause *= 2
			}
			s.log.Warn("ldap: accept failed, retrying", "err", err, "pause", pause)
			time.Sleep(pause)
			continue
		}
		pause = 0
		c := s.newConn(nc)
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			<-s.slot
			return ErrServerClosed
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				<-s.slot
				s.wg.Done()
			}()
			c.serve(implicitTLS)
		}()
	}
}

// ListenAndServe listens on addr (plain LDAP with StartTLS) and serves.
func (s *Server) ListenAndServe(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("ldapd: listen on %s: %w", addr, err)
	}
	return s.Serve(l, false)
}

// ListenAndServeTLS listens on addr for LDAPS and serves.
func (s *Server) ListenAndServeTLS(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("ldapd: listen on %s: %w", addr, err)
	}
	return s.Serve(l, true)
}

// Close stops the listeners, closes every connection and waits for their
// goroutines.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for l := range s.listeners {
		l.Close()
	}
	for c := range s.conns {
		c.nc.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}
