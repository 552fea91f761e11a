package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// ForumModeratorsPanel names a forum's moderators: the admins for every
// forum, the teachers of a class for its forum (the server says who may,
// per forum, and the button shows only to them). Who moderates is staff
// who read the forum; the panel offers them from the address book, and a
// login can be typed too (the server checks it and says what it refuses).
type ForumModeratorsPanel struct {
	Back    *widget.Button
	Heading *widget.Label
	Names   []*widget.Label  // the current moderators
	Remove  []*widget.Button // one per moderator
	Who     *widget.SelectEntry
	// Candidates are the people Who offers: "Tina Lehmann (tina.lehmann)".
	Candidates []string
	Add        *widget.Button
	Message    *widget.Label

	Forum wire.Forum

	s       *ForumScreen
	current *fyne.Container
}

// openModerators shows the panel for the chosen forum.
func (s *ForumScreen) openModerators() {
	if s.Forum == nil || !s.Forum.NamesModerators {
		return
	}
	u := s.u
	p := &ForumModeratorsPanel{s: s, Forum: *s.Forum}
	p.Back = widget.NewButtonWithIcon(T("forum.back"), theme.NavigateBackIcon(), func() {
		s.showPane()
		s.loadForum("")
	})
	p.Heading = widget.NewLabelWithStyle(T("forum.mods.title", "Forum", p.Forum.Name), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.Heading.SizeName = theme.SizeNameSubHeadingText
	p.Who = widget.NewSelectEntry(nil)
	p.Who.SetPlaceHolder(T("forum.mods.who_hint"))
	p.Who.OnChanged = func(string) { u.touch() }
	p.Add = widget.NewButtonWithIcon(T("forum.mods.add"), theme.ContentAddIcon(), p.add)
	p.Add.Importance = widget.HighImportance
	p.Message = newMessage()
	p.current = container.NewVBox()
	box := container.NewVBox(
		container.NewHBox(p.Back),
		p.Heading,
		hwWrapped(T("forum.mods.explain")),
		widget.NewLabelWithStyle(T("forum.mods.current"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.current,
		widget.NewSeparator(),
		hwField(T("forum.mods.new"), container.NewBorder(nil, nil, nil, p.Add, p.Who)),
		p.Message,
	)
	p.showCurrent()
	s.Topic, s.Compose, s.Moderators, s.SchoolForum = nil, nil, p, nil
	s.setRight(container.NewVScroll(container.NewPadded(calNarrowed(640, box))))
	p.loadCandidates()
}

// showCurrent lists the moderators, each with a button to take the role
// away.
func (p *ForumModeratorsPanel) showCurrent() {
	p.current.RemoveAll()
	p.Names, p.Remove = nil, nil
	for _, m := range p.Forum.Moderators {
		m := m
		name := widget.NewLabel(m.Name)
		rm := widget.NewButtonWithIcon(T("forum.mods.remove"), theme.ContentRemoveIcon(), func() { p.change(m.Login, m.Name, false) })
		p.Names = append(p.Names, name)
		p.Remove = append(p.Remove, rm)
		p.current.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), rm, name))
	}
	if len(p.Forum.Moderators) == 0 {
		p.current.Add(widget.NewLabelWithStyle(T("forum.mods.nobody"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	p.current.Refresh()
}

// loadCandidates offers the staff who read the forum: a class's teachers
// for its forum, the staff of the roles a school forum is for. Without
// the address book (switched off) the login is typed.
func (p *ForumModeratorsPanel) loadCandidates() {
	f := p.Forum
	var found []wire.AddressbookEntry
	p.s.u.runInSession(func(ctx context.Context) error {
		var queries []serverapi.AddressbookQuery
		if f.Kind == wire.ForumGroup {
			queries = append(queries, serverapi.AddressbookQuery{Class: f.Group, Limit: 200})
		} else {
			for _, r := range []string{wire.RoleTeacher, wire.RoleSecretary, wire.RoleAdmin} {
				if len(f.Roles) == 0 || slices.Contains(f.Roles, r) || r == wire.RoleAdmin {
					queries = append(queries, serverapi.AddressbookQuery{Role: r, Limit: 200})
				}
			}
		}
		for _, q := range queries {
			page, err := p.s.u.api.SearchAddressbook(ctx, q)
			if err != nil {
				return nil // typed logins still work
			}
			for _, e := range page.Entries {
				if e.Role != wire.RolePupil {
					found = append(found, e)
				}
			}
		}
		return nil
	}, func(error) {
		var opts []string
		for _, e := range found {
			if !p.isModerator(e.Login) {
				opts = append(opts, forumCandidate(e.Name, e.Login))
			}
		}
		slices.Sort(opts)
		p.Candidates = slices.Compact(opts)
		p.Who.SetOptions(p.Candidates)
	})
}

func (p *ForumModeratorsPanel) isModerator(login string) bool {
	return slices.ContainsFunc(p.Forum.Moderators, func(m wire.ForumPerson) bool { return m.Login == login })
}

// forumCandidate is how a person stands in the list: "Tina Lehmann
// (tina.lehmann)".
func forumCandidate(name, login string) string { return fmt.Sprintf("%s (%s)", name, login) }

// forumChosenLogin reads the login from a picked entry or a typed login.
func forumChosenLogin(text string) string {
	text = strings.TrimSpace(text)
	if i := strings.LastIndexByte(text, '('); i >= 0 && strings.HasSuffix(text, ")") {
		return strings.TrimSpace(text[i+1 : len(text)-1])
	}
	return strings.ToLower(text)
}

// add names the chosen person.
func (p *ForumModeratorsPanel) add() {
	login := forumChosenLogin(p.Who.Text)
	if login == "" {
		setProblem(p.Message, T("forum.mods.pick"))
		return
	}
	name := strings.TrimSpace(p.Who.Text)
	if i := strings.LastIndexByte(name, '('); i > 0 {
		name = strings.TrimSpace(name[:i])
	}
	p.change(login, name, true)
}

// change names (add) or removes a moderator and shows the forum's
// moderators as the server has them now.
func (p *ForumModeratorsPanel) change(login, name string, add bool) {
	id := p.Forum.ID
	api := p.s.api
	p.Add.Disable()
	var f wire.Forum
	p.s.u.runInSession(func(ctx context.Context) error {
		var err error
		if add {
			err = api.AddForumModerator(ctx, id, login)
		} else {
			err = api.RemoveForumModerator(ctx, id, login)
		}
		if err != nil {
			return err
		}
		f, err = api.Forum(ctx, id)
		return err
	}, func(err error) {
		p.Add.Enable()
		if err != nil {
			forumFail(p.s.u, p.Message, err)
			return
		}
		p.Forum = f
		p.s.Forum = &f
		p.showCurrent()
		if add {
			p.Who.SetText("")
			setInfo(p.Message, T("forum.mods.added", "Name", name, "Forum", f.Name))
		} else {
			setInfo(p.Message, T("forum.mods.removed", "Name", name, "Forum", f.Name))
		}
		p.loadCandidates()
	})
}
