package blobs_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kaspel/server/blobs"
)

func open(t *testing.T) (*blobs.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := blobs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func read(t *testing.T, s *blobs.Store, hash string) string {
	t.Helper()
	f, err := s.Open(hash)
	if err != nil {
		t.Fatalf("Open(%s): %v", hash, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPut(t *testing.T) {
	s, dir := open(t)
	content := "Das ist ein Anhang.\n"
	b, err := s.Put(strings.NewReader(content), 100)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(content))
	if b.Hash != hex.EncodeToString(sum[:]) || b.Size != int64(len(content)) {
		t.Errorf("Put = %+v, want hash %x and size %d", b, sum, len(content))
	}
	if got := read(t, s, b.Hash); got != content {
		t.Errorf("content = %q, want %q", got, content)
	}
	st, err := os.Stat(filepath.Join(dir, b.Hash[:2], b.Hash[2:]))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("file: %v, mode %v, want 0600", err, st.Mode().Perm())
	}
	// the same content again is stored once
	b2, err := s.Put(strings.NewReader(content), 100)
	if err != nil || b2 != b {
		t.Errorf("second Put = %+v, %v, want %+v", b2, err, b)
	}
	if tmp, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(tmp) != 0 {
		t.Errorf("tmp holds %d files after Put, want none", len(tmp))
	}
}

func TestPutLimit(t *testing.T) {
	s, dir := open(t)
	tests := []struct {
		size    int
		wantErr error
	}{{0, nil}, {10, nil}, {11, blobs.ErrTooLarge}, {1000, blobs.ErrTooLarge}}
	for _, tt := range tests {
		_, err := s.Put(strings.NewReader(strings.Repeat("x", tt.size)), 10)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("Put(%d bytes, max 10) = %v, want %v", tt.size, err, tt.wantErr)
		}
	}
	var kept int
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			kept++
		}
		return nil
	})
	if kept != 2 { // the empty file and the ten x
		t.Errorf("files kept: %d, want 2 (nothing of the refused uploads)", kept)
	}
}

func TestOpenUnknown(t *testing.T) {
	s, _ := open(t)
	for _, h := range []string{"", "../../etc/passwd", strings.Repeat("0", 64), strings.Repeat("Z", 64)} {
		if _, err := s.Open(h); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", h, err)
		}
	}
}

func TestSweep(t *testing.T) {
	s, dir := open(t)
	put := func(c string) blobs.Blob {
		b, err := s.Put(strings.NewReader(c), 100)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	age := func(path string) {
		old := time.Now().Add(-48 * time.Hour)
		if err := os.Chtimes(path, old, old); err != nil {
			t.Fatal(err)
		}
	}
	used, unused, young := put("in use"), put("not in use"), put("just uploaded")
	age(filepath.Join(dir, used.Hash[:2], used.Hash[2:]))
	age(filepath.Join(dir, unused.Hash[:2], unused.Hash[2:]))
	leftover := filepath.Join(dir, "tmp", "upload-123")
	if err := os.WriteFile(leftover, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	age(leftover)

	n, err := s.Sweep(func(h string) bool { return h == used.Hash }, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("Sweep removed %d, want 2 (the unused file and the leftover)", n)
	}
	if _, err := s.Open(unused.Hash); !errors.Is(err, blobs.ErrNotFound) {
		t.Errorf("unused file after Sweep: %v, want gone", err)
	}
	for _, b := range []blobs.Blob{used, young} {
		if got := read(t, s, b.Hash); got == "" {
			t.Errorf("%s gone after Sweep", b.Hash)
		}
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover upload: %v, want removed", err)
	}
	// an old unreferenced file uploaded again is young again
	age(filepath.Join(dir, used.Hash[:2], used.Hash[2:]))
	put("in use")
	if n, _ := s.Sweep(func(string) bool { return false }, 24*time.Hour); n != 0 {
		t.Errorf("Sweep after a fresh upload of the same content removed %d, want 0", n)
	}
}
