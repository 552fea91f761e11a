package mail

import (
	"context"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of a search.
const (
	MinSearch      = 2   // characters of all words together
	MaxSearch      = 100 // characters of the whole search text
	MaxSearchWords = 10
)

// Search finds the messages of a person's mailbox in which every word of
// q appears, ignoring case (umlauts as typed: "übung" finds "Übung", not
// "Uebung"): in the subject, the text, the sender's or a recipient's name
// or address, or an attachment's name. folder is one folder, or "" for
// all of them. The answer is paged as Page is: newest first, up to limit
// messages older than the cursor, Next the cursor of the following page.
//
// Only the person's own mailbox is searched. There is no full-text index
// (the SQLite driver is built without FTS5): SQLite's LIKE narrows the
// person's messages down, walking them backwards from the cursor, and
// the words are checked exactly here. A search that matches little reads
// the whole mailbox: 75 to 95 milliseconds for 100,000 messages, up to
// about 130 where LIKE cannot narrow down (BenchmarkSearch); one that
// matches much stops after a page.
func (s *Service) Search(ctx context.Context, personID int64, q string, folder Folder, cursor int64, limit int) (Page, error) {
	terms, err := searchTerms(q)
	if err != nil {
		return Page{}, err
	}
	if folder != "" {
		if _, err := ParseFolder(string(folder)); err != nil {
			return Page{}, refuse(Invalid, "folder", "Diesen Ordner gibt es nicht.", "search in folder %q", folder)
		}
	}
	if limit <= 0 || limit > MaxPage {
		return Page{}, refuse(Invalid, "limit", fmt.Sprintf("Eine Seite hat 1 bis %d Nachrichten.", MaxPage), "page limit %d", limit)
	}
	if cursor <= 0 {
		cursor = math.MaxInt64
	}
	domain, err := s.domain(ctx)
	if err != nil {
		return Page{}, err
	}
	// Each round reads the candidates below the last one read. The query
	// lets through more than matches only where the recipients' JSON or a
	// word with many umlauts is concerned (see searchTerm), so the first
	// round is nearly always the last. Later rounds read more at once.
	var found []Summary
	batch := limit + 1
	for before := cursor; len(found) <= limit; {
		rows, err := searchOf(ctx, s.db.R, personID, folder, before, terms, domain, batch)
		if err != nil {
			return Page{}, err
		}
		for _, r := range rows {
			sum := r.summary(domain)
			ok, err := s.matches(ctx, terms, sum, r)
			if err != nil {
				return Page{}, err
			}
			if ok {
				found = append(found, sum)
				if len(found) > limit {
					break
				}
			}
		}
		if len(rows) < batch {
			break
		}
		before = rows[len(rows)-1].id
		batch = min(2*batch, 1000)
	}
	var p Page
	if len(found) > limit {
		found = found[:limit]
		p.Next = found[limit-1].ID
	}
	p.Messages = found
	if p.Messages == nil {
		p.Messages = []Summary{}
	}
	return p, nil
}

// searchTerm is one word of a search: folded for the exact check here,
// and as patterns for SQLite's LIKE (ESCAPE '\'), which ignores the case
// of ASCII letters only. like has a "_" for each character beyond ASCII:
// it lets through the word in any case, and a few more ("aber" for
// "über"). exact, for words with such letters, are the ways of writing
// them ("über", "Über"), tried where like let a text through; none for
// words with more than maxVariants (the check here sorts those out).
type searchTerm struct {
	word  string
	fold  string // foldCase of the word
	like  string
	exact []string
	// likeJSON is like for the recipients, which are stored as JSON: a
	// character JSON may escape (&, <, >, quotes) is a "%" there.
	likeJSON string
}

// maxVariants bounds the patterns of one word.
const maxVariants = 4

// searchTerms splits a search into its words and checks its length.
func searchTerms(q string) ([]searchTerm, error) {
	q = norm.NFC.String(strings.ToValidUTF8(q, ""))
	if utf8.RuneCountInString(q) > MaxSearch {
		return nil, refuse(Invalid, "q", fmt.Sprintf("Der Suchtext darf höchstens %d Zeichen lang sein.", MaxSearch), "search of %d characters", utf8.RuneCountInString(q))
	}
	words := strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
	n := 0
	for _, w := range words {
		n += utf8.RuneCountInString(w)
	}
	if n < MinSearch {
		return nil, refuse(Invalid, "q", fmt.Sprintf("Bitte gib mindestens %d Zeichen ein, nach denen gesucht werden soll.", MinSearch), "search %q too short", q)
	}
	if len(words) > MaxSearchWords {
		return nil, refuse(Invalid, "q", fmt.Sprintf("Bitte suche nach höchstens %d Wörtern auf einmal.", MaxSearchWords), "search of %d words", len(words))
	}
	var terms []searchTerm
	seen := map[string]bool{}
	for _, w := range words {
		t := newSearchTerm(w)
		if !seen[t.fold] {
			seen[t.fold] = true
			terms = append(terms, t)
		}
	}
	return terms, nil
}

func newSearchTerm(w string) searchTerm {
	t := searchTerm{word: w, fold: foldCase(w), like: "%" + likeEscape(w, false) + "%", likeJSON: "%" + likeEscape(w, true) + "%"}
	n := 1
	for _, r := range w {
		if r >= utf8.RuneSelf {
			n *= len(caseVariants(r))
		}
	}
	if n == 1 || n > maxVariants {
		return t
	}
	exact := []string{""}
	for _, r := range w {
		alts := []string{likeEscape(string(r), false)}
		if r >= utf8.RuneSelf {
			alts = nil
			for _, v := range caseVariants(r) {
				alts = append(alts, string(v))
			}
		}
		next := make([]string, 0, len(exact)*len(alts))
		for _, p := range exact {
			for _, a := range alts {
				next = append(next, p+a)
			}
		}
		exact = next
	}
	for _, p := range exact {
		t.exact = append(t.exact, "%"+p+"%")
	}
	return t
}

// likeEscape makes s a part of a LIKE pattern with ESCAPE '\': its
// wildcards are escaped, and every character beyond ASCII is a "_". For
// JSON, a character JSON may escape is a "%".
func likeEscape(s string, json bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case json && (r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' || r < 0x20 || r == '\u2028' || r == '\u2029'):
			b.WriteByte('%')
		case r == '%' || r == '_' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= utf8.RuneSelf:
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// senderLike is how a term can be in a sender's address, login@domain:
// in every address (all: it is part of "@domain"), in none, or where the
// login is LIKE the pattern.
func (t searchTerm) senderLike(domain string) (pattern string, all, none bool) {
	local, dom, at := strings.Cut(t.word, "@")
	switch {
	case !at && strings.Contains(foldCase(domain), t.fold):
		return "", true, false
	case !at:
		return "%" + likeEscape(t.word, false) + "%", false, false
	case strings.Contains(dom, "@") || !strings.HasPrefix(foldCase(domain), foldCase(dom)):
		return "", false, true
	case local == "":
		return "", true, false
	}
	return "%" + likeEscape(local, false), false, false
}

// caseVariants lists a letter in all its cases (k: k, K and the Kelvin
// sign), or just the rune.
func caseVariants(r rune) []rune {
	out := []rune{r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		out = append(out, f)
	}
	return out
}

// foldCase maps every letter to one of its cases (the smallest code
// point among them), so that two texts that differ only in case fold to
// the same.
func foldCase(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				return r - 'a' + 'A'
			}
			return r
		}
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, s)
}

// matches checks exactly that every word is in one of the message's
// fields. The attachments' names are read only if the other fields do
// not have every word.
func (s *Service) matches(ctx context.Context, terms []searchTerm, sum Summary, r row) (bool, error) {
	fields := []string{sum.Subject, sum.From.Name, sum.From.Address}
	for _, a := range sum.To {
		fields = append(fields, a.Name, a.Address)
	}
	fields = append(fields, r.body)
	folded := make([]string, len(fields))
	for i, f := range fields {
		folded[i] = foldCase(f)
	}
	var names []string // folded attachment names, read when needed
	read := false
	for _, t := range terms {
		if containsAny(folded, t.fold) {
			continue
		}
		if sum.AttachmentCount == 0 {
			return false, nil
		}
		if !read {
			atts, err := attachmentsOf(ctx, s.db.R, r.id)
			if err != nil {
				return false, err
			}
			for _, a := range atts {
				names = append(names, foldCase(a.Name))
			}
			read = true
		}
		if !containsAny(names, t.fold) {
			return false, nil
		}
	}
	return true, nil
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
