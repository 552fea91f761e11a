package directory

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"kaspel/server/argon2id"
)

// HashParams are the argon2id parameters for new password hashes. The
// defaults are OWASP's minimum (t=2, m=19 MiB, p=1): 10-25 ms of one core
// per hash by processor, which is what a login storm of a whole school has
// to pay.
type HashParams struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
	// MaxParallel bounds how many hashes run at once: each one holds
	// MemoryKiB of memory, and more hashes than cores only queue anyway.
	// 0 means one per core.
	MaxParallel int `json:"max_parallel"`
}

// DefaultHashParams are the parameters a new school starts with.
var DefaultHashParams = HashParams{Time: 2, MemoryKiB: 19456, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Hasher makes and checks argon2id hashes in PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), at most MaxParallel at a time.
type Hasher struct {
	params HashParams
	slots  chan struct{}
}

// NewHasher checks the parameters and makes a Hasher.
func NewHasher(p HashParams) (*Hasher, error) {
	if p.Time < 1 || p.Time > 20 || p.MemoryKiB < 8*1024 || p.MemoryKiB > 1<<20 || p.Threads < 1 || p.Threads > 16 {
		return nil, fmt.Errorf("directory: argon2id parameters out of range: time %d (1-20), memory %d KiB (8192-1048576), threads %d (1-16)",
			p.Time, p.MemoryKiB, p.Threads)
	}
	n := p.MaxParallel
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return &Hasher{params: p, slots: make(chan struct{}, n)}, nil
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the PHC string of pw with a fresh random salt.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("directory: salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := argon2id.Key([]byte(pw), salt, h.params.Time, h.params.MemoryKiB, h.params.Threads, keyLen)
	h.release()
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2id.Version, h.params.MemoryKiB, h.params.Time, h.params.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errBadHash means a stored hash is not an argon2id PHC string we can check.
var errBadHash = errors.New("directory: stored password hash is not a valid argon2id PHC string")

type phc struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

func parsePHC(s string) (phc, error) {
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return phc{}, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2id.Version {
		return phc{}, errBadHash
	}
	var p phc
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return phc{}, errBadHash
	}
	if p.time < 1 || p.time > 20 || p.memory < 1024 || p.memory > 1<<20 || p.threads < 1 {
		return phc{}, errBadHash
	}
	var err error
	if p.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return phc{}, errBadHash
	}
	if p.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(p.key) < 16 {
		return phc{}, errBadHash
	}
	return p, nil
}

// Verify reports whether pw matches the PHC string, in constant time. A
// hash made with other parameters is checked with its own parameters.
func (h *Hasher) Verify(ctx context.Context, encoded, pw string) (bool, error) {
	p, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	key := argon2id.Key([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	h.release()
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

// Outdated reports whether encoded was made with other parameters than the
// Hasher's, so that it is re-hashed at the next successful login.
func (h *Hasher) Outdated(encoded string) bool {
	p, err := parsePHC(encoded)
	if err != nil {
		return true
	}
	return p.time != h.params.Time || p.memory != h.params.MemoryKiB || p.threads != h.params.Threads
}
