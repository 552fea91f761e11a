package directory

// Reads the mail module needs: it resolves addresses to people and groups,
// expands a class or role group to its current members and suggests
// recipients while a person types. The mail module never queries the
// directory's tables itself; these are its way in.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"kaspel/server/store"
)

// GroupNamed returns the group (role group, class or other group) with
// that name, case-insensitively; store.ErrNotFound if there is none.
func (d *Directory) GroupNamed(ctx context.Context, name string) (Group, error) {
	return groupByName(ctx, d.db.R, name)
}

// GroupsOfPerson lists the groups a person belongs to: the role group
// first, then classes and other groups by name.
func (d *Directory) GroupsOfPerson(ctx context.Context, p Person) ([]Group, error) {
	return d.groupsOfPerson(ctx, d.db.R, p)
}

// CurrentMembers lists the members of a group who have not left the school
// (their leaving date has not passed), in id order. A role group's members
// are the people of the role. Locked accounts are members: mail waits for
// them until they are unlocked.
func (d *Directory) CurrentMembers(ctx context.Context, g Group) ([]Person, error) {
	today := d.now().Format(store.DateFormat)
	current := `(leaving_date IS NULL OR leaving_date >= ?)`
	if g.Kind == KindRole {
		role := roleOfGroup(g.Name)
		if role == "" {
			return nil, fmt.Errorf("directory: %q is no role group", g.Name)
		}
		return queryPeople(ctx, d.db.R, `WHERE role = ? AND `+current+` ORDER BY id`, role, today)
	}
	return queryPeople(ctx, d.db.R, `WHERE id IN (SELECT person_id FROM memberships WHERE group_id = ?) AND `+current+` ORDER BY id`, g.ID, today)
}

// SearchPeople finds people who have not left the school by a part of
// their login, first name, last name or "first last", or by the name of a
// class they are in, for a recipient picker. Results come in German name
// order with their classes; at most limit of them.
func (d *Directory) SearchPeople(ctx context.Context, term string, limit int) ([]Listed, error) {
	term = strings.TrimSpace(term)
	if term == "" || limit <= 0 {
		return nil, nil
	}
	like := "%" + escapeLike(strings.ToLower(term)) + "%"
	today := d.now().Format(store.DateFormat)
	people, err := queryPeople(ctx, d.db.R, `WHERE (leaving_date IS NULL OR leaving_date >= ?) AND (
			lower(login) LIKE ? ESCAPE '\' OR lower(first_name) LIKE ? ESCAPE '\' OR lower(last_name) LIKE ? ESCAPE '\'
			OR lower(first_name || ' ' || last_name) LIKE ? ESCAPE '\'
			OR id IN (SELECT m.person_id FROM memberships m JOIN groups g ON g.id = m.group_id
				WHERE g.kind = 'class' AND g.name = ?))
		ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE LIMIT ?`,
		today, like, like, like, like, strings.ToLower(term), limit)
	if err != nil {
		return nil, err
	}
	if len(people) == 0 {
		return nil, nil
	}
	groups, err := queryGroups(ctx, d.db.R, "WHERE kind = 'class'")
	if err != nil {
		return nil, err
	}
	classes := map[int64]string{}
	for _, g := range groups {
		classes[g.ID] = g.Name
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
			if name, ok := classes[gid]; ok {
				out[i].Classes = append(out[i].Classes, name)
			}
		}
		sort.Strings(out[i].Classes)
	}
	col := collate.New(language.German, collate.IgnoreCase)
	sort.SliceStable(out, func(i, j int) bool {
		if c := col.CompareString(out[i].LastName, out[j].LastName); c != 0 {
			return c < 0
		}
		return col.CompareString(out[i].FirstName, out[j].FirstName) < 0
	})
	return out, nil
}

// escapeLike escapes the wildcards of LIKE, so that "a_b" finds "a_b" only.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
