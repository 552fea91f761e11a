// Command kaspel-agent is Kaspel's background service on a school
// computer (package kaspel/client/agent): heartbeats, who is logged in,
// and the room commands for the desktop client. kaspel-install registers
// it with the system's service manager (systemd or SysV init on Linux,
// the Service Control Manager on Windows); it has no screen and logs to
// the system log.
//
//	kaspel-agent [--config DIR] [--runtime DIR]
//
// Started from a terminal it runs in the foreground and logs to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/kardianos/service"

	"kaspel/client/agent"
)

// version is set by the build (-ldflags "-X main.version=...").
var version = "dev"

// program is the service's start and stop.
type program struct {
	configDir, runtimeDir string
	cancel                context.CancelFunc
	done                  chan struct{}
}

// Start loads the configuration (a missing one fails the start, so the
// service manager shows it) and runs the agent in the background.
func (p *program) Start(service.Service) error {
	cfg, err := agent.LoadConfig(p.configDir)
	if err != nil {
		return err
	}
	cfg.Version = version
	cfg.Local.Dir = p.runtimeDir
	cfg.Logger = slog.Default()
	a, err := agent.New(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan struct{})
	go func() {
		defer close(p.done)
		if err := a.Run(ctx); err != nil {
			slog.Error("kaspel-agent: stopped", "err", err)
			os.Exit(1) // the service manager restarts it
		}
	}()
	return nil
}

// Stop ends the loops and closes the local channel.
func (p *program) Stop(service.Service) error {
	if p.cancel == nil {
		return nil
	}
	p.cancel()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
	return nil
}

func main() {
	p := &program{}
	flag.StringVar(&p.configDir, "config", agent.ConfigDir(), "folder with client.json, ca.crt and agent.json")
	flag.StringVar(&p.runtimeDir, "runtime", agent.RuntimeDir(), "folder for the local channel's socket and link file")
	flag.Parse()
	svc, err := service.New(p, &service.Config{Name: agent.ServiceName, DisplayName: agent.ServiceDisplayName, Description: agent.ServiceDescription})
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaspel-agent:", err)
		os.Exit(1)
	}
	// The system log under the service manager, stderr in a terminal.
	logger, err := svc.Logger(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaspel-agent:", err)
		os.Exit(1)
	}
	slog.SetDefault(slog.New(agent.NewSystemLogHandler(logger)))
	if err := svc.Run(); err != nil {
		logger.Error("kaspel-agent: ", err)
		os.Exit(1)
	}
}
