package ui

import (
	"context"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// Worksheets and hand-ins from „Meine Dateien“: on a school PC the work
// is saved in the school server's files, so beside "Datei abgeben" and
// "Arbeitsblatt hinzufügen" a button opens the file picker
// (files_picker.go) and the server takes the file chosen
// (docs/api/homework.md, "From „Meine Dateien“"): no byte goes through
// the client, and the server's rules of an upload apply. Its German
// refusals show where the upload's do. The buttons hide while the files
// module is off.

// HomeworkFilesAPI is what the homework screens need to take a file from
// „Meine Dateien“; *serverapi.Client is one.
type HomeworkFilesAPI interface {
	AddHomeworkFileFromFiles(ctx context.Context, id, fileID int64) (wire.HomeworkFile, error)
	HandInFileFromFiles(ctx context.Context, id, fileID int64) (wire.HomeworkFile, error)
}

// homeworkFilesAPI is the UI's client as a HomeworkFilesAPI, or nil.
func (u *UI) homeworkFilesAPI() HomeworkFilesAPI {
	a, _ := u.api.(HomeworkFilesAPI)
	return a
}

// hwFilesOn tells whether files can come from „Meine Dateien“: the files
// module is on for the person and the client has the calls.
func (u *UI) hwFilesOn() bool { return u.filesOn() && u.homeworkFilesAPI() != nil }

// hwFromFilesButton is an „Aus Meine Dateien“ button, hidden while the
// files module is off.
func (u *UI) hwFromFilesButton(tapped func()) *widget.Button {
	b := widget.NewButtonWithIcon(T("homework.files.from_files"), theme.FolderOpenIcon(), tapped)
	if !u.hwFilesOn() {
		b.Hide()
	}
	return b
}

// hwPickFromFiles opens the picker on „Meine Dateien“; the file tapped
// closes it and goes to pick.
func (u *UI) hwPickFromFiles(title, intro string, pick func(f wire.FilesFile)) {
	u.showFilesPicker(title, intro, func(p *FilesPicker, f wire.FilesFile) {
		u.filesPickerClose(p)
		pick(f)
	})
}

// handInFromFiles opens the picker and hands in the file chosen.
func (v *HomeworkWorkView) handInFromFiles() {
	v.s.u.hwPickFromFiles(T("homework.files.handin_title"), T("homework.files.handin_intro"), v.handInFile)
}

// handInFile asks the server to hand in a file of „Meine Dateien“, then
// shows the hand-in with its new state, as an upload does.
func (v *HomeworkWorkView) handInFile(f wire.FilesFile) {
	u := v.s.u
	api := u.homeworkFilesAPI()
	if api == nil {
		return
	}
	setPlain(v.Message, T("homework.files.handing_in", "Name", f.Name))
	v.changeFiles(func(ctx context.Context, id int64) error {
		_, err := api.HandInFileFromFiles(ctx, id, f.ID)
		return err
	}, T("homework.work.file_sent", "Name", f.Name))
}

// addSheetFromFiles opens the picker and adds the file chosen as a
// worksheet; the page is loaded anew with it.
func (v *HomeworkHandinsView) addSheetFromFiles() {
	u := v.s.u
	u.hwPickFromFiles(T("homework.files.sheet_title"), T("homework.files.sheet_intro"), func(f wire.FilesFile) {
		api := u.homeworkFilesAPI()
		if api == nil {
			return
		}
		id := v.Homework.ID
		setPlain(v.Message, T("homework.files.adding", "Name", f.Name))
		u.runInSession(func(ctx context.Context) error {
			_, err := api.AddHomeworkFileFromFiles(ctx, id, f.ID)
			return err
		}, func(err error) {
			if err != nil {
				hwFail(u, v.Message, err)
				return
			}
			v.s.openHandinsAt(id, v.selectedLogin(), T("homework.page.sheet_added", "Name", f.Name), "")
		})
	})
}

// addFromFiles chooses a worksheet of „Meine Dateien“ for a new homework;
// the server takes it when the homework is saved.
func (e *HomeworkEditor) addFromFiles() {
	e.s.u.hwPickFromFiles(T("homework.files.sheet_title"), T("homework.files.sheet_intro"), func(f wire.FilesFile) {
		if len(e.Files)+len(e.FromFiles) >= 10 {
			setProblem(e.Message, T("homework.edit.too_many_files"))
			return
		}
		clearMessage(e.Message)
		e.FromFiles = append(e.FromFiles, f)
		e.showFiles()
	})
}
