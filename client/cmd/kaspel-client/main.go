// Command kaspel-client is Kaspel's desktop client: the PC-room login
// gate, the staff-room window and the secretary's kiosk.
//
//	kaspel-client --server https://HOST:8443 --ca FILE [--mode pcroom|staff|kiosk]
//
// The same settings can come from /etc/kaspel/client.json (Linux) or
// %ProgramData%\Kaspel\client.json (Windows), which the installer writes.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"kaspel/client/agentlink"
	"kaspel/client/beep"
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
	u := ui.New(a, client, ui.Options{Mode: cfg.Mode, Computer: cfg.Computer, IdleMinutes: cfg.IdleMinutes, FilesDir: files,
		Beep: beep.Signal})
	if cfg.Mode != config.ModeStaff {
		// A school computer has an agent (kaspel-install put it there):
		// it reports who is logged in and brings the teachers' commands.
		u.ConnectAgent(context.Background(), agentlink.DefaultLinkPath())
	}
	u.Start()
	if os.Getenv("KASPEL_STARTUP_PROBE") != "" {
		// For the start-up benchmark (make bench): say when the login
		// screen is up, then quit.
		a.Lifecycle().SetOnStarted(func() {
			go func() {
				fyne.DoAndWait(func() {}) // after the first frames
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				fmt.Println("kaspel-client: ready", residentKB(), "KB resident; graphics", graphicsKB(), "KB; go heap in use", ms.HeapInuse>>10, "KB, go sys", ms.Sys>>10, "KB")
				fyne.Do(a.Quit)
			}()
		})
	}
	u.Window().ShowAndRun()
	if cfg.Mode != config.ModeStaff {
		os.RemoveAll(files)
	}
}

// graphicsKB is the resident memory of the OpenGL driver's libraries
// (Mesa's *_dri.so and the LLVM it compiles shaders with), which under
// Xvfb are the software renderer: the start-up benchmark reports it
// apart, a PC's graphics driver costs something else (Linux; 0
// elsewhere).
func graphicsKB() int {
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0
	}
	total, driver := 0, false
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			// A mapping's header: address range, perms, offset, dev, inode[, path].
			path := ""
			if len(f) >= 6 {
				path = filepath.Base(f[5])
			}
			driver = strings.HasSuffix(path, "_dri.so") || strings.HasPrefix(path, "libLLVM")
		case driver && len(f) >= 2 && f[0] == "Rss:":
			n, _ := strconv.Atoi(f[1])
			total += n
		}
	}
	return total
}

// residentKB is the process's resident memory (Linux; 0 elsewhere).
func residentKB() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}
