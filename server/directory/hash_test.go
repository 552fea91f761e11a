package directory_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"kaspel/server/directory"
)

var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

func newHasher(t testing.TB, p directory.HashParams) *directory.Hasher {
	t.Helper()
	h, err := directory.NewHasher(p)
	if err != nil {
		t.Fatalf("NewHasher(%+v): %v", p, err)
	}
	return h
}

func TestHashFormat(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		params directory.HashParams
		prefix string
	}{
		{"test parameters", fastHash, "$argon2id$v=19$m=8192,t=1,p=1$"},
		{"default parameters", directory.DefaultHashParams, "$argon2id$v=19$m=19456,t=2,p=1$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHasher(t, tt.params)
			enc, err := h.Hash(ctx, "Sonne-Hase-47")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(enc, tt.prefix) {
				t.Errorf("Hash = %s, want prefix %s", enc, tt.prefix)
			}
			m := phcRE.FindStringSubmatch(enc)
			if m == nil {
				t.Fatalf("Hash = %s, not a PHC string", enc)
			}
			salt, err1 := base64.RawStdEncoding.DecodeString(m[4])
			key, err2 := base64.RawStdEncoding.DecodeString(m[5])
			if err1 != nil || err2 != nil || len(salt) != 16 || len(key) != 32 {
				t.Errorf("salt %d bytes (%v), key %d bytes (%v), want 16 and 32", len(salt), err1, len(key), err2)
			}
			ok, err := h.Verify(ctx, enc, "Sonne-Hase-47")
			if err != nil || !ok {
				t.Errorf("Verify(right password) = %v, %v, want true", ok, err)
			}
			if h.Outdated(enc) {
				t.Errorf("Outdated(own hash) = true, want false")
			}
		})
	}
}

func TestHashSalted(t *testing.T) {
	h := newHasher(t, fastHash)
	a, _ := h.Hash(context.Background(), "Sonne-Hase-47")
	b, _ := h.Hash(context.Background(), "Sonne-Hase-47")
	if a == b {
		t.Errorf("two hashes of one password are equal (%s), want different salts", a)
	}
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	h := newHasher(t, fastHash)
	enc, err := h.Hash(ctx, "Grüne-Wiese-29")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		pw   string
		want bool
	}{
		{"Grüne-Wiese-29", true},
		{"grüne-wiese-29", false},
		{"Grüne-Wiese-2", false},
		{"Grüne-Wiese-29 ", false},
		{"Grune-Wiese-29", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.pw, func(t *testing.T) {
			got, err := h.Verify(ctx, enc, tt.pw)
			if err != nil || got != tt.want {
				t.Errorf("Verify(%q) = %v, %v, want %v", tt.pw, got, err, tt.want)
			}
		})
	}
}

// TestVerifyOtherParameters: a hash made with other parameters (before the
// school raised them) is checked with its own and reported outdated.
func TestVerifyOtherParameters(t *testing.T) {
	ctx := context.Background()
	old := newHasher(t, fastHash)
	enc, err := old.Hash(ctx, "Sonne-Hase-47")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []directory.HashParams{
		{Time: 2, MemoryKiB: 8 * 1024, Threads: 1},
		{Time: 1, MemoryKiB: 9 * 1024, Threads: 1},
		{Time: 1, MemoryKiB: 8 * 1024, Threads: 2},
	} {
		t.Run(fmt.Sprintf("%+v", p), func(t *testing.T) {
			h := newHasher(t, p)
			ok, err := h.Verify(ctx, enc, "Sonne-Hase-47")
			if err != nil || !ok {
				t.Errorf("Verify with other parameters = %v, %v, want true", ok, err)
			}
			if !h.Outdated(enc) {
				t.Errorf("Outdated = false, want true")
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	ctx := context.Background()
	h := newHasher(t, fastHash)
	good, err := h.Hash(ctx, "Sonne-Hase-47")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..., salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	tests := []struct{ name, enc string }{
		{"empty", ""},
		{"plain text", "Sonne-Hase-47"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", with(1, "argon2i")},
		{"argon2d", with(1, "argon2d")},
		{"old version", with(2, "v=16")},
		{"no version", with(2, "19")},
		{"no parameters", with(3, "")},
		{"time 0", with(3, "m=8192,t=0,p=1")},
		{"time 21", with(3, "m=8192,t=21,p=1")},
		{"tiny memory", with(3, "m=512,t=1,p=1")},
		{"huge memory", with(3, "m=4194304,t=1,p=1")},
		{"no threads", with(3, "m=8192,t=1,p=0")},
		{"threads overflow", with(3, "m=8192,t=1,p=300")},
		{"salt not base64", with(4, "!!!!")},
		{"short salt", with(4, "c2FsdA")},
		{"key not base64", with(5, "***")},
		{"short key", with(5, "a2V5")},
		{"missing part", strings.Join(parts[:5], "$")},
		{"extra part", good + "$x"},
		{"leading text", "x" + good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(ctx, tt.enc, "Sonne-Hase-47")
			if err == nil || ok {
				t.Errorf("Verify(%q) = %v, %v, want false and an error", tt.enc, ok, err)
			}
			if !h.Outdated(tt.enc) {
				t.Errorf("Outdated(%q) = false, want true (it cannot be checked)", tt.enc)
			}
		})
	}
}

func TestNewHasherRange(t *testing.T) {
	tests := []struct {
		p  directory.HashParams
		ok bool
	}{
		{directory.DefaultHashParams, true},
		{fastHash, true},
		{directory.HashParams{Time: 1, MemoryKiB: 8*1024 - 1, Threads: 1}, false},
		{directory.HashParams{Time: 0, MemoryKiB: 19456, Threads: 1}, false},
		{directory.HashParams{Time: 21, MemoryKiB: 19456, Threads: 1}, false},
		{directory.HashParams{Time: 2, MemoryKiB: 1<<20 + 1, Threads: 1}, false},
		{directory.HashParams{Time: 2, MemoryKiB: 19456, Threads: 0}, false},
		{directory.HashParams{Time: 2, MemoryKiB: 19456, Threads: 17}, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.p), func(t *testing.T) {
			_, err := directory.NewHasher(tt.p)
			if (err == nil) != tt.ok {
				t.Errorf("NewHasher(%+v) = %v, want ok %v", tt.p, err, tt.ok)
			}
		})
	}
}

// TestHashWaitsForSlot: a hash waits for a free slot and gives up with its
// context (MaxParallel bounds the memory of a login storm).
func TestHashWaitsForSlot(t *testing.T) {
	h := newHasher(t, directory.HashParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1, MaxParallel: 2})
	release := h.HoldAll()
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "Sonne-Hase-47"); err == nil {
		t.Errorf("Hash with all slots taken and a cancelled context = nil error, want the context's error")
	}
	if _, err := h.Verify(ctx, "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5", "x"); err == nil {
		t.Errorf("Verify with all slots taken = nil error, want the context's error")
	}
}

func BenchmarkHash(b *testing.B) {
	h := newHasher(b, directory.DefaultHashParams)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "Sonne-Hase-47"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := newHasher(b, directory.DefaultHashParams)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "Sonne-Hase-47")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := h.Verify(ctx, enc, "Sonne-Hase-47"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkVerifyParallel is a login storm: every core checks passwords.
func BenchmarkVerifyParallel(b *testing.B) {
	h := newHasher(b, directory.DefaultHashParams)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "Sonne-Hase-47")
	if err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, err := h.Verify(ctx, enc, "Sonne-Hase-47"); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	})
}
