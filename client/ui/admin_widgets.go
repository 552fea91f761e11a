package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// ConfirmBar asks before a destructive action, right under the button
// that started it. It is part of the screen rather than a dialog: the
// question stays next to what it is about, and tests reach its buttons.
type ConfirmBar struct {
	Question *widget.Label
	Yes      *widget.Button
	No       *widget.Button
	box      *fyne.Container
	action   func()
}

func newConfirmBar() *ConfirmBar {
	c := &ConfirmBar{Question: widget.NewLabel("")}
	c.Question.Wrapping = fyne.TextWrapWord
	c.Question.Importance = widget.WarningImportance
	c.Question.TextStyle.Bold = true
	c.Yes = widget.NewButtonWithIcon("", theme.ConfirmIcon(), func() {
		action := c.action
		c.Hide()
		if action != nil {
			action()
		}
	})
	c.Yes.Importance = widget.DangerImportance
	c.No = widget.NewButtonWithIcon(T("admin.confirm.no"), theme.CancelIcon(), c.Hide)
	c.box = container.NewVBox(c.Question, container.NewHBox(c.Yes, c.No))
	c.box.Hide()
	return c
}

// Ask shows the question; yes is the text of the button that does it
// (naming the action: "Ja, sperren", never just "OK").
func (c *ConfirmBar) Ask(question, yes string, action func()) {
	c.Question.SetText(question)
	c.Yes.SetText(yes)
	c.action = action
	c.box.Show()
}

// Hide takes the question away without doing anything.
func (c *ConfirmBar) Hide() {
	c.action = nil
	c.box.Hide()
}

// Asking reports whether the question is open.
func (c *ConfirmBar) Asking() bool { return c.box.Visible() }

// OneTimeBox shows a one-time password large enough to read out or
// copy, with a button that prints it as a slip. The server hands the
// password out once; the box is the only place it exists.
type OneTimeBox struct {
	Heading  *widget.Label
	Login    *widget.Label
	Password *widget.Label
	Note     *widget.Label
	Print    *widget.Button
	Message  *widget.Label
	otp      wire.OneTimePassword
	box      *fyne.Container
}

func (u *UI) newOneTimeBox() *OneTimeBox {
	b := &OneTimeBox{
		Heading: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		Login:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}),
		Password: widget.NewLabelWithStyle("", fyne.TextAlignLeading,
			fyne.TextStyle{Monospace: true, Bold: true}),
		Note:    widget.NewLabel(T("admin.onetime.note")),
		Message: newMessage(),
	}
	b.Password.SizeName = theme.SizeNameHeadingText
	b.Password.Selectable = true
	b.Login.Selectable = true
	b.Note.Wrapping = fyne.TextWrapWord
	b.Print = widget.NewButtonWithIcon(T("admin.onetime.print"), theme.DocumentPrintIcon(), func() {
		u.printSlips("passwort-"+b.otp.Login+".pdf", []wire.OneTimePassword{b.otp}, b.Message)
	})
	b.Print.Importance = widget.HighImportance
	b.box = container.NewVBox(widget.NewSeparator(), b.Heading, b.Login, b.Password, b.Note,
		container.NewHBox(b.Print), b.Message, widget.NewSeparator())
	b.box.Hide()
	return b
}

// Show puts a new one-time password into the box.
func (b *OneTimeBox) Show(otp wire.OneTimePassword) {
	b.otp = otp
	title := T("admin.onetime.heading", "Name", otp.Name)
	if otp.Class != "" {
		title = T("admin.onetime.heading_class", "Name", otp.Name, "Class", otp.Class)
	}
	b.Heading.SetText(title)
	b.Login.SetText(T("admin.onetime.login", "Login", otp.Login))
	b.Password.SetText(otp.Password)
	clearMessage(b.Message)
	b.box.Show()
}

// Clear forgets the password (another person is shown now).
func (b *OneTimeBox) Clear() {
	b.otp = wire.OneTimePassword{}
	b.Password.SetText("")
	b.Login.SetText("")
	b.Heading.SetText("")
	clearMessage(b.Message)
	b.box.Hide()
}

// Shown is the password the box shows ("" when hidden).
func (b *OneTimeBox) Shown() string {
	if !b.box.Visible() {
		return ""
	}
	return b.otp.Password
}

// newMessage is a screen's line for the server's answers and other
// news; it takes no room while empty.
func newMessage() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setMessage puts text of an importance into a message line.
func setMessage(l *widget.Label, imp widget.Importance, text string) {
	l.Importance = imp
	l.SetText(text)
	showIf(l, text != "")
}

// setInfo shows a success or hint in a message line.
func setInfo(l *widget.Label, text string) { setMessage(l, widget.SuccessImportance, text) }

// setProblem shows what went wrong in a message line.
func setProblem(l *widget.Label, text string) { setMessage(l, widget.DangerImportance, text) }

// setPlain shows neutral text in a message line.
func setPlain(l *widget.Label, text string) { setMessage(l, widget.MediumImportance, text) }

// clearMessage empties a message line.
func clearMessage(l *widget.Label) { setPlain(l, "") }

// report shows the German answer of a failed call where it happened; an
// ended session or a locked account of the person at the keyboard still
// goes back to the login (u.handle).
func (u *UI) report(l *widget.Label, err error) {
	switch serverapi.Code(err) {
	case wire.CodeUnauthenticated, wire.CodeAccountLocked:
		u.handle(err)
		return
	}
	setProblem(l, errorText(err))
}

// errorText is the message of an error for the person.
func errorText(err error) string {
	if errors.Is(err, errLocal) {
		return err.Error()
	}
	return serverapi.Message(err)
}

// isoDate reads a date the way people type it (27.11.2026, 27.11.26 or
// 2026-11-27) into the API's form; "" stays "".
func isoDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{"2006-01-02", "2.1.2006", "2.1.06"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", userError(T("admin.date.invalid", "Text", s))
}

// shownDate is an API date (YYYY-MM-DD) as people read it.
func shownDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return t.Format("02.01.2006")
}

// roles in the order the role pickers show them.
var roles = []string{wire.RolePupil, wire.RoleTeacher, wire.RoleSecretary, wire.RoleAdmin}

// roleName is a role as the admin reads it.
func roleName(role string) string {
	switch role {
	case wire.RolePupil:
		return T("admin.role.pupil")
	case wire.RoleTeacher:
		return T("admin.role.teacher")
	case wire.RoleSecretary:
		return T("admin.role.secretary")
	case wire.RoleAdmin:
		return T("admin.role.admin")
	}
	return role
}

// roleNames are the role pickers' options.
func roleNames() []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = roleName(r)
	}
	return out
}

// roleOf is the role a picker's option names ("" for none).
func roleOf(name string) string {
	for _, r := range roles {
		if roleName(r) == name {
			return r
		}
	}
	return ""
}

// moduleName is a module as the admin reads it.
func moduleName(m string) string {
	switch m {
	case wire.ModuleMail:
		return T("admin.module.mail")
	case wire.ModuleCalendar:
		return T("admin.module.calendar")
	case wire.ModuleAddressbook:
		return T("admin.module.addressbook")
	case wire.ModuleLending:
		return T("admin.module.lending")
	case wire.ModuleHomework:
		return T("admin.module.homework")
	case wire.ModuleForum:
		return T("admin.module.forum")
	case wire.ModuleChat:
		return T("admin.module.chat")
	case wire.ModuleFiles:
		return T("admin.module.files")
	}
	return m
}

// splitClasses reads "3a, 4b" or "3a 4b" into class names.
func splitClasses(s string) []string {
	out := []string{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// personName is "First Last".
func personName(p wire.Person) string {
	return strings.TrimSpace(p.FirstName + " " + p.LastName)
}

// heading is a bold label for a section.
func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
