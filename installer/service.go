package install

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/kardianos/service"

	"kaspel/client/agent"
)

// serviceManager defines, starts and removes the agent's service: on the
// live system through kardianos/service, under a root folder as files.
type serviceManager interface {
	// Install defines the service (again, if its definition changed).
	Install() (changed bool, err error)
	// Ensure makes it run; a running one is restarted when restart.
	Ensure(restart bool) (started bool, err error)
	// Uninstall stops and removes it.
	Uninstall() (changed bool, err error)
	Start() error
	Stop() error
	// Status says whether it is installed and running, in words.
	Status() string
	// Describe names where the definition lives.
	Describe() string
}

// The service definitions. They are the same text on the live system
// (handed to kardianos/service as its SystemdScript and SysvScript, which
// this text uses no template features of) and under a root folder
// (written as files), so what the tests check is what a school gets.

// systemdUnit is the systemd unit of the agent at exe.
func systemdUnit(exe string) string {
	return `[Unit]
Description=` + agent.ServiceDisplayName + `: ` + agent.ServiceDescription + `
ConditionFileIsExecutable=` + exe + `
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=` + exe + `
Restart=always
RestartSec=10
RuntimeDirectory=kaspel
RuntimeDirectoryPreserve=no

[Install]
WantedBy=multi-user.target
`
}

// sysvScript is the SysV init script of the agent at exe (Debian-style
// LSB header; status words as kardianos/service reads them).
func sysvScript(exe string) string {
	return `#!/bin/sh
### BEGIN INIT INFO
# Provides:          ` + agent.ServiceName + `
# Required-Start:    $network $remote_fs $syslog
# Required-Stop:     $network $remote_fs $syslog
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: ` + agent.ServiceDisplayName + `
# Description:       ` + agent.ServiceDescription + `
### END INIT INFO

cmd="` + exe + `"
name=` + agent.ServiceName + `
pid_file="/var/run/$name.pid"

is_running() {
    [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

case "$1" in
    start)
        if is_running; then
            echo "Already started"
        else
            echo "Starting $name"
            $cmd >/dev/null 2>&1 &
            echo $! > "$pid_file"
            if ! is_running; then
                echo "Unable to start $name"
                exit 1
            fi
        fi
    ;;
    stop)
        if is_running; then
            kill "$(cat "$pid_file")"
            for i in 1 2 3 4 5 6 7 8 9 10; do
                is_running || break
                sleep 1
            done
            if is_running; then
                echo "Not stopped"
                exit 1
            fi
            rm -f "$pid_file"
            echo "Stopped"
        else
            echo "Not running"
        fi
    ;;
    restart|force-reload)
        $0 stop
        $0 start
    ;;
    status)
        if is_running; then
            echo "Running"
        else
            echo "Stopped"
            exit 3
        fi
    ;;
    *)
        echo "Usage: $0 {start|stop|restart|status}"
        exit 1
    ;;
esac
exit 0
`
}

// Where the definitions live (live paths).
const (
	systemdUnitPath = "/etc/systemd/system/" + agent.ServiceName + ".service"
	systemdWantsDir = "/etc/systemd/system/multi-user.target.wants"
	sysvScriptPath  = "/etc/init.d/" + agent.ServiceName
)

// sysvLinks are the runlevel links update-rc.d (and kardianos/service)
// make: start in 2-5, stop in 0, 1 and 6.
func sysvLinks() map[string]string {
	m := map[string]string{}
	for _, rl := range []string{"2", "3", "4", "5"} {
		m["/etc/rc"+rl+".d/S50"+agent.ServiceName] = "../init.d/" + agent.ServiceName
	}
	for _, rl := range []string{"0", "1", "6"} {
		m["/etc/rc"+rl+".d/K02"+agent.ServiceName] = "../init.d/" + agent.ServiceName
	}
	return m
}

func newServiceManager(opts Options, p Paths) (serviceManager, error) {
	exe := filepath.Join(p.LiveBinDir, exeName("kaspel-agent"))
	if opts.Root == "" {
		return newLiveService(exe)
	}
	if runtime.GOOS == "windows" {
		return nil, errors.New("--root works on Linux only: the Windows service manager and registry cannot be redirected")
	}
	sys := opts.ServiceSystem
	if sys == "" {
		sys = "sysv"
		for _, d := range []string{"/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"} {
			if _, err := os.Stat(p.under(d)); err == nil {
				sys = "systemd"
			}
		}
	}
	if sys != "systemd" && sys != "sysv" {
		return nil, fmt.Errorf("service system %q: use systemd or sysv", sys)
	}
	return &fileService{p: p, system: sys, exe: exe}, nil
}

// fileService writes the service definition under a root folder.
type fileService struct {
	p      Paths
	system string
	exe    string
}

var errNotLive = errors.New("starting and stopping need the live system (no --root)")

func (f *fileService) Describe() string {
	if f.system == "systemd" {
		return "systemd unit " + systemdUnitPath
	}
	return "SysV init script " + sysvScriptPath
}

func (f *fileService) Install() (bool, error) {
	if f.system == "systemd" {
		changed, err := writeFileMode(f.p.under(systemdUnitPath), []byte(systemdUnit(f.exe)), 0o644)
		if err != nil {
			return false, err
		}
		// What "systemctl enable" does.
		linked, err := symlink(f.p.under(filepath.Join(systemdWantsDir, agent.ServiceName+".service")), systemdUnitPath)
		return changed || linked, err
	}
	changed, err := writeFileMode(f.p.under(sysvScriptPath), []byte(sysvScript(f.exe)), 0o755)
	if err != nil {
		return false, err
	}
	for link, target := range sysvLinks() {
		linked, err := symlink(f.p.under(link), target)
		if err != nil {
			return false, err
		}
		changed = changed || linked
	}
	return changed, nil
}

func (f *fileService) Uninstall() (bool, error) {
	var paths []string
	if f.system == "systemd" {
		paths = []string{filepath.Join(systemdWantsDir, agent.ServiceName+".service"), systemdUnitPath}
	} else {
		for link := range sysvLinks() {
			paths = append(paths, link)
		}
		paths = append(paths, sysvScriptPath)
	}
	changed := false
	for _, p := range paths {
		c, err := remove(f.p.under(p))
		if err != nil {
			return false, err
		}
		changed = changed || c
	}
	return changed, nil
}

func (f *fileService) Ensure(bool) (bool, error) { return false, nil }
func (f *fileService) Start() error              { return errNotLive }
func (f *fileService) Stop() error               { return errNotLive }

func (f *fileService) Status() string {
	path := sysvScriptPath
	if f.system == "systemd" {
		path = systemdUnitPath
	}
	if _, err := os.Stat(f.p.under(path)); err != nil {
		return "not installed"
	}
	return "installed (not started: --root)"
}

// writeFileMode writes data with mode unless the file has both already.
func writeFileMode(path string, data []byte, mode os.FileMode) (bool, error) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() == mode {
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
			return false, nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return false, err
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return false, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
}

// symlink makes link point to target unless it does already.
func symlink(link, target string) (bool, error) {
	if got, err := os.Readlink(link); err == nil && got == target {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return false, err
	}
	os.Remove(link)
	if err := os.Symlink(target, link); err != nil {
		return false, err
	}
	return true, nil
}

// liveService is the live system's service manager, through
// kardianos/service.
type liveService struct {
	svc service.Service
	exe string
}

// noProgram: the installer only controls the service, it never runs it.
type noProgram struct{}

func (noProgram) Start(service.Service) error { return nil }
func (noProgram) Stop(service.Service) error  { return nil }

func newLiveService(exe string) (*liveService, error) {
	cfg := &service.Config{
		Name: agent.ServiceName, DisplayName: agent.ServiceDisplayName, Description: agent.ServiceDescription,
		Executable: exe,
		Option: service.KeyValue{
			"SystemdScript": systemdUnit(exe),
			"SysvScript":    sysvScript(exe),
			// Windows: start at boot, restart after a crash.
			"StartType":              "automatic",
			"OnFailure":              "restart",
			"OnFailureDelayDuration": "10s",
			"OnFailureResetPeriod":   60,
		},
	}
	svc, err := service.New(noProgram{}, cfg)
	if err != nil {
		return nil, fmt.Errorf("no service manager found: %w", err)
	}
	return &liveService{svc: svc, exe: exe}, nil
}

// definitionPath is where kardianos/service keeps the definition on Linux
// ("" where it is no file).
func (l *liveService) definitionPath() (string, string) {
	switch l.svc.Platform() {
	case "linux-systemd":
		return systemdUnitPath, systemdUnit(l.exe)
	case "unix-systemv":
		return sysvScriptPath, sysvScript(l.exe)
	}
	return "", ""
}

func (l *liveService) Describe() string {
	if p, _ := l.definitionPath(); p != "" {
		return l.svc.Platform() + " " + p
	}
	return l.svc.Platform()
}

func (l *liveService) installed() bool {
	if p, _ := l.definitionPath(); p != "" {
		_, err := os.Stat(p)
		return err == nil
	}
	_, err := l.svc.Status()
	return !errors.Is(err, service.ErrNotInstalled)
}

func (l *liveService) Install() (bool, error) {
	if l.installed() {
		p, want := l.definitionPath()
		if p == "" {
			return false, nil
		}
		if got, err := os.ReadFile(p); err == nil && string(got) == want {
			return false, nil
		}
		// An older definition: replace it.
		l.svc.Stop()
		if err := l.svc.Uninstall(); err != nil {
			return false, err
		}
	}
	if err := l.svc.Install(); err != nil {
		return false, err
	}
	return true, nil
}

func (l *liveService) Ensure(restart bool) (bool, error) {
	st, err := l.svc.Status()
	if err == nil && st == service.StatusRunning {
		if !restart {
			return false, nil
		}
		return true, l.svc.Restart()
	}
	return true, l.svc.Start()
}

func (l *liveService) Uninstall() (bool, error) {
	if !l.installed() {
		return false, nil
	}
	l.svc.Stop() // may not run; removal is what counts
	if err := l.svc.Uninstall(); err != nil && !errors.Is(err, service.ErrNotInstalled) {
		return false, err
	}
	if l.svc.Platform() == "unix-systemv" {
		// kardianos/service leaves the runlevel links behind.
		for link := range sysvLinks() {
			os.Remove(link)
		}
	}
	return true, nil
}

func (l *liveService) Start() error { return l.svc.Start() }
func (l *liveService) Stop() error  { return l.svc.Stop() }

func (l *liveService) Status() string {
	if !l.installed() {
		return "not installed"
	}
	st, err := l.svc.Status()
	switch {
	case errors.Is(err, service.ErrNotInstalled):
		return "not installed"
	case err != nil:
		return "unknown (" + strings.TrimSpace(err.Error()) + ")"
	case st == service.StatusRunning:
		return "running"
	case st == service.StatusStopped:
		return "stopped"
	}
	return "unknown"
}
