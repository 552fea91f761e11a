package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// AddressbookAPI is what the address book screen and its settings
// section need from the server.
type AddressbookAPI interface {
	SearchAddressbook(ctx context.Context, q serverapi.AddressbookQuery) (wire.AddressbookPage, error)
	AddressbookEntry(ctx context.Context, login string) (wire.AddressbookEntry, error)
	AddressbookProfile(ctx context.Context) (wire.AddressbookProfile, error)
	SetAddressbookProfile(ctx context.Context, fields []wire.AddressbookFieldEdit) (wire.AddressbookProfile, error)
}

// abPageSize is how many entries a page shows: a class and its teachers
// fit on one.
const abPageSize = 50

// abRoles are the role filters, "" for everybody.
var abRoles = []string{"", wire.RolePupil, wire.RoleTeacher, wire.RoleSecretary, wire.RoleAdmin}

func init() {
	registerTile(tile{key: wire.ModuleAddressbook, title: "addressbook.title", icon: theme.AccountIcon, order: 30, module: true,
		open: func(u *UI) { u.showAddressbook() }})
	settingsSections = append(settingsSections, profileSection)
}

// AddressbookScreen is the school's address book: a search field (a
// name, a class like "3a", or both: "3a anna"), a role filter, and the
// people found with role, class and mail address. Tapping a name shows
// the entry with what that person chose to show (AddressEntryView).
type AddressbookScreen struct {
	Search  *widget.Entry
	Find    *widget.Button
	Role    *widget.Select
	Count   *widget.Label // "12 gefunden"
	Rows    []*AddressRow
	More    *widget.Button // the next page
	Message *widget.Label  // the server's German answer
	Entry   *AddressEntryView

	next    string
	query   serverapi.AddressbookQuery
	list    *fyne.Container
	results *container.Scroll
	content fyne.CanvasObject
	u       *UI
}

// AddressRow is a person in the list; the name is the button.
type AddressRow struct {
	Entry   wire.AddressbookEntry
	Open    *widget.Button
	Role    *widget.Label
	Classes *widget.Label
	Mail    *widget.Label
}

func (u *UI) showAddressbook() {
	s := &AddressbookScreen{u: u}
	s.Search = widget.NewEntry()
	s.Search.SetPlaceHolder(T("addressbook.search_hint"))
	s.Search.OnChanged = func(string) { u.touch() }
	s.Search.OnSubmitted = func(string) { s.search() }
	s.Find = widget.NewButtonWithIcon(T("addressbook.search"), theme.SearchIcon(), s.search)
	s.Find.Importance = widget.HighImportance
	var roles []string
	for _, r := range abRoles {
		roles = append(roles, abRoleFilterName(r))
	}
	s.Role = widget.NewSelect(roles, func(string) { u.touch(); s.search() })
	s.Role.SetSelectedIndex(0)
	s.Count = widget.NewLabel("")
	s.Message = widget.NewLabel("")
	s.Message.Wrapping = fyne.TextWrapWord
	s.More = widget.NewButton(T("addressbook.more"), s.more)
	s.More.Hide()
	s.list = container.NewVBox()

	bold := func(key string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(key, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	head := container.NewGridWithColumns(4, bold(T("addressbook.col.name")), bold(T("addressbook.col.role")),
		bold(T("addressbook.col.class")), bold(T("addressbook.col.mail")))
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(s.Role, s.Find), s.Search)
	s.results = container.NewVScroll(container.NewVBox(head, widget.NewSeparator(), s.list, s.More))
	s.content = container.NewBorder(container.NewVBox(container.NewPadded(bar), container.NewHBox(s.Count, layout.NewSpacer(), s.Message)),
		nil, nil, nil, s.results)
	u.setScreen(wire.ModuleAddressbook, s)
	s.back()
	u.win.Canvas().Focus(s.Search)
	s.search()
}

// back shows the search and the list again.
func (s *AddressbookScreen) back() {
	s.Entry = nil
	s.u.openScreen(T("addressbook.title"), s.content)
}

// search asks for the first page of what is typed and chosen.
func (s *AddressbookScreen) search() {
	if s.Search == nil || s.Role == nil || s.list == nil {
		return // still being built (the role filter's first choice)
	}
	q := serverapi.AddressbookQuery{Text: strings.TrimSpace(s.Search.Text), Limit: abPageSize}
	if i := s.Role.SelectedIndex(); i > 0 {
		q.Role = abRoles[i]
	}
	s.query = q
	s.fetch(q, true)
}

// more asks for the next page.
func (s *AddressbookScreen) more() {
	q := s.query
	q.Cursor = s.next
	s.fetch(q, false)
}

func (s *AddressbookScreen) fetch(q serverapi.AddressbookQuery, fresh bool) {
	u := s.u
	s.Find.Disable()
	var page wire.AddressbookPage
	u.runInSession(func(ctx context.Context) error {
		var err error
		page, err = u.api.SearchAddressbook(ctx, q)
		return err
	}, func(err error) {
		s.Find.Enable()
		if err != nil {
			if calSessionGone(err) {
				u.handle(err)
				return
			}
			s.Message.SetText(calErrorText(err))
			return
		}
		s.Message.SetText("")
		if fresh {
			s.Rows = nil
			s.list.Objects = nil
		}
		for _, e := range page.Entries {
			r := s.row(e)
			s.Rows = append(s.Rows, r)
			s.list.Add(container.NewGridWithColumns(4, r.Open, r.Role, r.Classes, r.Mail))
		}
		if len(s.Rows) == 0 {
			s.Count.SetText(T("addressbook.none"))
		} else {
			s.Count.SetText(T("addressbook.count", "Count", page.Total))
		}
		s.next = page.Next
		if page.Next != "" {
			s.More.Show()
		} else {
			s.More.Hide()
		}
		// The list lays out its new rows, the scroll around it its new height.
		s.list.Refresh()
		s.results.Refresh()
	})
}

func (s *AddressbookScreen) row(e wire.AddressbookEntry) *AddressRow {
	r := &AddressRow{Entry: e}
	r.Open = widget.NewButtonWithIcon(e.Name, theme.AccountIcon(), func() { s.open(e.Login) })
	r.Open.Alignment = widget.ButtonAlignLeading
	r.Role = widget.NewLabel(abRoleName(e))
	r.Classes = widget.NewLabel(strings.Join(e.Classes, ", "))
	r.Classes.Truncation = fyne.TextTruncateEllipsis
	r.Mail = widget.NewLabel(e.Mail)
	r.Mail.Truncation = fyne.TextTruncateEllipsis
	return r
}

// Row returns the row of a login, or nil.
func (s *AddressbookScreen) Row(login string) *AddressRow {
	for _, r := range s.Rows {
		if r.Entry.Login == login {
			return r
		}
	}
	return nil
}

// AddressEntryView shows one person: name, role, classes, mail, and the
// fields they chose to show to the one looking (phone, room, …).
type AddressEntryView struct {
	Name    *widget.Label
	Role    *widget.Label
	Classes *widget.Label
	Mail    *widget.Label
	// Extras are the further fields by key (phone, mobile, room, hours).
	Extras  map[string]*widget.Label
	Nothing *widget.Label // "nothing more" when there are no extras
	Back    *widget.Button
	Entry   wire.AddressbookEntry
}

// open loads a person's entry as the server shows it to the caller.
func (s *AddressbookScreen) open(login string) {
	u := s.u
	var e wire.AddressbookEntry
	u.runInSession(func(ctx context.Context) error {
		var err error
		e, err = u.api.AddressbookEntry(ctx, login)
		return err
	}, func(err error) {
		if err != nil {
			if calSessionGone(err) {
				u.handle(err)
				return
			}
			s.Message.SetText(calErrorText(err))
			return
		}
		s.showEntry(e)
	})
}

func (s *AddressbookScreen) showEntry(e wire.AddressbookEntry) {
	v := &AddressEntryView{Entry: e, Extras: map[string]*widget.Label{}}
	v.Name = widget.NewLabelWithStyle(e.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Name.SizeName = theme.SizeNameSubHeadingText
	v.Role = widget.NewLabel(abRoleName(e))
	v.Classes = widget.NewLabel(strings.Join(e.Classes, ", "))
	v.Mail = widget.NewLabel(e.Mail)
	v.Back = widget.NewButtonWithIcon(T("nav.back"), theme.NavigateBackIcon(), s.back)
	key := func(text string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	}
	form := container.New(layout.NewFormLayout(),
		key(T("addressbook.col.role")), v.Role,
		key(T("addressbook.col.class")), v.Classes,
		key(T("addressbook.col.mail")), v.Mail,
	)
	if len(e.Classes) == 0 {
		v.Classes.SetText("–")
	}
	for _, x := range e.Extras {
		l := widget.NewLabel(x.Value)
		l.Wrapping = fyne.TextWrapWord
		v.Extras[x.Key] = l
		form.Add(key(abFieldLabel(x.Key, x.Label)))
		form.Add(l)
	}
	v.Nothing = widget.NewLabel(T("addressbook.nothing_more"))
	v.Nothing.Wrapping = fyne.TextWrapWord
	if len(e.Extras) > 0 {
		v.Nothing.Hide()
	}
	box := container.NewVBox(v.Name, form, v.Nothing, widget.NewSeparator(), container.NewHBox(v.Back))
	s.Entry = v
	s.u.openScreen(T("addressbook.title"), container.NewVScroll(container.NewPadded(box)))
}

// abRoleName is an entry's role in the chosen language; the server's
// German label for a role the client does not know.
func abRoleName(e wire.AddressbookEntry) string {
	switch e.Role {
	case wire.RolePupil:
		return T("addressbook.roles.pupil")
	case wire.RoleTeacher:
		return T("addressbook.roles.teacher")
	case wire.RoleSecretary:
		return T("addressbook.roles.secretary")
	case wire.RoleAdmin:
		return T("addressbook.roles.admin")
	}
	return e.RoleLabel
}

// abRoleFilterName names a choice of the role filter.
func abRoleFilterName(role string) string {
	switch role {
	case wire.RolePupil:
		return T("addressbook.filter.pupil")
	case wire.RoleTeacher:
		return T("addressbook.filter.teacher")
	case wire.RoleSecretary:
		return T("addressbook.filter.secretary")
	case wire.RoleAdmin:
		return T("addressbook.filter.admin")
	}
	return T("addressbook.filter.all")
}

// abFieldLabel is a field's name in the chosen language; the server's
// German label for a field the client does not know yet.
func abFieldLabel(key, label string) string {
	switch key {
	case "phone":
		return T("addressbook.field.phone")
	case "mobile":
		return T("addressbook.field.mobile")
	case "room":
		return T("addressbook.field.room")
	case "hours":
		return T("addressbook.field.hours")
	}
	return label
}
