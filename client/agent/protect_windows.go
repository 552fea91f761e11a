package agent

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// Access lists (SDDL) of the files, replacing what %ProgramData% would
// pass on (there every user may read, and create files): SYSTEM and
// Administrators always; BUILTIN\Users may read the link file (the
// client runs in their name) and the public files.
var sddl = map[access]string{
	accessAgentOnly: "D:P(A;;FA;;;SY)(A;;FA;;;BA)",
	accessUsers:     "D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;BU)",
	accessEveryone:  "D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;BU)(A;;FR;;;WD)",
}

// protect sets the file's access list; group is for Linux only.
func protect(path string, a access, group string) error {
	sd, err := windows.SecurityDescriptorFromString(sddl[a])
	if err != nil {
		return fmt.Errorf("agent: access list: %w", err)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("agent: access list: %w", err)
	}
	err = windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
	if err != nil {
		return fmt.Errorf("agent: protect %s: %w", path, err)
	}
	return nil
}

// protectSocket is not needed on Windows: the agent listens on loopback
// TCP, and the token keeps other programs out.
func protectSocket(path, group string) error { return nil }
