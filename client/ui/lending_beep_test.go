package ui

import (
	"slices"
	"testing"

	"kaspel/shared/wire"
)

// The counter's signal: a held or refused scan is heard, a fine one is
// silent.
func TestKioskSignals(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	var heard []string
	u.opts.Beep = func(level string) { heard = append(heard, level) }

	if res := kioskScan(t, u, s, seed.Cards[w.Pupil]); res.Level != wire.LendingLevelOK {
		t.Fatalf("Anna's card (paid): level %q, %q", res.Level, res.Message)
	}
	if len(heard) != 0 {
		t.Errorf("a fine scan sounded: %v", heard)
	}
	if res := kioskScan(t, u, s, seed.Cards[w.Pupil2]); res.Level != wire.LendingLevelWarning {
		t.Fatalf("Ben's card (not paid): level %q, %q", res.Level, res.Message)
	}
	if res := kioskScan(t, u, s, "0999999"); res.Level != wire.LendingLevelError {
		t.Fatalf("an unknown copy: level %q, %q", res.Level, res.Message)
	}
	if want := []string{wire.LendingLevelWarning, wire.LendingLevelError}; !slices.Equal(heard, want) {
		t.Errorf("heard %v, want %v", heard, want)
	}
}
