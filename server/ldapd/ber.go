package ldapd

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	ber "github.com/go-asn1-ber/asn1-ber"
)

// BER identifiers used in LDAP messages.
const (
	tagBoolean     = 0x01
	tagInteger     = 0x02
	tagOctetString = 0x04
	tagEnumerated  = 0x0a
	tagSequence    = 0x30
	tagSet         = 0x31

	classApplication = 0x40
	classContext     = 0x80
	constructed      = 0x20
)

// builder encodes BER by appending to one buffer. Constructed values are
// opened with begin and closed with end, which writes the length (moving
// the content when the length needs more than one byte). One buffer per
// response keeps a search result's encoding free of per-node allocations.
type builder struct {
	buf   []byte
	stack []int
}

func (b *builder) reset() { b.buf, b.stack = b.buf[:0], b.stack[:0] }

func (b *builder) begin(tag byte) {
	b.buf = append(b.buf, tag, 0)
	b.stack = append(b.stack, len(b.buf))
}

func (b *builder) end() {
	start := b.stack[len(b.stack)-1]
	b.stack = b.stack[:len(b.stack)-1]
	n := len(b.buf) - start
	if n < 0x80 {
		b.buf[start-1] = byte(n)
		return
	}
	k := 0
	for v := n; v > 0; v >>= 8 {
		k++
	}
	b.buf = append(b.buf, make([]byte, k)...)
	copy(b.buf[start+k:], b.buf[start:start+n])
	b.buf[start-1] = 0x80 | byte(k)
	for i := k - 1; i >= 0; i-- {
		b.buf[start+i] = byte(n)
		n >>= 8
	}
}

func (b *builder) length(n int) {
	switch {
	case n < 0x80:
		b.buf = append(b.buf, byte(n))
	case n < 0x100:
		b.buf = append(b.buf, 0x81, byte(n))
	case n < 0x10000:
		b.buf = append(b.buf, 0x82, byte(n>>8), byte(n))
	case n < 0x1000000:
		b.buf = append(b.buf, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		b.buf = append(b.buf, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

func (b *builder) octets(tag byte, s string) {
	b.buf = append(b.buf, tag)
	b.length(len(s))
	b.buf = append(b.buf, s...)
}

func (b *builder) bytes(tag byte, s []byte) {
	b.buf = append(b.buf, tag)
	b.length(len(s))
	b.buf = append(b.buf, s...)
}

func (b *builder) integer(tag byte, v int64) {
	// minimal two's complement
	n := 1
	for x := v; x > 127 || x < -128; x >>= 8 {
		n++
	}
	b.buf = append(b.buf, tag, byte(n))
	for i := n - 1; i >= 0; i-- {
		b.buf = append(b.buf, byte(v>>(8*uint(i))))
	}
}

func (b *builder) boolean(tag byte, v bool) {
	x := byte(0)
	if v {
		x = 0xff
	}
	b.buf = append(b.buf, tag, 1, x)
}

// maxMessage bounds one LDAP request. Requests are small (a search, a
// bind); the bound keeps a client from making the server allocate much.
const maxMessage = 1 << 20

var errTooLarge = errors.New("ldapd: request larger than 1 MiB")

// readMessage reads one whole LDAPMessage (a SEQUENCE with a definite
// length) and returns its bytes. The length is checked before anything is
// allocated for the content.
func readMessage(r *bufio.Reader) ([]byte, error) {
	tag, err := r.ReadByte()
	if err != nil {
		return nil, err
	}
	if tag != tagSequence {
		return nil, fmt.Errorf("ldapd: message does not start with a SEQUENCE (0x%02x)", tag)
	}
	l0, err := r.ReadByte()
	if err != nil {
		return nil, err
	}
	n := int(l0)
	var head []byte
	if l0&0x80 != 0 {
		k := int(l0 & 0x7f)
		if k == 0 || k > 4 {
			return nil, fmt.Errorf("ldapd: unsupported length form 0x%02x", l0)
		}
		head = make([]byte, k)
		if _, err := io.ReadFull(r, head); err != nil {
			return nil, err
		}
		n = 0
		for _, c := range head {
			n = n<<8 | int(c)
		}
	}
	if n > maxMessage {
		return nil, errTooLarge
	}
	msg := make([]byte, 0, 2+len(head)+n)
	msg = append(msg, tag, l0)
	msg = append(msg, head...)
	msg = msg[:len(msg)+n]
	if _, err := io.ReadFull(r, msg[2+len(head):]); err != nil {
		return nil, err
	}
	return msg, nil
}

// --- decoding helpers over go-asn1-ber packets

var errMalformed = errors.New("malformed request")

// content is the raw content of a primitive value of any class.
func content(p *ber.Packet) []byte {
	if p.ByteValue != nil {
		return p.ByteValue
	}
	if p.Data != nil {
		return p.Data.Bytes()
	}
	return nil
}

func str(p *ber.Packet) string { return string(content(p)) }

func integer(p *ber.Packet) (int64, error) {
	if p == nil || p.TagType != ber.TypePrimitive {
		return 0, errMalformed
	}
	c := content(p)
	if len(c) == 0 || len(c) > 8 {
		return 0, errMalformed
	}
	return ber.ParseInt64(c)
}

func boolean(p *ber.Packet) (bool, error) {
	c := content(p)
	if len(c) != 1 {
		return false, errMalformed
	}
	return c[0] != 0, nil
}

func child(p *ber.Packet, i int) *ber.Packet {
	if p == nil || i >= len(p.Children) {
		return nil
	}
	return p.Children[i]
}
