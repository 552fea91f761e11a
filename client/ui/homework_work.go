package ui

import (
	"context"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// HomeworkWorkView is one homework as a pupil sees it: what to do and by
// when, the worksheets, the own state as a big badge with the server's
// sentence beside it, buttons to mark the progress, the hand-in (a text
// and files) and the teacher's feedback. Every change goes to the server
// at once; nothing is lost when the pupil is logged out in the PC room.
type HomeworkWorkView struct {
	Back    *widget.Button
	Title   *widget.Label
	Group   *widget.Label // "Klasse 3a · von Tina Lehmann"
	Due     *widget.Label // "Abgabe bis Mittwoch, 02.12.2026"
	Text    *widget.Label // the task
	Sheets  []*widget.Button
	Badge   *HomeworkBadge
	Late    *HomeworkBadge
	Hint    *widget.Label // the server's German sentence
	Message *widget.Label

	// Progress: only the buttons that make sense in the state show.
	MarkStarted *widget.Button // "Ich habe angefangen"
	MarkDone    *widget.Button // "Ich bin fertig" (work on paper)
	MarkNew     *widget.Button // "Noch nicht angefangen"

	Answer      *widget.Entry  // the hand-in's text
	SendText    *widget.Button // "Text abgeben" / "Text ändern"
	AddFile     *widget.Button // "Datei abgeben"
	FromFiles   *widget.Button // „Aus Meine Dateien“ (hidden while the files module is off)
	Files       []*widget.Button
	RemoveFiles []*widget.Button
	Locked      *widget.Label // after feedback the hand-in is closed

	FeedbackBox *fyne.Container
	Feedback    *widget.Label // the teacher's words
	FeedbackBy  *widget.Label

	Homework wire.Homework
	// Saved is the path of the file opened last (for tests).
	Saved string

	busy      int // uploads and hand-ins on the way
	s         *HomeworkScreen
	sheets    *fyne.Container
	files     *fyne.Container
	progress  *fyne.Container
	handinBox *fyne.Container
	box       *fyne.Container
	scroll    *container.Scroll
}

// openWork loads a homework with the own work and shows it.
func (s *HomeworkScreen) openWork(id int64) {
	var h wire.Homework
	shown := s.u.hwShown()
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		h, err = s.api.Homework(ctx, id)
		return err
	}, func(err error) {
		if s.u.hwShown() != shown {
			return
		}
		if err != nil {
			hwFail(s.u, s.Message, err)
			return
		}
		s.showWork(h)
	})
}

func (s *HomeworkScreen) showWork(h wire.Homework) {
	u := s.u
	v := &HomeworkWorkView{s: s, Homework: h}
	v.Back = widget.NewButtonWithIcon(T("nav.back"), theme.NavigateBackIcon(), func() { s.back("") })
	v.Title = widget.NewLabelWithStyle(h.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Title.SizeName = theme.SizeNameHeadingText
	v.Title.Wrapping = fyne.TextWrapWord
	v.Group = widget.NewLabel(T("homework.work.from", "Group", h.GroupTitle, "Teacher", h.CreatedBy))
	v.Due = widget.NewLabelWithStyle(T("homework.work.due", "Due", hwDueTitle(h)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Text = hwWrapped(h.Text)
	showIf(v.Text, strings.TrimSpace(h.Text) != "")
	v.Badge = newHomeworkBadge()
	v.Late = newHomeworkBadge()
	v.Late.SetLate()
	v.Hint = hwWrapped("")
	v.Hint.TextStyle.Bold = true
	v.Message = newMessage()

	v.MarkStarted = widget.NewButtonWithIcon(T("homework.work.mark_started"), theme.MediaPlayIcon(), func() { v.mark(wire.HomeworkStarted) })
	v.MarkDone = widget.NewButtonWithIcon(T("homework.work.mark_done"), theme.ConfirmIcon(), func() { v.mark(wire.HomeworkDone) })
	v.MarkDone.Importance = widget.SuccessImportance
	v.MarkNew = widget.NewButtonWithIcon(T("homework.work.mark_new"), theme.ContentUndoIcon(), func() { v.mark(wire.HomeworkNew) })
	v.progress = container.NewHBox(v.MarkStarted, v.MarkDone, v.MarkNew)

	v.Answer = widget.NewMultiLineEntry()
	v.Answer.Wrapping = fyne.TextWrapWord
	v.Answer.SetMinRowsVisible(5)
	v.Answer.SetPlaceHolder(T("homework.work.answer_hint"))
	v.Answer.OnChanged = func(string) { u.touch() }
	v.SendText = widget.NewButtonWithIcon(T("homework.work.send_text"), theme.MailSendIcon(), v.sendText)
	v.SendText.Importance = widget.HighImportance
	v.AddFile = widget.NewButtonWithIcon(T("homework.work.add_file"), theme.UploadIcon(), v.addFile)
	v.FromFiles = u.hwFromFilesButton(v.handInFromFiles)
	v.Locked = hwWrapped(T("homework.work.locked"))
	v.Locked.Importance = widget.WarningImportance
	v.files = container.NewVBox()
	v.handinBox = container.NewVBox(
		hwField(T("homework.work.answer"), v.Answer),
		container.NewHBox(v.SendText, v.AddFile, v.FromFiles),
		v.files,
		v.Locked,
	)

	v.Feedback = hwWrapped("")
	v.Feedback.TextStyle.Bold = true
	v.Feedback.SizeName = theme.SizeNameSubHeadingText
	v.FeedbackBy = widget.NewLabel("")
	fb := newHomeworkBadge()
	fb.SetFeedback()
	v.FeedbackBox = container.NewVBox(widget.NewSeparator(), container.NewHBox(fb, v.FeedbackBy), v.Feedback)

	v.sheets = container.NewVBox()
	for _, f := range h.Files {
		f := f
		b := hwFileButton(f, func() {
			u.hwSaveOpen(f.Name, func(ctx context.Context, w io.Writer) error {
				_, _, err := s.api.HomeworkFile(ctx, h.ID, f.ID, w)
				return err
			}, v.Message, &v.Saved)
		})
		v.Sheets = append(v.Sheets, b)
		v.sheets.Add(b)
	}
	sheetsPart := container.NewVBox(widget.NewLabelWithStyle(T("homework.work.sheets"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.sheets)
	showIf(sheetsPart, len(h.Files) > 0)

	state := container.NewHBox(v.Badge, v.Late)
	v.box = container.NewVBox(
		container.NewHBox(v.Back),
		v.Title, v.Group, v.Due, v.Text, sheetsPart,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("homework.work.my_state"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		state, v.Hint, v.progress,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("homework.work.handin"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.handinBox,
		v.FeedbackBox,
		v.Message,
	)
	if h.Work != nil {
		v.Answer.SetText(h.Work.Text)
	}
	v.update()
	s.Work, s.Editor, s.Handins, s.Classes = v, nil, nil, nil
	v.scroll = container.NewVScroll(container.NewPadded(calNarrowed(720, v.box)))
	u.openScreen(T("homework.title"), v.scroll)
}

// work is the own work, never nil.
func (v *HomeworkWorkView) work() wire.HomeworkWork {
	if v.Homework.Work == nil {
		return wire.HomeworkWork{State: wire.HomeworkNew}
	}
	return *v.Homework.Work
}

// update shows the state and what can be done in it.
func (v *HomeworkWorkView) update() {
	w := v.work()
	v.Badge.SetState(w.State)
	showIf(v.Late, w.Late)
	v.Hint.SetText(w.Hint)
	locked := w.Feedback != ""
	handedIn := w.HandedIn

	// Marking: what fits the state. A hand-in makes it done; to undo it
	// the pupil takes the hand-in back (the server says so, too).
	showIf(v.MarkStarted, !locked && (w.State == wire.HomeworkNew || w.State == wire.HomeworkOverdue || w.State == wire.HomeworkDone && !handedIn))
	showIf(v.MarkDone, !locked && w.State != wire.HomeworkDone)
	showIf(v.MarkNew, !locked && w.State == wire.HomeworkStarted)
	if w.State == wire.HomeworkDone && !handedIn {
		v.MarkStarted.SetText(T("homework.work.not_done"))
	} else {
		v.MarkStarted.SetText(T("homework.work.mark_started"))
	}

	if strings.TrimSpace(w.Text) != "" {
		v.SendText.SetText(T("homework.work.change_text"))
	} else {
		v.SendText.SetText(T("homework.work.send_text"))
	}
	showIf(v.SendText, !locked)
	showIf(v.AddFile, !locked && len(w.Files) < 10)
	showIf(v.FromFiles, !locked && len(w.Files) < 10 && v.s.u.hwFilesOn())
	showIf(v.Locked, locked)
	if locked {
		v.Answer.Disable()
	} else {
		v.Answer.Enable()
	}
	v.showFiles(w, locked)

	v.Feedback.SetText(w.Feedback)
	by := T("homework.work.feedback_from", "Name", w.FeedbackBy)
	if w.FeedbackBy == "" {
		by = T("homework.work.feedback")
	}
	v.FeedbackBy.SetText(by)
	showIf(v.FeedbackBox, locked)
	v.updateBusy()
	if v.box != nil {
		v.box.Refresh()
	}
}

// showFiles lists the handed-in files, each to open and (until the
// feedback) to take back.
func (v *HomeworkWorkView) showFiles(w wire.HomeworkWork, locked bool) {
	u := v.s.u
	v.files.RemoveAll()
	v.Files, v.RemoveFiles = nil, nil
	id := v.Homework.ID
	for _, f := range w.Files {
		f := f
		open := hwFileButton(f, func() {
			u.hwSaveOpen(f.Name, func(ctx context.Context, w io.Writer) error {
				_, _, err := v.s.api.OwnHandInFile(ctx, id, f.ID, w)
				return err
			}, v.Message, &v.Saved)
		})
		rm := widget.NewButtonWithIcon(T("homework.work.remove_file"), theme.ContentRemoveIcon(), func() { v.removeFile(f) })
		showIf(rm, !locked)
		v.Files = append(v.Files, open)
		v.RemoveFiles = append(v.RemoveFiles, rm)
		v.files.Add(container.NewBorder(nil, nil, nil, rm, open))
	}
}

// updateBusy keeps the hand-in buttons from being tapped twice while an
// upload runs.
func (v *HomeworkWorkView) updateBusy() {
	for _, b := range []*widget.Button{v.SendText, v.AddFile, v.FromFiles, v.MarkDone, v.MarkStarted, v.MarkNew} {
		if v.busy > 0 {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// setWork takes the server's answer: the work with the new state and
// sentence (files stay as they were when the answer has none).
func (v *HomeworkWorkView) setWork(w wire.HomeworkWork) {
	if w.Files == nil && v.Homework.Work != nil {
		w.Files = v.Homework.Work.Files
	}
	v.Homework.Work = &w
	v.update()
}

// mark sets the own progress.
func (v *HomeworkWorkView) mark(state string) {
	id := v.Homework.ID
	v.busy++
	v.updateBusy()
	clearMessage(v.Message)
	var w wire.HomeworkWork
	v.s.u.runInSession(func(ctx context.Context) error {
		var err error
		w, err = v.s.api.SetHomeworkProgress(ctx, id, state)
		return err
	}, func(err error) {
		v.busy--
		if err != nil {
			v.updateBusy()
			hwFail(v.s.u, v.Message, err)
			return
		}
		v.setWork(w)
		setInfo(v.Message, T("homework.work.marked", "State", hwStateName(w.State)))
	})
}

// sendText hands the text in (an empty text takes it back).
func (v *HomeworkWorkView) sendText() {
	id, text := v.Homework.ID, strings.TrimSpace(v.Answer.Text)
	if text == "" && strings.TrimSpace(v.work().Text) == "" {
		setProblem(v.Message, T("homework.work.empty_text"))
		return
	}
	v.busy++
	v.updateBusy()
	setPlain(v.Message, T("homework.work.sending"))
	var w wire.HomeworkWork
	v.s.u.runInSession(func(ctx context.Context) error {
		var err error
		w, err = v.s.api.HandInText(ctx, id, text)
		return err
	}, func(err error) {
		v.busy--
		if err != nil {
			v.updateBusy()
			hwFail(v.s.u, v.Message, err)
			return
		}
		v.setWork(w)
		if text == "" {
			setInfo(v.Message, T("homework.work.text_taken_back"))
		} else {
			setInfo(v.Message, T("homework.work.text_sent"))
		}
	})
}

// addFile asks for a file and hands it in; one over 20 MB is refused
// before the upload, with the limit named.
func (v *HomeworkWorkView) addFile() {
	v.s.u.opts.PickFile(func(path string) {
		if path != "" {
			v.upload(path)
		}
	})
}

func (v *HomeworkWorkView) upload(path string) {
	setPlain(v.Message, T("homework.file.uploading", "Name", filepath.Base(path)))
	v.changeFiles(func(ctx context.Context, id int64) error {
		return hwUpload(ctx, path, func(ctx context.Context, name string, r io.Reader, size int64) error {
			_, err := v.s.api.HandInFile(ctx, id, name, r, size)
			return err
		})
	}, T("homework.work.file_sent", "Name", filepath.Base(path)))
}

// changeFiles changes the hand-in's files off the UI goroutine, then
// shows the hand-in anew — its state and sentence change with it — and
// done as the message; a refusal shows in the message line instead.
func (v *HomeworkWorkView) changeFiles(change func(ctx context.Context, id int64) error, done string) {
	id := v.Homework.ID
	v.busy++
	v.updateBusy()
	var h wire.Homework
	v.s.u.runInSession(func(ctx context.Context) error {
		if err := change(ctx, id); err != nil {
			return err
		}
		var err error
		h, err = v.s.api.Homework(ctx, id)
		return err
	}, func(err error) {
		v.busy--
		if err != nil {
			v.updateBusy()
			hwFail(v.s.u, v.Message, err)
			return
		}
		v.Homework = h
		v.update()
		setInfo(v.Message, done)
	})
}

// removeFile takes a file back from the hand-in.
func (v *HomeworkWorkView) removeFile(f wire.HomeworkFile) {
	v.changeFiles(func(ctx context.Context, id int64) error {
		return v.s.api.DeleteHandInFile(ctx, id, f.ID)
	}, T("homework.work.file_removed", "Name", f.Name))
}
