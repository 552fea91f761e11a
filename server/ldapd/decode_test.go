package ldapd

import (
	"bytes"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// FuzzDecode: no input makes the decoder panic or read past its buffer,
// and what decodes re-encodes to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"(&(uid=anna)(objectClass=posixAccount))", "(|(cn=a*b*c)(!(uidNumber>=10)))", "(mail~=x)"} {
		p, err := ldap.CompileFilter(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p.Bytes())
	}
	f.Add([]byte{0x30, 0x84, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x30, 0x80, 0x00, 0x00})
	f.Add([]byte{0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := decodeNode(b)
		if err != nil {
			return
		}
		if !bytes.Equal(n.Bytes(), b) {
			t.Fatalf("raw bytes differ")
		}
		compileFilter(n, 0)
	})
}
