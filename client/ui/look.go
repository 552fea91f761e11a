package ui

import (
	"image/color"
	"net/url"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"

	"kaspel/assets"
)

// kaspelTheme is Fyne's theme with larger text and targets in the PC room,
// where children use it.
type kaspelTheme struct {
	fyne.Theme
	large bool
}

func newTheme(large bool) fyne.Theme { return &kaspelTheme{Theme: theme.DefaultTheme(), large: large} }

func (t *kaspelTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	if !t.large {
		return s
	}
	switch n {
	case theme.SizeNameText, theme.SizeNameInputBorder, theme.SizeNamePadding, theme.SizeNameInnerPadding:
		return s * 1.25
	}
	return s
}

// Color is always the light variant: a classroom is bright, and children
// read dark text on light ground best.
func (t *kaspelTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if n == theme.ColorNamePrimary {
		return color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff} // the school green of the logo
	}
	return t.Theme.Color(n, theme.VariantLight)
}

var logo = func() fyne.Resource {
	data, err := assets.FS.ReadFile("icons/logo.svg")
	if err != nil {
		return theme.HomeIcon()
	}
	return fyne.NewStaticResource("logo.svg", data)
}()

func logoIcon() fyne.Resource   { return logo }
func homeIcon() fyne.Resource   { return theme.HomeIcon() }
func loginIcon() fyne.Resource  { return theme.LoginIcon() }
func logoutIcon() fyne.Resource { return theme.LogoutIcon() }

// showMessage shows a short message with an OK button.
func showMessage(w fyne.Window, title, msg string) {
	dialog.ShowInformation(title, msg, w)
}

// openWithSystem opens a file with the system's viewer.
func openWithSystem(app fyne.App, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	return app.OpenURL(&url.URL{Scheme: "file", Path: path})
}

// pickFileDialog asks for a file with Fyne's file dialog.
func (u *UI) pickFileDialog(done func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			done("")
			return
		}
		r.Close()
		done(r.URI().Path())
	}, u.win)
	if home, err := os.UserHomeDir(); err == nil {
		if l, err := storage.ListerForURI(storage.NewFileURI(home)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}
