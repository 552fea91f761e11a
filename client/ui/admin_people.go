package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// PeopleTab finds people: a search field that filters as one types (name,
// login or class), and filters the server applies (class, role, leavers
// included). Choosing a person opens the detail view in place; "Neue
// Person" opens the form. Both have a way back to the list.
type PeopleTab struct {
	Search  *widget.Entry
	Class   *widget.Select
	Role    *widget.Select
	Leavers *widget.Check
	New     *widget.Button
	List    *widget.List
	Count   *widget.Label
	Message *widget.Label

	Detail *PersonDetail  // the open person; nil while the list shows
	Create *NewPersonForm // the open form; nil while the list shows

	u       *UI
	people  []wire.Person // as the server listed them
	shown   []wire.Person // after the search
	stale   bool          // something changed the people since the last load
	view    *fyne.Container
	list    fyne.CanvasObject
	content fyne.CanvasObject
}

func (u *UI) newPeopleTab() *PeopleTab {
	p := &PeopleTab{u: u, Count: widget.NewLabel(""), Message: newMessage()}
	p.Search = widget.NewEntry()
	p.Search.SetPlaceHolder(T("admin.people.search"))
	p.Search.OnChanged = func(string) { u.touch(); p.filter() }
	p.Class = widget.NewSelect([]string{T("admin.people.all_classes")}, func(string) { p.load() })
	p.Class.PlaceHolder = T("admin.people.all_classes")
	p.Role = widget.NewSelect(append([]string{T("admin.people.all_roles")}, roleNames()...), func(string) { p.load() })
	p.Role.PlaceHolder = T("admin.people.all_roles")
	p.Leavers = widget.NewCheck(T("admin.people.leavers"), func(bool) { p.load() })
	p.New = widget.NewButtonWithIcon(T("admin.people.new"), theme.ContentAddIcon(), p.openCreate)
	p.New.Importance = widget.HighImportance
	p.List = widget.NewList(
		func() int { return len(p.shown) },
		func() fyne.CanvasObject {
			// Two aligned columns: the name, then login, role, class, state.
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			info := widget.NewLabel("")
			info.Truncation = fyne.TextTruncateEllipsis
			return container.NewGridWithColumns(2, name, info)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(p.shown) {
				return
			}
			row := o.(*fyne.Container)
			per := p.shown[id]
			row.Objects[0].(*widget.Label).SetText(per.LastName + ", " + per.FirstName)
			row.Objects[1].(*widget.Label).SetText(personLine(per))
		})
	p.List.OnSelected = func(id widget.ListItemID) {
		p.List.UnselectAll()
		if id < len(p.shown) {
			p.openPerson(p.shown[id].Login)
		}
	}
	filters := container.NewGridWithColumns(3, p.Class, p.Role, p.Leavers)
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, p.New, p.Search),
		filters,
		container.NewBorder(nil, nil, nil, nil, p.Count),
		p.Message,
	)
	p.list = container.NewBorder(top, nil, nil, nil, p.List)
	p.view = container.NewStack(p.list)
	p.content = container.NewPadded(p.view)
	return p
}

// personLine is the list's second column: login, role, class, state.
func personLine(p wire.Person) string {
	parts := []string{p.Login, roleName(p.Role)}
	if len(p.Classes) > 0 {
		parts = append(parts, strings.Join(p.Classes, ", "))
	}
	if p.Locked {
		parts = append(parts, T("admin.people.locked"))
	}
	if p.LeavingDate != "" {
		parts = append(parts, T("admin.people.leaving", "Date", shownDate(p.LeavingDate)))
	}
	if p.MustChange {
		parts = append(parts, T("admin.people.must_change"))
	}
	return strings.Join(parts, " · ")
}

// query is what the filters ask the server for.
func (p *PeopleTab) query() serverapi.PeopleQuery {
	q := serverapi.PeopleQuery{All: p.Leavers.Checked}
	if c := p.Class.Selected; c != "" && c != T("admin.people.all_classes") {
		q.Class = c
	}
	q.Role = roleOf(p.Role.Selected)
	return q
}

// load asks the server for the people the filters select, and for the
// classes the class filter offers.
func (p *PeopleTab) load() {
	u := p.u
	q := p.query()
	var people []wire.Person
	var groups []wire.Group
	u.run(func(ctx context.Context) error {
		var err error
		if people, err = u.api.People(ctx, q); err != nil {
			return err
		}
		groups, err = u.api.Groups(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.report(p.Message, err)
			return
		}
		clearMessage(p.Message)
		p.stale = false
		p.people = people
		options := []string{T("admin.people.all_classes")}
		for _, g := range groups {
			if g.Kind == "class" {
				options = append(options, g.Name)
			}
		}
		p.Class.Options = options
		p.Class.Refresh()
		p.filter()
	})
}

// filter applies the search words: every word must appear in the name,
// login or class.
func (p *PeopleTab) filter() {
	words := strings.Fields(strings.ToLower(p.Search.Text))
	p.shown = p.shown[:0]
	for _, per := range p.people {
		hay := strings.ToLower(per.FirstName + " " + per.LastName + " " + per.Login + " " + strings.Join(per.Classes, " "))
		match := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				match = false
				break
			}
		}
		if match {
			p.shown = append(p.shown, per)
		}
	}
	p.Count.SetText(T("admin.people.count", "Shown", len(p.shown), "Total", len(p.people)))
	p.List.Refresh()
}

// Shown lists the logins the list shows now, in order.
func (p *PeopleTab) Shown() []string {
	out := make([]string, len(p.shown))
	for i, per := range p.shown {
		out[i] = per.Login
	}
	return out
}

// openPerson shows one person's detail view.
func (p *PeopleTab) openPerson(login string) {
	p.Create = nil
	p.Detail = p.u.newPersonDetail(p, login)
	p.show(p.Detail.content)
	p.Detail.load()
}

// openCreate shows the form for a new account.
func (p *PeopleTab) openCreate() {
	p.Detail = nil
	p.Create = p.u.newPersonForm(p)
	p.show(p.Create.content)
	p.u.win.Canvas().Focus(p.Create.FirstName)
}

// back returns to the list, reloading it when something changed.
func (p *PeopleTab) back() {
	p.Detail = nil
	p.Create = nil
	p.show(p.list)
	if p.stale {
		p.load()
	}
}

func (p *PeopleTab) show(o fyne.CanvasObject) {
	p.u.touch()
	p.view.Objects = []fyne.CanvasObject{o}
	p.view.Refresh()
}
