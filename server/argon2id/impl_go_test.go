//go:build !cgo || !linux

package argon2id

func implementations() map[string]func(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	return map[string]func(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte{"x/crypto": Key}
}
