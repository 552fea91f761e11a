package config_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kaspel/client/config"
)

func TestParse(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "client.json")
	if err := os.WriteFile(file, []byte(`{"server": "https://kaspel.schule.lan:8443", "ca": "/etc/kaspel/ca.crt", "mode": "pcroom", "computer": "PC-07"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		want    config.Config
		wantErr string
	}{
		{name: "file", args: []string{"--config", file},
			want: config.Config{Server: "https://kaspel.schule.lan:8443", CA: "/etc/kaspel/ca.crt", Mode: "pcroom", Computer: "PC-07", IdleMinutes: 10, Language: "de"}},
		{name: "flags win", args: []string{"--config", file, "--mode", "staff", "--idle", "3", "--lang", "en"},
			want: config.Config{Server: "https://kaspel.schule.lan:8443", CA: "/etc/kaspel/ca.crt", Mode: "staff", Computer: "PC-07", IdleMinutes: 3, Language: "en"}},
		{name: "no file, flags only", args: []string{"--config", filepath.Join(dir, "none.json"), "--server", "https://x:8443", "--ca", "ca.pem", "--computer", "R1"},
			want: config.Config{Server: "https://x:8443", CA: "ca.pem", Mode: "staff", Computer: "R1", IdleMinutes: 10, Language: "de"}},
		{name: "plain http refused", args: []string{"--config", file, "--server", "http://x:8080"}, wantErr: "https://"},
		{name: "no CA", args: []string{"--config", filepath.Join(dir, "none.json"), "--server", "https://x"}, wantErr: "CA"},
		{name: "bad mode", args: []string{"--config", file, "--mode", "party"}, wantErr: "party"},
		{name: "bad language", args: []string{"--config", file, "--lang", "fr"}, wantErr: "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.Parse(tt.args, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse: got %v, want an error naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLoadRejectsUnknownKeys(t *testing.T) {
	file := filepath.Join(t.TempDir(), "client.json")
	os.WriteFile(file, []byte(`{"sever": "https://x"}`), 0o644)
	if _, err := config.Load(file); err == nil || !strings.Contains(err.Error(), "sever") {
		t.Errorf("Load: got %v, want the unknown key named", err)
	}
}
