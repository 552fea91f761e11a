package ldapd

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"
	"golang.org/x/text/unicode/norm"
)

// matchRule is how values of an attribute compare (RFC 4517).
type matchRule int

const (
	caseIgnore  matchRule = iota // caseIgnoreMatch, caseIgnoreIA5Match
	caseExact                    // caseExactIA5Match (homeDirectory, loginShell)
	integerRule                  // integerMatch
	dnRule                       // distinguishedNameMatch
	booleanRule                  // booleanMatch
	timeRule                     // generalizedTimeMatch (our values share one format)
	secret                       // userPassword: never matched, never shown
)

// attrType is an attribute the server knows.
type attrType struct {
	name        string // canonical spelling, used in answers
	rule        matchRule
	operational bool // returned only when asked for by name or with "+"
}

var attrTypes = map[string]*attrType{}

func defAttr(name string, rule matchRule, operational bool, aliases ...string) {
	t := &attrType{name: name, rule: rule, operational: operational}
	attrTypes[strings.ToLower(name)] = t
	for _, a := range aliases {
		attrTypes[strings.ToLower(a)] = t
	}
}

func init() {
	defAttr("objectClass", caseIgnore, false, "2.5.4.0")
	defAttr("uid", caseIgnore, false, "userid", "0.9.2342.19200300.100.1.1")
	defAttr("cn", caseIgnore, false, "commonName", "2.5.4.3")
	defAttr("sn", caseIgnore, false, "surname", "2.5.4.4")
	defAttr("givenName", caseIgnore, false, "gn", "2.5.4.42")
	defAttr("displayName", caseIgnore, false, "2.16.840.1.113730.3.1.241")
	defAttr("mail", caseIgnore, false, "rfc822Mailbox", "0.9.2342.19200300.100.1.3")
	defAttr("uidNumber", integerRule, false, "1.3.6.1.1.1.1.0")
	defAttr("gidNumber", integerRule, false, "1.3.6.1.1.1.1.1")
	defAttr("gecos", caseIgnore, false, "1.3.6.1.1.1.1.2")
	defAttr("homeDirectory", caseExact, false, "1.3.6.1.1.1.1.3")
	defAttr("loginShell", caseExact, false, "1.3.6.1.1.1.1.4")
	defAttr("shadowLastChange", integerRule, false, "1.3.6.1.1.1.1.5")
	defAttr("shadowMin", integerRule, false, "1.3.6.1.1.1.1.6")
	defAttr("shadowMax", integerRule, false, "1.3.6.1.1.1.1.7")
	defAttr("shadowWarning", integerRule, false, "1.3.6.1.1.1.1.8")
	defAttr("shadowInactive", integerRule, false, "1.3.6.1.1.1.1.9")
	defAttr("shadowExpire", integerRule, false, "1.3.6.1.1.1.1.10")
	defAttr("shadowFlag", integerRule, false, "1.3.6.1.1.1.1.11")
	defAttr("memberUid", caseIgnore, false, "1.3.6.1.1.1.1.12")
	defAttr("member", dnRule, false, "2.5.4.31")
	defAttr("uniqueMember", dnRule, false, "2.5.4.50")
	defAttr("memberOf", dnRule, false, "1.2.840.113556.1.2.102")
	defAttr("description", caseIgnore, false, "2.5.4.13")
	defAttr("employeeType", caseIgnore, false, "2.16.840.1.113730.3.1.4")
	defAttr("o", caseIgnore, false, "organizationName", "2.5.4.10")
	defAttr("ou", caseIgnore, false, "organizationalUnitName", "2.5.4.11")
	defAttr("dc", caseIgnore, false, "domainComponent", "0.9.2342.19200300.100.1.25")
	defAttr("userPassword", secret, false, "2.5.4.35")

	defAttr("entryDN", dnRule, true)
	defAttr("createTimestamp", timeRule, true)
	defAttr("modifyTimestamp", timeRule, true)
	defAttr("pwdChangedTime", timeRule, true)
	defAttr("pwdAccountLockedTime", timeRule, true)
	defAttr("structuralObjectClass", caseIgnore, true)
	defAttr("hasSubordinates", booleanRule, true)
	defAttr("subschemaSubentry", dnRule, true)

	// root DSE (RFC 4512 5.1)
	defAttr("namingContexts", dnRule, true)
	defAttr("supportedLDAPVersion", integerRule, true)
	defAttr("supportedExtension", caseIgnore, true)
	defAttr("supportedControl", caseIgnore, true)
	defAttr("supportedFeatures", caseIgnore, true)
	defAttr("supportedSASLMechanisms", caseIgnore, true)
	defAttr("vendorName", caseIgnore, true)
	defAttr("vendorVersion", caseIgnore, true)
}

// lookupAttr finds an attribute type by name, alias or OID. Descriptions
// with options ("cn;lang-de") are not known.
func lookupAttr(name string) *attrType {
	return attrTypes[strings.ToLower(strings.TrimSpace(name))]
}

// normalize prepares a value for comparison under rule: case folding and
// insignificant-space handling for strings (RFC 4518, simplified), DN
// normalisation for DNs, canonical form for integers. ok is false when
// the value is not valid for the rule (e.g. "abc" as an integer).
func normalize(rule matchRule, v string) (string, bool) {
	switch rule {
	case caseIgnore:
		return foldSpaces(strings.ToLower(v)), true
	case caseExact, timeRule:
		return foldSpaces(v), true
	case integerRule:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return "", false
		}
		return strconv.FormatInt(n, 10), true
	case booleanRule:
		switch strings.ToUpper(strings.TrimSpace(v)) {
		case "TRUE":
			return "TRUE", true
		case "FALSE":
			return "FALSE", true
		}
		return "", false
	case dnRule:
		return normalizeDN(v)
	}
	return "", false
}

// foldSpaces trims and collapses runs of spaces, so "Fred  Mustermann "
// equals "Fred Mustermann".
func foldSpaces(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// normalizeDN lower-cases attribute types and values and removes the
// spaces around separators: "UID=Fred, ou=People,DC=x" -> "uid=fred,ou=people,dc=x".
func normalizeDN(s string) (string, bool) {
	if strings.TrimSpace(s) == "" {
		return "", true
	}
	dn, err := ldap.ParseDN(s)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	for i, rdn := range dn.RDNs {
		if i > 0 {
			b.WriteByte(',')
		}
		for j, a := range rdn.Attributes {
			if j > 0 {
				b.WriteByte('+')
			}
			typ := strings.ToLower(a.Type)
			if t := lookupAttr(typ); t != nil {
				typ = strings.ToLower(t.name)
			}
			b.WriteString(typ)
			b.WriteByte('=')
			b.WriteString(escapeDNValue(foldSpaces(strings.ToLower(a.Value))))
		}
	}
	return b.String(), true
}

// escapeDNValue escapes the characters RFC 4514 requires escaping.
func escapeDNValue(v string) string {
	if !strings.ContainsAny(v, `,+"\<>;=#`) && !strings.HasPrefix(v, " ") && !strings.HasSuffix(v, " ") {
		return v
	}
	var b strings.Builder
	for i, r := range v {
		switch {
		case strings.ContainsRune(`,+"\<>;=`, r), r == '#' && i == 0, r == ' ' && (i == 0 || i == len(v)-1):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// approx folds a value for approximate matching (~=): lower case, accents
// and umlauts reduced to base letters (ü -> u, ß -> ss), spaces, hyphens
// and dots dropped. "Müller" ~= "Muller" and "Anna Lena" ~= "anna-lena".
func approx(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r == 'ß':
			b.WriteString("ss")
		case unicode.Is(unicode.Mn, r), r == ' ', r == '-', r == '.', r == '_', r == '\'':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// asciiFold transliterates a name for gecos, which many tools expect in
// ASCII: "Jürgen Weiß" -> "Juergen Weiss".
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		switch r {
		case 'ä':
			b.WriteString("ae")
		case 'ö':
			b.WriteString("oe")
		case 'ü':
			b.WriteString("ue")
		case 'Ä':
			b.WriteString("Ae")
		case 'Ö':
			b.WriteString("Oe")
		case 'Ü':
			b.WriteString("Ue")
		case 'ß':
			b.WriteString("ss")
		default:
			for _, d := range norm.NFD.String(string(r)) {
				if d < utf8.RuneSelf {
					b.WriteRune(d)
				}
			}
		}
	}
	return b.String()
}
