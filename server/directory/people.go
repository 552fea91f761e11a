package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"kaspel/server/store"
	"kaspel/shared/password"
)

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

func validateSchool(s School) error {
	if strings.TrimSpace(s.Name) == "" || utf8.RuneCountInString(s.Name) > 200 {
		return invalidf("the school's name must have 1 to 200 characters")
	}
	if !domainRE.MatchString(s.Domain) {
		return invalidf("%q is not a mail domain like gsborsum.de (lower case)", s.Domain)
	}
	return nil
}

func validName(kind, s string) error {
	if strings.TrimSpace(s) == "" {
		return invalidf("the %s must not be empty", kind)
	}
	if utf8.RuneCountInString(s) > 100 || strings.ContainsAny(s, "\x00\r\n\t") || !utf8.ValidString(s) {
		return invalidf("the %s %q is too long or has control characters", kind, s)
	}
	return nil
}

var explicitLoginRE = regexp.MustCompile(`^[a-z][a-z0-9.-]{1,63}$`)

var classRE = regexp.MustCompile(`^[0-9]{1,2}[a-z]{0,3}$`)

// NormalizeClass turns "3 a", "3A", "Klasse 3a" into "3a". Other group-like
// names (e.g. "daz", "skg") are lower-cased and kept.
func NormalizeClass(s string) (string, error) {
	c := strings.ToLower(strings.TrimSpace(s))
	c = strings.TrimPrefix(c, "klasse")
	c = strings.Join(strings.Fields(c), "")
	c = strings.ReplaceAll(c, ".", "")
	if classRE.MatchString(c) {
		return c, nil
	}
	if c != "" && regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,30}$`).MatchString(c) && roleOfGroup(c) == "" {
		return c, nil
	}
	return "", invalidf("%q is not a class name like 3a", s)
}

// NewPerson is what it takes to create an account.
type NewPerson struct {
	// Login is normally empty and derived from the names; set, it is
	// used as it is (the "admin" account of a new school).
	Login               string
	FirstName, LastName string
	Role                Role
	Classes             []string
	ExternalID          string
}

// AddPerson creates an account with a one-time password, which it returns
// and never stores in clear: the person must change it at the first login.
func (d *Directory) AddPerson(ctx context.Context, actor Actor, np NewPerson) (Person, string, error) {
	var p Person
	onetime := OneTimePassword()
	hash, err := d.hasher.Hash(ctx, onetime)
	if err != nil {
		return p, "", err
	}
	err = d.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = addPerson(ctx, tx, d.now(), np, hash)
		if err != nil {
			return err
		}
		return d.record(ctx, tx, actor, "user.add", p.Login, string(p.Role)+" "+strings.Join(np.Classes, ","))
	})
	if err != nil {
		return Person{}, "", err
	}
	return p, onetime, nil
}

// addPerson inserts a person with a password hash and must-change set.
func addPerson(ctx context.Context, tx *sql.Tx, now time.Time, np NewPerson, hash string) (Person, error) {
	if err := validName("first name", np.FirstName); err != nil {
		return Person{}, err
	}
	if err := validName("last name", np.LastName); err != nil {
		return Person{}, err
	}
	if np.Role.GroupName() == "" {
		return Person{}, invalidf("unknown role %q", np.Role)
	}
	if np.Role == Pupil && len(np.Classes) > 1 {
		return Person{}, invalidf("a pupil belongs to one class, not %d", len(np.Classes))
	}
	var login string
	if np.Login != "" {
		if !explicitLoginRE.MatchString(np.Login) {
			return Person{}, invalidf("%q is not a valid login (lower-case letters, digits, . and -)", np.Login)
		}
		if len(np.Login) > MaxLoginLength {
			return Person{}, invalidf("the login %q is longer than %d characters (Windows' limit for local accounts)", np.Login, MaxLoginLength)
		}
		taken, err := loginTaken(ctx, tx, np.Login)
		if err != nil {
			return Person{}, err
		}
		if taken {
			return Person{}, invalidf("the login %q is taken", np.Login)
		}
		login = np.Login
	} else {
		if _, err := LoginBase(np.FirstName, np.LastName); err != nil {
			return Person{}, invalidf("%w", err)
		}
		var err error
		if login, err = uniqueLogin(np.FirstName, np.LastName, func(l string) (bool, error) { return loginTaken(ctx, tx, l) }); err != nil {
			return Person{}, err
		}
	}
	uid, err := nextNumber(ctx, tx, "uid_number")
	if err != nil {
		return Person{}, err
	}
	p := Person{
		Login: login, FirstName: strings.TrimSpace(np.FirstName), LastName: strings.TrimSpace(np.LastName),
		Role: np.Role, UIDNumber: uid, ExternalID: strings.TrimSpace(np.ExternalID),
		PasswordHash: hash, MustChange: true, CreatedAt: now, UpdatedAt: now,
	}
	if err := insertPerson(ctx, tx, &p); err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed: people.external_id") {
			return Person{}, invalidf("another person has the ID %q already", p.ExternalID)
		}
		return Person{}, err
	}
	for _, c := range np.Classes {
		g, err := ensureClass(ctx, tx, c)
		if err != nil {
			return Person{}, err
		}
		if err := addMembership(ctx, tx, g.ID, p.ID); err != nil {
			return Person{}, err
		}
	}
	return p, nil
}

// ensureClass finds or creates the class group.
func ensureClass(ctx context.Context, q querier, name string) (Group, error) {
	c, err := NormalizeClass(name)
	if err != nil {
		return Group{}, err
	}
	g, err := groupByName(ctx, q, c)
	if err == nil {
		if g.Kind == KindRole {
			return Group{}, invalidf("%q is a role, not a class", c)
		}
		return g, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return Group{}, err
	}
	g = Group{Name: c, Kind: KindClass, Description: "Klasse " + c}
	return g, insertGroup(ctx, q, &g)
}

// record writes an admin action's protocol line in tx.
func (d *Directory) record(ctx context.Context, tx *sql.Tx, actor Actor, action, target, detail string) error {
	return recordIn(ctx, tx, d.now(), actor, action, target, detail)
}

// Person returns the person with that login.
func (d *Directory) Person(ctx context.Context, login string) (Person, error) {
	return personByLogin(ctx, d.db.R, login)
}

// PersonDetails is a person with groups, consent and rights, for the
// admin's view of one account.
type PersonDetails struct {
	Person
	Groups  []Group
	Consent *Consent
	Rights  []string
}

// Details returns everything the admin sees about one account.
func (d *Directory) Details(ctx context.Context, login string) (PersonDetails, error) {
	var out PersonDetails
	p, err := personByLogin(ctx, d.db.R, login)
	if err != nil {
		return out, err
	}
	out.Person = p
	if out.Groups, err = d.groupsOfPerson(ctx, d.db.R, p); err != nil {
		return out, err
	}
	if out.Consent, err = latestConsent(ctx, d.db.R, p.ID); err != nil {
		return out, err
	}
	out.Rights, err = rightsOf(ctx, d.db.R, p.ID)
	return out, err
}

func (d *Directory) groupsOfPerson(ctx context.Context, q querier, p Person) ([]Group, error) {
	role, err := groupByName(ctx, q, p.Role.GroupName())
	if err != nil {
		return nil, err
	}
	ids, err := explicitGroupIDs(ctx, q, []int64{p.ID})
	if err != nil {
		return nil, err
	}
	out := []Group{role}
	if len(ids[p.ID]) > 0 {
		gs, err := queryGroups(ctx, q, `WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name`, store.IDsJSON(ids[p.ID]))
		if err != nil {
			return nil, err
		}
		out = append(out, gs...)
	}
	return out, nil
}

// ListQuery selects people for a list; zero fields do not filter.
type ListQuery struct {
	Class string
	Role  Role
	// Leavers includes people whose leaving date has passed.
	Leavers bool
}

// Listed is a person in a list, with their classes.
type Listed struct {
	Person
	Classes []string
}

// List returns people sorted by class, last and first name.
func (d *Directory) List(ctx context.Context, q ListQuery) ([]Listed, error) {
	var where []string
	var args []any
	if q.Role != "" {
		where = append(where, "role = ?")
		args = append(args, q.Role)
	}
	if q.Class != "" {
		c, err := NormalizeClass(q.Class)
		if err != nil {
			return nil, err
		}
		where = append(where, "id IN (SELECT m.person_id FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.name = ?)")
		args = append(args, c)
	}
	if !q.Leavers {
		where = append(where, "(leaving_date IS NULL OR leaving_date >= ?)")
		args = append(args, d.now().Format(store.DateFormat))
	}
	w := ""
	if len(where) > 0 {
		w = "WHERE " + strings.Join(where, " AND ")
	}
	people, err := queryPeople(ctx, d.db.R, w, args...)
	if err != nil {
		return nil, err
	}
	groups, err := queryGroups(ctx, d.db.R, "")
	if err != nil {
		return nil, err
	}
	byID := map[int64]Group{}
	for _, g := range groups {
		byID[g.ID] = g
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	member, err := explicitGroupIDs(ctx, d.db.R, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Listed, len(people))
	for i, p := range people {
		out[i].Person = p
		for _, gid := range member[p.ID] {
			if g := byID[gid]; g.Kind == KindClass {
				out[i].Classes = append(out[i].Classes, g.Name)
			}
		}
		sort.Strings(out[i].Classes)
	}
	// Names in German order (Ä with A, not after Z), as on a class list.
	col := collate.New(language.German, collate.IgnoreCase)
	sort.SliceStable(out, func(i, j int) bool {
		ci, cj := strings.Join(out[i].Classes, ","), strings.Join(out[j].Classes, ",")
		if ci != cj {
			return classLess(ci, cj)
		}
		if c := col.CompareString(out[i].LastName, out[j].LastName); c != 0 {
			return c < 0
		}
		return col.CompareString(out[i].FirstName, out[j].FirstName) < 0
	})
	return out, nil
}

// classLess sorts "" (no class) last and "10a" after "9a".
func classLess(a, b string) bool {
	if a == "" || b == "" {
		return b == ""
	}
	na, nb := leadingNumber(a), leadingNumber(b)
	if na != nb {
		return na < nb
	}
	return a < b
}

func leadingNumber(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// ResetPassword gives the person a new one-time password that must be
// changed at the next login, and returns it.
func (d *Directory) ResetPassword(ctx context.Context, actor Actor, login string) (string, error) {
	onetime := OneTimePassword()
	hash, err := d.hasher.Hash(ctx, onetime)
	if err != nil {
		return "", err
	}
	must := true
	err = d.change(ctx, actor, "user.passwd", login, func(tx *sql.Tx) (string, error) {
		p, err := personByLogin(ctx, tx, login)
		if err != nil {
			return "", err
		}
		return "", updatePerson(ctx, tx, p.ID, personUpdate{PasswordHash: &hash, MustChange: &must})
	})
	if err != nil {
		return "", err
	}
	return onetime, nil
}

// PolicyError lists the rules a new password breaks.
type PolicyError struct{ Broken []password.Rule }

func (e *PolicyError) Error() string { return password.DescribeEnglish(e.Broken) }

// Unwrap makes a PolicyError an ErrInvalid.
func (e *PolicyError) Unwrap() error { return ErrInvalid }

// ErrSamePassword means the new password equals the current one.
var ErrSamePassword = errors.New("the new password must differ from the current one")

// ChangePassword sets a person's own new password after checking the
// policy; it clears the must-change flag. The caller has checked who the
// person is (a bind, a session, or the old password).
func (d *Directory) ChangePassword(ctx context.Context, actor Actor, login, newPassword string) error {
	if broken := password.Check(newPassword); broken != nil {
		return &PolicyError{Broken: broken}
	}
	p, err := personByLogin(ctx, d.db.R, login)
	if err != nil {
		return err
	}
	if p.PasswordHash != "" {
		same, err := d.hasher.Verify(ctx, p.PasswordHash, newPassword)
		if err == nil && same {
			return invalidf("%w", ErrSamePassword)
		}
	}
	hash, err := d.hasher.Hash(ctx, newPassword)
	if err != nil {
		return err
	}
	must := false
	return d.change(ctx, actor, "password.change", login, func(tx *sql.Tx) (string, error) {
		return "", updatePerson(ctx, tx, p.ID, personUpdate{PasswordHash: &hash, MustChange: &must})
	})
}

// Lock locks an account: it can log in nowhere until unlocked.
func (d *Directory) Lock(ctx context.Context, actor Actor, login, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return invalidf("a lock needs a reason")
	}
	return d.change(ctx, actor, "user.lock", login, func(tx *sql.Tx) (string, error) {
		p, err := personByLogin(ctx, tx, login)
		if err != nil {
			return "", err
		}
		return reason, updatePerson(ctx, tx, p.ID, personUpdate{Lock: &lockState{At: store.FormatTime(d.now()), By: actor.Name, Reason: reason}})
	})
}

// Unlock lifts a lock.
func (d *Directory) Unlock(ctx context.Context, actor Actor, login string) error {
	return d.change(ctx, actor, "user.unlock", login, func(tx *sql.Tx) (string, error) {
		p, err := personByLogin(ctx, tx, login)
		if err != nil {
			return "", err
		}
		if !p.Locked() {
			return "", invalidf("%s is not locked", login)
		}
		return "was: " + p.LockReason, updatePerson(ctx, tx, p.ID, personUpdate{Lock: &lockState{}})
	})
}

// Edit changes names, role, classes, the leaving date or the hold-back
// mark of a person; nil fields stay.
type Edit struct {
	FirstName, LastName *string
	Role                *Role
	Classes             *[]string
	ExternalID          *string
	LeavingDate         *string // "" clears it
	HoldBack            *bool   // pupils only (after the role change of the same Edit)
}

// EditPerson applies an Edit in one transaction: all of it or, when one
// part is refused, nothing. Each part gets its protocol line. The login
// stays as it is even when the name changes: it is in mail addresses,
// home folders and on printed slips.
func (d *Directory) EditPerson(ctx context.Context, actor Actor, login string, e Edit) error {
	if e.LeavingDate != nil && *e.LeavingDate != "" {
		if _, err := time.Parse(store.DateFormat, *e.LeavingDate); err != nil {
			return invalidf("%q is not a date like 2027-07-31", *e.LeavingDate)
		}
	}
	return d.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := personByLogin(ctx, tx, login); err != nil {
			return err
		}
		now := d.now()
		if e.FirstName != nil || e.LastName != nil || e.Role != nil || e.Classes != nil || e.ExternalID != nil {
			detail, err := editTx(ctx, tx, login, e)
			if err != nil {
				return err
			}
			if err := recordIn(ctx, tx, now, actor, "user.edit", login, detail); err != nil {
				return err
			}
		}
		if e.LeavingDate != nil {
			if err := leavingTx(ctx, tx, login, *e.LeavingDate); err != nil {
				return err
			}
			if err := recordIn(ctx, tx, now, actor, "user.leave", login, *e.LeavingDate); err != nil {
				return err
			}
		}
		if e.HoldBack != nil {
			if err := holdBackTx(ctx, tx, login, *e.HoldBack); err != nil {
				return err
			}
			return recordIn(ctx, tx, now, actor, "user.hold-back", login, fmt.Sprint(*e.HoldBack))
		}
		return nil
	})
}

// editTx changes names, role, classes and external id.
func editTx(ctx context.Context, tx *sql.Tx, login string, e Edit) (string, error) {
	p, err := personByLogin(ctx, tx, login)
	if err != nil {
		return "", err
	}
	var u personUpdate
	var detail []string
	if e.FirstName != nil {
		if err := validName("first name", *e.FirstName); err != nil {
			return "", err
		}
		v := strings.TrimSpace(*e.FirstName)
		u.FirstName = &v
		detail = append(detail, "first name")
	}
	if e.LastName != nil {
		if err := validName("last name", *e.LastName); err != nil {
			return "", err
		}
		v := strings.TrimSpace(*e.LastName)
		u.LastName = &v
		detail = append(detail, "last name")
	}
	if e.Role != nil {
		if e.Role.GroupName() == "" {
			return "", invalidf("unknown role %q", *e.Role)
		}
		u.Role = e.Role
		detail = append(detail, "role "+string(*e.Role))
	}
	if e.ExternalID != nil {
		u.ExternalID = e.ExternalID
		detail = append(detail, "id")
	}
	if err := updatePerson(ctx, tx, p.ID, u); err != nil {
		return "", err
	}
	if e.Classes != nil {
		role := p.Role
		if e.Role != nil {
			role = *e.Role
		}
		if role == Pupil && len(*e.Classes) > 1 {
			return "", invalidf("a pupil belongs to one class")
		}
		if err := setClasses(ctx, tx, p.ID, *e.Classes); err != nil {
			return "", err
		}
		detail = append(detail, "classes "+strings.Join(*e.Classes, ","))
	}
	return strings.Join(detail, "; "), nil
}

// setClasses makes the person a member of exactly these classes (other
// groups stay).
func setClasses(ctx context.Context, tx *sql.Tx, personID int64, classes []string) error {
	want := map[int64]bool{}
	for _, c := range classes {
		g, err := ensureClass(ctx, tx, c)
		if err != nil {
			return err
		}
		want[g.ID] = true
		if err := addMembership(ctx, tx, g.ID, personID); err != nil {
			return err
		}
	}
	have, err := explicitGroupIDs(ctx, tx, []int64{personID})
	if err != nil {
		return err
	}
	for _, gid := range have[personID] {
		if want[gid] {
			continue
		}
		gs, err := queryGroups(ctx, tx, "WHERE id = ?", gid)
		if err != nil {
			return err
		}
		if len(gs) == 1 && gs[0].Kind == KindClass {
			if err := removeMembership(ctx, tx, gid, personID); err != nil {
				return err
			}
		}
	}
	return nil
}

// SetLeaving sets (or with "" clears) a person's leaving date.
func (d *Directory) SetLeaving(ctx context.Context, actor Actor, login, date string) error {
	if date != "" {
		if _, err := time.Parse(store.DateFormat, date); err != nil {
			return invalidf("%q is not a date like 2027-07-31", date)
		}
	}
	return d.change(ctx, actor, "user.leave", login, func(tx *sql.Tx) (string, error) {
		return date, leavingTx(ctx, tx, login, date)
	})
}

func leavingTx(ctx context.Context, tx *sql.Tx, login, date string) error {
	p, err := personByLogin(ctx, tx, login)
	if err != nil {
		return err
	}
	return updatePerson(ctx, tx, p.ID, personUpdate{LeavingDate: &date})
}

// HoldBack marks a pupil to stay in the class at the next promotion (or,
// with hold false, clears the mark).
func (d *Directory) HoldBack(ctx context.Context, actor Actor, login string, hold bool) error {
	return d.change(ctx, actor, "user.hold-back", login, func(tx *sql.Tx) (string, error) {
		return fmt.Sprint(hold), holdBackTx(ctx, tx, login, hold)
	})
}

func holdBackTx(ctx context.Context, tx *sql.Tx, login string, hold bool) error {
	p, err := personByLogin(ctx, tx, login)
	if err != nil {
		return err
	}
	if p.Role != Pupil {
		return invalidf("only pupils are promoted or held back")
	}
	return updatePerson(ctx, tx, p.ID, personUpdate{HoldBack: &hold})
}

// Rights a person can be granted beyond the role.
const (
	// RightProtocol: may read the protocol (the head teacher names who).
	RightProtocol = "protocol"
	// RightCalendar: may write the public school calendar.
	RightCalendar = "calendar"
	// RightLending: the lending coordinator (titles, lists, fees, copies,
	// reports of the textbook lending).
	RightLending = "lending"
)

// RightNames lists the rights there are.
var RightNames = []string{RightProtocol, RightCalendar, RightLending}

// SetRight grants or revokes a right (the protocol right is given to the
// people the head teacher names).
func (d *Directory) SetRight(ctx context.Context, actor Actor, login, right string, grant bool) error {
	if !slices.Contains(RightNames, right) {
		return invalidf("unknown right %q (known: protocol, calendar, lending)", right)
	}
	action := "right.grant"
	if !grant {
		action = "right.revoke"
	}
	return d.change(ctx, actor, action, login, func(tx *sql.Tx) (string, error) {
		p, err := personByLogin(ctx, tx, login)
		if err != nil {
			return "", err
		}
		return right, setRight(ctx, tx, p.ID, right, actor.Name, grant)
	})
}

// HasRight reports whether the person holds the right.
func (d *Directory) HasRight(ctx context.Context, personID int64, right string) (bool, error) {
	rights, err := rightsOf(ctx, d.db.R, personID)
	if err != nil {
		return false, err
	}
	for _, r := range rights {
		if r == right {
			return true, nil
		}
	}
	return false, nil
}

// Groups lists all groups (roles, classes, others).
func (d *Directory) Groups(ctx context.Context) ([]Group, error) {
	return queryGroups(ctx, d.db.R, "ORDER BY kind DESC, name")
}

// PersonByID returns the person with that id.
func (d *Directory) PersonByID(ctx context.Context, id int64) (Person, error) {
	people, err := queryPeople(ctx, d.db.R, "WHERE id = ?", id)
	if err != nil {
		return Person{}, err
	}
	if len(people) == 0 {
		return Person{}, fmt.Errorf("directory: person %d: %w", id, store.ErrNotFound)
	}
	return people[0], nil
}

// CheckUsable tells whether the person may log in now: ErrLocked, ErrLeft
// or ErrConsentRevoked if not.
func (d *Directory) CheckUsable(ctx context.Context, p Person) error {
	_, err := d.usable(ctx, p, d.now())
	return err
}

// ClassesOf lists the names of the classes a person belongs to.
func (d *Directory) ClassesOf(ctx context.Context, p Person) ([]string, error) {
	groups, err := d.groupsOfPerson(ctx, d.db.R, p)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, g := range groups {
		if g.Kind == KindClass {
			out = append(out, g.Name)
		}
	}
	return out, nil
}

// Rights lists a person's rights.
func (d *Directory) Rights(ctx context.Context, personID int64) ([]string, error) {
	return rightsOf(ctx, d.db.R, personID)
}

// GroupCount is a group with its number of current members.
type GroupCount struct {
	Group
	Members int
}

// GroupsWithCounts lists all groups with their current member counts,
// classes sorted by grade.
func (d *Directory) GroupsWithCounts(ctx context.Context) ([]GroupCount, error) {
	list, err := groupCounts(ctx, d.db.R, d.now().Format(store.DateFormat))
	if err != nil {
		return nil, err
	}
	sort.SliceStable(list, func(i, j int) bool { return classLess(list[i].Name, list[j].Name) })
	return list, nil
}
