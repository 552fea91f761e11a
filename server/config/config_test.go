package config_test

import (
	"os"
	"strings"
	"testing"

	"kaspel/server/config"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		file    string // "" means no file
		wantErr string
		check   func(t *testing.T, c config.Config)
	}{
		{name: "no file gives the defaults", check: func(t *testing.T, c config.Config) {
			if c.Directory.Hash.MemoryKiB != 19456 || c.Directory.Hash.Time != 2 || c.LDAP.SizeLimit != 1000 || c.Listen.LDAP != "127.0.0.1:3389" {
				t.Errorf("got %+v, want the defaults", c)
			}
		}},
		{name: "a key overrides, the rest stays", file: `{"ldap": {"size_limit": 50}}`, check: func(t *testing.T, c config.Config) {
			if c.LDAP.SizeLimit != 50 || c.LDAP.LoginShell != "/bin/bash" || c.Directory.PurgeGraceDays != 90 {
				t.Errorf("got %+v, want size_limit 50 and the other defaults", c)
			}
		}},
		{name: "unknown key", file: `{"ldap": {"sizelimit": 50}}`, wantErr: "sizelimit"},
		{name: "broken JSON", file: `{"ldap": `, wantErr: "config.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.file != "" {
				if err := os.WriteFile(config.ConfigPath(dir), []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			c, err := config.Load(dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load: got %v, want an error naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c := config.Default()
	c.Directory.Throttle.TrustedSources = []string{"10.0.0.0/8"}
	c.LogLevel = "debug"
	if err := config.Save(dir, c); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(config.ConfigPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode: got %v, want 0600", st.Mode().Perm())
	}
	got, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.LogLevel != "debug" || len(got.Directory.Throttle.TrustedSources) != 1 || got.Directory.Throttle.TrustedSources[0] != "10.0.0.0/8" {
		t.Errorf("round trip: got %+v", got)
	}
}
