package ldapd

import (
	"errors"
	"strconv"
	"strings"

	ber "github.com/go-asn1-ber/asn1-ber"
)

// Filter choices (RFC 4511 4.5.1), the context tags of the BER encoding.
const (
	fAnd        = 0
	fOr         = 1
	fNot        = 2
	fEquality   = 3
	fSubstrings = 4
	fGreater    = 5
	fLess       = 6
	fPresent    = 7
	fApprox     = 8
	fExtensible = 9
)

// tri is the three-valued result of a filter (RFC 4511 4.5.1.7): an
// unknown attribute or an assertion that cannot be tested is Undefined,
// and NOT of Undefined stays Undefined. Only TRUE returns an entry.
type tri int8

const (
	isFalse tri = iota
	isTrue
	isUndefined
)

// filter is a compiled search filter: assertion values are normalised
// once, when the request arrives, not once per entry.
type filter struct {
	kind  int
	kids  []*filter
	t     *attrType // nil: attribute unknown to the server
	value string    // normalised assertion value
	valid bool      // the value is valid for the attribute's rule
	// substrings, normalised
	initial, final string
	any            []string
}

var errBadFilter = errors.New("malformed filter")

const maxFilterDepth = 64

// compileFilter turns the filter of a SearchRequest into a filter.
func compileFilter(p *node, depth int) (*filter, error) {
	if p == nil || p.ClassType != ber.ClassContext || depth > maxFilterDepth {
		return nil, errBadFilter
	}
	f := &filter{kind: int(p.Tag)}
	switch f.kind {
	case fAnd, fOr:
		if p.TagType != ber.TypeConstructed {
			return nil, errBadFilter
		}
		for _, c := range p.Children {
			k, err := compileFilter(c, depth+1)
			if err != nil {
				return nil, err
			}
			f.kids = append(f.kids, k)
		}
	case fNot:
		if p.TagType != ber.TypeConstructed || len(p.Children) != 1 {
			return nil, errBadFilter
		}
		k, err := compileFilter(p.Children[0], depth+1)
		if err != nil {
			return nil, err
		}
		f.kids = []*filter{k}
	case fEquality, fGreater, fLess, fApprox:
		if len(p.Children) != 2 {
			return nil, errBadFilter
		}
		f.t = lookupAttr(str(p.Children[0]))
		if f.t != nil {
			raw := str(p.Children[1])
			if f.kind == fApprox {
				f.value, f.valid = approx(raw), true
				if f.t.rule == integerRule {
					f.value, f.valid = normalize(integerRule, raw)
				}
			} else {
				f.value, f.valid = normalize(f.t.rule, raw)
			}
		}
	case fSubstrings:
		if len(p.Children) != 2 {
			return nil, errBadFilter
		}
		f.t = lookupAttr(str(p.Children[0]))
		fold := func(s string) string { return s }
		if f.t != nil && f.t.rule == caseIgnore {
			fold = strings.ToLower
		}
		for i, s := range p.Children[1].Children {
			v := fold(str(s))
			switch s.Tag {
			case 0:
				if i != 0 {
					return nil, errBadFilter
				}
				f.initial = v
			case 1:
				f.any = append(f.any, v)
			case 2:
				if i != len(p.Children[1].Children)-1 {
					return nil, errBadFilter
				}
				f.final = v
			default:
				return nil, errBadFilter
			}
		}
		f.valid = f.t != nil && (f.t.rule == caseIgnore || f.t.rule == caseExact)
	case fPresent:
		f.t = lookupAttr(str(p))
	case fExtensible:
		// Extensible matching (matching rules by OID, ":dn:") is not
		// supported: RFC 4511 makes such a filter Undefined.
	default:
		return nil, errBadFilter
	}
	return f, nil
}

// eval evaluates the filter against an entry.
func (f *filter) eval(e *entry) tri {
	switch f.kind {
	case fAnd:
		res := isTrue
		for _, k := range f.kids {
			switch k.eval(e) {
			case isFalse:
				return isFalse
			case isUndefined:
				res = isUndefined
			}
		}
		return res
	case fOr:
		res := isFalse
		for _, k := range f.kids {
			switch k.eval(e) {
			case isTrue:
				return isTrue
			case isUndefined:
				res = isUndefined
			}
		}
		return res
	case fNot:
		switch f.kids[0].eval(e) {
		case isTrue:
			return isFalse
		case isFalse:
			return isTrue
		}
		return isUndefined
	case fPresent:
		if f.t != nil && e.get(f.t) != nil {
			return isTrue
		}
		return isFalse
	case fExtensible:
		return isUndefined
	}
	if f.t == nil {
		return isUndefined
	}
	if f.t.rule == secret {
		return isFalse
	}
	a := e.get(f.t)
	if a == nil {
		return isFalse
	}
	if !f.valid {
		return isUndefined
	}
	switch f.kind {
	case fEquality:
		for _, v := range a.normalized() {
			if v == f.value {
				return isTrue
			}
		}
		return isFalse
	case fApprox:
		for i, v := range a.vals {
			if f.t.rule == integerRule {
				if a.normalized()[i] == f.value {
					return isTrue
				}
			} else if approx(v) == f.value {
				return isTrue
			}
		}
		return isFalse
	case fSubstrings:
		for _, v := range a.normalized() {
			if substringMatch(v, f.initial, f.any, f.final) {
				return isTrue
			}
		}
		return isFalse
	case fGreater, fLess:
		switch f.t.rule {
		case integerRule:
			want, _ := strconv.ParseInt(f.value, 10, 64)
			for _, v := range a.normalized() {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					continue
				}
				if (f.kind == fGreater && n >= want) || (f.kind == fLess && n <= want) {
					return isTrue
				}
			}
			return isFalse
		case caseIgnore, caseExact, timeRule:
			for _, v := range a.normalized() {
				if (f.kind == fGreater && v >= f.value) || (f.kind == fLess && v <= f.value) {
					return isTrue
				}
			}
			return isFalse
		}
		return isUndefined
	}
	return isUndefined
}

func substringMatch(v, initial string, any []string, final string) bool {
	if !strings.HasPrefix(v, initial) {
		return false
	}
	v = v[len(initial):]
	for _, a := range any {
		i := strings.Index(v, a)
		if i < 0 {
			return false
		}
		v = v[i+len(a):]
	}
	return strings.HasSuffix(v, final)
}

// attrs lists the attribute types the filter mentions, so that a search
// loads only what it needs (a class's member list, say).
func (f *filter) attrs(into map[*attrType]bool) {
	if f.t != nil {
		into[f.t] = true
	}
	for _, k := range f.kids {
		k.attrs(into)
	}
}
