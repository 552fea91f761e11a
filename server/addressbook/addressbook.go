// Package addressbook is the school's shared address book: every
// logged-in person sees name, role, class and school mail address of
// everyone; what more a person shows (phone, ...) they choose themselves,
// and pupils show more only when an admin allows it.
//
// Entries come from the directory and list the people who are at the
// school today: not leavers past their leaving date, and not pupils whose
// parents revoked the consent. The module keeps only what people add
// (addressbook_fields) and the admins' decisions about pupils
// (addressbook_pupil_extras); each field has its own visibility: nobody,
// the staff, or everyone.
package addressbook

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the address book tables' schema.
var Migrations = store.Migrations{Component: "addressbook", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Service is the address book. It is safe for concurrent use.
type Service struct {
	db  *store.DB
	dir *directory.Directory
	now func() time.Time
}

// New makes the address book over the directory's database.
func New(dir *directory.Directory) *Service {
	return &Service{db: dir.DB(), dir: dir, now: time.Now}
}

// SetClock replaces the clock (decision times), for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Extra is a field an entry shows beyond the directory's data.
type Extra struct {
	Key, Label, Value string
}

// Entry is a person as the address book shows them to one viewer.
type Entry struct {
	Login     string
	FirstName string
	LastName  string
	Role      directory.Role
	Classes   []string
	Mail      string
	Extras    []Extra // only what the viewer may see, in Fields order
}

// Name is "First Last".
func (e Entry) Name() string { return e.FirstName + " " + e.LastName }

// Query is a search; zero fields do not filter.
type Query struct {
	// Text: every word must be found in the first name, the last name or
	// the login, or be one of the classes; case, umlauts and accents do
	// not matter ("muller" and "mueller" find Müller).
	Text  string
	Class string
	Role  directory.Role
	// Offset skips that many entries; Limit bounds the page (default
	// DefaultLimit, at most MaxLimit).
	Offset, Limit int
}

// Bounds of a search.
const (
	DefaultLimit = 50
	MaxLimit     = 200
	MaxText      = 100
)

// Page is a page of search results, sorted by last name, first name.
type Page struct {
	Entries []Entry
	Total   int // matches on all pages
	Next    int // offset of the next page; 0 on the last page
}

// Search finds entries for the viewer.
func (s *Service) Search(ctx context.Context, viewer directory.Person, q Query) (Page, error) {
	if utf8.RuneCountInString(q.Text) > MaxText {
		return Page{}, inputError("q", "search text too long",
			fmt.Sprintf("Der Suchtext ist zu lang (höchstens %d Zeichen).", MaxText))
	}
	if q.Offset < 0 {
		return Page{}, inputError("cursor", "negative offset", "Die Seitenangabe ist ungültig.")
	}
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit)
	list, err := s.dir.PeopleAtSchool(ctx, directory.ListQuery{Class: q.Class, Role: q.Role})
	if err != nil {
		return Page{}, err
	}
	words := strings.Fields(fold(q.Text))
	var hits []directory.Listed
	for _, l := range list {
		if matches(l, words) {
			hits = append(hits, l)
		}
	}
	sortEntries(hits)
	page := Page{Total: len(hits), Entries: []Entry{}}
	if q.Offset >= len(hits) {
		return page, nil
	}
	end := min(q.Offset+q.Limit, len(hits))
	if end < len(hits) {
		page.Next = end
	}
	page.Entries, err = s.entries(ctx, viewer, hits[q.Offset:end])
	return page, err
}

// Entry returns one person's entry for the viewer; an error wrapping
// store.ErrNotFound if the person is not at the school (any more).
func (s *Service) Entry(ctx context.Context, viewer directory.Person, login string) (Entry, error) {
	l, err := s.dir.PersonAtSchool(ctx, login)
	if err != nil {
		return Entry{}, err
	}
	out, err := s.entries(ctx, viewer, []directory.Listed{l})
	if err != nil {
		return Entry{}, err
	}
	return out[0], nil
}

// entries builds the entries of the people as the viewer sees them.
func (s *Service) entries(ctx context.Context, viewer directory.Person, people []directory.Listed) ([]Entry, error) {
	school, err := s.dir.School(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(people))
	var pupils []int64
	for _, p := range people {
		ids = append(ids, p.ID)
		if p.Role == directory.Pupil {
			pupils = append(pupils, p.ID)
		}
	}
	fields, err := fieldsOf(ctx, s.db.R, ids)
	if err != nil {
		return nil, err
	}
	decisions, err := decisionsOf(ctx, s.db.R, pupils)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(people))
	for i, p := range people {
		classes := p.Classes
		if classes == nil {
			classes = []string{}
		}
		e := Entry{Login: p.Login, FirstName: p.FirstName, LastName: p.LastName, Role: p.Role,
			Classes: classes, Mail: school.Mail(p.Login), Extras: []Extra{}}
		if p.Role != directory.Pupil || decisions[p.ID].Allowed {
			e.Extras = visibleExtras(fields[p.ID], viewer.Role)
		}
		out[i] = e
	}
	return out, nil
}

// visibleExtras are the filled-in fields a viewer of the role may see.
func visibleExtras(stored []storedField, viewer directory.Role) []Extra {
	out := []Extra{}
	for _, f := range Fields {
		for _, sf := range stored {
			if sf.Key != f.Key || sf.Value == "" {
				continue
			}
			if sf.Visibility == Everyone || sf.Visibility == Staff && viewer != directory.Pupil {
				out = append(out, Extra{Key: f.Key, Label: f.Label, Value: sf.Value})
			}
		}
	}
	return out
}

// fold makes text comparable the way people search: lower case, without
// accents (é -> e, ü -> u), ß as ss, and the German spellings ae, oe, ue
// as a, o, u, so that "muller", "mueller" and "Müller" are the same.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		out = strings.ToLower(s)
	}
	return strings.NewReplacer("ß", "ss", "ae", "a", "oe", "o", "ue", "u").Replace(out)
}

func matches(l directory.Listed, words []string) bool {
	names := []string{fold(l.FirstName), fold(l.LastName), fold(l.Login)}
	for _, w := range words {
		found := slices.Contains(l.Classes, w)
		for _, n := range names {
			found = found || strings.Contains(n, w)
		}
		if !found {
			return false
		}
	}
	return true
}

// sortEntries sorts by last name, first name (German order: Ä with A),
// then login.
func sortEntries(list []directory.Listed) {
	col := collate.New(language.German, collate.IgnoreCase)
	slices.SortStableFunc(list, func(a, b directory.Listed) int {
		if c := col.CompareString(a.LastName, b.LastName); c != 0 {
			return c
		}
		if c := col.CompareString(a.FirstName, b.FirstName); c != 0 {
			return c
		}
		return strings.Compare(a.Login, b.Login)
	})
}

// ProfileField is a field of the own profile with its visibility.
type ProfileField struct {
	Key, Label, Value string
	Visibility        Visibility
}

// Profile is what a person added to their own entry and who sees it.
type Profile struct {
	Fields []ProfileField // every field there is, in Fields order
	// NeedsAllowance is true for pupils: their fields are shown to nobody
	// until an admin allows it, whatever they choose.
	NeedsAllowance bool
	// Allowed tells whether the fields are shown as chosen (always true
	// for staff).
	Allowed bool
}

// Profile returns the person's own profile.
func (s *Service) Profile(ctx context.Context, me directory.Person) (Profile, error) {
	fields, err := fieldsOf(ctx, s.db.R, []int64{me.ID})
	if err != nil {
		return Profile{}, err
	}
	out := Profile{Allowed: true}
	if me.Role == directory.Pupil {
		d, err := decisionOf(ctx, s.db.R, me.ID)
		if err != nil {
			return Profile{}, err
		}
		out.NeedsAllowance, out.Allowed = true, d.Allowed
	}
	for _, f := range Fields {
		pf := ProfileField{Key: f.Key, Label: f.Label, Visibility: Hidden}
		for _, sf := range fields[me.ID] {
			if sf.Key == f.Key {
				pf.Value, pf.Visibility = sf.Value, sf.Visibility
			}
		}
		out.Fields = append(out.Fields, pf)
	}
	return out, nil
}

// FieldInput is a field as the person sets it.
type FieldInput struct {
	Key        string
	Value      string
	Visibility string // hidden (or ""), staff, all
}

// SetProfile replaces the person's profile: fields not given are cleared.
// Every value is checked first; nothing is stored if one is wrong.
func (s *Service) SetProfile(ctx context.Context, me directory.Person, in []FieldInput) (Profile, error) {
	seen := map[string]bool{}
	var keep []storedField
	for _, fi := range in {
		f, ok := fieldByKey(fi.Key)
		if !ok {
			return Profile{}, inputError("fields", fmt.Sprintf("unknown field %q", fi.Key),
				fmt.Sprintf("Das Feld „%s“ gibt es im Adressbuch nicht.", fi.Key))
		}
		if seen[f.Key] {
			return Profile{}, inputError(f.Key, "field "+f.Key+" given twice",
				fmt.Sprintf("„%s“ steht zweimal in der Anfrage.", f.Label))
		}
		seen[f.Key] = true
		v, err := f.normalize(fi.Value)
		if err != nil {
			return Profile{}, err
		}
		vis, ok := ParseVisibility(fi.Visibility)
		if !ok {
			return Profile{}, inputError(f.Key, fmt.Sprintf("%s: unknown visibility %q", f.Key, fi.Visibility),
				fmt.Sprintf("Bitte bei „%s“ wählen, wer es sieht: niemand (hidden), das Kollegium (staff) oder alle (all).", f.Label))
		}
		if v != "" || vis != Hidden {
			keep = append(keep, storedField{Key: f.Key, Value: v, Visibility: vis})
		}
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error { return replaceFields(ctx, tx, me.ID, keep, s.now()) })
	if err != nil {
		return Profile{}, err
	}
	return s.Profile(ctx, me)
}

// Allowance is an admin's decision whether a pupil's entry shows the
// fields the pupil chose to show.
type Allowance struct {
	Login, FirstName, LastName string
	Classes                    []string
	Allowed                    bool
	DecidedBy                  string    // "" if nobody decided yet
	DecidedAt                  time.Time // zero if nobody decided yet
}

// SetAllowed allows (or withdraws) the extra fields of a pupil's entry.
// The decision goes to the protocol (addressbook.allow, addressbook.deny)
// in the same transaction.
func (s *Service) SetAllowed(ctx context.Context, actor directory.Actor, login string, allowed bool) (Allowance, error) {
	p, err := s.dir.PersonAtSchool(ctx, login)
	if err != nil {
		return Allowance{}, err
	}
	if p.Role != directory.Pupil {
		return Allowance{}, inputError("login", p.Login+" is not a pupil",
			"Nur bei Schülerinnen und Schülern entscheidet die Schule, ob der Eintrag mehr zeigt; alle anderen entscheiden selbst.")
	}
	d := decision{Allowed: allowed, DecidedBy: actor.Name, DecidedAt: s.now()}
	action := "addressbook.deny"
	if allowed {
		action = "addressbook.allow"
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := putDecision(ctx, tx, p.ID, d); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: d.DecidedAt, Actor: actor.Name, Action: action, Target: p.Login,
			Success: true, Source: actor.Source, Service: actor.Service})
	})
	if err != nil {
		return Allowance{}, err
	}
	return Allowance{Login: p.Login, FirstName: p.FirstName, LastName: p.LastName, Classes: p.Classes,
		Allowed: d.Allowed, DecidedBy: d.DecidedBy, DecidedAt: d.DecidedAt.UTC().Truncate(time.Second)}, nil
}

// Allowed lists the pupils at the school whose extra fields an admin
// allowed, sorted by last name, first name.
func (s *Service) Allowed(ctx context.Context) ([]Allowance, error) {
	ids, err := allowedIDs(ctx, s.db.R)
	if err != nil {
		return nil, err
	}
	out := []Allowance{}
	if len(ids) == 0 {
		return out, nil
	}
	decisions, err := decisionsOf(ctx, s.db.R, ids)
	if err != nil {
		return nil, err
	}
	pupils, err := s.dir.PeopleAtSchool(ctx, directory.ListQuery{Role: directory.Pupil})
	if err != nil {
		return nil, err
	}
	sortEntries(pupils)
	for _, p := range pupils {
		d, ok := decisions[p.ID]
		if !ok || !d.Allowed {
			continue
		}
		out = append(out, Allowance{Login: p.Login, FirstName: p.FirstName, LastName: p.LastName, Classes: p.Classes,
			Allowed: true, DecidedBy: d.DecidedBy, DecidedAt: d.DecidedAt})
	}
	return out, nil
}
