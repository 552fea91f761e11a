// Package cli is kaspel-server's command line: setting up a school,
// serving, and the admin's everyday work (accounts, imports, promotion,
// backups). Every command that changes something is one transaction: it
// either happens completely or not at all, and it ends up in the protocol.
// Output is English; new passwords are printed as
// "login: LOGIN password: PASSWORD" lines, which scripts and tests read.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"sort"
	"strings"

	"kaspel/server/api"
	"kaspel/server/audit"
	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// env is what a command runs with.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// stop, when set, ends "serve" (tests); otherwise signals do.
	stop <-chan struct{}
}

type command struct {
	name    string
	usage   string
	summary string
	run     func(e *env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"init", "init --data DIR --school NAME --domain DOMAIN [--demo] [--host NAME,...]", "create a data folder: database, the school's CA and certificate, the admin account", runInit},
		{"serve", "serve --data DIR [--ldap ADDR] [--ldaps ADDR] [--https ADDR]", "run the server (LDAP with StartTLS, LDAPS, HTTPS)", runServe},
		{"user", "user add|passwd|lock|unlock|list|show|edit|leave|hold-back|consent|grant|revoke ...", "manage accounts (kaspel-server user help)", runUser},
		{"import", "import --data DIR [--dry-run] [--force] [--passwords DIR] FILE.csv", "import a pupil list (DaNiS \"Freie Liste\" or Vorname;Nachname;Klasse;ID)", runImport},
		{"promote", "promote --data DIR [--dry-run] [--force] [--leaving-date YYYY-MM-DD]", "move every pupil up one grade at the end of the school year", runPromote},
		{"purge", "purge --data DIR [--dry-run]", "delete leavers whose grace period is over", runPurge},
		{"service-account", "service-account add|list|passwd|remove --data DIR [NAME]", "read-only LDAP accounts for sssd, nslcd, pGina", runService},
		{"backup", "backup --data DIR FILE", "write a backup (database, CA, configuration) while the server runs", runBackup},
		{"restore", "restore --data DIR [--force] FILE", "restore a backup", runRestore},
		{"audit", "audit --data DIR [--login L] [--action A] [--since YYYY-MM-DD] [--limit N]", "read the protocol", runAudit},
		{"cert", "cert show|renew --data DIR [--host NAME,...]", "show the CA fingerprint, or renew the server certificate", runCert},
		{"version", "version", "print the version", func(e *env, _ []string) error { fmt.Fprintln(e.stdout, "kaspel-server", Version); return nil }},
	}
}

// Version is set at build time.
var Version = "dev"

// errUsage marks a wrong command line; the message says what is wrong.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// Main runs the command line and returns the exit code: 0 on success, 1
// when the command failed, 2 for a wrong command line.
func Main(args []string, stdout, stderr io.Writer) int {
	return run(&env{stdout: stdout, stderr: stderr, getenv: os.Getenv}, args)
}

func run(e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(e.stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(e, args[1:])
		if err == nil {
			return 0
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(e.stderr, "kaspel-server %s: %s\nusage: kaspel-server %s\n", c.name, u.msg, c.usage)
			return 2
		}
		fmt.Fprintf(e.stderr, "kaspel-server %s: %s\n", c.name, message(err))
		return 1
	}
	fmt.Fprintf(e.stderr, "kaspel-server: unknown command %q\n", args[0])
	printHelp(e.stderr)
	return 2
}

// message is the one-line text of an error for the admin.
func message(err error) string {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return strings.TrimPrefix(err.Error(), "directory: ")
	}
	return err.Error()
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "kaspel-server: the Kaspel school server")
	fmt.Fprintln(w, "\nusage:")
	for _, c := range commands {
		fmt.Fprintf(w, "  kaspel-server %s\n      %s\n", c.usage, c.summary)
	}
	fmt.Fprintln(w, "\n--data defaults to $KASPEL_DATA, then ./kaspel-data.")
}

// flags makes a flag set with --data.
func (e *env) flags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	def := e.getenv("KASPEL_DATA")
	if def == "" {
		def = "./kaspel-data"
	}
	data := fs.String("data", def, "data folder")
	return fs, data
}

// parse parses flags that may come before and after positional
// arguments ("user lock LOGIN --reason X") and returns the positionals.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usagef("options: %s", flagList(fs))
			}
			return nil, usagef("%s", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func flagList(fs *flag.FlagSet) string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
	sort.Strings(names)
	return strings.Join(names, " ")
}

func exactly(pos []string, n int, what string) error {
	if len(pos) != n {
		if n == 0 {
			return usagef("unexpected argument %q", pos[0])
		}
		return usagef("expected %s", what)
	}
	return nil
}

// actor is who runs the command, for the protocol.
func (e *env) actor() directory.Actor {
	name := e.getenv("SUDO_USER")
	if name == "" {
		name = e.getenv("USER")
	}
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	if name == "" {
		name = "unknown"
	}
	return directory.Actor{Name: "cli:" + name, Service: "cli"}
}

// school is an opened data folder.
type school struct {
	data string
	cfg  config.Config
	db   *store.DB
	dir  *directory.Directory
	log  *audit.Log
}

func (s *school) close() {
	if s.log != nil {
		s.log.Close()
	}
	s.db.Close()
}

// open opens an initialised data folder.
func open(data string) (*school, error) {
	if _, err := os.Stat(config.DBPath(data)); err != nil {
		return nil, fmt.Errorf("no Kaspel data in %s (run kaspel-server init first, or pass --data)", data)
	}
	return openOrCreate(data)
}

// openOrCreate opens the data folder's database, creating it if missing.
func openOrCreate(data string) (*school, error) {
	cfg, err := config.Load(data)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(config.DBPath(data), Migrations...)
	if err != nil {
		return nil, err
	}
	lg := audit.NewLog(db)
	dir, err := directory.New(db, cfg.Directory, lg)
	if err != nil {
		lg.Close()
		db.Close()
		return nil, err
	}
	return &school{data: data, cfg: cfg, db: db, dir: dir, log: lg}, nil
}

// Migrations are the schemas of every component, in dependency order.
var Migrations = api.Migrations()

func printPassword(w io.Writer, login, password string) {
	fmt.Fprintf(w, "login: %s password: %s\n", login, password)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
