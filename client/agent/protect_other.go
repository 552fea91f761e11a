//go:build !windows

package agent

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
)

// protect sets a file's permissions: 0600 for the agent only, 0640 with
// the group for the client's users, 0644 for everyone.
func protect(path string, a access, group string) error {
	mode := os.FileMode(0o644)
	switch a {
	case accessAgentOnly:
		mode = 0o600
	case accessUsers:
		mode = 0o640
	}
	if err := os.Chmod(path, mode); err != nil {
		return fmt.Errorf("agent: protect %s: %w", path, err)
	}
	if a == accessUsers {
		return chgrp(path, group)
	}
	return nil
}

// chgrp gives a file to group (a name or a numeric id; "" leaves it).
func chgrp(path, group string) error {
	if group == "" {
		return nil
	}
	gid, err := strconv.Atoi(group)
	if err != nil {
		g, err := user.LookupGroup(group)
		if err != nil {
			return fmt.Errorf("agent: group %q for the local channel: %w", group, err)
		}
		gid, _ = strconv.Atoi(g.Gid)
	}
	if err := os.Chown(path, -1, gid); err != nil {
		return fmt.Errorf("agent: give %s to group %s: %w", path, group, err)
	}
	return nil
}

// protectSocket lets the group connect to the socket (0660).
func protectSocket(path, group string) error {
	if err := os.Chmod(path, 0o660); err != nil {
		return fmt.Errorf("agent: protect %s: %w", path, err)
	}
	return chgrp(path, group)
}
