package refusal

import (
	"errors"
	"fmt"
	"testing"

	"kaspel/server/store"
)

func TestRefusal(t *testing.T) {
	e := New("chat", NotFound, "room", "Diesen Chatraum gibt es nicht.", "no room %d", 7)
	wrapped := fmt.Errorf("reading: %w", e)
	got, ok := As(wrapped)
	if !ok || got != e || got.Field != "room" || got.Error() != "chat: no room 7" {
		t.Fatalf("As(%v) = %+v, %v", wrapped, got, ok)
	}
	if !errors.Is(wrapped, store.ErrNotFound) {
		t.Error("a NotFound refusal is not store.ErrNotFound")
	}
	if errors.Is(New("chat", Conflict, "", "x", "y"), store.ErrNotFound) {
		t.Error("a Conflict refusal is store.ErrNotFound")
	}
	if _, ok := As(errors.New("plain")); ok {
		t.Error("a plain error is a refusal")
	}
}
