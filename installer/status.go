package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"kaspel/client/agent"
	"kaspel/client/config"
)

// State is what Status found.
type State struct {
	Installed bool
	Server    string
	Mode      string
	Computer  string
	// Key: "active", "revoked", "unreachable" or "missing".
	Key       string
	Room      string
	Service   string
	Autostart string // the command, "" if none
}

// Status reports what is installed, whether the server still accepts the
// key, and whether the service runs.
func (in *Installer) Status(ctx context.Context) (State, error) {
	var st State
	c, err := config.Load(filepath.Join(in.paths.ConfigDir, agent.ClientConfigFile))
	if err != nil {
		return st, err
	}
	st.Server, st.Mode, st.Computer = c.Server, c.Mode, c.Computer
	st.Service = in.svc.Status()
	st.Autostart, _ = in.auto.Installed()
	k, kerr := agent.LoadKeyFile(filepath.Join(in.paths.ConfigDir, agent.KeyFileName))
	st.Installed = c.Server != "" || kerr == nil || st.Autostart != "" || st.Service != "not installed"
	switch {
	case errors.Is(kerr, os.ErrNotExist):
		st.Key = "missing"
	case kerr != nil:
		return st, kerr
	default:
		st.Key = "unreachable"
		if ca, err := os.ReadFile(filepath.Join(in.paths.ConfigDir, agent.CAFile)); err == nil {
			if sc, err := agent.NewServerClient(k.Server, ca, k.Key); err == nil {
				pc, err := sc.Self(ctx)
				switch {
				case err == nil:
					st.Key, st.Room = "active", pc.Room
				case agent.IsKeyRefused(err):
					st.Key = "revoked"
				}
			}
		}
	}
	fmt.Fprintf(in.out, "configuration: %s\n", filepath.Join(in.paths.LiveConfigDir, agent.ClientConfigFile))
	if c.Server == "" {
		fmt.Fprintln(in.out, "  (none)")
	} else {
		fmt.Fprintf(in.out, "  server %s, mode %s, computer %s\n", st.Server, st.Mode, st.Computer)
	}
	fmt.Fprintf(in.out, "computer key:  %s\n", st.Key)
	if st.Room != "" {
		fmt.Fprintf(in.out, "  enrolled in room %s\n", st.Room)
	}
	fmt.Fprintf(in.out, "service:       %s (%s)\n", st.Service, in.svc.Describe())
	if st.Autostart == "" {
		fmt.Fprintf(in.out, "autostart:     none\n")
	} else {
		fmt.Fprintf(in.out, "autostart:     %s (%s)\n", st.Autostart, in.auto.Describe())
	}
	if !st.Installed {
		return st, ErrNotInstalled
	}
	return st, nil
}
