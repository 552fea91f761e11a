// Package config reads and writes the server's configuration file
// (DATA/config.json) and knows where things live in the data folder. A
// missing key keeps its default; an unknown key is an error, so that a
// typo in the file does not silently leave a setting at its default.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"kaspel/server/api"
	"kaspel/server/directory"
	"kaspel/server/ldapd"
)

// Config is the whole server configuration.
type Config struct {
	Directory directory.Config `json:"directory"`
	LDAP      ldapd.Config     `json:"ldap"`
	API       api.Config       `json:"api"`
	Listen    Listen           `json:"listen"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `json:"log_level"`
}

// Listen holds the default listen addresses of "serve"; the command line
// overrides them.
type Listen struct {
	LDAP  string `json:"ldap"`
	LDAPS string `json:"ldaps"`
	HTTPS string `json:"https"`
}

// Default is the configuration of a new school.
func Default() Config {
	return Config{
		Directory: directory.DefaultConfig,
		LDAP:      ldapd.DefaultConfig,
		API:       api.DefaultConfig,
		Listen:    Listen{LDAP: "127.0.0.1:3389", LDAPS: "127.0.0.1:3636", HTTPS: "127.0.0.1:8443"},
		LogLevel:  "info",
	}
}

// Paths inside the data folder.
func DBPath(data string) string     { return filepath.Join(data, "kaspel.db") }
func PKIDir(data string) string     { return filepath.Join(data, "pki") }
func ConfigPath(data string) string { return filepath.Join(data, "config.json") }
func BlobsDir(data string) string   { return filepath.Join(data, "blobs") }

// Load reads DATA/config.json over the defaults.
func Load(data string) (Config, error) {
	cfg := Default()
	raw, err := os.ReadFile(ConfigPath(data))
	if errors.Is(err, os.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, fmt.Errorf("config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("config: %s: %w", ConfigPath(data), err)
	}
	return cfg, nil
}

// Save writes the configuration (atomically, via rename).
func Save(data string, cfg Config) error {
	raw, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	tmp := ConfigPath(data) + ".tmp"
	if err := os.WriteFile(tmp, append(raw, '\n'), 0o600); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := os.Rename(tmp, ConfigPath(data)); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}
