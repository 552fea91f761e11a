package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// abVisibilities are the choices of who sees a field, in the order
// shown: from "only me" to "everyone".
var abVisibilities = []string{wire.VisibilityHidden, wire.VisibilityStaff, wire.VisibilityAll}

// ProfileSection is the settings' part "what of my data the address book
// shows": a heading, a sentence and a button to the own entry
// (ProfileScreen). The entry opens on its own screen, like the password
// change, rather than loading with the settings: the settings are the
// way to the password change, and a request made just by opening them
// would take the server's one-time answer "your account is locked" away
// from what the person actually does next.
type ProfileSection struct {
	Open *widget.Button
}

// ProfileScreen is the own address book entry: each field the server
// offers (phone, mobile, room, office hours) with its value and who sees
// it. Name, role, class and mail address are in every entry and not the
// person's to choose.
type ProfileScreen struct {
	Values     map[string]*widget.Entry      // by field key
	Visibility map[string]*widget.RadioGroup // by field key; options as abVisibilityName
	Note       *widget.Label                 // for pupils: whether the school allowed it
	Save       *widget.Button
	Back       *widget.Button // to the settings
	Message    *widget.Label  // "saved" or the server's German answer
	Profile    wire.AddressbookProfile

	fields *fyne.Container
	scroll *container.Scroll
	u      *UI
}

// profileSection builds the settings section; nil when the school
// switched the address book off.
func profileSection(u *UI) fyne.CanvasObject {
	if u.sess == nil || !slices.Contains(u.sess.Modules, wire.ModuleAddressbook) {
		return nil
	}
	sec := &ProfileSection{}
	sec.Open = widget.NewButtonWithIcon(T("addressbook.profile.open"), theme.AccountIcon(), u.showProfile)
	intro := widget.NewLabel(T("addressbook.profile.intro"))
	intro.Wrapping = fyne.TextWrapWord
	u.setScreen("settings.addressbook", sec)
	return container.NewVBox(
		widget.NewLabelWithStyle(T("addressbook.profile.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		intro, container.NewHBox(sec.Open))
}

// showProfile opens the own entry and loads it.
func (u *UI) showProfile() {
	p := &ProfileScreen{u: u, Values: map[string]*widget.Entry{}, Visibility: map[string]*widget.RadioGroup{}}
	p.Note = widget.NewLabel("")
	p.Note.Wrapping = fyne.TextWrapWord
	p.Note.Hide()
	p.Message = widget.NewLabel(T("addressbook.profile.loading"))
	p.Message.Wrapping = fyne.TextWrapWord
	p.Save = widget.NewButtonWithIcon(T("addressbook.profile.save"), theme.DocumentSaveIcon(), p.save)
	p.Save.Importance = widget.HighImportance
	p.Save.Disable()
	p.Back = widget.NewButtonWithIcon(T("nav.back"), theme.NavigateBackIcon(), u.showSettings)
	p.fields = container.NewVBox()
	intro := widget.NewLabel(T("addressbook.profile.intro"))
	intro.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(intro, p.Note, p.fields, p.Message, container.NewHBox(p.Save, p.Back))
	u.setScreen("addressbook.profile", p)
	p.scroll = container.NewVScroll(container.NewPadded(calNarrowed(700, box)))
	u.openScreen(T("addressbook.profile.title"), p.scroll)
	p.load()
}

func (p *ProfileScreen) load() {
	var prof wire.AddressbookProfile
	p.u.runInSession(func(ctx context.Context) error {
		var err error
		prof, err = p.u.api.AddressbookProfile(ctx)
		return err
	}, func(err error) {
		if err != nil {
			p.fail(err)
			return
		}
		p.Message.SetText("")
		p.show(prof)
		p.Save.Enable()
	})
}

// show puts a profile into the fields.
func (p *ProfileScreen) show(prof wire.AddressbookProfile) {
	p.Profile = prof
	p.Values = map[string]*widget.Entry{}
	p.Visibility = map[string]*widget.RadioGroup{}
	p.fields.Objects = nil
	var choices []string
	for _, v := range abVisibilities {
		choices = append(choices, abVisibilityName(v))
	}
	for _, f := range prof.Fields {
		e := widget.NewEntry()
		if f.Key == "hours" {
			e = widget.NewMultiLineEntry()
			e.SetMinRowsVisible(3)
		}
		e.SetText(f.Value)
		e.OnChanged = func(string) { p.u.touch() }
		r := widget.NewRadioGroup(choices, func(string) { p.u.touch() })
		r.Horizontal = true
		r.Required = true
		vis := f.Visibility
		if !slices.Contains(abVisibilities, vis) {
			vis = wire.VisibilityHidden
		}
		r.SetSelected(abVisibilityName(vis))
		p.Values[f.Key] = e
		p.Visibility[f.Key] = r
		p.fields.Add(widget.NewLabelWithStyle(abFieldLabel(f.Key, f.Label), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		p.fields.Add(e)
		p.fields.Add(container.NewHBox(widget.NewLabel(T("addressbook.profile.who")), r))
	}
	switch {
	case prof.NeedsAllowance && !prof.Allowed:
		p.Note.SetText(T("addressbook.profile.needs_allowance"))
		p.Note.Show()
	case prof.NeedsAllowance:
		p.Note.SetText(T("addressbook.profile.allowed"))
		p.Note.Show()
	default:
		p.Note.Hide()
	}
	// The fields lay out their rows, the scroll around them its new height.
	p.fields.Refresh()
	p.scroll.Refresh()
}

// Choose sets who sees a field (hidden, staff, all): what a tap on the
// radio button does, by the API's name.
func (p *ProfileScreen) Choose(key, visibility string) {
	if r := p.Visibility[key]; r != nil {
		r.SetSelected(abVisibilityName(visibility))
	}
}

// save sends every field (the API replaces the whole profile).
func (p *ProfileScreen) save() {
	var edits []wire.AddressbookFieldEdit
	for _, f := range p.Profile.Fields {
		vis := wire.VisibilityHidden
		if r := p.Visibility[f.Key]; r != nil {
			for _, v := range abVisibilities {
				if abVisibilityName(v) == r.Selected {
					vis = v
				}
			}
		}
		edits = append(edits, wire.AddressbookFieldEdit{Key: f.Key, Value: p.Values[f.Key].Text, Visibility: vis})
	}
	p.Save.Disable()
	p.Message.SetText("")
	var prof wire.AddressbookProfile
	p.u.runInSession(func(ctx context.Context) error {
		var err error
		prof, err = p.u.api.SetAddressbookProfile(ctx, edits)
		return err
	}, func(err error) {
		p.Save.Enable()
		if err != nil {
			p.fail(err)
			return
		}
		p.show(prof)
		p.Message.SetText(T("addressbook.profile.saved"))
	})
}

func (p *ProfileScreen) fail(err error) {
	if calSessionGone(err) {
		p.u.handle(err)
		return
	}
	p.Message.SetText(calErrorText(err))
}

// abVisibilityName is a choice of who sees a field, as people say it.
func abVisibilityName(v string) string {
	switch v {
	case wire.VisibilityStaff:
		return T("addressbook.vis.staff")
	case wire.VisibilityAll:
		return T("addressbook.vis.all")
	}
	return T("addressbook.vis.hidden")
}
