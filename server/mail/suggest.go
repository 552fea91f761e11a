package mail

import (
	"context"
	"fmt"
	"strings"

	"kaspel/server/directory"
)

// Suggestion is a recipient the picker offers.
type Suggestion struct {
	Address
	// Detail says who it is: "Klasse 3a", "Lehrkraft".
	Detail string
}

// MaxSuggestions bounds the suggestions of one search.
const MaxSuggestions = 50

// Suggest offers recipients for what a person has typed: classes and
// groups whose name or label contains it, then people by name, login or
// class. It offers only what the person may write to: a pupil sees their
// own class (and groups) but no other class and no role group. An empty
// term lists just the groups.
func (s *Service) Suggest(ctx context.Context, me directory.Person, term string, limit int) ([]Suggestion, error) {
	if limit <= 0 || limit > MaxSuggestions {
		limit = 20
	}
	term = strings.TrimSpace(term)
	if i := strings.IndexByte(term, '@'); i >= 0 {
		term = term[:i]
	}
	domain, err := s.domain(ctx)
	if err != nil {
		return nil, err
	}
	var groups []directory.Group
	if me.Role == directory.Pupil {
		groups, err = s.dir.GroupsOfPerson(ctx, me)
	} else {
		groups, err = s.dir.Groups(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("mail: suggest: %w", err)
	}
	low := strings.ToLower(term)
	out := []Suggestion{}
	for _, g := range groups {
		if me.Role == directory.Pupil && g.Kind == directory.KindRole {
			continue
		}
		a := groupAddress(g, domain)
		if low != "" && !strings.Contains(strings.ToLower(g.Name), low) && !strings.Contains(strings.ToLower(a.Name), low) {
			continue
		}
		out = append(out, Suggestion{Address: a, Detail: groupDetail(g)})
		if len(out) == limit {
			return out, nil
		}
	}
	if term == "" {
		return out, nil
	}
	people, err := s.dir.SearchPeople(ctx, term, limit+1)
	if err != nil {
		return nil, fmt.Errorf("mail: suggest: %w", err)
	}
	for _, p := range people {
		if p.ID == me.ID {
			continue
		}
		detail := p.Role.German()
		if len(p.Classes) > 0 {
			if p.Role == directory.Pupil {
				detail = "Klasse " + strings.Join(p.Classes, ", ")
			} else {
				detail += ", " + strings.Join(p.Classes, ", ")
			}
		}
		out = append(out, Suggestion{Address: personAddress(p.Person, domain), Detail: detail})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func groupDetail(g directory.Group) string {
	switch g.Kind {
	case directory.KindRole:
		return "ganze Gruppe"
	case directory.KindClass:
		return "ganze Klasse"
	}
	return "Gruppe"
}
