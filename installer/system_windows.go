package install

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"kaspel/client/agent"
)

func pathsFor(root string) Paths {
	programFiles := os.Getenv("ProgramFiles")
	if programFiles == "" {
		programFiles = `C:\Program Files`
	}
	p := Paths{LiveConfigDir: agent.ConfigDir(), LiveBinDir: filepath.Join(programFiles, "Kaspel"), root: root}
	p.ConfigDir, p.BinDir = p.under(p.LiveConfigDir), p.under(p.LiveBinDir)
	return p
}

// isAdmin: the installer runs elevated.
func isAdmin() bool { return windows.GetCurrentProcessToken().IsElevated() }

// The machine's Run key starts the client at every user's login.
const (
	runKey   = `Software\Microsoft\Windows\CurrentVersion\Run`
	runValue = "Kaspel"
)

type runKeyAutostart struct {
	client string
}

func newAutostart(_ Options, p Paths) autostart {
	return &runKeyAutostart{client: filepath.Join(p.LiveBinDir, "kaspel-client.exe")}
}

func (a *runKeyAutostart) Describe() string { return `HKLM\` + runKey + `\` + runValue }

func (a *runKeyAutostart) command(mode string) string {
	return fmt.Sprintf(`"%s" --mode %s`, a.client, mode)
}

func (a *runKeyAutostart) Install(mode string) (bool, error) {
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, runKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return false, err
	}
	defer k.Close()
	want := a.command(mode)
	if got, _, err := k.GetStringValue(runValue); err == nil && got == want {
		return false, nil
	}
	return true, k.SetStringValue(runValue, want)
}

func (a *runKeyAutostart) Uninstall() (bool, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, runKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return false, nil
	}
	defer k.Close()
	err = k.DeleteValue(runValue)
	if errors.Is(err, registry.ErrNotExist) || errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
		return false, nil
	}
	return err == nil, err
}

func (a *runKeyAutostart) Installed() (string, bool) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, runKey, registry.QUERY_VALUE)
	if err != nil {
		return "", false
	}
	defer k.Close()
	v, _, err := k.GetStringValue(runValue)
	return v, err == nil
}
