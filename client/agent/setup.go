package agent

import (
	"fmt"
	"os"
	"path/filepath"

	"kaspel/client/config"
)

// The service as the system knows it; the installer registers it under
// these names.
const (
	ServiceName        = "kaspel-agent"
	ServiceDisplayName = "Kaspel Agent"
	ServiceDescription = "Kaspel: reports this school computer to the school server and passes room commands (lock, log out, message) to the Kaspel client."
)

// LoadConfig reads what the installer wrote into dir (ConfigDir on this
// system): the client's settings (server, mode, computer name), the
// school CA and the key file. Local and logging are the caller's.
func LoadConfig(dir string) (Config, error) {
	c, err := config.Load(filepath.Join(dir, ClientConfigFile))
	if err != nil {
		return Config{}, err
	}
	if c.Server == "" {
		return Config{}, fmt.Errorf("agent: %s names no server: run kaspel-install", filepath.Join(dir, ClientConfigFile))
	}
	// The agent trusts the CA the installer checked and put beside its
	// key, whatever the client's own setting says.
	caPEM, err := os.ReadFile(filepath.Join(dir, CAFile))
	if err != nil {
		return Config{}, fmt.Errorf("agent: school CA: %w", err)
	}
	k, err := LoadKeyFile(filepath.Join(dir, KeyFileName))
	if err != nil {
		return Config{}, err
	}
	name := c.Computer
	if name == "" {
		name = k.Computer
	}
	return Config{Server: c.Server, CAPEM: caPEM, Key: k.Key, Computer: name, Mode: c.Mode, Local: LocalConfig{Group: k.Group}}, nil
}
