// Package beep sounds the kiosk's short signal: the secretary at the
// counter looks at the books, not at the screen, so a refused or held
// scan is also heard. On Linux it rings the X display's bell (which the
// desktop plays as its alert sound, or the PC speaker), on Windows the
// system's alert sounds; elsewhere, or without a display, it is silent.
package beep

// Levels, as the kiosk's band names them.
const (
	Warning = "warning"
	Error   = "error"
)
