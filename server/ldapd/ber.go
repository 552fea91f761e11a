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

// --- decoding

// node is one decoded BER value of a request. Its fields are named like
// go-asn1-ber's Packet (whose constants it uses), but decoding makes no
// copies: data and raw are slices of the message, and a search request
// costs a few small allocations instead of a buffer and a description
// string per value.
type node struct {
	ClassType ber.Class
	TagType   ber.Type
	Tag       ber.Tag
	Children  []*node
	data      []byte // the content of a primitive value
	raw       []byte // the whole encoding
}

// Bytes is the node's encoding.
func (n *node) Bytes() []byte { return n.raw }

var errMalformed = errors.New("malformed request")

// maxDepth bounds nesting (filters nest; 64 levels are plenty).
const maxDepth = 100

// decodeNode decodes b, which must hold exactly one value.
func decodeNode(b []byte) (*node, error) {
	n, rest, err := decodeOne(b, 0)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errMalformed
	}
	return n, nil
}

func decodeOne(b []byte, depth int) (*node, []byte, error) {
	if depth > maxDepth || len(b) < 2 {
		return nil, nil, errMalformed
	}
	id := b[0]
	n := &node{ClassType: ber.Class(id & 0xc0), TagType: ber.Type(id & 0x20), Tag: ber.Tag(id & 0x1f)}
	i := 1
	if id&0x1f == 0x1f { // high tag number
		var tag uint64
		for {
			if i >= len(b) || i > 5 {
				return nil, nil, errMalformed
			}
			c := b[i]
			i++
			tag = tag<<7 | uint64(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
		n.Tag = ber.Tag(tag)
	}
	if i >= len(b) {
		return nil, nil, errMalformed
	}
	l := int(b[i])
	i++
	if l&0x80 != 0 {
		k := l & 0x7f
		if k == 0 || k > 4 || i+k > len(b) {
			return nil, nil, errMalformed // no indefinite lengths in LDAP
		}
		l = 0
		for _, c := range b[i : i+k] {
			l = l<<8 | int(c)
		}
		i += k
	}
	if l < 0 || l > len(b)-i {
		return nil, nil, errMalformed
	}
	content := b[i : i+l]
	n.raw = b[:i+l]
	if n.TagType == ber.TypeConstructed {
		for rest := content; len(rest) > 0; {
			var c *node
			var err error
			c, rest, err = decodeOne(rest, depth+1)
			if err != nil {
				return nil, nil, err
			}
			n.Children = append(n.Children, c)
		}
	} else {
		n.data = content
	}
	return n, b[i+l:], nil
}

// content is the raw content of a primitive value of any class.
func content(p *node) []byte { return p.data }

func str(p *node) string { return string(p.data) }

func integer(p *node) (int64, error) {
	if p == nil || p.TagType != ber.TypePrimitive {
		return 0, errMalformed
	}
	if len(p.data) == 0 || len(p.data) > 8 {
		return 0, errMalformed
	}
	return ber.ParseInt64(p.data)
}

func boolean(p *node) (bool, error) {
	if p == nil || len(p.data) != 1 {
		return false, errMalformed
	}
	return p.data[0] != 0, nil
}

func child(p *node, i int) *node {
	if p == nil || i >= len(p.Children) {
		return nil
	}
	return p.Children[i]
}
