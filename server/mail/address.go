package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// MaxAddresses bounds the addresses of one message (a class or a role
// group counts as one); more is a list, not a message.
const MaxAddresses = 50

// target is one resolved address: a person or a group.
type target struct {
	written Address
	person  *directory.Person
	group   *directory.Group
}

// recipients is the outcome of resolving a message's addresses.
type recipients struct {
	written []Address
	people  []int64 // expanded, without duplicates and without the sender
}

// roleLabels are the German names of the role groups as recipients.
var roleLabels = map[string]string{
	"schueler":    "Alle Schülerinnen und Schüler",
	"lehrer":      "Alle Lehrkräfte",
	"sekretariat": "Sekretariat",
	"admins":      "Administration",
}

// groupAddress is how a group appears as a recipient.
func groupAddress(g directory.Group, domain string) Address {
	a := Address{Address: g.Name + "@" + domain}
	switch g.Kind {
	case directory.KindRole:
		a.Kind, a.Name = RoleAddress, roleLabels[g.Name]
		if a.Name == "" {
			a.Name = g.Description
		}
	case directory.KindClass:
		a.Kind, a.Name = ClassAddress, "Klasse "+g.Name
	default:
		a.Kind, a.Name = GroupAddress, g.Description
		if a.Name == "" {
			a.Name = g.Name
		}
	}
	return a
}

func personAddress(p directory.Person, domain string) Address {
	return Address{Address: p.Login + "@" + domain, Name: p.Name(), Kind: PersonAddress}
}

// localPart checks an address as a person typed it and returns the part
// before the school's domain, lower-cased. "Anna <anna.schmidt@...>" and a
// bare "anna.schmidt" or "3a" are accepted; another domain is refused.
func localPart(raw, domain string) (string, error) {
	a := strings.TrimSpace(raw)
	if i := strings.LastIndexByte(a, '<'); i >= 0 && strings.HasSuffix(a, ">") {
		a = strings.TrimSpace(a[i+1 : len(a)-1])
	}
	a = strings.ToLower(a)
	local, dom, hasAt := strings.Cut(a, "@")
	if hasAt && (dom != domain || strings.Contains(dom, "@")) {
		return "", refuse(Invalid, "to", fmt.Sprintf("Mail geht nur an Adressen der Schule (@%s). „%s“ ist keine.", domain, clip(raw, 80)),
			"external address %q", raw)
	}
	if local == "" || strings.IndexFunc(local, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 || len(local) > 64 {
		return "", refuse(Invalid, "to", fmt.Sprintf("„%s“ ist keine Adresse der Schule.", clip(raw, 80)), "malformed address %q", raw)
	}
	return local, nil
}

// lookup finds what an address names: a person first (logins have a dot
// or digits and rarely look like a group), then a group or class.
func (s *Service) lookup(ctx context.Context, local, raw, domain string) (target, error) {
	p, err := s.dir.Person(ctx, local)
	if err == nil {
		if p.HasLeft(s.now()) {
			return target{}, refuse(Invalid, "to", fmt.Sprintf("%s ist nicht mehr an der Schule.", p.Name()), "%s has left", p.Login)
		}
		return target{written: personAddress(p, domain), person: &p}, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return target{}, fmt.Errorf("mail: look up %q: %w", local, err)
	}
	names := []string{local}
	if c, err := directory.NormalizeClass(local); err == nil && c != local {
		names = append(names, c)
	}
	for _, n := range names {
		g, err := s.dir.GroupNamed(ctx, n)
		if err == nil {
			return target{written: groupAddress(g, domain), group: &g}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return target{}, fmt.Errorf("mail: look up %q: %w", local, err)
		}
	}
	return target{}, refuse(Invalid, "to", fmt.Sprintf("Die Adresse „%s“ gibt es an der Schule nicht.", clip(raw, 80)), "unknown address %q", raw)
}

// resolve turns the addresses of a message into the people who get it,
// enforcing who may write to whom:
//   - anyone may write to single people of the school;
//   - pupils to at most Config.PupilRecipients single people at once, to
//     their own class (and other groups they belong to), never to another
//     class or a whole role ("all pupils", "all teachers": no mass mail);
//   - staff (teachers, the secretary, admins) to anyone, any class and any
//     role group.
//
// Groups are expanded to their current members: people whose leaving date
// has passed are skipped, locked accounts get their mail (it waits for
// them). The sender never gets a copy in the inbox; the sent folder has it.
func (s *Service) resolve(ctx context.Context, me directory.Person, to []string) (recipients, error) {
	var out recipients
	domain, err := s.domain(ctx)
	if err != nil {
		return out, err
	}
	var list []string
	for _, a := range to {
		if strings.TrimSpace(a) != "" {
			list = append(list, a)
		}
	}
	if len(list) == 0 {
		return out, refuse(Invalid, "to", "Bitte gib an, an wen die Nachricht gehen soll.", "no recipient")
	}
	if len(list) > MaxAddresses {
		return out, refuse(Invalid, "to", fmt.Sprintf("Eine Nachricht kann an höchstens %d Adressen gehen.", MaxAddresses), "%d addresses", len(list))
	}
	var mine map[int64]bool // the sender's groups, read when needed
	seen := map[string]bool{}
	var targets []target
	singles := 0
	for _, raw := range list {
		local, err := localPart(raw, domain)
		if err != nil {
			return out, err
		}
		t, err := s.lookup(ctx, local, raw, domain)
		if err != nil {
			return out, err
		}
		if seen[t.written.Address] {
			continue
		}
		seen[t.written.Address] = true
		if t.person != nil {
			singles++
		}
		if me.Role == directory.Pupil && t.group != nil {
			if t.group.Kind == directory.KindRole {
				return out, refuse(Forbidden, "to", fmt.Sprintf("An „%s“ dürfen Kinder nicht schreiben. Schreib an einzelne Personen oder an deine Klasse.", t.written.Name),
					"pupil %s to role group %s", me.Login, t.group.Name)
			}
			if mine == nil {
				groups, err := s.dir.GroupsOfPerson(ctx, me)
				if err != nil {
					return out, fmt.Errorf("mail: groups of %s: %w", me.Login, err)
				}
				mine = map[int64]bool{}
				for _, g := range groups {
					mine[g.ID] = true
				}
			}
			if !mine[t.group.ID] {
				return out, refuse(Forbidden, "to", fmt.Sprintf("Du darfst nur an deine eigene Klasse schreiben, nicht an „%s“.", t.written.Name),
					"pupil %s to foreign group %s", me.Login, t.group.Name)
			}
		}
		targets = append(targets, t)
		out.written = append(out.written, t.written)
	}
	if me.Role == directory.Pupil && singles > s.cfg.PupilRecipients {
		return out, refuse(Invalid, "to", fmt.Sprintf("Du kannst an höchstens %d einzelne Personen auf einmal schreiben.", s.cfg.PupilRecipients),
			"pupil %s to %d people", me.Login, singles)
	}
	got := map[int64]bool{me.ID: true}
	for _, t := range targets {
		if t.person != nil {
			if !got[t.person.ID] {
				got[t.person.ID] = true
				out.people = append(out.people, t.person.ID)
			}
			continue
		}
		members, err := s.dir.CurrentMembers(ctx, *t.group)
		if err != nil {
			return out, fmt.Errorf("mail: members of %s: %w", t.group.Name, err)
		}
		for _, m := range members {
			if !got[m.ID] {
				got[m.ID] = true
				out.people = append(out.people, m.ID)
			}
		}
	}
	if len(out.people) == 0 {
		return out, refuse(Invalid, "to", "Die Nachricht würde niemanden erreichen.", "no recipient after expansion")
	}
	return out, nil
}

// clip shortens s for a message to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
