package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"kaspel/server/api"
	"kaspel/server/argon2id"
	"kaspel/server/blobs"
	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/ldapd"
	"kaspel/server/pki"
	"kaspel/server/session"
)

func runServe(e *env, args []string) error {
	fs, data := e.flags("serve")
	ldapAddr := fs.String("ldap", "", "plain LDAP with StartTLS (default from config.json, 127.0.0.1:3389); \"off\" disables")
	ldapsAddr := fs.String("ldaps", "", "LDAPS (default 127.0.0.1:3636); \"off\" disables")
	httpsAddr := fs.String("https", "", "HTTPS (default 127.0.0.1:8443); \"off\" disables")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := exactly(pos, 0, ""); err != nil {
		return err
	}
	s, err := open(*data)
	if err != nil {
		return err
	}
	defer s.close()
	// KASPEL_CPUPROFILE=FILE records a CPU profile until the server stops
	// (for finding what costs time under load; see docs/performance.md).
	if path := e.getenv("KASPEL_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	logger := newLogger(e, s.cfg.LogLevel)
	slog.SetDefault(logger)

	tlsCfg, err := pki.ServerTLS(config.PKIDir(*data))
	if err != nil {
		return err
	}
	fp, err := pki.Fingerprint(config.PKIDir(*data))
	if err != nil {
		return err
	}
	pick := func(flagValue, cfgValue string) string {
		if flagValue != "" {
			return flagValue
		}
		return cfgValue
	}
	addrs := map[string]string{
		"ldap":  pick(*ldapAddr, s.cfg.Listen.LDAP),
		"ldaps": pick(*ldapsAddr, s.cfg.Listen.LDAPS),
		"https": pick(*httpsAddr, s.cfg.Listen.HTTPS),
	}
	// Listen on everything first, so that a port in use fails the start
	// with a clear message instead of half a server.
	listeners := map[string]net.Listener{}
	for _, name := range []string{"ldap", "ldaps", "https"} {
		addr := addrs[name]
		if addr == "off" || addr == "" {
			continue
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			return fmt.Errorf("cannot listen for %s on %s: %w", strings.ToUpper(name), addr, err)
		}
		listeners[name] = l
	}
	if len(listeners) == 0 {
		return usagef("every listener is off")
	}

	ldapd.Version = Version
	lsrv := ldapd.New(s.dir, s.cfg.LDAP, tlsCfg, logger)
	errc := make(chan error, 3)
	if l := listeners["ldap"]; l != nil {
		go func() { errc <- lsrv.Serve(l, false) }()
	}
	if l := listeners["ldaps"]; l != nil {
		go func() { errc <- lsrv.Serve(l, true) }()
	}
	bl, err := blobs.Open(config.BlobsDir(*data))
	if err != nil {
		return err
	}
	asrv, err := api.New(api.Deps{
		DB: s.db, Dir: s.dir, Blobs: bl, Sessions: session.New(s.db, s.cfg.API.Session), Audit: s.log,
		PKIDir: config.PKIDir(*data), Logger: logger,
	}, s.cfg.API)
	if err != nil {
		return err
	}
	var hsrv *http.Server
	if l := listeners["https"]; l != nil {
		hsrv = &http.Server{
			Handler:           asrv,
			TLSConfig:         tlsCfg.Clone(),
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		}
		go func() { errc <- hsrv.Serve(tls.NewListener(l, hsrv.TLSConfig)) }()
	}
	for _, name := range []string{"ldap", "ldaps", "https"} {
		if l := listeners[name]; l != nil {
			fmt.Fprintf(e.stdout, "kaspel-server: %s on %s\n", strings.ToUpper(name), l.Addr())
		}
	}
	fmt.Fprintf(e.stdout, "kaspel-server: school CA fingerprint (SHA-256) %s\n", fp)
	logger.Info("serving", "data", *data, "argon2id", argon2id.Implementation)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go retention(ctx, s.dir, asrv, logger)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	var runErr error
	select {
	case <-sig:
	case <-e.stop:
	case runErr = <-errc:
	}
	logger.Info("shutting down")
	cancel()
	if hsrv != nil {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		hsrv.Shutdown(sctx)
		scancel()
	}
	lsrv.Close()
	if runErr != nil && !errors.Is(runErr, ldapd.ErrServerClosed) && !errors.Is(runErr, http.ErrServerClosed) {
		return runErr
	}
	return nil
}

// retention deletes leavers after their grace period (at start and then
// once a day, as the usage rules demand: "deleted automatically") and
// expired sessions (every hour).
func retention(ctx context.Context, dir *directory.Directory, asrv *api.Server, logger *slog.Logger) {
	actor := directory.Actor{Name: "system:retention", Service: "server"}
	var lastPurge time.Time
	for {
		asrv.Sweep(ctx)
		if time.Since(lastPurge) >= 24*time.Hour {
			lastPurge = time.Now()
			gone, err := dir.Purge(ctx, actor, directory.PurgeOptions{})
			if err != nil && ctx.Err() == nil {
				logger.Error("retention: purge failed", "err", err)
			} else if len(gone) > 0 {
				logger.Info("retention: deleted leavers after the grace period", "count", len(gone))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

func newLogger(e *env, level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: l}))
}
