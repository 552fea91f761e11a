package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// NewPersonForm creates an account. The server makes the login from the
// names and answers a one-time password, which shows here once (with a
// button to print the slip); the form is empty again for the next one.
type NewPersonForm struct {
	Back       *widget.Button
	FirstName  *widget.Entry
	LastName   *widget.Entry
	Role       *widget.Select
	Class      *widget.SelectEntry
	ExternalID *widget.Entry
	Create     *widget.Button
	Message    *widget.Label
	OneTime    *OneTimeBox
	OpenPerson *widget.Button // to the new account's detail view

	u       *UI
	tab     *PeopleTab
	created string // the login made last
	content fyne.CanvasObject
}

func (u *UI) newPersonForm(tab *PeopleTab) *NewPersonForm {
	f := &NewPersonForm{u: u, tab: tab,
		FirstName: widget.NewEntry(), LastName: widget.NewEntry(), ExternalID: widget.NewEntry(),
		Message: newMessage(), OneTime: u.newOneTimeBox(),
	}
	f.Back = widget.NewButtonWithIcon(T("admin.back"), theme.NavigateBackIcon(), tab.back)
	f.Role = widget.NewSelect(roleNames(), nil)
	f.Role.SetSelected(roleName(wire.RolePupil))
	var classes []string
	if len(tab.Class.Options) > 1 {
		classes = append(classes, tab.Class.Options[1:]...)
	}
	f.Class = widget.NewSelectEntry(classes)
	f.Class.SetPlaceHolder(T("admin.person.classes_hint"))
	f.ExternalID.SetPlaceHolder(T("admin.create.external_id_hint"))
	f.Create = widget.NewButtonWithIcon(T("admin.create.submit"), theme.ContentAddIcon(), f.submit)
	f.Create.Importance = widget.HighImportance
	f.LastName.OnSubmitted = func(string) { f.submit() }
	f.OpenPerson = widget.NewButtonWithIcon(T("admin.create.open"), theme.AccountIcon(), func() {
		if f.created != "" {
			tab.openPerson(f.created)
		}
	})
	f.OpenPerson.Hide()
	form := widget.NewForm(
		widget.NewFormItem(T("admin.person.first_name"), f.FirstName),
		widget.NewFormItem(T("admin.person.last_name"), f.LastName),
		widget.NewFormItem(T("admin.person.role"), f.Role),
		widget.NewFormItem(T("admin.person.classes"), f.Class),
		widget.NewFormItem(T("admin.create.external_id"), f.ExternalID),
	)
	f.content = adminPanel(
		container.NewHBox(f.Back),
		heading(T("admin.create.title")),
		form,
		container.NewHBox(f.Create),
		f.Message,
		f.OneTime.box,
		container.NewHBox(f.OpenPerson),
	)
	return f
}

func (f *NewPersonForm) submit() {
	u := f.u
	u.touch()
	np := wire.NewPerson{
		FirstName:  strings.TrimSpace(f.FirstName.Text),
		LastName:   strings.TrimSpace(f.LastName.Text),
		Role:       roleOf(f.Role.Selected),
		Classes:    splitClasses(f.Class.Text),
		ExternalID: strings.TrimSpace(f.ExternalID.Text),
	}
	if np.FirstName == "" || np.LastName == "" {
		setProblem(f.Message, T("admin.create.names_missing"))
		return
	}
	if np.Role == "" {
		setProblem(f.Message, T("admin.create.role_missing"))
		return
	}
	if len(np.Classes) == 0 {
		np.Classes = nil
	}
	f.Create.Disable()
	f.OneTime.Clear()
	f.OpenPerson.Hide()
	var otp wire.OneTimePassword
	u.run(func(ctx context.Context) error {
		var err error
		otp, err = u.api.AddPerson(ctx, np)
		return err
	}, func(err error) {
		f.Create.Enable()
		if err != nil {
			u.report(f.Message, err)
			return
		}
		f.tab.stale = true
		f.created = otp.Login
		setInfo(f.Message, T("admin.create.done", "Name", otp.Name, "Login", otp.Login))
		f.OneTime.Show(otp)
		f.OpenPerson.Show()
		// Ready for the next one; role and class stay (often a whole class).
		f.FirstName.SetText("")
		f.LastName.SetText("")
		f.ExternalID.SetText("")
		u.win.Canvas().Focus(f.FirstName)
	})
}
