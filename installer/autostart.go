package install

// autostart starts the desktop client at every login: an XDG autostart
// entry on Linux, the machine's Run key on Windows.
type autostart interface {
	Install(mode string) (changed bool, err error)
	Uninstall() (changed bool, err error)
	// Installed returns the command that starts the client, if any.
	Installed() (command string, ok bool)
	Describe() string
}
