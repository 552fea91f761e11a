// Package argon2id computes argon2id keys (RFC 9106, version 0x13) for
// the password hashes. Built with cgo on Linux it calls the reference
// implementation, libargon2 (Debian's libargon2-1, the library OpenLDAP's
// {ARGON2} scheme uses), which hashes about 12 % faster than
// golang.org/x/crypto/argon2, and it hands the library memory blocks that
// are reused from hash to hash instead of 19 MiB mapped and faulted in
// anew each time. Elsewhere it falls back to x/crypto. Both give the same
// bytes (the tests compare them), so a hash made by one is checked by the
// other.
package argon2id

// Version is the argon2 version the keys are made with (0x13).
const Version = 0x13
