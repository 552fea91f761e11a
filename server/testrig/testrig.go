// Package testrig starts a whole Kaspel server in-process for end-to-end
// tests: a real SQLite file in a temporary folder, the school's own CA,
// the LDAP server on loopback ports (plain with StartTLS, and LDAPS) and
// the HTTPS API.
// Tests of the LDAP server, the command line and later the API and the
// client all start their server here, so they test the same thing the
// school runs.
package testrig

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"

	"kaspel/server/api"
	"kaspel/server/audit"
	"kaspel/server/blobs"
	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/ldapd"
	"kaspel/server/pki"
	"kaspel/server/session"
	"kaspel/server/store"
)

// Domain and BaseDN of every rig's school.
const (
	Domain = "gsborsum.de"
	BaseDN = "dc=gsborsum,dc=de"
	School = "Grundschule Borsumer Kaspel"
)

// Rig is a running server.
type Rig struct {
	T        testing.TB
	Data     string // the data folder
	DB       *store.DB
	Dir      *directory.Directory
	Audit    *audit.Log
	LDAP     *ldapd.Server
	LDAPAddr string // plain LDAP with StartTLS
	LDAPS    string // LDAPS
	CAPool   *x509.CertPool
	CAFile   string
	// Log holds everything the server logged (at debug level), for tests
	// that check what must never be logged.
	Log *SyncBuffer

	ServiceDN       string
	ServicePassword string

	// The HTTPS API.
	API       *api.Server
	Sessions  *session.Service
	Blobs     *blobs.Store
	HTTPSAddr string
	BaseURL   string // https://127.0.0.1:PORT
}

// Options change a rig.
type Options struct {
	Directory *directory.Config // default: directory.DefaultConfig with a fast test hash
	LDAP      *ldapd.Config
	API       *api.Config
	// ReadConns sets the database's read pool (see store.Options); 1
	// makes any second connection taken beside an open one hang at once.
	ReadConns int
}

// FastHash is a cheap argon2id setting for tests that do many logins.
var FastHash = directory.HashParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}

// New starts a server for the test and stops it at the end.
func New(t testing.TB, opts Options) *Rig {
	t.Helper()
	data := t.TempDir()
	cfg := config.Default()
	cfg.Directory.Hash = FastHash
	if opts.Directory != nil {
		cfg.Directory = *opts.Directory
	}
	if opts.LDAP != nil {
		cfg.LDAP = *opts.LDAP
	}
	if opts.API != nil {
		cfg.API = *opts.API
	}
	if err := config.Save(data, cfg); err != nil {
		t.Fatal(err)
	}
	if err := pki.Create(config.PKIDir(data), School, pki.Names()); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenWith(config.DBPath(data), store.Options{ReadConns: readConns(opts.ReadConns)}, api.Migrations()...)
	if err != nil {
		t.Fatal(err)
	}
	lg := audit.NewLog(db)
	dir, err := directory.New(db, cfg.Directory, lg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin := directory.Actor{Name: "cli:test", Service: "cli"}
	if err := dir.InitSchool(ctx, admin, directory.School{Name: School, Domain: Domain}); err != nil {
		t.Fatal(err)
	}
	svcPW, err := dir.AddServiceAccount(ctx, admin, "sssd")
	if err != nil {
		t.Fatal(err)
	}
	tlsCfg, err := pki.ServerTLS(config.PKIDir(data))
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pki.CAPool(config.PKIDir(data))
	if err != nil {
		t.Fatal(err)
	}
	logBuf := &SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := ldapd.New(dir, cfg.LDAP, tlsCfg, logger)
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	secure, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(plain, false)
	go srv.Serve(secure, true)

	bl, err := blobs.Open(config.BlobsDir(data))
	if err != nil {
		t.Fatal(err)
	}
	sessions := session.New(db, cfg.API.Session)
	asrv, err := api.New(api.Deps{DB: db, Dir: dir, Blobs: bl, Sessions: sessions, Audit: lg,
		PKIDir: config.PKIDir(data), Logger: logger}, cfg.API)
	if err != nil {
		t.Fatal(err)
	}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hsrv := &http.Server{Handler: asrv, TLSConfig: tlsCfg.Clone(), ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	go hsrv.Serve(tls.NewListener(hl, hsrv.TLSConfig))

	r := &Rig{
		T: t, Data: data, DB: db, Dir: dir, Audit: lg, LDAP: srv,
		LDAPAddr: plain.Addr().String(), LDAPS: secure.Addr().String(),
		CAPool: pool, CAFile: filepath.Join(config.PKIDir(data), pki.CACertFile), Log: logBuf,
		ServiceDN: "cn=sssd,ou=services," + BaseDN, ServicePassword: svcPW,
		API: asrv, Sessions: sessions, Blobs: bl, HTTPSAddr: hl.Addr().String(),
		BaseURL: "https://" + hl.Addr().String(),
	}
	t.Cleanup(func() {
		hsrv.Close()
		srv.Close()
		lg.Close()
		db.Close()
	})
	return r
}

// Admin is the actor tests use for admin actions.
var Admin = directory.Actor{Name: "cli:test", Service: "cli"}

// AddPerson creates an account with a password of the test's choice (no
// change needed at the first login) and returns its login.
func (r *Rig) AddPerson(first, last string, role directory.Role, password string, classes ...string) string {
	r.T.Helper()
	ctx := context.Background()
	p, _, err := r.Dir.AddPerson(ctx, Admin, directory.NewPerson{FirstName: first, LastName: last, Role: role, Classes: classes})
	if err != nil {
		r.T.Fatal(err)
	}
	if err := r.Dir.ChangePassword(ctx, directory.Actor{Name: p.Login, Service: "test"}, p.Login, password); err != nil {
		r.T.Fatal(err)
	}
	return p.Login
}

// PersonDN is the LDAP DN of a login.
func PersonDN(login string) string { return "uid=" + login + ",ou=people," + BaseDN }

// TLSConfig trusts only the rig's CA, as Kaspel's clients do.
func (r *Rig) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: r.CAPool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// FlushAudit waits until queued login records are written.
func (r *Rig) FlushAudit() { r.Audit.Flush() }

// SyncBuffer is a bytes.Buffer safe for concurrent writers.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var _ io.Writer = (*SyncBuffer)(nil)

// readConns is the rig's read pool: one unless a test asks for more, so
// that every end-to-end test also checks that no path takes a second
// read connection while it holds one (which hangs a busy server).
func readConns(n int) int {
	if n > 0 {
		return n
	}
	return 1
}
