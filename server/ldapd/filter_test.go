package ldapd

import (
	"bufio"
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

const testBase = "dc=gsborsum,dc=de"

// compileString compiles a filter the way a client sends it: go-ldap
// encodes it, and the server decodes the bytes before compiling them.
func compileString(t testing.TB, s string) *filter {
	t.Helper()
	p, err := ldap.CompileFilter(s)
	if err != nil {
		t.Fatalf("ldap.CompileFilter(%q): %v", s, err)
	}
	decoded, err := decodeNode(p.Bytes())
	if err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	f, err := compileFilter(decoded, 0)
	if err != nil {
		t.Fatalf("compileFilter(%q): %v", s, err)
	}
	return f
}

// testPerson is a person entry as personEntry builds it.
func testPerson() *entry {
	e := newEntry(kindPerson, "uid=fred.mueller,ou=people,"+testBase, 1)
	e.add("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson", "posixAccount", "shadowAccount")
	e.add("uid", "fred.mueller")
	e.add("cn", "Fred Müller")
	e.add("sn", "Müller")
	e.add("givenName", "Fred")
	e.add("mail", "fred.mueller@gsborsum.de")
	e.add("uidNumber", "10001")
	e.add("gidNumber", "20000")
	e.add("homeDirectory", "/home/Fred.Mueller")
	e.add("loginShell", "/bin/bash")
	e.add("gecos", "Fred Mueller")
	e.add("memberOf", "cn=schueler,ou=groups,"+testBase, "cn=3a,ou=groups,"+testBase)
	e.add("hasSubordinates", "FALSE")
	return e
}

// testGroup is a class group with one member.
func testGroup() *entry {
	e := newEntry(kindGroup, "cn=3a,ou=groups,"+testBase, 2)
	e.add("objectClass", "top", "posixGroup", "groupOfNames")
	e.add("cn", "3a")
	e.add("gidNumber", "20004")
	e.add("description", "Klasse 3a")
	e.add("memberUid", "fred.mueller")
	e.add("member", "uid=fred.mueller,ou=people,"+testBase)
	return e
}

func triName(v tri) string {
	switch v {
	case isTrue:
		return "TRUE"
	case isFalse:
		return "FALSE"
	case isUndefined:
		return "Undefined"
	}
	return "?"
}

func TestFilterEval(t *testing.T) {
	person, group := testPerson(), testGroup()
	const sssdUser = "(&(uid=fred.mueller)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))"
	const sssdGroups = "(&(memberuid=fred.mueller)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))"
	tests := []struct {
		name   string
		filter string
		e      *entry
		want   tri
	}{
		// equality, case-insensitive where the schema says so
		{"uid", "(uid=fred.mueller)", person, isTrue},
		{"uid other case", "(uid=FRED.Mueller)", person, isTrue},
		{"uid other person", "(uid=anna.schmidt)", person, isFalse},
		{"uid alias userid", "(userid=fred.mueller)", person, isTrue},
		{"uid by OID", "(0.9.2342.19200300.100.1.1=fred.mueller)", person, isTrue},
		{"attribute name case", "(UID=fred.mueller)", person, isTrue},
		{"cn umlaut case", "(cn=FRED MÜLLER)", person, isTrue},
		{"cn insignificant spaces", "(cn= Fred   Müller )", person, isTrue},
		{"mail case", "(mail=Fred.Mueller@GSBORSUM.DE)", person, isTrue},
		{"memberUid case", "(memberUid=Fred.Mueller)", group, isTrue},
		{"memberUid other", "(memberUid=anna.schmidt)", group, isFalse},
		{"objectClass case", "(objectClass=POSIXACCOUNT)", person, isTrue},
		{"objectClass of group", "(objectClass=posixAccount)", group, isFalse},
		{"homeDirectory exact", "(homeDirectory=/home/Fred.Mueller)", person, isTrue},
		{"homeDirectory is case-exact", "(homeDirectory=/home/fred.mueller)", person, isFalse},
		{"loginShell is case-exact", "(loginShell=/BIN/BASH)", person, isFalse},

		// integers
		{"uidNumber", "(uidNumber=10001)", person, isTrue},
		{"uidNumber leading zero", "(uidNumber=010001)", person, isTrue},
		{"uidNumber not an integer", "(uidNumber=abc)", person, isUndefined},
		{"uidNumber >= equal", "(uidNumber>=10001)", person, isTrue},
		{"uidNumber >= larger", "(uidNumber>=10002)", person, isFalse},
		{"uidNumber >= is numeric, not by text", "(uidNumber>=9)", person, isTrue},
		{"uidNumber <= equal", "(uidNumber<=10001)", person, isTrue},
		{"uidNumber <= smaller", "(uidNumber<=9999)", person, isFalse},
		{"uidNumber <= is numeric, not by text", "(uidNumber<=100000)", person, isTrue},
		{"uidNumber >= of a group", "(uidNumber>=0)", group, isFalse},
		{"gidNumber", "(gidNumber=20000)", person, isTrue},
		{"cn >= by text", "(cn>=fred)", person, isTrue},
		{"cn <= by text", "(cn<=anna)", person, isFalse},
		{"member >= has no ordering", "(member>=a)", group, isUndefined},

		// substrings
		{"initial", "(cn=Fre*)", person, isTrue},
		{"initial case", "(cn=FRE*)", person, isTrue},
		{"any", "(cn=*üll*)", person, isTrue},
		{"final", "(cn=*MÜLLER)", person, isTrue},
		{"initial any final", "(cn=Fr*ed*er)", person, isTrue},
		{"parts in order", "(cn=*Müller*Fred*)", person, isFalse},
		{"initial and final do not overlap", "(uid=fred.mueller*mueller)", person, isFalse},
		{"no match", "(cn=Anna*)", person, isFalse},
		{"case-exact substring", "(homeDirectory=/home/F*)", person, isTrue},
		{"case-exact substring other case", "(homeDirectory=/home/f*)", person, isFalse},
		{"substring of a DN is Undefined", "(member=uid=*)", group, isUndefined},
		{"substring of an integer is Undefined", "(uidNumber=100*)", person, isUndefined},
		{"substring, attribute absent", "(uid=fred*)", group, isFalse},

		// presence
		{"present", "(uid=*)", person, isTrue},
		{"absent", "(uid=*)", group, isFalse},
		{"present objectClass", "(objectClass=*)", group, isTrue},
		{"unknown attribute is not present", "(favouriteColour=*)", person, isFalse},
		{"userPassword is never present", "(userPassword=*)", person, isFalse},

		// approximate
		{"approx umlaut", "(sn~=Muller)", person, isTrue},
		{"approx case and hyphen", "(cn~=fred-MULLER)", person, isTrue},
		{"approx other name", "(sn~=Meier)", person, isFalse},
		{"approx integer", "(uidNumber~=10001)", person, isTrue},

		// distinguished names
		{"member, other case and spacing", "(member=UID=Fred.Mueller, OU=People, DC=gsborsum, DC=de)", group, isTrue},
		{"member by alias", "(member=userid=fred.mueller,ou=people,dc=gsborsum,dc=de)", group, isTrue},
		{"member other person", "(member=uid=anna.schmidt,ou=people,dc=gsborsum,dc=de)", group, isFalse},
		{"member not a DN", "(member=not a dn)", group, isUndefined},
		{"memberOf, other case and spacing", "(memberOf=CN=3A , ou=Groups,dc=GSBORSUM,dc=de)", person, isTrue},
		{"memberOf other class", "(memberOf=cn=3b,ou=groups,dc=gsborsum,dc=de)", person, isFalse},

		// extensible matching is not supported: Undefined
		{"extensible", "(cn:caseExactMatch:=Fred Müller)", person, isUndefined},
		{"extensible dn", "(ou:dn:=people)", person, isUndefined},
		{"NOT extensible", "(!(cn:=Fred Müller))", person, isUndefined},

		// and, or, not and the three values
		{"and", "(&(uid=fred.mueller)(cn=Fred Müller))", person, isTrue},
		{"and false", "(&(uid=fred.mueller)(cn=Anna))", person, isFalse},
		{"or", "(|(uid=anna)(cn=Fred Müller))", person, isTrue},
		{"or false", "(|(uid=anna)(cn=Anna))", person, isFalse},
		{"not", "(!(uid=anna))", person, isTrue},
		{"not true", "(!(uid=fred.mueller))", person, isFalse},
		{"unknown attribute", "(favouriteColour=blue)", person, isUndefined},
		{"NOT Undefined stays Undefined", "(!(favouriteColour=blue))", person, isUndefined},
		{"Undefined OR TRUE", "(|(favouriteColour=blue)(uid=fred.mueller))", person, isTrue},
		{"Undefined OR FALSE", "(|(favouriteColour=blue)(uid=anna))", person, isUndefined},
		{"Undefined AND TRUE", "(&(favouriteColour=blue)(uid=fred.mueller))", person, isUndefined},
		{"Undefined AND FALSE", "(&(favouriteColour=blue)(uid=anna))", person, isFalse},
		{"NOT of absent attribute", "(!(uidNumber=0))", group, isTrue},
		{"NOT of an invalid value stays Undefined", "(!(uidNumber=abc))", person, isUndefined},
		{"sssd user filter, person", sssdUser, person, isTrue},
		{"sssd user filter, group", sssdUser, group, isFalse},
		{"sssd group filter, group", sssdGroups, group, isTrue},
		{"sssd group filter, person", sssdGroups, person, isFalse},
		{"nslcd group filter", "(&(objectClass=posixGroup)(|(memberUid=nobody)(member=uid=fred.mueller,ou=people,dc=gsborsum,dc=de)))", group, isTrue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := compileString(t, tt.filter)
			if got := f.eval(tt.e); got != tt.want {
				t.Errorf("%s: got %s, want %s", tt.filter, triName(got), triName(tt.want))
			}
		})
	}
}

func TestFilterUserPasswordNeverMatches(t *testing.T) {
	// Entries do not carry userPassword; even one that did must not be
	// matched, or a filter would be a password oracle.
	e := testPerson()
	e.add("userPassword", "Sonne-Hase-47")
	for _, s := range []string{"(userPassword=Sonne-Hase-47)", "(userPassword=Sonne*)", "(userPassword~=Sonne-Hase-47)", "(userPassword>=A)"} {
		if got := compileString(t, s).eval(e); got != isFalse {
			t.Errorf("%s: got %s, want FALSE", s, triName(got))
		}
	}
}

func TestFilterAttrs(t *testing.T) {
	f := compileString(t, "(&(objectClass=posixGroup)(|(memberUid=x)(member=uid=x,ou=people,dc=gsborsum,dc=de))(unknown=1))")
	got := map[*attrType]bool{}
	f.attrs(got)
	for _, name := range []string{"objectClass", "memberUid", "member"} {
		if !got[lookupAttr(name)] {
			t.Errorf("attrs: %s missing from %v", name, got)
		}
	}
	if len(got) != 3 {
		t.Errorf("attrs: got %d types, want 3", len(got))
	}
}

// Packets a client could send but go-ldap never builds.
func TestCompileFilterRejectsMalformed(t *testing.T) {
	octets := func(class ber.Class, tag ber.Tag, v string) *ber.Packet {
		return ber.NewString(class, ber.TypePrimitive, tag, v, "")
	}
	cons := func(tag ber.Tag, kids ...*ber.Packet) *ber.Packet {
		p := ber.Encode(ber.ClassContext, ber.TypeConstructed, tag, nil, "")
		for _, k := range kids {
			p.AppendChild(k)
		}
		return p
	}
	ava := func(tag ber.Tag, attr, value string) *ber.Packet {
		return cons(tag, octets(ber.ClassUniversal, ber.TagOctetString, attr), octets(ber.ClassUniversal, ber.TagOctetString, value))
	}
	substrings := func(parts ...*ber.Packet) *ber.Packet {
		seq := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
		for _, p := range parts {
			seq.AppendChild(p)
		}
		return cons(fSubstrings, octets(ber.ClassUniversal, ber.TagOctetString, "cn"), seq)
	}
	part := func(tag ber.Tag, v string) *ber.Packet { return octets(ber.ClassContext, tag, v) }
	nested := func(n int) *ber.Packet {
		p := octets(ber.ClassContext, fPresent, "cn")
		for i := 0; i < n; i++ {
			p = cons(fNot, p)
		}
		return p
	}
	primitiveAnd := octets(ber.ClassContext, fAnd, "")

	bad := []struct {
		name string
		p    *ber.Packet
	}{
		{"universal class", octets(ber.ClassUniversal, ber.TagOctetString, "(cn=x)")},
		{"application class", ber.NewString(ber.ClassApplication, ber.TypePrimitive, fPresent, "cn", "")},
		{"unknown choice 10", cons(10, ava(fEquality, "cn", "x"))},
		{"primitive and", primitiveAnd},
		{"not without a child", cons(fNot)},
		{"not with two children", cons(fNot, ava(fEquality, "cn", "a"), ava(fEquality, "cn", "b"))},
		{"equality with one child", cons(fEquality, octets(ber.ClassUniversal, ber.TagOctetString, "cn"))},
		{"greater with three children", cons(fGreater, octets(ber.ClassUniversal, ber.TagOctetString, "uidNumber"),
			octets(ber.ClassUniversal, ber.TagOctetString, "1"), octets(ber.ClassUniversal, ber.TagOctetString, "2"))},
		{"substrings without parts sequence", cons(fSubstrings, octets(ber.ClassUniversal, ber.TagOctetString, "cn"))},
		{"substrings initial not first", substrings(part(1, "a"), part(0, "b"))},
		{"substrings final not last", substrings(part(2, "a"), part(1, "b"))},
		{"substrings unknown part", substrings(part(3, "a"))},
		{"bad child inside and", cons(fAnd, ava(fEquality, "cn", "x"), cons(fNot))},
		{"bad child inside or", cons(fOr, octets(ber.ClassUniversal, ber.TagOctetString, "x"))},
		{"nested too deep", nested(maxFilterDepth + 1)},
		{"nil", nil},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			var p *node
			if tt.p != nil {
				// as the server sees it: decoded from the wire
				var err error
				if p, err = decodeNode(tt.p.Bytes()); err != nil {
					t.Fatalf("decode: %v", err)
				}
			}
			f, err := compileFilter(p, 0)
			if !errors.Is(err, errBadFilter) {
				t.Errorf("got %v, %v; want errBadFilter", f, err)
			}
		})
	}

	// At the depth limit a filter still compiles.
	p, err := decodeNode(nested(maxFilterDepth).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := compileFilter(p, 0); err != nil {
		t.Errorf("filter at the depth limit: got %v, want no error", err)
	}
	// Empty AND is TRUE and empty OR is FALSE (RFC 4526).
	for _, tt := range []struct {
		tag  ber.Tag
		want tri
	}{{fAnd, isTrue}, {fOr, isFalse}} {
		n, err := decodeNode(cons(tt.tag).Bytes())
		if err != nil {
			t.Fatal(err)
		}
		f, err := compileFilter(n, 0)
		if err != nil {
			t.Fatalf("empty set %d: %v", tt.tag, err)
		}
		if got := f.eval(testPerson()); got != tt.want {
			t.Errorf("empty set %d: got %s, want %s", tt.tag, triName(got), triName(tt.want))
		}
	}
}

func TestNormalizeDN(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"uid=fred,ou=people,dc=gsborsum,dc=de", "uid=fred,ou=people,dc=gsborsum,dc=de", true},
		{"UID=Fred, ou=People,DC=x", "uid=fred,ou=people,dc=x", true},
		{"  uid = Fred ,  ou = People , dc = x ", "uid=fred,ou=people,dc=x", true},
		{"userid=fred,ou=people,dc=x", "uid=fred,ou=people,dc=x", true},
		{"0.9.2342.19200300.100.1.1=fred,ou=people,dc=x", "uid=fred,ou=people,dc=x", true},
		{"commonName=3A,organizationalUnitName=Groups,dc=x", "cn=3a,ou=groups,dc=x", true},
		{"cn=Fred  Müller,ou=people,dc=x", "cn=fred müller,ou=people,dc=x", true},
		{`cn=Müller\, Hans,ou=people,dc=x`, `cn=müller\, hans,ou=people,dc=x`, true},
		{`cn=a\+b,dc=x`, `cn=a\+b,dc=x`, true},
		{"cn=a+sn=b,dc=x", "cn=a+sn=b,dc=x", true},
		{"foo=Bar,dc=x", "foo=bar,dc=x", true},
		{"not a dn", "", false},
		{"uid=fred,,dc=x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := normalizeDN(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("normalizeDN(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestEscapeDNValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"fred.mueller", "fred.mueller"},
		{"Müller", "Müller"},
		{"Müller, Hans", `Müller\, Hans`},
		{"a+b", `a\+b`},
		{`say "hi"`, `say \"hi\"`},
		{`back\slash`, `back\\slash`},
		{"<a>;b=c", `\<a\>\;b\=c`},
		{"#1", `\#1`},
		{"a#1", "a#1"},
		{" lead", `\ lead`},
		{"trail ", `trail\ `},
		{"in side", "in side"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := escapeDNValue(tt.in)
			if got != tt.want {
				t.Errorf("escapeDNValue(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// What we escape, a DN parser reads back as the value.
			dn, err := ldap.ParseDN("cn=" + got + ",dc=x")
			if err != nil {
				t.Fatalf("ParseDN of escaped %q: %v", got, err)
			}
			if v := dn.RDNs[0].Attributes[0].Value; v != tt.in {
				t.Errorf("round trip of %q: got %q", tt.in, v)
			}
		})
	}
}

func TestApproxAndASCIIFold(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Müller", "muller"},
		{"Anna Lena", "annalena"},
		{"anna-lena", "annalena"},
		{"Weiß", "weiss"},
		{"Zoë O'Neill", "zoeoneill"},
	} {
		if got := approx(tt.in); got != tt.want {
			t.Errorf("approx(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"Jürgen Weiß", "Juergen Weiss"},
		{"Özlem Ärger", "Oezlem Aerger"},
		{"Zoë Brontë", "Zoe Bronte"},
		{"plain", "plain"},
	} {
		if got := asciiFold(tt.in); got != tt.want {
			t.Errorf("asciiFold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// --- the BER builder

func TestBuilderLengths(t *testing.T) {
	sizes := []int{1000, 65535, 65536, 70000, 1 << 20}
	for n := 0; n <= 300; n++ { // every length form around 0x80 and 0x100
		sizes = append(sizes, n)
	}
	for _, n := range sizes {
		var b builder
		value := strings.Repeat("x", n)
		b.begin(tagSequence)
		b.integer(tagInteger, 7)
		b.begin(classApplication | constructed | 4) // like a SearchResultEntry
		b.octets(tagOctetString, value)
		b.bytes(classContext|11, []byte(value))
		b.end()
		b.end()

		p, err := decodeNode(b.buf)
		if err != nil {
			t.Fatalf("n=%d: decode: %v", n, err)
		}
		if len(p.Children) != 2 || len(p.Children[1].Children) != 2 {
			t.Fatalf("n=%d: got %d children, want 2 and 2", n, len(p.Children))
		}
		if id, _ := integer(p.Children[0]); id != 7 {
			t.Errorf("n=%d: id = %d, want 7", n, id)
		}
		op := p.Children[1]
		if op.ClassType != ber.ClassApplication || op.Tag != 4 || op.TagType != ber.TypeConstructed {
			t.Errorf("n=%d: op identifier %v/%v/%v", n, op.ClassType, op.TagType, op.Tag)
		}
		for i, c := range op.Children {
			if got := str(c); got != value {
				t.Errorf("n=%d: child %d has %d bytes, want %d", n, i, len(got), n)
			}
		}
		if op.Children[1].ClassType != ber.ClassContext || op.Children[1].Tag != 11 {
			t.Errorf("n=%d: context tag lost", n)
		}
		// The outer length is the definite, shortest form.
		if l0 := b.buf[1]; l0 < 0x80 {
			if int(l0) != len(b.buf)-2 {
				t.Errorf("n=%d: short length %d, content %d", n, l0, len(b.buf)-2)
			}
		} else {
			k := int(l0 & 0x7f)
			l := 0
			for _, c := range b.buf[2 : 2+k] {
				l = l<<8 | int(c)
			}
			if k > 4 || b.buf[2] == 0 || l < 0x80 || l != len(b.buf)-2-k {
				t.Errorf("n=%d: long length % x for %d content bytes", n, b.buf[1:2+k], len(b.buf)-2-k)
			}
		}
		// The whole message reads back as one message.
		raw, err := readMessage(bufio.NewReader(bytes.NewReader(b.buf)))
		if n < maxMessage-100 && (err != nil || !bytes.Equal(raw, b.buf)) {
			t.Errorf("n=%d: readMessage: %v (same bytes: %v)", n, err, bytes.Equal(raw, b.buf))
		}
		if n >= maxMessage && !errors.Is(err, errTooLarge) {
			t.Errorf("n=%d: readMessage: got %v, want errTooLarge", n, err)
		}
	}
}

func TestBuilderNestedLongLengths(t *testing.T) {
	// Inner constructed values whose lengths need more bytes move their
	// content; the outer ones must still come out right.
	var b builder
	b.begin(tagSequence)
	for i := 0; i < 3; i++ {
		b.begin(tagSequence)
		b.octets(tagOctetString, strings.Repeat(string(rune('a'+i)), 40000*(i+1)))
		b.begin(tagSet)
		b.octets(tagOctetString, "short")
		b.end()
		b.end()
	}
	b.end()
	p, err := decodeNode(b.buf)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if len(p.Children) != 3 {
		t.Fatalf("got %d children, want 3", len(p.Children))
	}
	for i, c := range p.Children {
		want := strings.Repeat(string(rune('a'+i)), 40000*(i+1))
		if got := str(c.Children[0]); got != want {
			t.Errorf("child %d: got %d bytes, want %d", i, len(got), len(want))
		}
		if got := str(c.Children[1].Children[0]); got != "short" {
			t.Errorf("child %d: set holds %q", i, got)
		}
	}
	// reset keeps nothing of the last message
	b.reset()
	b.begin(tagSequence)
	b.end()
	if !bytes.Equal(b.buf, []byte{tagSequence, 0}) {
		t.Errorf("after reset: got % x", b.buf)
	}
}

func TestBuilderIntegers(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32769, 1 << 31, math.MaxInt64, math.MinInt64} {
		var b builder
		b.integer(tagInteger, v)
		p, err := decodeNode(b.buf)
		if err != nil {
			t.Fatalf("%d: decode: %v", v, err)
		}
		got, err := integer(p)
		if err != nil || got != v {
			t.Errorf("integer %d: got %d, %v", v, got, err)
		}
		// minimal: no leading 0x00 or 0xff that the sign does not need
		if c := content(p); len(c) > 1 && (c[0] == 0 && c[1]&0x80 == 0 || c[0] == 0xff && c[1]&0x80 != 0) {
			t.Errorf("integer %d: not minimal: % x", v, c)
		}
	}
	for _, v := range []bool{true, false} {
		var b builder
		b.boolean(tagBoolean, v)
		p, err := decodeNode(b.buf)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := boolean(p); err != nil || got != v {
			t.Errorf("boolean %v: got %v, %v", v, got, err)
		}
	}
}

func TestReadMessage(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		wantErr bool
		tooBig  bool
	}{
		{"short form", []byte{0x30, 0x03, 0x02, 0x01, 0x01}, false, false},
		{"long form", append([]byte{0x30, 0x81, 0x03}, 0x02, 0x01, 0x01), false, false},
		{"not a sequence", []byte("GET / HTTP/1.1\r\n\r\n"), true, false},
		{"indefinite length", []byte{0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00}, true, false},
		{"five length bytes", []byte{0x30, 0x85, 0, 0, 0, 0, 1}, true, false},
		{"larger than 1 MiB", []byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff}, true, true},
		{"truncated", []byte{0x30, 0x05, 0x02, 0x01}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readMessage(bufio.NewReader(bytes.NewReader(tt.in)))
			if (err != nil) != tt.wantErr {
				t.Fatalf("got %x, %v; want error %v", got, err, tt.wantErr)
			}
			if tt.tooBig && !errors.Is(err, errTooLarge) {
				t.Errorf("got %v, want errTooLarge", err)
			}
			if err == nil && !bytes.Equal(got, tt.in) {
				t.Errorf("got % x, want % x", got, tt.in)
			}
		})
	}
}

// BenchmarkFilterEval evaluates sssd's user filter against a person and a
// group, as a search over the directory does for each candidate.
func BenchmarkFilterEval(b *testing.B) {
	f := compileString(b, "(&(uid=fred.mueller)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))")
	person, group := testPerson(), testGroup()
	b.ReportAllocs()
	for b.Loop() {
		if f.eval(person) != isTrue || f.eval(group) != isFalse {
			b.Fatal("wrong result")
		}
	}
}
