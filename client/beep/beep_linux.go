//go:build linux && cgo

package beep

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>
#include <stdlib.h>

// A display connection of its own (not the window's), opened on the
// first signal; NULL when there is no X display.
static Display *kaspel_display;

static int kaspel_bell(int percent) {
	if (kaspel_display == NULL) {
		kaspel_display = XOpenDisplay(NULL);
		if (kaspel_display == NULL) {
			return -1;
		}
	}
	XBell(kaspel_display, percent);
	XFlush(kaspel_display);
	return 0;
}
*/
import "C"

import (
	"sync"
	"time"
)

var mu sync.Mutex

// Signal rings once for a warning, twice for an error. It returns at
// once; the bells ring in the background.
func Signal(level string) {
	n := 0
	switch level {
	case Warning:
		n = 1
	case Error:
		n = 2
	}
	if n == 0 {
		return
	}
	go func() {
		mu.Lock()
		defer mu.Unlock()
		for i := range n {
			if i > 0 {
				time.Sleep(180 * time.Millisecond)
			}
			if C.kaspel_bell(0) != 0 {
				return
			}
		}
	}()
}
