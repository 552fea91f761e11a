// Package config reads the desktop client's settings: which server, the
// school CA to trust, the mode (pcroom, staff, kiosk), the computer's name
// and the idle time. The installer writes them to /etc/kaspel/client.json
// (Linux) or %ProgramData%\Kaspel\client.json (Windows); the command line
// overrides what the file says.
package config

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Modes of the client.
const (
	ModePCRoom = "pcroom" // login gate over the desktop of a PC-room computer
	ModeStaff  = "staff"  // a normal window
	ModeKiosk  = "kiosk"  // the secretary's lending station, full screen
)

// Config is the client's configuration.
type Config struct {
	Server string `json:"server"` // https://kaspel.schule.lan:8443
	CA     string `json:"ca"`     // path of the school CA certificate (PEM)
	Mode   string `json:"mode"`
	// Computer names this PC in the protocol (who logged in where);
	// default: the host name.
	Computer string `json:"computer,omitempty"`
	// IdleMinutes logs a pupil out of a PC-room computer after this long
	// without input (a visible countdown comes first).
	IdleMinutes int `json:"idle_minutes,omitempty"`
	// Language is "de" (default) or "en".
	Language string `json:"language,omitempty"`
}

// Defaults: German, 10 idle minutes (a pupil who walked away).
const (
	DefaultIdleMinutes = 10
	DefaultLanguage    = "de"
)

// DefaultPath is where the installer puts the file on this system.
func DefaultPath() string {
	if runtime.GOOS == "windows" {
		dir := os.Getenv("ProgramData")
		if dir == "" {
			dir = `C:\ProgramData`
		}
		return filepath.Join(dir, "Kaspel", "client.json")
	}
	return "/etc/kaspel/client.json"
}

// Load reads the file at path; a missing file gives an empty Config.
func Load(path string) (Config, error) {
	var c Config
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("config: %s: %w", path, err)
	}
	return c, nil
}

// Parse reads the command line (over the file it names, or the default
// file) and checks the result.
func Parse(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("kaspel-client", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("config", DefaultPath(), "configuration file")
	server := fs.String("server", "", "server address, https://HOST:8443")
	ca := fs.String("ca", "", "the school CA certificate (PEM)")
	mode := fs.String("mode", "", "pcroom, staff or kiosk")
	computer := fs.String("computer", "", "name of this computer in the protocol")
	idle := fs.Int("idle", 0, "idle minutes before a PC-room logout")
	language := fs.String("lang", "", "de or en")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c, err := Load(*file)
	if err != nil {
		return c, err
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&c.Server, *server)
	set(&c.CA, *ca)
	set(&c.Mode, *mode)
	set(&c.Computer, *computer)
	set(&c.Language, *language)
	if *idle > 0 {
		c.IdleMinutes = *idle
	}
	return c, c.Complete()
}

// Complete fills defaults and checks the values.
func (c *Config) Complete() error {
	if c.Mode == "" {
		c.Mode = ModeStaff
	}
	if c.Mode != ModePCRoom && c.Mode != ModeStaff && c.Mode != ModeKiosk {
		return fmt.Errorf("mode %q: use pcroom, staff or kiosk", c.Mode)
	}
	if c.IdleMinutes <= 0 {
		c.IdleMinutes = DefaultIdleMinutes
	}
	if c.Language == "" {
		c.Language = DefaultLanguage
	}
	if c.Language != "de" && c.Language != "en" {
		return fmt.Errorf("language %q: use de or en", c.Language)
	}
	if c.Computer == "" {
		c.Computer, _ = os.Hostname()
	}
	if !strings.HasPrefix(c.Server, "https://") {
		return fmt.Errorf("server %q: give the https:// address of the Kaspel server (--server)", c.Server)
	}
	if c.CA == "" {
		return errors.New("no school CA: give --ca FILE (the client trusts only the school's own CA)")
	}
	return nil
}

// ReadCA reads the CA file.
func (c Config) ReadCA() ([]byte, error) {
	pem, err := os.ReadFile(c.CA)
	if err != nil {
		return nil, fmt.Errorf("school CA: %w", err)
	}
	return pem, nil
}
