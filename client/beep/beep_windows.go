//go:build windows

package beep

import "syscall"

var messageBeep = syscall.NewLazyDLL("user32.dll").NewProc("MessageBeep")

// The system sounds MessageBeep plays.
const (
	mbIconHand        = 0x10 // "Critical Stop"
	mbIconExclamation = 0x30 // "Exclamation"
)

// Signal plays the system's exclamation sound for a warning and its
// critical-stop sound for an error.
func Signal(level string) {
	switch level {
	case Warning:
		messageBeep.Call(mbIconExclamation)
	case Error:
		messageBeep.Call(mbIconHand)
	}
}
