//go:build !windows

package install

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func pathsFor(root string) Paths {
	p := Paths{LiveConfigDir: "/etc/kaspel", LiveBinDir: "/usr/local/bin", root: root}
	p.ConfigDir, p.BinDir = p.under(p.LiveConfigDir), p.under(p.LiveBinDir)
	return p
}

// isAdmin: only root may install a system service.
func isAdmin() bool { return os.Geteuid() == 0 }

// autostartPath is the XDG autostart entry every desktop session starts.
const autostartPath = "/etc/xdg/autostart/kaspel-client.desktop"

// xdgAutostart starts the client at every graphical login (GNOME, KDE,
// Xfce, LXQt, MATE, Cinnamon all read /etc/xdg/autostart).
type xdgAutostart struct {
	p      Paths
	client string
}

func newAutostart(_ Options, p Paths) autostart {
	return &xdgAutostart{p: p, client: filepath.Join(p.LiveBinDir, "kaspel-client")}
}

// desktopEntry is the entry for mode.
func desktopEntry(client, mode string) string {
	return strings.Join([]string{
		"[Desktop Entry]",
		"Type=Application",
		"Name=Kaspel",
		"Comment=Kaspel, die Schulplattform",
		fmt.Sprintf("Exec=%s --mode %s", client, mode),
		"Terminal=false",
		"NoDisplay=true",
		"X-GNOME-Autostart-enabled=true",
		"X-KDE-autostart-phase=2",
		"",
	}, "\n")
}

func (x *xdgAutostart) Describe() string { return autostartPath }

func (x *xdgAutostart) Install(mode string) (bool, error) {
	return writeFileMode(x.p.under(autostartPath), []byte(desktopEntry(x.client, mode)), 0o644)
}

func (x *xdgAutostart) Uninstall() (bool, error) { return remove(x.p.under(autostartPath)) }

func (x *xdgAutostart) Installed() (string, bool) {
	data, err := os.ReadFile(x.p.under(autostartPath))
	if err != nil {
		return "", false
	}
	for _, l := range strings.Split(string(data), "\n") {
		if exec, ok := strings.CutPrefix(l, "Exec="); ok {
			return exec, true
		}
	}
	return "", true
}
