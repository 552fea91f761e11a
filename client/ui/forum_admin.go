package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// The admins' part of the forum screen: school-wide forums are created,
// changed (name, description, who reads them) and deleted here. A class's
// or group's forum belongs to it and is none of this (the server refuses
// it too). A forum with topics is not deleted: its moderators delete the
// topics first, each post with a reason into the protocol; the server
// decides, and the screen says so beforehand.

// forumRoles are the roles a school forum may be for, in the form's order.
var forumRoles = []string{wire.RolePupil, wire.RoleTeacher, wire.RoleSecretary, wire.RoleAdmin}

// ForumSchoolForm creates a school-wide forum or changes one (admins): a
// name, a short description, and who reads it (nobody ticked: everyone).
type ForumSchoolForm struct {
	Heading     *widget.Label
	Name        *widget.Entry
	Description *widget.Entry
	Roles       map[string]*widget.Check
	Create      *widget.Button // "Forum anlegen", or "Änderung speichern" when changing
	Cancel      *widget.Button
	Message     *widget.Label

	// Forum is the forum being changed; nil for a new one.
	Forum *wire.Forum
}

// isAdmin tells whether the person at the keyboard is an admin.
func (s *ForumScreen) isAdmin() bool {
	return s.u.sess != nil && s.u.sess.User.Role == wire.RoleAdmin
}

// newAdminButtons makes "Forum ändern", "Forum löschen" and the question
// before deleting; they show for admins on a school forum only.
func (s *ForumScreen) newAdminButtons() {
	s.Change = widget.NewButtonWithIcon(T("forum.school.change"), theme.DocumentCreateIcon(), s.openChangeForm)
	s.Delete = widget.NewButtonWithIcon(T("forum.school.delete"), theme.DeleteIcon(), s.askDelete)
	s.DeleteAsk = newConfirmBar()
	s.hideAdminButtons()
}

// showAdminButtons shows the admins' buttons when f is a school forum.
func (s *ForumScreen) showAdminButtons(f wire.Forum) {
	mine := s.isAdmin() && f.Kind == wire.ForumSchool
	showIf(s.Change, mine)
	showIf(s.Delete, mine)
	if !mine {
		s.DeleteAsk.Hide()
	}
}

// hideAdminButtons hides them (no forum, or not the admins' to change).
func (s *ForumScreen) hideAdminButtons() {
	s.Change.Hide()
	s.Delete.Hide()
	s.DeleteAsk.Hide()
}

// openSchoolForm opens the form for a new school forum.
func (s *ForumScreen) openSchoolForm() { s.schoolForm(nil) }

// openChangeForm opens the form filled with the chosen school forum.
func (s *ForumScreen) openChangeForm() {
	if s.Forum == nil || s.Forum.Kind != wire.ForumSchool || !s.isAdmin() {
		return
	}
	f := *s.Forum
	s.schoolForm(&f)
}

// schoolForm shows the form on the right: empty for a new forum, filled
// with edit's name, description and readers to change it.
func (s *ForumScreen) schoolForm(edit *wire.Forum) {
	u := s.u
	f := &ForumSchoolForm{Name: widget.NewEntry(), Description: widget.NewEntry(), Roles: map[string]*widget.Check{}, Message: newMessage(), Forum: edit}
	f.Name.SetPlaceHolder(T("forum.school.name_hint"))
	f.Description.SetPlaceHolder(T("forum.school.description_hint"))
	roles := container.NewHBox()
	for _, r := range forumRoles {
		c := widget.NewCheck(roleName(r), func(bool) { u.touch() })
		f.Roles[r] = c
		roles.Add(c)
	}
	title, save, icon := T("forum.school.new"), T("forum.school.create"), theme.ContentAddIcon()
	if edit != nil {
		title, save, icon = T("forum.school.change_title", "Name", edit.Name), T("forum.school.save"), theme.DocumentSaveIcon()
		f.Name.SetText(edit.Name)
		f.Description.SetText(edit.Description)
		for _, r := range edit.Roles {
			if c := f.Roles[r]; c != nil {
				c.SetChecked(true)
			}
		}
	}
	f.Name.OnChanged = func(string) { u.touch() }
	f.Description.OnChanged = func(string) { u.touch() }
	f.Create = widget.NewButtonWithIcon(save, icon, func() { s.saveSchoolForum(f) })
	f.Create.Importance = widget.HighImportance
	f.Cancel = widget.NewButtonWithIcon(T("forum.cancel"), theme.CancelIcon(), s.showPane)
	f.Heading = widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.Heading.SizeName = theme.SizeNameSubHeadingText
	f.Heading.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(f.Heading,
		hwField(T("forum.school.name"), f.Name),
		hwField(T("forum.school.description"), f.Description),
		hwField(T("forum.school.roles"), roles),
		hwWrapped(T("forum.school.roles_hint")),
		f.Message, container.NewHBox(f.Create, f.Cancel))
	s.Topic, s.Compose, s.Moderators, s.SchoolForum = nil, nil, nil, f
	s.setRight(container.NewVScroll(container.NewPadded(calNarrowed(640, box))))
	u.win.Canvas().Focus(f.Name)
}

// input is what the form says, as the API takes it.
func (f *ForumSchoolForm) input() wire.ForumSchoolForum {
	in := wire.ForumSchoolForum{Name: strings.TrimSpace(f.Name.Text), Description: strings.TrimSpace(f.Description.Text)}
	for _, r := range forumRoles {
		if f.Roles[r].Checked {
			in.Roles = append(in.Roles, r)
		}
	}
	return in
}

// saveSchoolForum creates the forum or saves the change. The server
// checks the name (not empty, not taken) and says what it refuses in the
// form, which keeps what was typed.
func (s *ForumScreen) saveSchoolForum(f *ForumSchoolForm) {
	in := f.input()
	var id int64
	if f.Forum != nil {
		id = f.Forum.ID
	}
	clearMessage(f.Message)
	f.Create.Disable()
	var saved wire.Forum
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		if id == 0 {
			saved, err = s.api.CreateSchoolForum(ctx, in)
		} else {
			saved, err = s.api.UpdateSchoolForum(ctx, id, in)
		}
		return err
	}, func(err error) {
		f.Create.Enable()
		if s.u.hwShown() != s.content {
			return // the person left the forums meanwhile; they load anew
		}
		if err != nil {
			forumFail(s.u, f.Message, err)
			return
		}
		if s.SchoolForum != f {
			s.refreshForums() // cancelled meanwhile: saved all the same
			return
		}
		note := T("forum.school.created", "Name", saved.Name)
		if id != 0 {
			note = T("forum.school.changed", "Name", saved.Name)
		}
		s.loadForums(saved.ID, note)
	})
}

// refreshForums loads the list anew and shows it, and the chosen forum's
// name and description, without leaving what is open on the right.
func (s *ForumScreen) refreshForums() {
	var list []wire.Forum
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		list, err = s.api.Forums(ctx, s.isAdmin())
		return err
	}, func(err error) {
		if err != nil || s.u.hwShown() != s.content {
			return // the list stays as it was; Neu laden tries again
		}
		s.forums = list
		if s.Forum != nil {
			if i := slices.IndexFunc(list, func(o wire.Forum) bool { return o.ID == s.Forum.ID }); i >= 0 {
				f := list[i]
				f.Moderators = s.Forum.Moderators
				s.Forum = &f
				s.Heading.SetText(f.Name)
				s.Info.SetText(f.Description)
				showIf(s.Info, f.Description != "")
			}
		}
		s.layoutForums()
	})
}

// askDelete asks before deleting the chosen school forum. When it still
// has topics the question says that the moderators delete them first;
// the server decides all the same (someone may have deleted them
// meanwhile).
func (s *ForumScreen) askDelete() {
	if s.Forum == nil || s.Forum.Kind != wire.ForumSchool || !s.isAdmin() {
		return
	}
	s.u.touch()
	f := *s.Forum
	topics := max(f.Topics, len(s.Topics))
	question := T("forum.school.delete_question", "Name", f.Name)
	if topics > 0 {
		question = T("forum.school.delete_question_topics", "Name", f.Name, "Count", topics)
	}
	clearMessage(s.Message)
	s.DeleteAsk.Ask(question, T("forum.school.delete_yes"), func() { s.deleteSchoolForum(f) })
}

// deleteSchoolForum deletes a school forum; then the next forum in the
// list is shown (or the one before, or that there is none). A refusal
// (409: it still has topics) shows the server's words under the buttons.
func (s *ForumScreen) deleteSchoolForum(f wire.Forum) {
	s.Delete.Disable()
	s.u.runInSession(func(ctx context.Context) error { return s.api.DeleteSchoolForum(ctx, f.ID) }, func(err error) {
		s.Delete.Enable()
		if s.u.hwShown() != s.content {
			return // the person left the forums meanwhile; they load anew
		}
		if err != nil {
			forumFail(s.u, s.Message, err)
			return
		}
		pick := int64(-1) // none: the first forum
		if s.Forum != nil && s.Forum.ID != f.ID {
			pick = s.Forum.ID // another forum was chosen meanwhile: it stays
		} else if i := slices.IndexFunc(s.forums, func(o wire.Forum) bool { return o.ID == f.ID }); i >= 0 {
			if i+1 < len(s.forums) {
				pick = s.forums[i+1].ID
			} else if i > 0 {
				pick = s.forums[i-1].ID
			}
		}
		s.loadForums(pick, T("forum.school.deleted", "Name", f.Name))
	})
}
