package argon2id

import (
	"bytes"
	"encoding/hex"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"
)

// The keys are those of x/crypto (the fallback, and what made hashes in
// older data folders) for every shape of parameters, also when many are
// computed at once with their memory blocks reused.
func TestSameAsXCrypto(t *testing.T) {
	cases := []struct {
		pw, salt string
		t, m     uint32
		p        uint8
		keyLen   uint32
	}{
		{"Sonne-Hase-47", "0123456789abcdef", 2, 19456, 1, 32},
		{"", "saltsaltsalt", 1, 8192, 1, 32},
		{"ä€😀 Passwort mit Umlauten", "0123456789abcdef", 3, 12289, 1, 16},
		{"parallel", "0123456789abcdef", 1, 8195, 2, 64},
		{"x", "12345678", 1, 1024, 4, 32},
		{"long tags", "0123456789abcdef", 2, 4096, 1, 65},
		{"long tags", "0123456789abcdef", 2, 4096, 3, 100},
		{"long tags", "0123456789abcdef", 1, 64, 1, 1024},
		{"tiny memory", "0123456789abcdef", 4, 8, 1, 4},
	}
	for _, c := range cases {
		want := argon2.IDKey([]byte(c.pw), []byte(c.salt), c.t, c.m, c.p, c.keyLen)
		for name, key := range implementations() {
			got := key([]byte(c.pw), []byte(c.salt), c.t, c.m, c.p, c.keyLen)
			if !bytes.Equal(got, want) {
				t.Errorf("%+v: %s (%s), want %s", c, hex.EncodeToString(got), name, hex.EncodeToString(want))
			}
		}
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pw := []byte{byte('a' + i)}
			for range 3 {
				if got, want := Key(pw, []byte("0123456789abcdef"), 1, 8192+uint32(i%3)*1024, 1, 32), argon2.IDKey(pw, []byte("0123456789abcdef"), 1, 8192+uint32(i%3)*1024, 1, 32); !bytes.Equal(got, want) {
					t.Errorf("concurrent %d: keys differ", i)
				}
			}
		}()
	}
	wg.Wait()
}

// RFC 9106's test vector for argon2id (section 5.3) has a secret and
// associated data, which the API here has not; this is the vector of the
// reference implementation's test.c without them.
func TestReferenceVector(t *testing.T) {
	for name, key := range implementations() {
		got := hex.EncodeToString(key([]byte("password"), []byte("somesalt"), 2, 1<<16, 1, 32))
		if want := "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"; got != want {
			t.Errorf("%s: argon2id(password, somesalt, t=2, m=64 MiB, p=1) = %s, want %s", name, got, want)
		}
	}
}

func BenchmarkKey(b *testing.B) {
	for b.Loop() {
		Key([]byte("password"), []byte("somesalt12345678"), 2, 19456, 1, 32)
	}
}

func BenchmarkImplementations(b *testing.B) {
	for name, key := range implementations() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				key([]byte("password"), []byte("somesalt12345678"), 2, 19456, 1, 32)
			}
		})
	}
}

func BenchmarkXCrypto(b *testing.B) {
	for b.Loop() {
		argon2.IDKey([]byte("password"), []byte("somesalt12345678"), 2, 19456, 1, 32)
	}
}
