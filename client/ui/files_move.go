package ui

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// FilesMoveDialog moves a file into another folder of the same tree
// ("Meine Dateien", or one class's folder): the tree's folders from the
// top down, indented by depth. The folder the file is in shows but cannot
// be chosen; folders the person may not store in are left out (the server
// moves only into folders the person may write).
type FilesMoveDialog struct {
	Dialog  *dialog.CustomDialog
	File    wire.FilesFile
	Intro   *widget.Label
	Message *widget.Label
	// Folders is the tree as listed, Choices its buttons (same order).
	Folders []filesTreeFolder
	Choices []*widget.Button
	// Chosen is the folder tapped (0: none yet).
	Chosen int64
	Move   *widget.Button
	Cancel *widget.Button

	listBox *fyne.Container
	busy    bool
}

// filesTreeFolder is a folder of a tree with its depth below the root.
type filesTreeFolder struct {
	Folder wire.FilesFolder
	Depth  int
}

// The tree's limits keep a broken tree (a cycle, a flood of folders) from
// walking forever; the server allows 8 levels and 1000 folders.
const (
	filesTreeMaxDepth   = 16
	filesTreeMaxFolders = 2000
)

// filesTree lists a folder tree from its root down, each folder followed
// by its subfolders. A subfolder deleted meanwhile is left out. It calls
// the server once per folder: run it on a worker, never on the UI
// goroutine.
func filesTree(ctx context.Context, api FilesAPI, root int64) ([]filesTreeFolder, error) {
	var out []filesTreeFolder
	var walk func(id int64, depth int) error
	walk = func(id int64, depth int) error {
		if depth > filesTreeMaxDepth || len(out) >= filesTreeMaxFolders {
			return nil
		}
		l, err := api.FilesFolder(ctx, id)
		if err != nil {
			if depth > 0 && serverapi.Code(err) == wire.CodeNotFound {
				return nil // gone meanwhile
			}
			return err
		}
		out = append(out, filesTreeFolder{Folder: l.Folder, Depth: depth})
		for _, sub := range l.Folders {
			if err := walk(sub.ID, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	err := walk(root, 0)
	return out, err
}

// filesMayMove says whether a file of the open folder gets "Verschieben":
// where it may be changed (as for renaming), but not in a drop folder,
// which has no subfolders to move to.
func (s *FilesScreen) filesMayMove(f wire.FilesFile) bool {
	return f.MayChange && s.Listing != nil && s.Listing.Folder.Kind != wire.FilesDrop
}

// filesAskMove opens the move dialog for a file of the open folder and
// loads the folders of its tree in the background.
func (u *UI) filesAskMove(s *FilesScreen, f wire.FilesFile) {
	if s.Listing == nil || len(s.Listing.Path) == 0 || !s.filesMayMove(f) {
		return
	}
	root := s.Listing.Path[0].ID
	d := &FilesMoveDialog{File: f, listBox: container.NewVBox()}
	d.Intro = widget.NewLabel(T("files.move.intro", "Name", f.Name))
	d.Intro.Wrapping = fyne.TextWrapWord
	d.Message = widget.NewLabel("")
	d.Message.Wrapping = fyne.TextWrapWord
	mailSetLabel(d.Message, T("files.move.loading"), false)
	d.Move = widget.NewButtonWithIcon(T("files.move"), theme.MailForwardIcon(), func() { u.filesMove(s, d) })
	d.Move.Importance = widget.HighImportance
	d.Move.Disable()
	d.Cancel = widget.NewButtonWithIcon(T("files.move.cancel"), theme.CancelIcon(), func() { s.closeMove(d) })
	scroll := container.NewVScroll(d.listBox)
	scroll.SetMinSize(fyne.NewSize(0, 260))
	d.Dialog = dialog.NewCustomWithoutButtons(T("files.move.title", "Name", f.Name),
		container.NewBorder(d.Intro, d.Message, nil, nil, scroll), u.win)
	d.Dialog.SetButtons([]fyne.CanvasObject{d.Cancel, d.Move})
	d.Dialog.Resize(fyne.NewSize(480, 460))
	s.Move = d
	d.Dialog.Show()

	var tree []filesTreeFolder
	u.runInSession(func(ctx context.Context) error {
		var err error
		tree, err = filesTree(ctx, s.api, root)
		return err
	}, func(err error) {
		if s.Move != d {
			return // closed meanwhile
		}
		if u.filesFailed(err, d.say) {
			return
		}
		d.show(tree)
	})
}

func (d *FilesMoveDialog) say(text string, danger bool) { mailSetLabel(d.Message, text, danger) }

// show lists the tree: the file's folder greyed, the others to tap.
func (d *FilesMoveDialog) show(tree []filesTreeFolder) {
	d.listBox.RemoveAll()
	d.Folders, d.Choices, d.Chosen = nil, nil, 0
	choosable := 0
	for _, t := range tree {
		here := t.Folder.ID == d.File.Folder
		if !here && !t.Folder.MayWrite {
			continue // the server would refuse it
		}
		icon := theme.FolderIcon()
		if t.Depth == 0 {
			icon = filesRootIcon(t.Folder.Kind)
		}
		id := t.Folder.ID
		b := widget.NewButtonWithIcon(t.Folder.Name, icon, func() { d.choose(id) })
		b.Alignment = widget.ButtonAlignLeading
		if here {
			b.SetText(T("files.move.here", "Name", t.Folder.Name))
			b.Disable()
		} else {
			choosable++
		}
		indent := canvas.NewRectangle(color.Transparent)
		indent.SetMinSize(fyne.NewSize(float32(t.Depth)*2*theme.IconInlineSize(), 1))
		d.Folders = append(d.Folders, t)
		d.Choices = append(d.Choices, b)
		d.listBox.Add(container.NewBorder(nil, nil, indent, nil, b))
	}
	d.listBox.Refresh()
	switch {
	case choosable > 0:
		d.say("", false)
	case len(tree) == 1 && tree[0].Folder.MayWrite: // only the top folder: make one first
		d.say(T("files.move.none_make"), false)
	default:
		d.say(T("files.move.none"), false)
	}
}

// choose marks the folder tapped; "Verschieben" moves there.
func (d *FilesMoveDialog) choose(id int64) {
	d.Chosen = id
	for i, b := range d.Choices {
		if d.Folders[i].Folder.ID == id {
			b.Importance = widget.HighImportance
			b.SetIcon(theme.ConfirmIcon())
		} else if !b.Disabled() {
			b.Importance = widget.MediumImportance
			icon := theme.FolderIcon()
			if d.Folders[i].Depth == 0 {
				icon = filesRootIcon(d.Folders[i].Folder.Kind)
			}
			b.SetIcon(icon)
		}
		b.Refresh()
	}
	d.say("", false)
	if !d.busy {
		d.Move.Enable()
	}
}

// chosenName is the name of the folder chosen.
func (d *FilesMoveDialog) chosenName() string {
	for _, t := range d.Folders {
		if t.Folder.ID == d.Chosen {
			return t.Folder.Name
		}
	}
	return ""
}

// closeMove closes the move dialog; an answer still on its way then
// shows above the list instead.
func (s *FilesScreen) closeMove(d *FilesMoveDialog) {
	d.Dialog.Hide()
	if s.Move == d {
		s.Move = nil
	}
}

// filesMove asks the server to move the file into the folder chosen. A
// refusal (a name taken there, another tree) shows in the dialog in the
// server's words, and nothing changes; after the move the open folder is
// reloaded and the status says where the file went.
func (u *UI) filesMove(s *FilesScreen, d *FilesMoveDialog) {
	if d.Chosen == 0 || d.busy {
		return
	}
	target, name := d.Chosen, d.chosenName()
	d.busy = true
	d.Move.Disable()
	d.say(T("files.moving", "Name", d.File.Name), false)
	var moved wire.FilesFile
	u.runInSession(func(ctx context.Context) error {
		var err error
		moved, err = s.api.FilesUpdate(ctx, d.File.ID, wire.FilesFileChange{Folder: target})
		return err
	}, func(err error) {
		d.busy = false
		say := s.setStatus
		if s.Move == d {
			d.Move.Enable()
			say = d.say
		}
		if u.filesFailed(err, say) {
			return
		}
		if s.Move == d {
			s.closeMove(d)
		}
		s.setStatus(T("files.moved", "Name", moved.Name, "Folder", name), false)
		if open := s.openID(); open != 0 {
			u.filesOpen(s, open)
		}
	})
}
