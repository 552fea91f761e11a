package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

func init() {
	registerTile(tile{key: "protocol", title: "protocol.title", icon: theme.HistoryIcon, order: 60,
		visible: func(s *wire.Session) bool { return slices.Contains(s.User.Rights, rightProtocol) },
		open:    func(u *UI) { u.showProtocol() }})
}

// protocolLimit is how many lines one look at the protocol fetches; more
// than a person reads, few enough to stay quick. The filters narrow it.
const protocolLimit = 500

// ProtocolScreen shows the protocol to the people the head teacher named
// (the "protocol" right): who logged in where and when, failed logins,
// and what admins did, newest first, with filters for a login, who did
// it, the kind of entry and a date range.
type ProtocolScreen struct {
	Login   *widget.Entry
	Actor   *widget.Entry
	Kind    *widget.Select
	From    *widget.Entry
	To      *widget.Entry
	Show    *widget.Button
	Clear   *widget.Button
	Count   *widget.Label
	Message *widget.Label
	List    *widget.List

	u       *UI
	entries []wire.ProtocolEntry
}

// protocolKind is a choice of the kind filter: a label and what the
// server filters by (an action, or a prefix ending in ".").
type protocolKind struct{ label, kind string }

func protocolKinds() []protocolKind {
	return []protocolKind{
		{T("protocol.kind.all"), ""},
		{T("protocol.kind.login"), "login"},
		{T("protocol.kind.logout"), "logout"},
		{T("protocol.kind.user"), "user."},
		{T("protocol.kind.password"), "password."},
		{T("protocol.kind.consent"), "consent."},
		{T("protocol.kind.right"), "right."},
		{T("protocol.kind.import"), "import"},
		{T("protocol.kind.promote"), "promote"},
		{T("protocol.kind.module"), "module."},
		{T("protocol.kind.mail"), "mail.inspect"},
	}
}

func (u *UI) showProtocol() {
	s := &ProtocolScreen{u: u, Login: widget.NewEntry(), Actor: widget.NewEntry(), From: widget.NewEntry(), To: widget.NewEntry(),
		Count: widget.NewLabel(""), Message: newMessage()}
	var labels []string
	for _, k := range protocolKinds() {
		labels = append(labels, k.label)
	}
	s.Kind = widget.NewSelect(labels, nil)
	s.Kind.SetSelected(labels[0])
	s.Login.SetPlaceHolder(T("protocol.login_hint"))
	s.Actor.SetPlaceHolder(T("protocol.actor_hint"))
	s.From.SetPlaceHolder(T("admin.date.hint"))
	s.To.SetPlaceHolder(T("admin.date.hint"))
	for _, e := range []*widget.Entry{s.Login, s.Actor, s.From, s.To} {
		e.OnSubmitted = func(string) { s.load() }
	}
	s.Show = widget.NewButtonWithIcon(T("protocol.show"), theme.SearchIcon(), s.load)
	s.Show.Importance = widget.HighImportance
	s.Clear = widget.NewButtonWithIcon(T("protocol.clear"), theme.ContentClearIcon(), func() {
		for _, e := range []*widget.Entry{s.Login, s.Actor, s.From, s.To} {
			e.SetText("")
		}
		s.Kind.SetSelected(labels[0])
		s.load()
	})
	s.List = widget.NewList(
		func() int { return len(s.entries) },
		func() fyne.CanvasObject {
			head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			head.Truncation = fyne.TextTruncateEllipsis
			more := widget.NewLabel("")
			more.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(head, more)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.entries) {
				return
			}
			box := o.(*fyne.Container)
			head, more := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label)
			e := s.entries[id]
			head.SetText(entryHead(e))
			if e.Success {
				head.Importance = widget.MediumImportance
			} else {
				head.Importance = widget.DangerImportance
			}
			head.Refresh()
			more.SetText(entryMore(e))
		})
	// Two rows of filters keep the list tall.
	field := func(label string, o fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewForm(widget.NewFormItem(label, o))
	}
	filters := container.NewVBox(
		container.NewGridWithColumns(3, field(T("protocol.login"), s.Login), field(T("protocol.kind_label"), s.Kind),
			field(T("protocol.actor"), s.Actor)),
		container.NewGridWithColumns(3, field(T("protocol.from"), s.From), field(T("protocol.to"), s.To),
			container.NewHBox(s.Show, s.Clear)),
	)
	top := container.NewVBox(filters, s.Message, s.Count)
	u.setScreen("protocol", s)
	u.openScreen(T("protocol.title"), container.NewBorder(container.NewPadded(top), nil, nil, nil, s.List))
	s.load()
}

// query is what the filters ask for; a date typed wrong is an error.
func (s *ProtocolScreen) query() (serverapi.ProtocolQuery, error) {
	q := serverapi.ProtocolQuery{
		Login: strings.ToLower(strings.TrimSpace(s.Login.Text)),
		Actor: strings.ToLower(strings.TrimSpace(s.Actor.Text)),
		Limit: protocolLimit,
	}
	for _, k := range protocolKinds() {
		if k.label == s.Kind.Selected {
			q.Kind = k.kind
		}
	}
	var err error
	if q.Since, err = isoDate(s.From.Text); err != nil {
		return q, err
	}
	if q.Until, err = isoDate(s.To.Text); err != nil {
		return q, err
	}
	if q.Since != "" && q.Until != "" && q.Since > q.Until {
		return q, userError(T("protocol.dates_reversed"))
	}
	return q, nil
}

// load fetches the entries the filters select.
func (s *ProtocolScreen) load() {
	u := s.u
	u.touch()
	q, err := s.query()
	if err != nil {
		setProblem(s.Message, errorText(err))
		return
	}
	var entries []wire.ProtocolEntry
	u.run(func(ctx context.Context) error {
		var err error
		entries, err = u.api.Protocol(ctx, q)
		return err
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		clearMessage(s.Message)
		// Newest first, whatever order the answer had.
		slices.SortStableFunc(entries, func(a, b wire.ProtocolEntry) int { return b.At.Compare(a.At) })
		s.entries = entries
		switch {
		case len(entries) == 0:
			s.Count.SetText(T("protocol.none"))
		case len(entries) >= protocolLimit:
			s.Count.SetText(T("protocol.count_limited", "Count", len(entries)))
		default:
			s.Count.SetText(T("protocol.count", "Count", len(entries)))
		}
		s.List.Refresh()
		s.List.ScrollToTop()
	})
}

// Lines are the entries as the list shows them (for tests and for a
// look without scrolling).
func (s *ProtocolScreen) Lines() []string {
	out := make([]string, len(s.entries))
	for i, e := range s.entries {
		out[i] = entryHead(e) + " | " + entryMore(e)
	}
	return out
}

// entryHead is an entry's first line: when, what, about whom, outcome.
func entryHead(e wire.ProtocolEntry) string {
	parts := []string{e.At.Local().Format("02.01.2006 15:04:05"), actionName(e.Action)}
	if e.Target != "" {
		parts = append(parts, e.Target)
	}
	if e.Success {
		parts = append(parts, "✔ "+T("protocol.success"))
	} else {
		parts = append(parts, "✘ "+T("protocol.failure"))
	}
	return strings.Join(parts, " · ")
}

// entryMore is the second line: by whom, from where, details.
func entryMore(e wire.ProtocolEntry) string {
	var parts []string
	if e.Actor != "" && e.Actor != e.Target {
		parts = append(parts, T("protocol.by", "Actor", e.Actor))
	}
	if e.Computer != "" {
		parts = append(parts, T("protocol.computer", "Name", e.Computer))
	}
	if e.Source != "" {
		parts = append(parts, T("protocol.source", "Address", e.Source))
	}
	if e.Service != "" {
		parts = append(parts, e.Service)
	}
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	return strings.Join(parts, " · ")
}

// actionName is a protocol action as people read it.
func actionName(a string) string {
	switch a {
	case "login":
		return T("protocol.action.login")
	case "logout":
		return T("protocol.action.logout")
	case "password.change":
		return T("protocol.action.password_change")
	case "password.verify":
		return T("protocol.action.password_verify")
	case "user.add":
		return T("protocol.action.user_add")
	case "user.edit":
		return T("protocol.action.user_edit")
	case "user.passwd":
		return T("protocol.action.user_passwd")
	case "user.lock":
		return T("protocol.action.user_lock")
	case "user.unlock":
		return T("protocol.action.user_unlock")
	case "user.leave":
		return T("protocol.action.user_leave")
	case "user.hold-back":
		return T("protocol.action.user_hold_back")
	case "consent.record":
		return T("protocol.action.consent_record")
	case "consent.revoke":
		return T("protocol.action.consent_revoke")
	case "right.grant":
		return T("protocol.action.right_grant")
	case "right.revoke":
		return T("protocol.action.right_revoke")
	case "import":
		return T("protocol.action.import")
	case "import.add":
		return T("protocol.action.import_add")
	case "import.change":
		return T("protocol.action.import_change")
	case "import.leaving":
		return T("protocol.action.import_leaving")
	case "promote":
		return T("protocol.action.promote")
	case "purge":
		return T("protocol.action.purge")
	case "module.on":
		return T("protocol.action.module_on")
	case "module.off":
		return T("protocol.action.module_off")
	case "mail.inspect":
		return T("protocol.action.mail_inspect")
	}
	return a
}
