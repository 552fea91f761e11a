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

// Rights an admin can grant beyond the role (as the server names them).
const (
	rightProtocol = "protocol"
	rightCalendar = "calendar"
)

// PersonDetail is one account with everything an admin does to it, in
// the order it is needed: a new password first (the most frequent job),
// then the names and class, the lock, the consent and the rights. Every
// answer of the server shows in Message at the top; the person's state
// is drawn anew from each answer.
type PersonDetail struct {
	Back    *widget.Button
	Heading *widget.Label
	Info    *widget.Label // login, role, classes, mail
	Status  *widget.Label // locked, leaving, must change
	Message *widget.Label

	Reset        *widget.Button
	ResetConfirm *ConfirmBar
	OneTime      *OneTimeBox

	FirstName   *widget.Entry
	LastName    *widget.Entry
	Role        *widget.Select
	Classes     *widget.Entry
	LeavingDate *widget.Entry
	HoldBack    *widget.Check
	Save        *widget.Button

	LockReason  *widget.Entry
	Lock        *widget.Button
	LockConfirm *ConfirmBar
	Unlock      *widget.Button

	ConsentStatus *widget.Label
	Guardian      *widget.Entry
	SignedOn      *widget.Entry
	RecordConsent *widget.Button
	RevokedOn     *widget.Entry
	RevokeConsent *widget.Button
	RevokeConfirm *ConfirmBar

	RightProtocol *widget.Check
	RightCalendar *widget.Check

	u        *UI
	tab      *PeopleTab
	login    string
	person   wire.Person
	loaded   bool
	filling  bool // the checks are being set from the server's answer
	sections *fyne.Container
	lockBox  *fyne.Container
	unlock   *fyne.Container
	consent  *widget.Card
	holdRow  *fyne.Container
	content  fyne.CanvasObject
}

func (u *UI) newPersonDetail(tab *PeopleTab, login string) *PersonDetail {
	d := &PersonDetail{u: u, tab: tab, login: login,
		Heading:       widget.NewLabelWithStyle(login, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		Info:          widget.NewLabel(""),
		Status:        newMessage(),
		Message:       newMessage(),
		ResetConfirm:  newConfirmBar(),
		LockConfirm:   newConfirmBar(),
		RevokeConfirm: newConfirmBar(),
		OneTime:       u.newOneTimeBox(),
		FirstName:     widget.NewEntry(),
		LastName:      widget.NewEntry(),
		Classes:       widget.NewEntry(),
		LeavingDate:   widget.NewEntry(),
		LockReason:    widget.NewEntry(),
		ConsentStatus: newMessage(),
		Guardian:      widget.NewEntry(),
		SignedOn:      widget.NewEntry(),
		RevokedOn:     widget.NewEntry(),
	}
	d.Heading.SizeName = theme.SizeNameSubHeadingText
	d.Info.Wrapping = fyne.TextWrapWord
	d.Back = widget.NewButtonWithIcon(T("admin.back"), theme.NavigateBackIcon(), tab.back)

	d.Reset = widget.NewButtonWithIcon(T("admin.person.reset"), theme.ViewRefreshIcon(), d.askReset)
	d.Reset.Importance = widget.HighImportance

	d.Role = widget.NewSelect(roleNames(), nil)
	d.Classes.SetPlaceHolder(T("admin.person.classes_hint"))
	d.LeavingDate.SetPlaceHolder(T("admin.date.hint_empty"))
	d.HoldBack = widget.NewCheck(T("admin.person.hold_back"), nil)
	d.Save = widget.NewButtonWithIcon(T("admin.person.save"), theme.DocumentSaveIcon(), d.save)
	form := widget.NewForm(
		widget.NewFormItem(T("admin.person.first_name"), d.FirstName),
		widget.NewFormItem(T("admin.person.last_name"), d.LastName),
		widget.NewFormItem(T("admin.person.role"), d.Role),
		widget.NewFormItem(T("admin.person.classes"), d.Classes),
		widget.NewFormItem(T("admin.person.leaving_date"), d.u.datePick(d.LeavingDate).object()),
	)
	d.holdRow = container.NewVBox(d.HoldBack)
	edit := widget.NewCard(T("admin.person.edit"), "", container.NewVBox(form, d.holdRow, container.NewHBox(d.Save)))

	d.LockReason.SetPlaceHolder(T("admin.person.lock_reason_hint"))
	d.LockReason.OnSubmitted = func(string) { d.askLock() }
	d.Lock = widget.NewButtonWithIcon(T("admin.person.lock"), theme.VisibilityOffIcon(), d.askLock)
	d.Lock.Importance = widget.WarningImportance
	d.Unlock = widget.NewButtonWithIcon(T("admin.person.unlock"), theme.VisibilityIcon(), d.unlockNow)
	d.lockBox = container.NewVBox(widget.NewLabel(T("admin.person.lock_reason")), d.LockReason,
		container.NewHBox(d.Lock), d.LockConfirm.box)
	d.unlock = container.NewVBox(container.NewHBox(d.Unlock))
	lock := widget.NewCard(T("admin.person.lock_title"), "", container.NewVBox(d.lockBox, d.unlock))

	d.Guardian.SetPlaceHolder(T("admin.person.guardian_hint"))
	d.SignedOn.SetPlaceHolder(T("admin.date.hint"))
	d.RevokedOn.SetPlaceHolder(T("admin.date.hint"))
	d.RecordConsent = widget.NewButtonWithIcon(T("admin.person.consent_record"), theme.ConfirmIcon(), d.recordConsent)
	d.RevokeConsent = widget.NewButtonWithIcon(T("admin.person.consent_revoke"), theme.CancelIcon(), d.askRevoke)
	d.RevokeConsent.Importance = widget.WarningImportance
	d.consent = widget.NewCard(T("admin.person.consent_title"), "", container.NewVBox(
		d.ConsentStatus,
		widget.NewForm(
			widget.NewFormItem(T("admin.person.guardian"), d.Guardian),
			widget.NewFormItem(T("admin.person.signed_on"), d.SignedOn),
		),
		container.NewHBox(d.RecordConsent),
		widget.NewSeparator(),
		widget.NewForm(widget.NewFormItem(T("admin.person.revoked_on"), d.RevokedOn)),
		container.NewHBox(d.RevokeConsent),
		d.RevokeConfirm.box,
	))

	d.RightProtocol = widget.NewCheck(T("admin.person.right_protocol"), func(on bool) { d.setRight(rightProtocol, on) })
	d.RightCalendar = widget.NewCheck(T("admin.person.right_calendar"), func(on bool) { d.setRight(rightCalendar, on) })
	rights := widget.NewCard(T("admin.person.rights_title"), "", container.NewVBox(d.RightProtocol, d.RightCalendar))

	password := widget.NewCard(T("admin.person.password_title"), "", container.NewVBox(
		container.NewHBox(d.Reset), d.ResetConfirm.box, d.OneTime.box))

	d.sections = container.NewVBox(password, edit, lock, d.consent, rights)
	d.sections.Hide() // until the server answered
	top := container.NewVBox(container.NewHBox(d.Back), d.Heading, d.Info, d.Status, d.Message)
	d.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(d.sections))
	return d
}

// load fetches the person (with consent and rights, which the list lacks).
func (d *PersonDetail) load() {
	u := d.u
	var p wire.Person
	u.run(func(ctx context.Context) error {
		var err error
		p, err = u.api.Person(ctx, d.login)
		return err
	}, func(err error) {
		if err != nil {
			u.report(d.Message, err)
			return
		}
		d.fill(p)
		d.sections.Show()
	})
}

// fill draws the person as the server answered.
func (d *PersonDetail) fill(p wire.Person) {
	d.person = p
	d.loaded = true
	d.filling = true
	defer func() { d.filling = false }()
	d.Heading.SetText(personName(p))
	info := []string{T("admin.person.login", "Login", p.Login), roleName(p.Role)}
	if len(p.Classes) > 0 {
		info = append(info, T("admin.person.class_list", "Classes", strings.Join(p.Classes, ", ")))
	}
	if p.Mail != "" {
		info = append(info, p.Mail)
	}
	if p.ExternalID != "" {
		info = append(info, T("admin.person.external_id", "ID", p.ExternalID))
	}
	d.Info.SetText(strings.Join(info, " · "))

	var status []string
	if p.Locked {
		at := ""
		if !p.LockedAt.IsZero() {
			at = p.LockedAt.Local().Format("02.01.2006 15:04")
		}
		status = append(status, T("admin.person.locked_status", "Reason", p.LockReason, "By", p.LockedBy, "At", at))
	}
	if p.LeavingDate != "" {
		status = append(status, T("admin.person.leaving_status", "Date", shownDate(p.LeavingDate)))
	}
	if p.Consent != nil && p.Consent.RevokedOn != "" {
		status = append(status, T("admin.person.consent_revoked_status"))
	}
	// What keeps the person out is red; a pending password change is not.
	blocked := len(status) > 0
	if p.MustChange {
		status = append(status, T("admin.person.must_change_status"))
	}
	switch {
	case blocked:
		setProblem(d.Status, strings.Join(status, "\n"))
	case len(status) > 0:
		setPlain(d.Status, strings.Join(status, "\n"))
	default:
		setInfo(d.Status, T("admin.person.active_status"))
	}

	d.FirstName.SetText(p.FirstName)
	d.LastName.SetText(p.LastName)
	d.Role.SetSelected(roleName(p.Role))
	d.Classes.SetText(strings.Join(p.Classes, ", "))
	d.LeavingDate.SetText(shownDate(p.LeavingDate))
	d.HoldBack.SetChecked(p.HoldBack)
	pupil := p.Role == wire.RolePupil
	if pupil {
		d.holdRow.Show()
		d.consent.Show()
	} else {
		d.holdRow.Hide()
		d.consent.Hide()
	}

	if p.Locked {
		d.lockBox.Hide()
		d.unlock.Show()
	} else {
		d.LockReason.SetText("")
		d.lockBox.Show()
		d.unlock.Hide()
	}

	today := d.u.opts.Now().Format("02.01.2006")
	switch {
	case p.Consent == nil:
		setPlain(d.ConsentStatus, T("admin.person.consent_none"))
	case p.Consent.RevokedOn != "":
		setProblem(d.ConsentStatus, T("admin.person.consent_revoked", "Guardian", p.Consent.Guardian,
			"Signed", shownDate(p.Consent.SignedOn), "Revoked", shownDate(p.Consent.RevokedOn)))
	default:
		setInfo(d.ConsentStatus, T("admin.person.consent_signed", "Guardian", p.Consent.Guardian,
			"Signed", shownDate(p.Consent.SignedOn)))
	}
	// A revocation needs no signature on record (the parents may say no
	// before the form was filed); only a second one makes no sense.
	if p.Consent != nil && p.Consent.RevokedOn != "" {
		d.RevokeConsent.Disable()
	} else {
		d.RevokeConsent.Enable()
	}
	d.Guardian.SetText("")
	d.SignedOn.SetText(today)
	d.RevokedOn.SetText(today)

	d.RightProtocol.SetChecked(slices.Contains(p.Rights, rightProtocol))
	d.RightCalendar.SetChecked(slices.Contains(p.Rights, rightCalendar))
}

// done handles the answer of an action that returns the person.
func (d *PersonDetail) done(p wire.Person, err error, success string) {
	if err != nil {
		d.u.report(d.Message, err)
		return
	}
	d.tab.stale = true
	d.fill(p)
	setInfo(d.Message, success)
}

func (d *PersonDetail) askReset() {
	d.u.touch()
	d.ResetConfirm.Ask(T("admin.person.reset_confirm", "Name", personName(d.person)), T("admin.person.reset_yes"), d.reset)
}

func (d *PersonDetail) reset() {
	u := d.u
	d.OneTime.Clear()
	var otp wire.OneTimePassword
	u.run(func(ctx context.Context) error {
		var err error
		otp, err = u.api.ResetPassword(ctx, d.login)
		return err
	}, func(err error) {
		if err != nil {
			u.report(d.Message, err)
			return
		}
		d.tab.stale = true
		d.person.MustChange = true
		d.OneTime.Show(otp)
		setInfo(d.Message, T("admin.person.reset_done"))
	})
}

// save sends what the admin changed in the form, and only that.
func (d *PersonDetail) save() {
	u := d.u
	u.touch()
	p := d.person
	var e wire.PersonEdit
	changed := false
	if v := strings.TrimSpace(d.FirstName.Text); v != p.FirstName {
		e.FirstName, changed = &v, true
	}
	if v := strings.TrimSpace(d.LastName.Text); v != p.LastName {
		e.LastName, changed = &v, true
	}
	if r := roleOf(d.Role.Selected); r != "" && r != p.Role {
		e.Role, changed = &r, true
	}
	if cs := splitClasses(d.Classes.Text); strings.Join(cs, ",") != strings.Join(p.Classes, ",") {
		e.Classes, changed = &cs, true
	}
	leaving, err := isoDate(d.LeavingDate.Text)
	if err != nil {
		setProblem(d.Message, errorText(err))
		return
	}
	if leaving != p.LeavingDate {
		e.LeavingDate, changed = &leaving, true
	}
	role := p.Role
	if e.Role != nil {
		role = *e.Role
	}
	if hb := d.HoldBack.Checked; hb != p.HoldBack && role == wire.RolePupil {
		e.HoldBack, changed = &hb, true
	}
	if !changed {
		setInfo(d.Message, T("admin.person.unchanged"))
		return
	}
	var np wire.Person
	u.run(func(ctx context.Context) error {
		var err error
		np, err = u.api.EditPerson(ctx, d.login, e)
		return err
	}, func(err error) { d.done(np, err, T("admin.person.saved")) })
}

// askLock needs a reason first: the protocol and the person's class
// teacher later want to know why.
func (d *PersonDetail) askLock() {
	d.u.touch()
	reason := strings.TrimSpace(d.LockReason.Text)
	if reason == "" {
		setProblem(d.Message, T("admin.person.lock_reason_missing"))
		d.u.win.Canvas().Focus(d.LockReason)
		return
	}
	d.LockConfirm.Ask(T("admin.person.lock_confirm", "Name", personName(d.person)), T("admin.person.lock_yes"), func() { d.lock(reason) })
}

func (d *PersonDetail) lock(reason string) {
	u := d.u
	var p wire.Person
	u.run(func(ctx context.Context) error {
		var err error
		p, err = u.api.Lock(ctx, d.login, reason)
		return err
	}, func(err error) { d.done(p, err, T("admin.person.locked")) })
}

func (d *PersonDetail) unlockNow() {
	u := d.u
	u.touch()
	var p wire.Person
	u.run(func(ctx context.Context) error {
		var err error
		p, err = u.api.Unlock(ctx, d.login)
		return err
	}, func(err error) { d.done(p, err, T("admin.person.unlocked")) })
}

func (d *PersonDetail) recordConsent() {
	u := d.u
	u.touch()
	guardian := strings.TrimSpace(d.Guardian.Text)
	if guardian == "" {
		setProblem(d.Message, T("admin.person.guardian_missing"))
		return
	}
	signed, err := isoDate(d.SignedOn.Text)
	if err == nil && signed == "" {
		err = userError(T("admin.person.date_missing"))
	}
	if err != nil {
		setProblem(d.Message, errorText(err))
		return
	}
	var p wire.Person
	u.run(func(ctx context.Context) error {
		var err error
		p, err = u.api.Consent(ctx, d.login, wire.ConsentChange{Guardian: guardian, SignedOn: signed})
		return err
	}, func(err error) { d.done(p, err, T("admin.person.consent_recorded")) })
}

func (d *PersonDetail) askRevoke() {
	d.u.touch()
	revoked, err := isoDate(d.RevokedOn.Text)
	if err == nil && revoked == "" {
		err = userError(T("admin.person.date_missing"))
	}
	if err != nil {
		setProblem(d.Message, errorText(err))
		return
	}
	d.RevokeConfirm.Ask(T("admin.person.consent_revoke_confirm", "Name", personName(d.person)),
		T("admin.person.consent_revoke_yes"), func() { d.revoke(revoked) })
}

func (d *PersonDetail) revoke(date string) {
	u := d.u
	var p wire.Person
	u.run(func(ctx context.Context) error {
		var err error
		p, err = u.api.Consent(ctx, d.login, wire.ConsentChange{RevokedOn: date})
		return err
	}, func(err error) { d.done(p, err, T("admin.person.consent_revoked_done")) })
}

// setRight grants or revokes a right as soon as the box is ticked; a
// refusal puts the tick back to what the server has.
func (d *PersonDetail) setRight(right string, on bool) {
	if d.filling || !d.loaded {
		return
	}
	u := d.u
	u.touch()
	var p wire.Person
	u.run(func(ctx context.Context) error {
		var err error
		p, err = u.api.SetRight(ctx, d.login, right, on)
		return err
	}, func(err error) {
		if err != nil {
			d.fill(d.person)
			u.report(d.Message, err)
			return
		}
		msg := T("admin.person.right_revoked")
		if on {
			msg = T("admin.person.right_granted")
		}
		d.done(p, nil, msg)
	})
}
