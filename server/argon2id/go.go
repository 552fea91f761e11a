//go:build !cgo || !linux

package argon2id

import "golang.org/x/crypto/argon2"

// Key derives a key of keyLen bytes from pw and salt.
func Key(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	return argon2.IDKey(pw, salt, time, memoryKiB, threads, keyLen)
}

// Implementation names the code computing the keys.
var Implementation = "golang.org/x/crypto/argon2"
