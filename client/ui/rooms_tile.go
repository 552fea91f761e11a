package ui

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// Tile colours: a teacher glances across the room view from the front of
// the class, so the state must show without reading (green works, grey
// is off, amber is locked, red has lost its key).
var (
	tileOnline  = color.NRGBA{R: 0xdc, G: 0xef, B: 0xdc, A: 0xff}
	tileOffline = color.NRGBA{R: 0xe6, G: 0xe6, B: 0xe6, A: 0xff}
	tileLocked  = color.NRGBA{R: 0xff, G: 0xe6, B: 0xa8, A: 0xff}
	tileRevoked = color.NRGBA{R: 0xf8, G: 0xd4, B: 0xd4, A: 0xff}
)

// ComputerTile is one computer in the room view: its name, state, the
// child logged in and since when. A tap anywhere on it chooses it for the
// commands "Auswahl …"; staff and lending computers are shown but cannot
// be chosen (they take no room commands).
type ComputerTile struct {
	Button *widget.Button // the whole tile
	Pick   *widget.Check
	Name   *widget.Label
	State  *widget.Label
	User   *widget.Label
	Since  *widget.Label

	Computer wire.Computer // as the last refresh saw it
	bg       *canvas.Rectangle
	obj      fyne.CanvasObject
}

func (s *RoomScreen) newTile(c wire.Computer) *ComputerTile {
	t := &ComputerTile{
		Name:  widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		State: widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{}),
		User:  widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		Since: widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
	}
	t.Name.SizeName = theme.SizeNameSubHeadingText
	for _, l := range []*widget.Label{t.Name, t.User} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	t.bg = canvas.NewRectangle(tileOffline)
	t.bg.CornerRadius = 10
	t.Pick = widget.NewCheck(T("rooms.pick"), func(bool) {
		t.paint()
		s.selectionChanged()
	})
	t.Button = widget.NewButton("", func() {
		if t.Computer.Commandable {
			t.Pick.SetChecked(!t.Pick.Checked)
		}
	})
	t.Button.Importance = widget.LowImportance
	info := container.NewVBox(t.Name, t.State, t.User, t.Since)
	// The button lies under the texts: labels take no taps, so a tap on
	// them reaches the button (as on the home tiles).
	// The outer padding keeps a gap between the coloured tiles.
	t.obj = container.NewPadded(container.NewStack(t.bg, t.Button,
		container.NewPadded(container.NewBorder(nil, container.NewCenter(t.Pick), nil, nil, info))))
	t.Computer = c
	return t
}

// set shows the computer's state as the server reported it.
func (t *ComputerTile) set(c wire.Computer, now time.Time) {
	t.Computer = c
	t.Name.SetText(c.Name)
	t.State.SetText(computerState(c))
	if c.User != nil {
		name := c.User.Name
		if name == "" {
			name = c.User.Login
		}
		t.User.SetText(name)
		t.Since.SetText(T("rooms.since", "Time", sinceText(c.User.Since, now)))
	} else {
		t.User.SetText(T("rooms.nobody"))
		t.Since.SetText("")
	}
	if !c.Commandable {
		// Not chosen silently for a command the server would refuse.
		t.Pick.Checked = false
		t.Pick.Hide()
	} else {
		t.Pick.Show()
	}
	t.paint()
}

// paint colours the tile by its state and outlines it when chosen.
func (t *ComputerTile) paint() {
	c := t.Computer
	switch {
	case c.Revoked:
		t.bg.FillColor = tileRevoked
	case c.Locked:
		t.bg.FillColor = tileLocked
	case c.Online:
		t.bg.FillColor = tileOnline
	default:
		t.bg.FillColor = tileOffline
	}
	if t.Pick.Checked {
		t.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
		t.bg.StrokeWidth = 4
	} else {
		t.bg.StrokeWidth = 0
	}
	t.bg.Refresh()
	t.Pick.Refresh()
}

// computerState is the tile's state line: online or not, locked, and
// what kind of computer when it is no PC-room computer.
func computerState(c wire.Computer) string {
	var parts []string
	switch {
	case c.Revoked:
		parts = append(parts, T("rooms.state_revoked"))
	case c.Online:
		parts = append(parts, T("rooms.state_online"))
	default:
		parts = append(parts, T("rooms.state_offline"))
	}
	if c.Locked && !c.Revoked {
		parts = append(parts, T("rooms.state_locked"))
	}
	if c.Mode != wire.ModePCRoom {
		parts = append(parts, modeName(c.Mode))
	}
	return strings.Join(parts, " · ")
}

// modeName is a client mode as people call the computer.
func modeName(mode string) string {
	switch mode {
	case wire.ModePCRoom:
		return T("rooms.mode_pcroom")
	case wire.ModeStaff:
		return T("rooms.mode_staff")
	case wire.ModeKiosk:
		return T("rooms.mode_kiosk")
	}
	return mode
}

// sinceText is a time of today as "08:15", of another day with the date.
func sinceText(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("02.01. 15:04")
}

// TileState is what a tile shows, for tests and screenshots.
type TileState struct {
	Name, State, User, Since string
	Online, Locked, Revoked  bool
	Selected, Selectable     bool
}

// Tiles is what the grid shows now, by computer name.
func (s *RoomScreen) Tiles() map[string]TileState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]TileState{}
	for _, id := range s.order {
		t := s.tiles[id]
		out[t.Computer.Name] = TileState{
			Name: t.Name.Text, State: t.State.Text, User: t.User.Text, Since: t.Since.Text,
			Online: t.Computer.Online, Locked: t.Computer.Locked, Revoked: t.Computer.Revoked,
			Selected: t.Pick.Checked, Selectable: t.Pick.Visible(),
		}
	}
	return out
}

// Tile is the tile of a computer by name, or nil.
func (s *RoomScreen) Tile(name string) *ComputerTile {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.order {
		if t := s.tiles[id]; t.Computer.Name == name {
			return t
		}
	}
	return nil
}
