// Command kaspel-client is Kaspel's desktop client: the PC-room login
// gate, the staff-room window and the secretary's kiosk.
//
//	kaspel-client --server https://HOST:8443 --ca FILE [--mode pcroom|staff|kiosk]
//
// The same settings can come from /etc/kaspel/client.json (Linux) or
// %ProgramData%\Kaspel\client.json (Windows), which the installer writes.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2/app"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/client/ui"
)

func main() {
	cfg, err := config.Parse(os.Args[1:], os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaspel-client:", err)
		os.Exit(2)
	}
	ca, err := cfg.ReadCA()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaspel-client:", err)
		os.Exit(1)
	}
	client, err := serverapi.New(cfg.Server, ca)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaspel-client:", err)
		os.Exit(1)
	}
	if err := ui.SetLanguage(cfg.Language); err != nil {
		fmt.Fprintln(os.Stderr, "kaspel-client:", err)
		os.Exit(1)
	}
	a := app.NewWithID("de.kaspel.client")
	files := filepath.Join(os.TempDir(), fmt.Sprintf("kaspel-%d", os.Getpid()))
	if cfg.Mode == config.ModeStaff {
		if home, err := os.UserHomeDir(); err == nil {
			files = filepath.Join(home, "Kaspel")
		}
	}
	u := ui.New(a, client, ui.Options{Mode: cfg.Mode, Computer: cfg.Computer, IdleMinutes: cfg.IdleMinutes, FilesDir: files})
	u.Start()
	u.Window().ShowAndRun()
	if cfg.Mode != config.ModeStaff {
		os.RemoveAll(files)
	}
}
