package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// filesPickerKey is the open "Aus meinen Dateien" picker in u.screens
// (for tests).
const filesPickerKey = wire.ModuleFiles + ".picker"

// FilesPicker chooses a file of the school server: the top folders, the
// open folder's subfolders and files; a tap on a file hands it to the
// screen that asked (the mail attaches it; homework can do the same).
type FilesPicker struct {
	Dialog  *dialog.CustomDialog
	Roots   []*widget.Button
	Path    *widget.Label
	Up      *widget.Button
	Folders []*widget.Button
	Files   []*widget.Button
	Message *widget.Label
	Cancel  *widget.Button
	// Listing is the folder shown; Found its files as buttons show them.
	Listing *wire.FilesListing
	Found   []wire.FilesFile

	api     FilesAPI
	pick    func(p *FilesPicker, f wire.FilesFile)
	roots   []wire.FilesFolder
	rootBox *fyne.Container
	listBox *fyne.Container
	seq     int
}

// showFilesPicker opens a picker on "Meine Dateien"; pick gets the file
// tapped and closes the picker when it is done with it (filesPickerClose),
// or says in p.Message why not.
func (u *UI) showFilesPicker(title, intro string, pick func(p *FilesPicker, f wire.FilesFile)) {
	api := u.filesAPI()
	if api == nil {
		return
	}
	u.touch()
	p := &FilesPicker{api: api, pick: pick, rootBox: container.NewHBox(), listBox: container.NewVBox()}
	p.Path = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.Path.Truncation = fyne.TextTruncateEllipsis
	p.Up = widget.NewButtonWithIcon(T("files.picker.up"), theme.MoveUpIcon(), func() {
		if p.Listing != nil && len(p.Listing.Path) > 1 {
			u.filesPickerOpen(p, p.Listing.Path[len(p.Listing.Path)-2].ID)
		}
	})
	p.Up.Disable()
	p.Message = widget.NewLabel("")
	p.Message.Wrapping = fyne.TextWrapWord
	p.Message.Hide()
	p.Cancel = widget.NewButtonWithIcon(T("files.picker.cancel"), theme.CancelIcon(), func() { u.filesPickerClose(p) })
	introLabel := widget.NewLabel(intro)
	introLabel.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(p.listBox)
	scroll.SetMinSize(fyne.NewSize(0, 280))
	head := container.NewVBox(introLabel, container.NewHScroll(p.rootBox), container.NewBorder(nil, nil, p.Up, nil, p.Path))
	p.Dialog = dialog.NewCustomWithoutButtons(title, container.NewBorder(head, p.Message, nil, nil, scroll), u.win)
	p.Dialog.SetButtons([]fyne.CanvasObject{p.Cancel})
	p.Dialog.Resize(fyne.NewSize(560, 520))
	u.setScreen(filesPickerKey, p)
	p.Dialog.Show()
	u.filesPickerOpen(p, 0)
}

func (u *UI) filesPickerClose(p *FilesPicker) {
	p.Dialog.Hide()
	if u.screen(filesPickerKey) == p {
		delete(u.screens, filesPickerKey)
	}
}

func (p *FilesPicker) say(text string, danger bool) { mailSetLabel(p.Message, text, danger) }

// filesPickerOpen shows a folder (0: the top folders and "Meine Dateien").
func (u *UI) filesPickerOpen(p *FilesPicker, id int64) {
	p.seq++
	seq := p.seq
	first := id == 0
	var roots wire.FilesRoots
	var listing wire.FilesListing
	u.runInSession(func(ctx context.Context) error {
		var err error
		if first {
			if roots, err = p.api.FilesRoots(ctx); err != nil {
				return err
			}
			if len(roots.Folders) == 0 {
				return nil
			}
			id = roots.Folders[0].ID
		}
		listing, err = p.api.FilesFolder(ctx, id)
		return err
	}, func(err error) {
		if seq != p.seq || u.filesFailed(err, p.say) {
			return
		}
		if first {
			p.roots = roots.Folders
			p.rootBox.RemoveAll()
			p.Roots = nil
			for _, r := range p.roots {
				rid := r.ID
				b := widget.NewButtonWithIcon(r.Name, filesRootIcon(r.Kind), func() { u.filesPickerOpen(p, rid) })
				p.Roots = append(p.Roots, b)
				p.rootBox.Add(b)
			}
		}
		if listing.Folder.ID == 0 {
			return
		}
		p.Listing = &listing
		p.show(u)
	})
}

// show lists the open folder: subfolders to go into, files to attach.
func (p *FilesPicker) show(u *UI) {
	l := p.Listing
	names := make([]string, len(l.Path))
	for i, f := range l.Path {
		names[i] = f.Name
	}
	p.Path.SetText(strings.Join(names, " › "))
	if len(l.Path) > 1 {
		p.Up.Enable()
	} else {
		p.Up.Disable()
	}
	p.listBox.RemoveAll()
	p.Folders, p.Files, p.Found = nil, nil, nil
	for _, f := range l.Folders {
		id := f.ID
		b := widget.NewButtonWithIcon(f.Name, theme.FolderIcon(), func() { u.filesPickerOpen(p, id) })
		b.Alignment = widget.ButtonAlignLeading
		p.Folders = append(p.Folders, b)
		p.listBox.Add(b)
	}
	for _, f := range l.Files {
		f := f
		b := widget.NewButtonWithIcon(T("files.picker.file", "Name", f.Name, "Size", filesSize(f.Size)), filesIcon(f.Name), func() { p.pick(p, f) })
		b.Alignment = widget.ButtonAlignLeading
		p.Files = append(p.Files, b)
		p.Found = append(p.Found, f)
		p.listBox.Add(b)
	}
	if len(l.Folders) == 0 && len(l.Files) == 0 {
		p.listBox.Add(widget.NewLabelWithStyle(T("files.empty"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	}
	p.listBox.Refresh()
}
