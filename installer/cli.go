package install

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

const usage = `kaspel-install puts this computer into Kaspel.

  kaspel-install install --server https://HOST:8443 --fingerprint SHA256 --mode pcroom|staff|kiosk
                         --room ROOM [--name PC-07] --enroll CODE [--group users]
  kaspel-install uninstall
  kaspel-install status
  kaspel-install start | stop

--fingerprint is the school CA's SHA-256 fingerprint as kaspel-server prints it
(with or without colons). --enroll is a one-time code an admin made on the
server. Installing twice changes nothing; uninstall removes everything.
Run as root (Linux) or as administrator (Windows).
`

// Main runs kaspel-install with args (without the program name) and
// returns the exit code: 0 done, 1 failed, 2 wrong usage.
func Main(args []string, stdout, stderr io.Writer) int {
	return mainWith(args, stdout, stderr, nil)
}

// mainWith is Main with a test's admin check.
func mainWith(args []string, stdout, stderr io.Writer, admin func() bool) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd := args[0]
	fs := flag.NewFlagSet("kaspel-install "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o Options
	if cmd == "install" {
		fs.StringVar(&o.Server, "server", "", "the Kaspel server, https://HOST:8443")
		fs.StringVar(&o.Fingerprint, "fingerprint", "", "SHA-256 fingerprint of the school CA (from kaspel-server)")
		fs.StringVar(&o.Mode, "mode", "", "client mode: pcroom, staff or kiosk")
		fs.StringVar(&o.Room, "room", "", "the room the computer stands in")
		fs.StringVar(&o.Name, "name", "", "the computer's name (default: the host name)")
		fs.StringVar(&o.Code, "enroll", "", "one-time enrollment code")
		fs.StringVar(&o.Group, "group", "", "Linux: group of the people who use the client (default users)")
		fs.StringVar(&o.BinDir, "bin", "", "folder with kaspel-agent and kaspel-client (default: beside kaspel-install)")
	}
	switch cmd {
	case "install", "uninstall", "status":
		fs.StringVar(&o.Root, "root", "", "install under this folder instead of the live system (Linux)")
		fs.StringVar(&o.ServiceSystem, "service-system", "", "with --root: systemd or sysv")
	case "start", "stop":
	default:
		fmt.Fprintf(stderr, "kaspel-install: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kaspel-install: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	o.Out, o.IsAdmin = stdout, admin
	in, err := New(o)
	if err != nil {
		return fail(stderr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch cmd {
	case "install":
		_, err = in.Install(ctx)
	case "uninstall":
		_, err = in.Uninstall(ctx)
	case "status":
		_, err = in.Status(ctx)
	case "start":
		err = in.Start()
	case "stop":
		err = in.Stop()
	}
	if err != nil {
		return fail(stderr, err)
	}
	return 0
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "kaspel-install:", err)
	if errors.Is(err, ErrNotAdmin) {
		fmt.Fprintln(stderr, "  (Linux: sudo kaspel-install ...; Windows: a command prompt opened with \"Run as administrator\")")
	}
	return 1
}
