package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// ComputerListTab lists the enrolled computers, of all rooms or one, with
// what an admin needs to see whether a computer works: online or not,
// when its agent last reported, its mode and who uses it. A lost or
// stolen computer's key is revoked here (its agent is refused from the
// next call on); a computer taken out of service is removed.
type ComputerListTab struct {
	Room    *widget.Select // a room, or all rooms
	Reload  *widget.Button
	Rows    []*ComputerRow
	Confirm *ConfirmBar
	Message *widget.Label
	Count   *widget.Label

	s       *ComputersScreen
	rows    *fyne.Container
	content fyne.CanvasObject
}

// ComputerRow is one computer of the list.
type ComputerRow struct {
	Computer  wire.Computer
	Name      *widget.Label
	State     *widget.Label
	Info      *widget.Label
	RevokeKey *widget.Button
	Delete    *widget.Button
}

func (s *ComputersScreen) newComputerListTab() *ComputerListTab {
	t := &ComputerListTab{s: s, Confirm: newConfirmBar(), Message: newMessage(), Count: widget.NewLabel(""),
		rows: container.NewVBox()}
	t.Room = widget.NewSelect([]string{T("computers.list.all_rooms")}, func(string) { t.load() })
	t.Room.Selected = T("computers.list.all_rooms")
	t.Reload = widget.NewButtonWithIcon(T("rooms.refresh"), theme.ViewRefreshIcon(), t.load)
	t.content = adminPanel(
		container.NewBorder(nil, nil, container.NewHBox(widget.NewLabel(T("computers.list.room")), t.Room), t.Reload, t.Count),
		t.Message, t.Confirm.box,
		t.rows,
	)
	return t
}

// setRooms offers the rooms in the filter.
func (t *ComputerListTab) setRooms(rooms []wire.Room) {
	t.Room.Options = append([]string{T("computers.list.all_rooms")}, roomNames(rooms)...)
	if roomByName(rooms, t.Room.Selected) == 0 {
		t.Room.Selected = T("computers.list.all_rooms")
	}
	t.Room.Refresh()
}

// load lists the computers the filter selects.
func (t *ComputerListTab) load() {
	u := t.s.u
	room := roomByName(t.s.rooms, t.Room.Selected)
	var comps []wire.Computer
	u.run(func(ctx context.Context) error {
		var err error
		comps, err = t.s.api.Computers(ctx, room)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.fill(comps)
	})
}

func (t *ComputerListTab) fill(comps []wire.Computer) {
	now := t.s.u.opts.Now()
	t.Rows = nil
	t.rows.Objects = nil
	if len(comps) == 0 {
		t.rows.Add(widget.NewLabel(T("computers.list.empty")))
	}
	online := 0
	for _, c := range comps {
		if c.Online {
			online++
		}
		row := &ComputerRow{Computer: c,
			Name:  widget.NewLabelWithStyle(c.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			State: widget.NewLabelWithStyle(computerState(c), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			Info:  widget.NewLabel(computerInfo(c, now)),
		}
		switch {
		case c.Revoked:
			row.State.Importance = widget.DangerImportance
		case c.Online:
			row.State.Importance = widget.SuccessImportance
		}
		row.Info.Wrapping = fyne.TextWrapWord
		row.RevokeKey = widget.NewButtonWithIcon(T("computers.list.revoke"), theme.VisibilityOffIcon(), func() { t.askRevoke(row) })
		if c.Revoked {
			row.RevokeKey.Disable()
		}
		row.Delete = widget.NewButtonWithIcon(T("computers.list.delete"), theme.DeleteIcon(), func() { t.askDelete(row) })
		t.Rows = append(t.Rows, row)
		t.rows.Add(container.NewVBox(
			container.NewBorder(nil, nil, container.NewHBox(row.Name, row.State), container.NewHBox(row.RevokeKey, row.Delete)),
			row.Info, widget.NewSeparator()))
	}
	t.Count.SetText(T("computers.list.count", "Count", len(comps), "Online", online))
	t.rows.Refresh()
}

// computerInfo is the list's line about a computer: room, mode, last
// report, agent version, who uses it.
func computerInfo(c wire.Computer, now time.Time) string {
	parts := []string{T("computers.list.in_room", "Room", c.Room), T("computers.list.mode", "Mode", modeName(c.Mode))}
	if c.LastSeen.IsZero() {
		parts = append(parts, T("computers.list.never_seen"))
	} else {
		parts = append(parts, T("computers.list.last_seen", "Time", sinceText(c.LastSeen, now)))
	}
	if c.User != nil {
		parts = append(parts, T("computers.list.user", "Name", c.User.Name))
	}
	if c.AgentVersion != "" {
		parts = append(parts, T("computers.list.agent", "Version", c.AgentVersion))
	}
	parts = append(parts, T("computers.list.enrolled", "Time", sinceText(c.EnrolledAt, now)))
	return strings.Join(parts, " · ")
}

// Row is the row of a computer by name, or nil.
func (t *ComputerListTab) Row(name string) *ComputerRow {
	for _, r := range t.Rows {
		if r.Computer.Name == name {
			return r
		}
	}
	return nil
}

// askRevoke asks first: a revoked computer takes no commands and reports
// nothing until it is enrolled again with a new code.
func (t *ComputerListTab) askRevoke(row *ComputerRow) {
	t.s.u.touch()
	t.Confirm.Ask(T("computers.list.revoke_confirm", "Name", row.Computer.Name), T("computers.list.revoke_yes"), func() {
		t.change(row, func(ctx context.Context) error { return t.s.api.RevokeComputerKey(ctx, row.Computer.ID) },
			T("computers.list.revoked", "Name", row.Computer.Name))
	})
}

// askDelete asks first: the computer disappears from its room and the
// room view.
func (t *ComputerListTab) askDelete(row *ComputerRow) {
	t.s.u.touch()
	t.Confirm.Ask(T("computers.list.delete_confirm", "Name", row.Computer.Name), T("computers.list.delete_yes"), func() {
		t.change(row, func(ctx context.Context) error { return t.s.api.DeleteComputer(ctx, row.Computer.ID) },
			T("computers.list.deleted", "Name", row.Computer.Name))
	})
}

// change does a change of a computer, says so and lists again (the
// rooms' counts change too).
func (t *ComputerListTab) change(row *ComputerRow, call func(ctx context.Context) error, done string) {
	u := t.s.u
	u.run(call, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		setInfo(t.Message, done)
		t.load()
		t.s.Rooms.load()
	})
}
