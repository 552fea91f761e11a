package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// FilesAPI is what the files screens (and the mail's bridge to them)
// need from the server. *serverapi.Client is one.
type FilesAPI interface {
	FilesRoots(ctx context.Context) (wire.FilesRoots, error)
	FilesFolder(ctx context.Context, id int64) (wire.FilesListing, error)
	FilesCreateFolder(ctx context.Context, parent int64, name string) (wire.FilesFolder, error)
	FilesRenameFolder(ctx context.Context, id int64, name string) (wire.FilesFolder, error)
	FilesDeleteFolder(ctx context.Context, id int64) error
	FilesUpload(ctx context.Context, folder int64, name string, r io.Reader, size int64) (wire.FilesFile, error)
	FilesDownload(ctx context.Context, id int64, w io.Writer) (string, int64, error)
	FilesUpdate(ctx context.Context, id int64, change wire.FilesFileChange) (wire.FilesFile, error)
	FilesDelete(ctx context.Context, id int64) error
	FilesUsage(ctx context.Context) (wire.FilesUsage, error)
	FilesSaveMailAttachment(ctx context.Context, messageID, attachmentID, folder int64) (wire.FilesFile, error)
	FilesAttachToMail(ctx context.Context, id int64) (wire.MailUpload, error)
}

// filesKey is the files screen's key in u.screens.
const filesKey = wire.ModuleFiles

func init() {
	registerTile(tile{key: wire.ModuleFiles, title: "files.title", icon: theme.FolderIcon, order: 45, module: true,
		open: func(u *UI) { u.showFiles() }})
}

// filesAPI is the server's files side, or nil if the client has none.
func (u *UI) filesAPI() FilesAPI {
	a, _ := u.api.(FilesAPI)
	return a
}

// FilesScreen is the person's files on the school server: the top
// folders on the left ("Meine Dateien", the class folders, the drop
// folders where pupils hand in work) with the used space under them; on
// the right the open folder with the path to it, its subfolders and
// files, and what the person may do there (upload, new folder, rename,
// delete — only where the server says they may). Refusals (a program, a
// full quota, a file over 20 MB) show in German above the list.
type FilesScreen struct {
	Roots       []wire.FilesFolder
	RootButtons []*widget.Button
	Usage       *widget.ProgressBar
	UsageText   *widget.Label

	Path      []*widget.Button // from the top folder down to the open one
	Heading   *widget.Label    // what this folder is for and who sees it
	Upload    *widget.Button
	NewFolder *widget.Button
	Reload    *widget.Button
	Status    *widget.Label
	Empty     *widget.Label

	// Listing is the open folder as the server answered it.
	Listing    *wire.FilesListing
	FolderRows []*FilesFolderRow
	FileRows   []*FilesFileRow

	// Dialogs while they are open.
	Ask           *FilesNameDialog
	Move          *FilesMoveDialog
	ConfirmDelete *dialog.ConfirmDialog

	// Saved is the path of the file downloaded last.
	Saved string

	api       FilesAPI
	lang      string
	usage     wire.FilesUsage
	uploading int
	seq       int
	rootBox   *fyne.Container
	pathBox   *fyne.Container
	listBox   *fyne.Container
	content   fyne.CanvasObject
	u         *UI
}

// FilesFolderRow is a subfolder: open it, rename it, delete it.
type FilesFolderRow struct {
	Folder wire.FilesFolder
	Open   *widget.Button
	Rename *widget.Button
	Delete *widget.Button
}

// FilesFileRow is a file: its name, size and who stored it; open it
// (download and show), rename, move into another folder, delete.
type FilesFileRow struct {
	File     wire.FilesFile
	Name     *widget.Label
	Info     *widget.Label
	Download *widget.Button
	Rename   *widget.Button
	Move     *widget.Button
	Delete   *widget.Button
}

// FilesNameDialog asks for a name: a new folder, or renaming.
type FilesNameDialog struct {
	Dialog  *dialog.CustomDialog
	Name    *widget.Entry
	OK      *widget.Button
	Cancel  *widget.Button
	Message *widget.Label
}

// showFiles opens the files (kept while the session lasts: coming back
// finds the same folder, reloaded).
func (u *UI) showFiles() {
	api := u.filesAPI()
	if api == nil {
		u.showError(userError(T("files.unavailable")))
		return
	}
	s, ok := u.screen(filesKey).(*FilesScreen)
	if !ok || s.lang != Language() {
		s = u.newFilesScreen(api)
		u.setScreen(filesKey, s)
	}
	u.openScreen(T("files.title"), s.content)
	folder := int64(0)
	if s.Listing != nil {
		folder = s.Listing.Folder.ID
	}
	u.filesLoadRoots(s, folder)
}

func (u *UI) newFilesScreen(api FilesAPI) *FilesScreen {
	s := &FilesScreen{api: api, lang: Language(), rootBox: container.NewVBox(), pathBox: container.NewHBox(), listBox: container.NewVBox(), u: u}
	s.Usage = widget.NewProgressBar()
	s.Usage.TextFormatter = func() string { return filesPercent(s.usage) }
	s.UsageText = widget.NewLabel("")
	s.UsageText.Wrapping = fyne.TextWrapWord
	left := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(),
		widget.NewLabelWithStyle(T("files.usage.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.Usage, s.UsageText),
		nil, nil, container.NewVScroll(s.rootBox))

	s.Heading = widget.NewLabel("")
	s.Heading.Wrapping = fyne.TextWrapWord
	s.Upload = widget.NewButtonWithIcon(T("files.upload"), theme.UploadIcon(), func() { u.filesAskUpload(s) })
	s.Upload.Importance = widget.HighImportance
	s.NewFolder = widget.NewButtonWithIcon(T("files.new_folder"), theme.FolderNewIcon(), func() { u.filesAskNewFolder(s) })
	s.Reload = widget.NewButtonWithIcon(T("files.reload"), theme.ViewRefreshIcon(), func() {
		s.setStatus("", false)
		u.filesLoadRoots(s, s.openID())
	})
	s.Status = widget.NewLabel("")
	s.Status.Wrapping = fyne.TextWrapWord
	s.Status.Hide()
	s.Empty = widget.NewLabelWithStyle(T("files.empty"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.Empty.Hide()
	bar := container.NewHBox(s.Upload, s.NewFolder, spacer(), s.Reload)
	head := container.NewVBox(container.NewHScroll(s.pathBox), s.Heading, bar, s.Status, widget.NewSeparator())
	right := container.NewBorder(head, nil, nil, nil, container.NewVScroll(container.NewVBox(s.Empty, s.listBox)))
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(right))
	split.Offset = 0.27
	s.content = split
	s.showListing()
	return s
}

// openID is the open folder's id (0 if none yet).
func (s *FilesScreen) openID() int64 {
	if s.Listing == nil {
		return 0
	}
	return s.Listing.Folder.ID
}

func (s *FilesScreen) setStatus(text string, danger bool) { mailSetLabel(s.Status, text, danger) }

// filesLoadRoots loads the top folders and the used space, then opens
// folder (or, if 0 or gone, "Meine Dateien").
func (u *UI) filesLoadRoots(s *FilesScreen, folder int64) {
	s.seq++
	seq := s.seq
	var roots wire.FilesRoots
	var listing wire.FilesListing
	u.runInSession(func(ctx context.Context) error {
		var err error
		if roots, err = s.api.FilesRoots(ctx); err != nil {
			return err
		}
		if folder != 0 {
			if listing, err = s.api.FilesFolder(ctx, folder); err == nil {
				return nil
			} else if serverapi.Code(err) != wire.CodeNotFound {
				return err
			}
		}
		if len(roots.Folders) == 0 {
			return nil
		}
		listing, err = s.api.FilesFolder(ctx, roots.Folders[0].ID)
		return err
	}, func(err error) {
		if seq != s.seq || u.filesFailed(err, s.setStatus) {
			return
		}
		s.Roots = roots.Folders
		s.showUsage(roots.Usage)
		if listing.Folder.ID != 0 {
			s.Listing = &listing
		}
		s.showListing()
		s.showPath(u)
		s.showRoots(u)
	})
}

// filesGo opens a folder the person tapped; the answer to what they did
// before goes.
func (u *UI) filesGo(s *FilesScreen, id int64) {
	s.setStatus("", false)
	u.filesOpen(s, id)
}

// filesOpen opens (or reloads) a folder.
func (u *UI) filesOpen(s *FilesScreen, id int64) {
	u.touch()
	if id == 0 {
		u.filesLoadRoots(s, 0)
		return
	}
	s.seq++
	seq := s.seq
	var listing wire.FilesListing
	u.runInSession(func(ctx context.Context) error {
		var err error
		listing, err = s.api.FilesFolder(ctx, id)
		return err
	}, func(err error) {
		if seq != s.seq {
			return
		}
		if u.filesFailed(err, s.setStatus) {
			if serverapi.Code(err) == wire.CodeNotFound {
				u.filesLoadRoots(s, 0) // gone meanwhile
			}
			return
		}
		s.Listing = &listing
		s.showListing()
		s.showPath(u)
		s.showRoots(u)
	})
}

// showRoots shows the top folders; the one the open folder is in is
// highlighted.
func (s *FilesScreen) showRoots(u *UI) {
	s.rootBox.RemoveAll()
	s.RootButtons = nil
	root := int64(0)
	if s.Listing != nil && len(s.Listing.Path) > 0 {
		root = s.Listing.Path[0].ID
	}
	for _, f := range s.Roots {
		id := f.ID
		b := widget.NewButtonWithIcon(f.Name, filesRootIcon(f.Kind), func() { u.filesGo(s, id) })
		b.Alignment = widget.ButtonAlignLeading
		if id == root {
			b.Importance = widget.HighImportance
		}
		s.RootButtons = append(s.RootButtons, b)
		s.rootBox.Add(b)
	}
	s.rootBox.Refresh()
}

func filesRootIcon(kind string) fyne.Resource {
	switch kind {
	case wire.FilesGroup:
		return theme.FolderOpenIcon()
	case wire.FilesDrop:
		return theme.DownloadIcon()
	}
	return theme.HomeIcon()
}

// showPath shows the way from the top folder to the open one; each step
// opens its folder.
func (s *FilesScreen) showPath(u *UI) {
	s.pathBox.RemoveAll()
	s.Path = nil
	if s.Listing == nil {
		return
	}
	for i, f := range s.Listing.Path {
		id := f.ID
		if i > 0 {
			s.pathBox.Add(widget.NewIcon(theme.NavigateNextIcon()))
		}
		b := widget.NewButton(f.Name, func() { u.filesGo(s, id) })
		if i == len(s.Listing.Path)-1 {
			b.Importance = widget.LowImportance
		}
		s.Path = append(s.Path, b)
		s.pathBox.Add(b)
	}
	s.pathBox.Refresh()
}

// showUsage shows the used space against the quota.
func (s *FilesScreen) showUsage(us wire.FilesUsage) {
	s.usage = us
	s.Usage.Max = float64(max(us.Quota, 1))
	s.Usage.SetValue(float64(min(us.Used, max(us.Quota, 1))))
	s.UsageText.SetText(T("files.usage", "Used", filesSize(us.Used), "Quota", filesSize(us.Quota)))
	if us.Quota > 0 && us.Used*10 >= us.Quota*9 {
		s.UsageText.Importance = widget.DangerImportance
	} else {
		s.UsageText.Importance = widget.MediumImportance
	}
	s.UsageText.Refresh()
}

// showListing shows the open folder's subfolders and files with the
// buttons the person's rights allow.
func (s *FilesScreen) showListing() {
	s.listBox.RemoveAll()
	s.FolderRows, s.FileRows = nil, nil
	l := s.Listing
	if l == nil {
		s.Heading.SetText("")
		s.Upload.Disable()
		s.NewFolder.Disable()
		return
	}
	f := l.Folder
	s.Heading.SetText(filesFolderHint(f))
	if f.MayUpload {
		s.Upload.Enable()
	} else {
		s.Upload.Disable()
	}
	// A drop folder has no subfolders (the server refuses them).
	if f.MayWrite && f.Kind != wire.FilesDrop {
		s.NewFolder.Enable()
		s.NewFolder.Show()
	} else {
		s.NewFolder.Disable()
		s.NewFolder.Hide()
	}
	u := s.u
	for _, sub := range l.Folders {
		sub := sub
		r := &FilesFolderRow{Folder: sub}
		r.Open = widget.NewButtonWithIcon(sub.Name, theme.FolderIcon(), func() { u.filesGo(s, sub.ID) })
		r.Open.Alignment = widget.ButtonAlignLeading
		r.Rename = widget.NewButtonWithIcon(T("files.rename"), theme.DocumentCreateIcon(), func() { u.filesAskRenameFolder(s, sub) })
		r.Delete = widget.NewButtonWithIcon(T("files.delete"), theme.DeleteIcon(), func() { u.filesAskDeleteFolder(s, sub) })
		showIf(r.Rename, sub.MayWrite)
		showIf(r.Delete, sub.MayWrite)
		s.FolderRows = append(s.FolderRows, r)
		s.listBox.Add(container.NewBorder(nil, nil, nil, container.NewHBox(r.Rename, r.Delete), r.Open))
	}
	for _, file := range l.Files {
		file := file
		r := &FilesFileRow{File: file}
		r.Name = widget.NewLabelWithStyle(file.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		r.Name.Truncation = fyne.TextTruncateEllipsis
		info := T("files.info", "Size", filesSize(file.Size), "Date", mailLongDate(file.UpdatedAt))
		if !file.Mine && file.Owner.Name != "" {
			info = T("files.info_owner", "Size", filesSize(file.Size), "Date", mailLongDate(file.UpdatedAt), "Name", file.Owner.Name)
		}
		r.Info = widget.NewLabel(info)
		r.Info.SizeName = theme.SizeNameCaptionText
		r.Info.Truncation = fyne.TextTruncateEllipsis
		r.Download = widget.NewButtonWithIcon(T("files.open"), theme.DownloadIcon(), func() { u.filesDownload(s, file) })
		r.Rename = widget.NewButtonWithIcon(T("files.rename"), theme.DocumentCreateIcon(), func() { u.filesAskRenameFile(s, file) })
		r.Move = widget.NewButtonWithIcon(T("files.move"), theme.MailForwardIcon(), func() { u.filesAskMove(s, file) })
		r.Delete = widget.NewButtonWithIcon(T("files.delete"), theme.DeleteIcon(), func() { u.filesAskDeleteFile(s, file) })
		showIf(r.Rename, file.MayChange)
		showIf(r.Move, s.filesMayMove(file))
		showIf(r.Delete, file.MayChange)
		s.FileRows = append(s.FileRows, r)
		s.listBox.Add(container.NewBorder(nil, nil, widget.NewIcon(filesIcon(file.Name)),
			container.NewCenter(container.NewHBox(r.Download, r.Rename, r.Move, r.Delete)), container.NewVBox(r.Name, r.Info)))
	}
	showIf(s.Empty, len(l.Folders) == 0 && len(l.Files) == 0)
	s.listBox.Refresh()
}

// filesFolderHint says what a folder is for and who sees what is in it.
func filesFolderHint(f wire.FilesFolder) string {
	switch {
	case f.Kind == wire.FilesDrop && f.MayWrite:
		return T("files.hint.drop_teacher")
	case f.Kind == wire.FilesDrop:
		return T("files.hint.drop")
	case f.Kind == wire.FilesGroup && f.MayUpload:
		return T("files.hint.group_teacher")
	case f.Kind == wire.FilesGroup:
		return T("files.hint.group")
	}
	return T("files.hint.personal")
}

// filesIcon picks an icon by the file's kind.
func filesIcon(name string) fyne.Resource {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".webp":
		return theme.FileImageIcon()
	case ".mp3", ".wav", ".ogg", ".m4a":
		return theme.FileAudioIcon()
	case ".mp4", ".webm", ".mov", ".avi", ".mkv":
		return theme.FileVideoIcon()
	case ".txt", ".md", ".csv", ".rtf":
		return theme.FileTextIcon()
	case ".exe", ".msi", ".jar", ".apk", ".sh", ".bat", ".cmd":
		return theme.FileApplicationIcon()
	}
	return theme.FileIcon()
}

// filesFileError is a file the client refuses before any upload, or
// cannot read.
type filesFileError struct {
	name string
	size int64
	kind int
}

const (
	filesTooLarge   = iota + 1 // over wire.MaxUpload
	filesUnreadable            // not there, a folder, no permission
)

func (e *filesFileError) Error() string { return "ui: file " + e.name + " refused" }

// text is the message for the person (made on the UI goroutine, where the
// translations are read).
func (e *filesFileError) text() string {
	if e.kind == filesTooLarge {
		return T("files.too_large", "Name", e.name, "Size", filesSize(e.size), "Limit", wire.MaxUpload>>20)
	}
	return T("files.unreadable", "Name", e.name)
}

// filesFailed shows the German message of err (the server's, or the
// client's own) with say; as in mail, an ended session goes to the
// login.
func (u *UI) filesFailed(err error, say func(text string, danger bool)) bool {
	var fe *filesFileError
	if errors.As(err, &fe) {
		if u.sess != nil {
			say(fe.text(), true)
		}
		return true
	}
	return u.mailFailed(err, say)
}

// filesAskUpload asks for a file and uploads it into the open folder.
func (u *UI) filesAskUpload(s *FilesScreen) {
	if s.Listing == nil || !s.Listing.Folder.MayUpload {
		return
	}
	u.opts.PickFile(func(path string) {
		if path != "" {
			u.filesUpload(s, path)
		}
	})
}

// filesUpload checks the file's size (on the worker: the file may lie on
// a slow network drive) and uploads it only if it is at most 20 MB: a
// larger one is refused here with the limit named, before a byte goes
// over the network. Everything else (programs for pupils, the quota, the
// name) the server decides, and its German answer shows above the list.
func (u *UI) filesUpload(s *FilesScreen, path string) {
	name := filepath.Base(path)
	folder := s.Listing.Folder.ID
	s.uploading++
	s.Upload.Disable()
	s.setStatus(T("files.uploading", "Name", name), false)
	var stored wire.FilesFile
	var usage wire.FilesUsage
	u.runInSession(func(ctx context.Context) error {
		f, err := os.Open(path)
		if err != nil {
			return &filesFileError{name: name, kind: filesUnreadable}
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return &filesFileError{name: name, kind: filesUnreadable}
		}
		if st.Size() > wire.MaxUpload {
			return &filesFileError{name: name, size: st.Size(), kind: filesTooLarge}
		}
		if stored, err = s.api.FilesUpload(ctx, folder, name, f, st.Size()); err != nil {
			return err
		}
		usage, _ = s.api.FilesUsage(ctx) // only the bar; the upload is done
		return nil
	}, func(err error) {
		s.uploading--
		if s.Listing != nil && s.Listing.Folder.MayUpload && s.uploading == 0 {
			s.Upload.Enable()
		}
		if u.filesFailed(err, s.setStatus) {
			return
		}
		if usage.Quota > 0 {
			s.showUsage(usage)
		}
		if stored.Name != name {
			s.setStatus(T("files.uploaded_as", "Name", name, "Stored", stored.Name), false)
		} else {
			s.setStatus(T("files.uploaded", "Name", stored.Name), false)
		}
		if s.openID() == folder {
			u.filesOpen(s, folder)
		}
	})
}

// filesDownload saves a file into the files folder and opens it with the
// system's viewer. In the PC room that folder goes at the logout; a
// download that finishes after the logout is removed at once.
func (u *UI) filesDownload(s *FilesScreen, f wire.FilesFile) {
	sess := u.sess
	var path string
	u.run(func(ctx context.Context) error {
		var err error
		path, err = u.saveFile(f.Name, func(w io.Writer) error {
			_, _, err := s.api.FilesDownload(ctx, f.ID, w)
			return err
		})
		return err
	}, func(err error) {
		if u.sess != sess || u.sess == nil {
			if err == nil {
				os.Remove(path)
				if u.gate != nil {
					os.Remove(u.opts.FilesDir) // only if empty: the next person's session folder
				}
			}
			return
		}
		if err != nil && serverapi.Code(err) == "" && !errors.Is(err, serverapi.ErrUnreachable) {
			s.setStatus(T("files.save_failed", "Name", f.Name), true) // the local disk, not the server
			return
		}
		if u.filesFailed(err, s.setStatus) {
			return
		}
		s.Saved = path
		if err := u.opts.OpenFile(path); err != nil {
			s.setStatus(T("files.saved_not_opened", "Name", filepath.Base(path), "Folder", filepath.Dir(path)), false)
			return
		}
		s.setStatus(T("files.opened", "Name", filepath.Base(path)), false)
	})
}

// filesAskName shows the name dialog; ok gets the name typed and a say
// for the server's refusal (the dialog stays open on a refusal, with
// the name, so a taken name can be changed).
func (u *UI) filesAskName(s *FilesScreen, title, initial string, ok func(name string, d *FilesNameDialog)) {
	d := &FilesNameDialog{Name: widget.NewEntry(), Message: widget.NewLabel("")}
	d.Name.SetText(initial)
	d.Name.SetPlaceHolder(T("files.name_hint"))
	d.Message.Wrapping = fyne.TextWrapWord
	d.Message.Hide()
	submit := func() {
		name := strings.TrimSpace(d.Name.Text)
		if name == "" {
			mailSetLabel(d.Message, T("files.name_missing"), true)
			return
		}
		ok(name, d)
	}
	d.Name.OnChanged = func(string) { u.touch() }
	d.Name.OnSubmitted = func(string) { submit() }
	d.OK = widget.NewButtonWithIcon(T("files.name_ok"), theme.ConfirmIcon(), submit)
	d.OK.Importance = widget.HighImportance
	d.Cancel = widget.NewButtonWithIcon(T("files.name_cancel"), theme.CancelIcon(), func() { s.closeAsk(d) })
	d.Dialog = dialog.NewCustomWithoutButtons(title, container.NewVBox(d.Name, d.Message), u.win)
	d.Dialog.SetButtons([]fyne.CanvasObject{d.Cancel, d.OK})
	d.Dialog.Resize(fyne.NewSize(420, 200))
	s.Ask = d
	d.Dialog.Show()
	u.win.Canvas().Focus(d.Name)
}

func (s *FilesScreen) closeAsk(d *FilesNameDialog) {
	d.Dialog.Hide()
	if s.Ask == d {
		s.Ask = nil
	}
}

// filesAskNewFolder makes a subfolder of the open folder.
func (u *UI) filesAskNewFolder(s *FilesScreen) {
	if s.Listing == nil || !s.Listing.Folder.MayWrite {
		return
	}
	parent := s.Listing.Folder.ID
	u.filesAskName(s, T("files.new_folder"), "", func(name string, d *FilesNameDialog) {
		u.filesChange(s, d, func(ctx context.Context) error {
			_, err := s.api.FilesCreateFolder(ctx, parent, name)
			return err
		}, T("files.folder_made", "Name", name))
	})
}

func (u *UI) filesAskRenameFolder(s *FilesScreen, f wire.FilesFolder) {
	u.filesAskName(s, T("files.rename_title", "Name", f.Name), f.Name, func(name string, d *FilesNameDialog) {
		u.filesChange(s, d, func(ctx context.Context) error {
			_, err := s.api.FilesRenameFolder(ctx, f.ID, name)
			return err
		}, T("files.renamed", "Name", name))
	})
}

func (u *UI) filesAskRenameFile(s *FilesScreen, f wire.FilesFile) {
	u.filesAskName(s, T("files.rename_title", "Name", f.Name), f.Name, func(name string, d *FilesNameDialog) {
		u.filesChange(s, d, func(ctx context.Context) error {
			_, err := s.api.FilesUpdate(ctx, f.ID, wire.FilesFileChange{Name: name})
			return err
		}, T("files.renamed", "Name", name))
	})
}

// filesChange does a change of the open folder, then reloads it. d is
// the name dialog it came from (nil for a deletion): a refusal shows
// there, and it closes when the change is done.
func (u *UI) filesChange(s *FilesScreen, d *FilesNameDialog, change func(ctx context.Context) error, done string) {
	folder := s.openID()
	if d != nil {
		d.OK.Disable()
	}
	var usage wire.FilesUsage
	u.runInSession(func(ctx context.Context) error {
		if err := change(ctx); err != nil {
			return err
		}
		usage, _ = s.api.FilesUsage(ctx)
		return nil
	}, func(err error) {
		say := s.setStatus
		if d != nil {
			d.OK.Enable()
			say = func(text string, danger bool) { mailSetLabel(d.Message, text, danger) }
		}
		if u.filesFailed(err, say) {
			return
		}
		if d != nil {
			s.closeAsk(d)
		}
		if usage.Quota > 0 {
			s.showUsage(usage)
		}
		s.setStatus(done, false)
		u.filesOpen(s, folder)
	})
}

func (u *UI) filesAskDeleteFile(s *FilesScreen, f wire.FilesFile) {
	u.filesConfirmDelete(s, T("files.delete_file.question", "Name", f.Name), func(ctx context.Context) error {
		return s.api.FilesDelete(ctx, f.ID)
	}, T("files.deleted", "Name", f.Name))
}

func (u *UI) filesAskDeleteFolder(s *FilesScreen, f wire.FilesFolder) {
	u.filesConfirmDelete(s, T("files.delete_folder.question", "Name", f.Name), func(ctx context.Context) error {
		return s.api.FilesDeleteFolder(ctx, f.ID)
	}, T("files.deleted", "Name", f.Name))
}

// filesConfirmDelete asks before deleting: there is no trash.
func (u *UI) filesConfirmDelete(s *FilesScreen, question string, del func(ctx context.Context) error, done string) {
	d := dialog.NewConfirm(T("files.delete.title"), question, func(yes bool) {
		s.ConfirmDelete = nil
		if yes {
			u.filesChange(s, nil, del, done)
		}
	}, u.win)
	d.SetConfirmText(T("files.delete.yes"))
	d.SetDismissText(T("files.delete.no"))
	d.SetConfirmImportance(widget.DangerImportance)
	s.ConfirmDelete = d
	d.Show()
}

// filesSize is a size as people read it ("1,5 MB", "2 GB").
func filesSize(n int64) string {
	switch {
	case n < 1024:
		return T("files.size.bytes", "Size", n)
	case n < 1<<20:
		return T("files.size.kb", "Size", mailDecimal(float64(n)/1024))
	case n < 1<<30:
		return T("files.size.mb", "Size", mailDecimal(float64(n)/(1<<20)))
	}
	return T("files.size.gb", "Size", mailDecimal(float64(n)/(1<<30)))
}

// filesPercent is the text on the usage bar.
func filesPercent(us wire.FilesUsage) string {
	if us.Quota <= 0 {
		return ""
	}
	return T("files.usage.percent", "Percent", int(us.Used*100/us.Quota))
}
