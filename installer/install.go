// Package install is the logic of kaspel-install: it puts a school
// computer into Kaspel.
//
// Install fetches the school CA from the server and accepts it only when
// its SHA-256 fingerprint is the one the admin gave (read off the
// kaspel-server output); that one download is the only call without
// certificate checks, every later one trusts that CA alone. Then it
// enrolls the computer with a one-time code an admin made and keeps the
// computer key in a file only the agent can read; writes the client's
// configuration (readable by everyone); copies kaspel-agent and
// kaspel-client into place; registers the agent as a system service
// (systemd or SysV init on Linux, the Service Control Manager on
// Windows, through kardianos/service); and starts the client at every
// login in the chosen mode (an XDG autostart entry, or the machine's Run
// key on Windows).
//
// Every step compares before it writes, so installing twice changes
// nothing and reports so; Uninstall removes all of it again.
//
// With Options.Root set, every path lies under that folder and the
// service definition is written there as a file, not handed to the live
// service manager: the tests install into a temporary folder, and an
// admin can prepare a disk image the same way.
package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"kaspel/client/agent"
)

// Errors with the messages the admin at the computer reads (English:
// the installer is an admin's tool). Each is wrapped with details.
var (
	ErrNotAdmin     = errors.New("kaspel-install must run as root (Linux) or as administrator (Windows)")
	ErrFingerprint  = errors.New("the server's CA does not have the fingerprint you gave: do not install against this server (wrong address, or someone in between)")
	ErrUnreachable  = errors.New("the Kaspel server cannot be reached")
	ErrCodeUsed     = errors.New("the enrollment code was used already: each code enrolls one computer; ask the admin for a new one")
	ErrCodeExpired  = errors.New("the enrollment code has expired or was revoked; ask the admin for a new one")
	ErrCodeUnknown  = errors.New("the server does not know this enrollment code: check it for typos")
	ErrKeyRevoked   = errors.New("this computer's key was revoked on the server: give a new enrollment code with --enroll")
	ErrNotInstalled = errors.New("Kaspel is not installed on this computer")
)

// Options are kaspel-install's arguments.
type Options struct {
	// Root, if set, is a folder all paths lie under (tests, disk images);
	// the live service manager and the registry are not touched.
	Root string
	// ServiceSystem is "systemd" or "sysv" when Root is set; default:
	// systemd if ROOT/run/systemd/system or ROOT/lib/systemd/system
	// exists, else sysv.
	ServiceSystem string

	Server      string // https://HOST:8443
	Fingerprint string // the CA's SHA-256, with or without colons, any case
	Mode        string // pcroom, staff, kiosk
	Room        string
	Name        string // the computer's name; default: the host name
	Code        string // the one-time enrollment code
	// Group (Linux) whose members run the desktop client and may use the
	// agent's local channel; default "users".
	Group string
	// BinDir holds kaspel-agent and kaspel-client to install; default:
	// the installer's own folder.
	BinDir string

	// Out receives the progress lines; nil: none.
	Out io.Writer
	// IsAdmin tells whether the installer may change the system; nil:
	// the effective user is root (Linux) or an administrator (Windows).
	IsAdmin func() bool
}

// Installer carries out one command.
type Installer struct {
	opts  Options
	paths Paths
	svc   serviceManager
	auto  autostart
	out   io.Writer
}

// New prepares an installer; it checks the rights but touches nothing.
func New(opts Options) (*Installer, error) {
	if opts.IsAdmin == nil {
		opts.IsAdmin = isAdmin
	}
	if !opts.IsAdmin() {
		return nil, ErrNotAdmin
	}
	if opts.Group == "" {
		opts.Group = "users"
	}
	if opts.BinDir == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find the installer's folder: %w", err)
		}
		opts.BinDir = filepath.Dir(exe)
	}
	out := opts.Out
	if out == nil {
		out = io.Discard
	}
	in := &Installer{opts: opts, paths: pathsFor(opts.Root), out: out}
	var err error
	if in.svc, err = newServiceManager(opts, in.paths); err != nil {
		return nil, err
	}
	in.auto = newAutostart(opts, in.paths)
	return in, nil
}

// Paths is where things go (under Root, if set).
type Paths struct {
	ConfigDir string // client.json, ca.crt, agent.json
	BinDir    string // kaspel-agent, kaspel-client
	// LiveConfigDir and LiveBinDir are the same folders as the running
	// system sees them (without Root): written into the files.
	LiveConfigDir, LiveBinDir string
	root                      string
}

// under puts a live path under the root.
func (p Paths) under(live string) string {
	if p.root == "" {
		return live
	}
	return filepath.Join(p.root, live[len(filepath.VolumeName(live)):])
}

func exeName(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// Step is one thing the installer did or found done.
type Step struct {
	What    string
	Changed bool
}

// Report lists the steps of a command.
type Report []Step

// Changed reports whether any step changed the system.
func (r Report) Changed() bool {
	for _, s := range r {
		if s.Changed {
			return true
		}
	}
	return false
}

func (in *Installer) step(r *Report, changed bool, format string, args ...any) {
	s := Step{What: fmt.Sprintf(format, args...), Changed: changed}
	*r = append(*r, s)
	mark := "unchanged"
	if changed {
		mark = "done     "
	}
	fmt.Fprintf(in.out, "  %s  %s\n", mark, s.What)
}

// checkOptions validates the arguments of install before anything
// happens.
func (in *Installer) checkOptions() error {
	o := &in.opts
	u, err := url.Parse(strings.TrimRight(o.Server, "/"))
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Path != "" {
		return fmt.Errorf("--server %q: give the server's address like https://kaspel.schule.lan:8443", o.Server)
	}
	o.Server = u.String()
	fp, err := NormalizeFingerprint(o.Fingerprint)
	if err != nil {
		return err
	}
	o.Fingerprint = fp
	switch o.Mode {
	case "pcroom", "staff", "kiosk":
	default:
		return fmt.Errorf("--mode %q: use pcroom, staff or kiosk", o.Mode)
	}
	o.Room = strings.TrimSpace(o.Room)
	if o.Room == "" {
		return errors.New("--room: name the room the computer stands in (as the admin created it on the server)")
	}
	if o.Name == "" {
		h, err := os.Hostname()
		if err != nil || h == "" {
			return errors.New("--name: the host name is unknown; name the computer")
		}
		o.Name = h
	}
	o.Name = strings.TrimSpace(o.Name)
	return nil
}

// Install installs (or repairs) Kaspel on this computer.
func (in *Installer) Install(ctx context.Context) (Report, error) {
	var r Report
	if err := in.checkOptions(); err != nil {
		return r, err
	}
	o := in.opts
	fmt.Fprintf(in.out, "Installing Kaspel (%s) as %s in room %s, server %s\n", o.Mode, o.Name, o.Room, o.Server)

	// 1. The school CA, checked against the fingerprint, and the
	// enrollment, which trusts that CA only. Nothing is written before
	// both passed.
	caPEM, err := FetchCA(ctx, o.Server, o.Fingerprint)
	if err != nil {
		return r, err
	}
	fmt.Fprintf(in.out, "  checked    the server's CA has the fingerprint %s\n", Colons(o.Fingerprint))
	if err := os.MkdirAll(in.paths.ConfigDir, 0o755); err != nil {
		return r, err
	}
	keyChanged, err := in.enroll(ctx, &r, caPEM)
	if err != nil {
		os.Remove(in.paths.ConfigDir) // if it is empty: made just now
		return r, err
	}
	changed, err := writeIfChanged(filepath.Join(in.paths.ConfigDir, agent.CAFile), caPEM, agent.WritePublicFile)
	if err != nil {
		return r, err
	}
	in.step(&r, changed, "school CA %s", filepath.Join(in.paths.LiveConfigDir, agent.CAFile))

	// 2. The client's configuration, keeping what an admin set by hand.
	cfgChanged, err := in.writeClientConfig()
	if err != nil {
		return r, err
	}
	in.step(&r, cfgChanged, "client configuration %s", filepath.Join(in.paths.LiveConfigDir, agent.ClientConfigFile))

	// 3. The programs.
	binChanged := false
	for _, name := range []string{"kaspel-agent", "kaspel-client"} {
		changed, err := in.copyBinary(name)
		if err != nil {
			return r, err
		}
		binChanged = binChanged || changed
		in.step(&r, changed, "program %s", filepath.Join(in.paths.LiveBinDir, exeName(name)))
	}

	// 4. The service, restarted when what it runs with changed.
	changed, err = in.svc.Install()
	if err != nil {
		return r, fmt.Errorf("install the service: %w", err)
	}
	in.step(&r, changed, "service %s (%s)", agent.ServiceName, in.svc.Describe())
	started, err := in.svc.Ensure(changed || keyChanged || cfgChanged || binChanged)
	if err != nil {
		return r, fmt.Errorf("start the service: %w", err)
	}
	if started {
		in.step(&r, true, "service %s started", agent.ServiceName)
	}

	// 5. The client at every login.
	changed, err = in.auto.Install(o.Mode)
	if err != nil {
		return r, fmt.Errorf("autostart: %w", err)
	}
	in.step(&r, changed, "client starts at login in mode %s (%s)", o.Mode, in.auto.Describe())
	if r.Changed() {
		fmt.Fprintln(in.out, "Kaspel is installed.")
	} else {
		fmt.Fprintln(in.out, "Kaspel was installed already; nothing changed.")
	}
	return r, nil
}

// writeIfChanged writes data with write unless the file holds it already.
func writeIfChanged(path string, data []byte, write func(string, []byte) error) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := write(path, data); err != nil {
		return false, err
	}
	return true, nil
}

// copyBinary copies a program from BinDir into place if it differs. A
// missing kaspel-client is only a warning (a machine may get the client
// later); a missing agent is an error.
func (in *Installer) copyBinary(name string) (bool, error) {
	src := filepath.Join(in.opts.BinDir, exeName(name))
	dst := filepath.Join(in.paths.BinDir, exeName(name))
	data, err := os.ReadFile(src)
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(dst); err == nil {
			return false, nil // installed before; nothing new to copy
		}
		if name == "kaspel-client" {
			fmt.Fprintf(in.out, "  warning    %s not found in %s: the autostart entry waits for it\n", exeName(name), in.opts.BinDir)
			return false, nil
		}
		return false, fmt.Errorf("%s not found in %s: put it beside kaspel-install (or give --bin DIR)", exeName(name), in.opts.BinDir)
	}
	if err != nil {
		return false, err
	}
	if sameFile(src, dst) {
		return false, nil
	}
	if err := os.MkdirAll(in.paths.BinDir, 0o755); err != nil {
		return false, err
	}
	return writeIfChanged(dst, data, func(p string, d []byte) error {
		tmp := p + ".tmp"
		if err := os.WriteFile(tmp, d, 0o755); err != nil {
			return err
		}
		if err := os.Chmod(tmp, 0o755); err != nil {
			return err
		}
		return os.Rename(tmp, p)
	})
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// Uninstall removes the service, the autostart entry, the configuration
// with the key, and the programs. What is gone already is skipped, so it
// can run twice.
func (in *Installer) Uninstall(ctx context.Context) (Report, error) {
	var r Report
	fmt.Fprintln(in.out, "Removing Kaspel")
	changed, err := in.svc.Uninstall()
	if err != nil {
		return r, fmt.Errorf("remove the service: %w", err)
	}
	in.step(&r, changed, "service %s removed", agent.ServiceName)
	changed, err = in.auto.Uninstall()
	if err != nil {
		return r, fmt.Errorf("autostart: %w", err)
	}
	in.step(&r, changed, "autostart entry removed (%s)", in.auto.Describe())
	for _, f := range []string{agent.KeyFileName, agent.ClientConfigFile, agent.CAFile} {
		changed, err := remove(filepath.Join(in.paths.ConfigDir, f))
		if err != nil {
			return r, err
		}
		in.step(&r, changed, "%s removed", filepath.Join(in.paths.LiveConfigDir, f))
	}
	os.Remove(in.paths.ConfigDir) // only if empty: an admin's own files stay
	for _, name := range []string{"kaspel-agent", "kaspel-client"} {
		changed, err := remove(filepath.Join(in.paths.BinDir, exeName(name)))
		if err != nil {
			return r, err
		}
		in.step(&r, changed, "program %s removed", filepath.Join(in.paths.LiveBinDir, exeName(name)))
	}
	if runtime.GOOS == "windows" {
		os.Remove(in.paths.BinDir)
	}
	fmt.Fprintln(in.out, "Kaspel is removed. (An admin revokes the computer's key on the server, if it is not to come back.)")
	return r, nil
}

func remove(path string) (bool, error) {
	err := os.Remove(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("remove %s: %w", path, err)
	}
	return true, nil
}

// Start starts the agent's service.
func (in *Installer) Start() error { return in.svc.Start() }

// Stop stops the agent's service.
func (in *Installer) Stop() error { return in.svc.Stop() }
