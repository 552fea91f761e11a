package agent

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// File names in the configuration folder. client.json (the desktop
// client's settings, client/config) and ca.crt are readable by everyone;
// agent.json holds the computer key and is readable by the agent only.
const (
	ClientConfigFile = "client.json"
	CAFile           = "ca.crt"
	KeyFileName      = "agent.json"
)

// ConfigDir is the configuration folder on this system: /etc/kaspel, or
// %ProgramData%\Kaspel on Windows.
func ConfigDir() string {
	if runtime.GOOS == "windows" {
		dir := os.Getenv("ProgramData")
		if dir == "" {
			dir = `C:\ProgramData`
		}
		return filepath.Join(dir, "Kaspel")
	}
	return "/etc/kaspel"
}

// RuntimeDir is where the agent puts its socket and link file: /run/kaspel
// (a tmpfs, gone at reboot like the token), or the configuration folder
// on Windows.
func RuntimeDir() string {
	if runtime.GOOS == "windows" {
		return ConfigDir()
	}
	return "/run/kaspel"
}

// KeyFile is the agent's own file: the computer key the enrollment gave
// and the group whose members may use the local channel.
type KeyFile struct {
	Server     string `json:"server"` // the server the key is for
	ComputerID int64  `json:"computer_id"`
	Computer   string `json:"computer"`
	Key        string `json:"key"`
	// Group (Linux) owns the socket and link file, so that the people
	// logged in at the computer, in whose name the client runs, can
	// connect; a name from /etc/group or a numeric id. Empty: root's
	// group only.
	Group string `json:"group,omitempty"`
}

// LoadKeyFile reads the key file.
func LoadKeyFile(path string) (KeyFile, error) {
	var k KeyFile
	data, err := os.ReadFile(path)
	if err != nil {
		return k, fmt.Errorf("agent: key file: %w", err)
	}
	if err := json.Unmarshal(data, &k); err != nil {
		return k, fmt.Errorf("agent: key file %s: %w", path, err)
	}
	if k.Key == "" {
		return k, fmt.Errorf("agent: key file %s holds no key", path)
	}
	return k, nil
}

// SaveKeyFile writes the key file readable by the agent only: mode 0600
// for root, or on Windows an access list of SYSTEM and Administrators.
func SaveKeyFile(path string, k KeyFile) error {
	data, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(data, '\n'), accessAgentOnly, "")
}

// access says who may read a file the agent or the installer writes.
type access int

const (
	accessAgentOnly access = iota // the key: root / SYSTEM and Administrators
	accessUsers                   // the link file: plus the client's users (read)
	accessEveryone                // configuration and CA: everyone reads
)

// writeFileAtomic writes via a temporary file and a rename, so a crash
// never leaves half a file, and protects the file (for group, where the
// access names one) before its content is in it.
func writeFileAtomic(path string, data []byte, a access, group string) error {
	tmp := path + ".tmp"
	os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("agent: write %s: %w", path, err)
	}
	if err := protect(tmp, a, group); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	_, err = f.Write(data)
	if err2 := f.Close(); err == nil {
		err = err2
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("agent: write %s: %w", path, err)
	}
	return nil
}

// WritePublicFile writes a file everyone may read (client.json, ca.crt).
func WritePublicFile(path string, data []byte) error {
	return writeFileAtomic(path, data, accessEveryone, "")
}
