package directory

// All SQL of the directory lives in this file.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"kaspel/server/store"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier = store.Querier

const personCols = `id, login, first_name, last_name, role, uid_number, COALESCE(external_id, ''),
	COALESCE(password_hash, ''), COALESCE(password_changed_at, ''), must_change,
	COALESCE(locked_at, ''), COALESCE(locked_by, ''), COALESCE(lock_reason, ''),
	COALESCE(leaving_date, ''), COALESCE(former_class, ''), hold_back, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanPerson(s scanner) (Person, error) {
	var p Person
	var changed, locked, created, updated string
	err := s.Scan(&p.ID, &p.Login, &p.FirstName, &p.LastName, &p.Role, &p.UIDNumber, &p.ExternalID,
		&p.PasswordHash, &changed, &p.MustChange, &locked, &p.LockedBy, &p.LockReason,
		&p.LeavingDate, &p.FormerClass, &p.HoldBack, &created, &updated)
	if err != nil {
		return p, err
	}
	p.PasswordChangedAt, _ = store.ParseTime(changed)
	p.LockedAt, _ = store.ParseTime(locked)
	p.CreatedAt, _ = store.ParseTime(created)
	p.UpdatedAt, _ = store.ParseTime(updated)
	return p, nil
}

func queryPeople(ctx context.Context, q querier, where string, args ...any) ([]Person, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+personCols+` FROM people `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("directory: query people: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, fmt.Errorf("directory: read person: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// eachPerson streams people, for views over the whole directory.
func eachPerson(ctx context.Context, q querier, fn func(Person) error, where string, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT `+personCols+` FROM people `+where, args...)
	if err != nil {
		return fmt.Errorf("directory: query people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return fmt.Errorf("directory: read person: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

func personByLogin(ctx context.Context, q querier, login string) (Person, error) {
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE login = ?`, login))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("directory: person %q: %w", login, store.ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("directory: person %q: %w", login, err)
	}
	return p, nil
}

func loginTaken(ctx context.Context, q querier, login string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE login = ?`, login).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("directory: check login: %w", err)
	}
	if n == 0 {
		err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM service_accounts WHERE name = ?`, login).Scan(&n)
	}
	return n > 0, err
}

func nextNumber(ctx context.Context, q querier, counter string) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value`, counter).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("directory: next %s: %w", counter, err)
	}
	return v, nil
}

func insertPerson(ctx context.Context, q querier, p *Person) error {
	now := store.Now()
	var ext any
	if p.ExternalID != "" {
		ext = p.ExternalID
	}
	var hash, changed any
	if p.PasswordHash != "" {
		hash, changed = p.PasswordHash, now
	}
	var leaving any
	if p.LeavingDate != "" {
		leaving = p.LeavingDate
	}
	res, err := q.ExecContext(ctx, `INSERT INTO people (login, first_name, last_name, role, uid_number, external_id,
		password_hash, password_changed_at, must_change, leaving_date, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Login, p.FirstName, p.LastName, p.Role, p.UIDNumber, ext, hash, changed, p.MustChange, leaving, now, now)
	if err != nil {
		return fmt.Errorf("directory: insert %s: %w", p.Login, err)
	}
	p.ID, err = res.LastInsertId()
	return err
}

// personUpdate names the columns an update sets; nil fields stay.
type personUpdate struct {
	FirstName, LastName *string
	Role                *Role
	ExternalID          *string
	PasswordHash        *string
	MustChange          *bool
	Lock                *lockState
	LeavingDate         *string // "" clears
	FormerClass         *string
	HoldBack            *bool
}

type lockState struct {
	At     string // "" unlocks
	By     string
	Reason string
}

func updatePerson(ctx context.Context, q querier, id int64, u personUpdate) error {
	var sets []string
	var args []any
	set := func(col string, v any) {
		sets = append(sets, col+" = ?")
		args = append(args, v)
	}
	nullIfEmpty := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	if u.FirstName != nil {
		set("first_name", *u.FirstName)
	}
	if u.LastName != nil {
		set("last_name", *u.LastName)
	}
	if u.Role != nil {
		set("role", *u.Role)
	}
	if u.ExternalID != nil {
		set("external_id", nullIfEmpty(*u.ExternalID))
	}
	if u.PasswordHash != nil {
		set("password_hash", nullIfEmpty(*u.PasswordHash))
		set("password_changed_at", store.Now())
	}
	if u.MustChange != nil {
		set("must_change", *u.MustChange)
	}
	if u.Lock != nil {
		set("locked_at", nullIfEmpty(u.Lock.At))
		set("locked_by", nullIfEmpty(u.Lock.By))
		set("lock_reason", nullIfEmpty(u.Lock.Reason))
	}
	if u.LeavingDate != nil {
		set("leaving_date", nullIfEmpty(*u.LeavingDate))
	}
	if u.FormerClass != nil {
		set("former_class", nullIfEmpty(*u.FormerClass))
	}
	if u.HoldBack != nil {
		set("hold_back", *u.HoldBack)
	}
	if len(sets) == 0 {
		return nil
	}
	set("updated_at", store.Now())
	args = append(args, id)
	_, err := q.ExecContext(ctx, `UPDATE people SET `+strings.Join(sets, ", ")+` WHERE id = ?`, args...)
	if err != nil {
		return fmt.Errorf("directory: update person %d: %w", id, err)
	}
	return nil
}

func deletePerson(ctx context.Context, q querier, id int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM people WHERE id = ?`, id); err != nil {
		return fmt.Errorf("directory: delete person %d: %w", id, err)
	}
	return nil
}

// --- groups

const groupCols = `id, name, kind, gid_number, description`

func scanGroup(s scanner) (Group, error) {
	var g Group
	err := s.Scan(&g.ID, &g.Name, &g.Kind, &g.GIDNumber, &g.Description)
	return g, err
}

func queryGroups(ctx context.Context, q querier, where string, args ...any) ([]Group, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+groupCols+` FROM groups `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("directory: query groups: %w", err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("directory: read group: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func groupByName(ctx context.Context, q querier, name string) (Group, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, `SELECT `+groupCols+` FROM groups WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return g, fmt.Errorf("directory: group %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return g, fmt.Errorf("directory: group %q: %w", name, err)
	}
	return g, nil
}

func insertGroup(ctx context.Context, q querier, g *Group) error {
	gid, err := nextNumber(ctx, q, "gid_number")
	if err != nil {
		return err
	}
	g.GIDNumber = gid
	res, err := q.ExecContext(ctx, `INSERT INTO groups (name, kind, gid_number, description, created_at) VALUES (?, ?, ?, ?, ?)`,
		g.Name, g.Kind, g.GIDNumber, g.Description, store.Now())
	if err != nil {
		return fmt.Errorf("directory: insert group %s: %w", g.Name, err)
	}
	g.ID, err = res.LastInsertId()
	return err
}

// explicitGroupIDs returns the groups people are members of (roles are
// not stored as memberships: a role group's members are derived from the
// people's role).
func explicitGroupIDs(ctx context.Context, q querier, personIDs []int64) (map[int64][]int64, error) {
	out := make(map[int64][]int64, len(personIDs))
	if len(personIDs) == 0 {
		return out, nil
	}
	var rows *sql.Rows
	var err error
	if len(personIDs) == 1 {
		rows, err = q.QueryContext(ctx, `SELECT person_id, group_id FROM memberships WHERE person_id = ? ORDER BY group_id`, personIDs[0])
	} else {
		rows, err = q.QueryContext(ctx, `SELECT person_id, group_id FROM memberships WHERE person_id IN (SELECT value FROM json_each(?)) ORDER BY person_id, group_id`, store.IDsJSON(personIDs))
	}
	if err != nil {
		return nil, fmt.Errorf("directory: memberships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid, gid int64
		if err := rows.Scan(&pid, &gid); err != nil {
			return nil, err
		}
		out[pid] = append(out[pid], gid)
	}
	return out, rows.Err()
}

// allMemberships returns every explicit membership, person id -> group ids.
func allMemberships(ctx context.Context, q querier) (map[int64][]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT person_id, group_id FROM memberships ORDER BY person_id, group_id`)
	if err != nil {
		return nil, fmt.Errorf("directory: memberships: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var pid, gid int64
		if err := rows.Scan(&pid, &gid); err != nil {
			return nil, err
		}
		out[pid] = append(out[pid], gid)
	}
	return out, rows.Err()
}

// memberLogins lists the logins of a group's members, sorted.
func memberLogins(ctx context.Context, q querier, g Group) ([]string, error) {
	var rows *sql.Rows
	var err error
	if g.Kind == KindRole {
		rows, err = q.QueryContext(ctx, `SELECT login FROM people WHERE role = ? ORDER BY login`, roleOfGroup(g.Name))
	} else {
		rows, err = q.QueryContext(ctx, `SELECT p.login FROM memberships m JOIN people p ON p.id = m.person_id
			WHERE m.group_id = ? ORDER BY p.login`, g.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("directory: members of %s: %w", g.Name, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func roleOfGroup(name string) Role {
	for _, r := range Roles {
		if r.GroupName() == name {
			return r
		}
	}
	return ""
}

func addMembership(ctx context.Context, q querier, groupID, personID int64) error {
	_, err := q.ExecContext(ctx, `INSERT OR IGNORE INTO memberships (group_id, person_id) VALUES (?, ?)`, groupID, personID)
	if err != nil {
		return fmt.Errorf("directory: add membership: %w", err)
	}
	return nil
}

func removeMembership(ctx context.Context, q querier, groupID, personID int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM memberships WHERE group_id = ? AND person_id = ?`, groupID, personID)
	if err != nil {
		return fmt.Errorf("directory: remove membership: %w", err)
	}
	return nil
}

// --- consent

func latestConsent(ctx context.Context, q querier, personID int64) (*Consent, error) {
	var c Consent
	var revoked sql.NullString
	var at string
	err := q.QueryRowContext(ctx, `SELECT guardian, signed_on, revoked_on, recorded_by, recorded_at FROM consents
		WHERE person_id = ? ORDER BY id DESC LIMIT 1`, personID).Scan(&c.Guardian, &c.SignedOn, &revoked, &c.RecordedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("directory: consent: %w", err)
	}
	c.RevokedOn = revoked.String
	c.RecordedAt, _ = store.ParseTime(at)
	return &c, nil
}

func insertConsent(ctx context.Context, q querier, personID int64, c Consent) error {
	var revoked any
	if c.RevokedOn != "" {
		revoked = c.RevokedOn
	}
	_, err := q.ExecContext(ctx, `INSERT INTO consents (person_id, guardian, signed_on, revoked_on, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?)`, personID, c.Guardian, c.SignedOn, revoked, c.RecordedBy, store.Now())
	if err != nil {
		return fmt.Errorf("directory: record consent: %w", err)
	}
	return nil
}

// revokedConsent tells whether the person's newest consent record is revoked.
func revokedConsent(ctx context.Context, q querier, personID int64) (bool, error) {
	var revoked sql.NullString
	err := q.QueryRowContext(ctx, `SELECT revoked_on FROM consents WHERE person_id = ? ORDER BY id DESC LIMIT 1`, personID).Scan(&revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("directory: consent: %w", err)
	}
	return revoked.Valid && revoked.String != "", nil
}

// revokedAmong tells which of the people's newest consent is revoked.
func revokedAmong(ctx context.Context, q querier, personIDs []int64) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.person_id FROM consents c
		WHERE c.person_id IN (SELECT value FROM json_each(?))
		AND c.id = (SELECT MAX(id) FROM consents WHERE person_id = c.person_id) AND c.revoked_on IS NOT NULL`, store.IDsJSON(personIDs))
	if err != nil {
		return nil, fmt.Errorf("directory: consents: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// --- rights

func rightsOf(ctx context.Context, q querier, personID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM rights WHERE person_id = ? ORDER BY name`, personID)
	if err != nil {
		return nil, fmt.Errorf("directory: rights: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func setRight(ctx context.Context, q querier, personID int64, right, by string, grant bool) error {
	var err error
	if grant {
		_, err = q.ExecContext(ctx, `INSERT OR IGNORE INTO rights (person_id, name, granted_by, granted_at) VALUES (?, ?, ?, ?)`,
			personID, right, by, store.Now())
	} else {
		_, err = q.ExecContext(ctx, `DELETE FROM rights WHERE person_id = ? AND name = ?`, personID, right)
	}
	if err != nil {
		return fmt.Errorf("directory: set right %s: %w", right, err)
	}
	return nil
}

// --- service accounts

func scanService(s scanner) (ServiceAccount, error) {
	var a ServiceAccount
	var created string
	err := s.Scan(&a.ID, &a.Name, &a.PasswordHash, &created)
	a.CreatedAt, _ = store.ParseTime(created)
	return a, err
}

func serviceByName(ctx context.Context, q querier, name string) (ServiceAccount, error) {
	a, err := scanService(q.QueryRowContext(ctx, `SELECT id, name, password_hash, created_at FROM service_accounts WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("directory: service account %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("directory: service account %q: %w", name, err)
	}
	return a, nil
}

func listServices(ctx context.Context, q querier) ([]ServiceAccount, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, password_hash, created_at FROM service_accounts ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("directory: service accounts: %w", err)
	}
	defer rows.Close()
	var out []ServiceAccount
	for rows.Next() {
		a, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func insertService(ctx context.Context, q querier, name, hash string) error {
	now := store.Now()
	_, err := q.ExecContext(ctx, `INSERT INTO service_accounts (name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)`,
		name, hash, now, now)
	if err != nil {
		return fmt.Errorf("directory: add service account %s: %w", name, err)
	}
	return nil
}

func updateServiceHash(ctx context.Context, q querier, id int64, hash string) error {
	_, err := q.ExecContext(ctx, `UPDATE service_accounts SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, store.Now(), id)
	if err != nil {
		return fmt.Errorf("directory: update service account: %w", err)
	}
	return nil
}

func deleteService(ctx context.Context, q querier, id int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM service_accounts WHERE id = ?`, id); err != nil {
		return fmt.Errorf("directory: delete service account: %w", err)
	}
	return nil
}

// --- settings

func getSetting(ctx context.Context, q querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("directory: setting %s: %w", key, store.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("directory: setting %s: %w", key, err)
	}
	return v, nil
}

func putSetting(ctx context.Context, q querier, key, value string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("directory: save setting %s: %w", key, err)
	}
	return nil
}

// leaversBefore lists people whose leaving date is before the given date.
func leaversBefore(ctx context.Context, q querier, date time.Time) ([]Person, error) {
	return queryPeople(ctx, q, `WHERE leaving_date IS NOT NULL AND leaving_date < ? ORDER BY leaving_date, login`, date.Format(store.DateFormat))
}

// rehashPerson replaces a hash with a stronger one of the same password,
// unless the password changed in the meantime.
func rehashPerson(ctx context.Context, q querier, id int64, oldHash, newHash string) error {
	_, err := q.ExecContext(ctx, `UPDATE people SET password_hash = ? WHERE id = ? AND password_hash = ?`, newHash, id, oldHash)
	if err != nil {
		return fmt.Errorf("directory: re-hash: %w", err)
	}
	return nil
}

// groupCounts lists every group with its number of current members
// (people who have not left); role groups count the people of the role.
func groupCounts(ctx context.Context, q querier, today string) ([]GroupCount, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.name, g.kind, g.gid_number, g.description,
		CASE g.kind
			WHEN 'role' THEN (SELECT COUNT(*) FROM people p WHERE p.role = CASE g.name
				WHEN 'schueler' THEN 'pupil' WHEN 'lehrer' THEN 'teacher' WHEN 'sekretariat' THEN 'secretary' WHEN 'admins' THEN 'admin' END
				AND (p.leaving_date IS NULL OR p.leaving_date >= ?))
			ELSE (SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id
				WHERE m.group_id = g.id AND (p.leaving_date IS NULL OR p.leaving_date >= ?))
		END
		FROM groups g ORDER BY g.name`, today, today)
	if err != nil {
		return nil, fmt.Errorf("directory: group counts: %w", err)
	}
	defer rows.Close()
	var out []GroupCount
	for rows.Next() {
		var g GroupCount
		if err := rows.Scan(&g.ID, &g.Name, &g.Kind, &g.GIDNumber, &g.Description, &g.Members); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// generation reads the number that grows with every change of groups and
// settings (migration 004).
// versions reads the generation and the people version at once.
func versions(ctx context.Context, q querier) (gen, people int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT value, (SELECT value FROM counters WHERE name = 'people') FROM counters WHERE name = 'generation'`).Scan(&gen, &people)
	if err != nil {
		return 0, 0, fmt.Errorf("directory: generation: %w", err)
	}
	return gen, people, nil
}

func generation(ctx context.Context, q querier) (int64, error) {
	var g int64
	if err := q.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'generation'`).Scan(&g); err != nil {
		return 0, fmt.Errorf("directory: generation: %w", err)
	}
	return g, nil
}

// bumpGeneration makes every process reread groups and settings (after a
// restore put an older database in place).
func bumpGeneration(ctx context.Context, q querier) error {
	_, err := q.ExecContext(ctx, `UPDATE counters SET value = value + 1000003 WHERE name IN ('generation', 'people')`)
	if err != nil {
		return fmt.Errorf("directory: bump generation: %w", err)
	}
	return nil
}

// accountCols reads a person with what an LDAP entry needs besides:
// the explicit group memberships and whether the newest consent record is
// revoked, in one query (a login's searches run it, not three).
const accountCols = personCols + `,
	COALESCE((SELECT group_concat(m.group_id) FROM memberships m WHERE m.person_id = people.id), ''),
	COALESCE((SELECT c.revoked_on IS NOT NULL FROM consents c WHERE c.person_id = people.id ORDER BY c.id DESC LIMIT 1), 0)`

func queryAccounts(ctx context.Context, q querier, where string, args ...any) ([]account, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+accountCols+` FROM people `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("directory: query accounts: %w", err)
	}
	defer rows.Close()
	var out []account
	for rows.Next() {
		var a account
		var changed, locked, created, updated, groups string
		p := &a.person
		err := rows.Scan(&p.ID, &p.Login, &p.FirstName, &p.LastName, &p.Role, &p.UIDNumber, &p.ExternalID,
			&p.PasswordHash, &changed, &p.MustChange, &locked, &p.LockedBy, &p.LockReason,
			&p.LeavingDate, &p.FormerClass, &p.HoldBack, &created, &updated, &groups, &a.revoked)
		if err != nil {
			return nil, fmt.Errorf("directory: read account: %w", err)
		}
		p.PasswordChangedAt, _ = store.ParseTime(changed)
		p.LockedAt, _ = store.ParseTime(locked)
		p.CreatedAt, _ = store.ParseTime(created)
		p.UpdatedAt, _ = store.ParseTime(updated)
		for _, g := range strings.Split(groups, ",") {
			if id, err := strconv.ParseInt(g, 10, 64); err == nil {
				a.groups = append(a.groups, id)
			}
		}
		slices.Sort(a.groups)
		out = append(out, a)
	}
	return out, rows.Err()
}

// account is a person with memberships and consent state, as read by
// queryAccounts.
type account struct {
	person  Person
	groups  []int64
	revoked bool
}
