package install

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"kaspel/client/agent"
	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// enroll makes sure the computer has a valid key for the server: an
// existing key that the server still accepts is kept (installing twice
// must not need a second code); otherwise the code enrolls it.
func (in *Installer) enroll(ctx context.Context, r *Report, caPEM []byte) (bool, error) {
	o := in.opts
	keyPath := filepath.Join(in.paths.ConfigDir, agent.KeyFileName)
	old, err := agent.LoadKeyFile(keyPath)
	if err == nil && old.Server == o.Server && old.Computer == o.Name {
		sc, err := agent.NewServerClient(o.Server, caPEM, old.Key)
		if err != nil {
			return false, err
		}
		pc, err := sc.Self(ctx)
		switch {
		case err == nil:
			if pc.Room != o.Room {
				fmt.Fprintf(in.out, "  note       the server has %s in room %s; an admin moves it in the room administration\n", pc.Name, pc.Room)
			}
			changed := false
			if old.Group != o.Group {
				old.Group = o.Group
				if err := agent.SaveKeyFile(keyPath, old); err != nil {
					return false, err
				}
				changed = true
			}
			in.step(r, changed, "computer %s enrolled (key %s)", pc.Name, filepath.Join(in.paths.LiveConfigDir, agent.KeyFileName))
			return changed, nil
		case agent.IsKeyRefused(err):
			if o.Code == "" {
				return false, ErrKeyRevoked
			}
			fmt.Fprintln(in.out, "  note       the server refuses the old key; enrolling again with the code")
		case errors.Is(err, serverapi.ErrUnreachable):
			return false, fmt.Errorf("%w: %v", ErrUnreachable, err)
		default:
			return false, fmt.Errorf("check the computer key: %w", err)
		}
	}
	if o.Code == "" {
		return false, errors.New("--enroll: give the one-time enrollment code an admin made on the server")
	}
	sc, err := agent.NewServerClient(o.Server, caPEM, "")
	if err != nil {
		return false, err
	}
	e, err := sc.Enroll(ctx, wire.EnrollRequest{Code: o.Code, Name: o.Name, Room: o.Room, Mode: o.Mode})
	if err != nil {
		return false, enrollError(err, o)
	}
	k := agent.KeyFile{Server: o.Server, ComputerID: e.Computer.ID, Computer: e.Computer.Name, Key: e.Key, Group: o.Group}
	if err := agent.SaveKeyFile(keyPath, k); err != nil {
		return false, err
	}
	in.step(r, true, "computer %s enrolled in room %s (key %s, readable by the agent only)", e.Computer.Name, e.Computer.Room,
		filepath.Join(in.paths.LiveConfigDir, agent.KeyFileName))
	return true, nil
}

// enrollError says in English what the server refused.
func enrollError(err error, o Options) error {
	var e *serverapi.Error
	if !errors.As(err, &e) {
		if errors.Is(err, serverapi.ErrUnreachable) {
			return fmt.Errorf("%w: %v", ErrUnreachable, err)
		}
		return err
	}
	switch e.Code {
	case wire.CodeEnrollmentUsed:
		return ErrCodeUsed
	case wire.CodeEnrollmentExpired:
		return ErrCodeExpired
	case wire.CodeEnrollmentUnknown:
		return ErrCodeUnknown
	case wire.CodeConflict:
		return fmt.Errorf("a computer named %q is enrolled already: an admin revokes its key first, or give this one another --name", o.Name)
	case wire.CodeInvalid:
		switch {
		case slices.Contains(e.Fields, "room"):
			return fmt.Errorf("the server refuses room %q (server says: %s)", o.Room, e.Message)
		case slices.Contains(e.Fields, "name"):
			return fmt.Errorf("the server refuses the computer name %q: letters, digits, space, dot, hyphen, underscore (1-64)", o.Name)
		case slices.Contains(e.Fields, "code"):
			return fmt.Errorf("the enrollment code %q is malformed: it has 12 characters like 7KQ4-XM2P-9HTR", o.Code)
		}
	}
	return fmt.Errorf("the server refused the enrollment (%d %s): %s", e.Status, e.Code, e.Message)
}

// writeClientConfig writes client.json for the client (and the agent):
// server, CA, mode and computer name, keeping the other settings an admin
// may have made (idle minutes, language).
func (in *Installer) writeClientConfig() (bool, error) {
	path := filepath.Join(in.paths.ConfigDir, agent.ClientConfigFile)
	c, err := config.Load(path)
	if err != nil {
		// A broken file is replaced, not kept half.
		c = config.Config{}
	}
	c.Server = in.opts.Server
	c.CA = filepath.Join(in.paths.LiveConfigDir, agent.CAFile)
	c.Mode = in.opts.Mode
	c.Computer = in.opts.Name
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return false, err
	}
	data = append(data, '\n')
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	return writeIfChanged(path, data, agent.WritePublicFile)
}
