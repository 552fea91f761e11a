package api

import (
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"time"

	"kaspel/server/directory"
	"kaspel/server/files"
	"kaspel/server/homework"
	"kaspel/shared/wire"
)

// The homework module (docs/api/homework.md): teachers set homework for
// their classes and groups, pupils mark their progress and hand in, the
// teachers read the hand-ins and give feedback. The routes' roles are the
// coarse rule; who sees which homework and hand-in follows from the data
// (membership in the class) and is the service's: a homework the caller
// does not see answers 404, one they see but may not change 403.
func init() {
	modules = append(modules, module{name: wire.ModuleHomework, migrations: homework.Migrations, register: registerHomework})
}

// homeworkAPI holds the homework module's handlers.
type homeworkAPI struct {
	svc *homework.Service
}

var (
	homeworkTeachers = []directory.Role{directory.Teacher, directory.Admin}
	homeworkPupils   = []directory.Role{directory.Pupil}
)

func registerHomework(s *Server) error {
	svc, err := homework.New(s.DB, s.Dir, s.Blobs, s.cfg.Homework)
	if err != nil {
		return err
	}
	// A files service of its own for worksheets and hand-ins from the
	// caller's files: it shares the database and the blob store, and
	// homework takes files only through its Go API (files.Service.Blob).
	fs, err := files.New(s.DB, s.Dir, s.Blobs, s.cfg.Files)
	if err != nil {
		return err
	}
	svc.SetFiles(fs)
	h := &homeworkAPI{svc: svc}
	s.blobUsers = append(s.blobUsers, svc.BlobInUse)
	a := Access{Module: wire.ModuleHomework}
	teach := Access{Module: wire.ModuleHomework, Roles: homeworkTeachers}
	teachUp := Access{Module: wire.ModuleHomework, Roles: homeworkTeachers, MaxBody: wire.MaxUpload}
	learn := Access{Module: wire.ModuleHomework, Roles: homeworkPupils}
	learnUp := Access{Module: wire.ModuleHomework, Roles: homeworkPupils, MaxBody: wire.MaxUpload}
	route := s.handle // refusals are answered by mapError
	route("GET", "/api/v1/homework", a, h.list)
	route("POST", "/api/v1/homework", teach, h.create)
	route("GET", "/api/v1/homework/groups", teach, h.groups)
	route("GET", "/api/v1/homework/due-dates", teach, h.dueDates)
	route("GET", "/api/v1/homework/overview", teach, h.overview)
	route("GET", "/api/v1/homework/{id}", a, h.get)
	route("PUT", "/api/v1/homework/{id}", teach, h.update)
	route("DELETE", "/api/v1/homework/{id}", teach, h.delete)
	route("POST", "/api/v1/homework/{id}/files", teachUp, h.addFile)
	route("POST", "/api/v1/homework/{id}/files/from-files", teach, h.addFileFromFiles)
	route("GET", "/api/v1/homework/{id}/files/{file}", a, h.file)
	route("DELETE", "/api/v1/homework/{id}/files/{file}", teach, h.deleteFile)
	route("PUT", "/api/v1/homework/{id}/progress", learn, h.progress)
	route("PUT", "/api/v1/homework/{id}/handin", learn, h.handinText)
	route("POST", "/api/v1/homework/{id}/handin/files", learnUp, h.addHandinFile)
	route("POST", "/api/v1/homework/{id}/handin/files/from-files", learn, h.addHandinFileFromFiles)
	route("GET", "/api/v1/homework/{id}/handin/files/{file}", learn, h.ownHandinFile)
	route("DELETE", "/api/v1/homework/{id}/handin/files/{file}", learn, h.deleteHandinFile)
	route("GET", "/api/v1/homework/{id}/handins", teach, h.handins)
	route("GET", "/api/v1/homework/{id}/handins/{login}", teach, h.handin)
	route("PUT", "/api/v1/homework/{id}/handins/{login}/feedback", teach, h.feedback)
	route("GET", "/api/v1/homework/{id}/handins/{login}/files/{file}", teach, h.handinFile)
	return nil
}

func (h *homeworkAPI) list(c *call) error {
	list, err := h.svc.List(c.ctx, c.me, homework.ListQuery{Group: c.query("group"), All: c.flag("all")})
	if err != nil {
		return err
	}
	out := wire.HomeworkList{Homework: make([]wire.Homework, len(list))}
	for i, hw := range list {
		out.Homework[i] = wireHomework(hw)
	}
	return c.ok(out)
}

func (h *homeworkAPI) create(c *call) error {
	var req wire.HomeworkInput
	if err := c.decode(&req); err != nil {
		return err
	}
	hw, err := h.svc.Create(c.ctx, c.me, homeworkInput(req))
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireHomework(hw))
}

func (h *homeworkAPI) groups(c *call) error {
	list, err := h.svc.Groups(c.ctx, c.me)
	if err != nil {
		return err
	}
	out := wire.HomeworkGroups{Groups: make([]wire.HomeworkGroup, len(list))}
	for i, g := range list {
		out.Groups[i] = wire.HomeworkGroup{Name: g.Name, Title: homework.GroupTitle(g), Kind: string(g.Kind)}
	}
	return c.ok(out)
}

// dueDates tells the client the earliest due date for a start (default
// today), so that the date picker offers only what the rules allow.
func (h *homeworkAPI) dueDates(c *call) error {
	start := c.query("start")
	if start == "" {
		start = time.Now().In(berlin).Format("2006-01-02")
	}
	due, err := h.svc.EarliestDue(start)
	if err != nil {
		return err
	}
	return c.ok(wire.HomeworkDueDates{Start: start, MinSchoolDays: h.svc.MinSchoolDays(), EarliestDue: due})
}

func (h *homeworkAPI) overview(c *call) error {
	o, err := h.svc.Overview(c.ctx, c.me, c.query("group"), c.flag("all"))
	if err != nil {
		return err
	}
	out := wire.HomeworkOverview{Group: o.Group.Name, GroupTitle: o.Title, Homework: make([]wire.Homework, len(o.Homework)),
		Pupils: make([]wire.HomeworkOverviewRow, len(o.Pupils))}
	for i, hw := range o.Homework {
		out.Homework[i] = wireHomework(hw)
	}
	for i, r := range o.Pupils {
		row := wire.HomeworkOverviewRow{Login: r.Login, Name: r.Name, Done: r.Done, Open: r.Open, Overdue: r.Overdue,
			Cells: make([]wire.HomeworkOverviewCell, len(r.Cells))}
		for j, cell := range r.Cells {
			row.Cells[j] = wire.HomeworkOverviewCell{State: string(cell.State), Late: cell.Late, HandedIn: cell.HandedIn, Feedback: cell.Feedback}
		}
		out.Pupils[i] = row
	}
	return c.ok(out)
}

func (h *homeworkAPI) get(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	hw, err := h.svc.Get(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	return c.ok(wireHomework(hw))
}

func (h *homeworkAPI) update(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.HomeworkInput
	if err := c.decode(&req); err != nil {
		return err
	}
	hw, err := h.svc.Update(c.ctx, c.me, id, homeworkInput(req))
	if err != nil {
		return err
	}
	return c.ok(wireHomework(hw))
}

func (h *homeworkAPI) delete(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.ctx, c.me, id); err != nil {
		return err
	}
	return c.noContent()
}

// addFile takes the raw request body as a worksheet (name in ?name=).
// The route's MaxBody refuses a larger Content-Length before reading; a
// body without length is cut where it crosses the limit.
func (h *homeworkAPI) addFile(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	f, err := h.svc.AddFile(c.ctx, c.me, id, c.query("name"), c.r.Body)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireHomeworkFile(f))
}

// addFileFromFiles attaches a file the caller may see in their files as
// a worksheet, with the rules of addFile. While the files module is off
// it answers 404: it would be a way into a module that is closed.
func (h *homeworkAPI) addFileFromFiles(c *call) error {
	id, fileID, err := h.fromFiles(c)
	if err != nil {
		return err
	}
	f, err := h.svc.AddFileFromFiles(c.ctx, c.me, id, fileID)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireHomeworkFile(f))
}

// fromFiles reads the homework's id and the file's, once the files
// module is known to be on.
func (h *homeworkAPI) fromFiles(c *call) (int64, int64, error) {
	id, err := c.pathID("id")
	if err != nil {
		return 0, 0, err
	}
	var req wire.HomeworkFromFiles
	if err := c.decode(&req); err != nil {
		return 0, 0, err
	}
	on, err := c.s.Dir.Modules(c.ctx, []string{wire.ModuleFiles})
	if err != nil {
		return 0, 0, err
	}
	if !on[wire.ModuleFiles] {
		return 0, 0, errNotFound
	}
	return id, req.File, nil
}

func (h *homeworkAPI) file(c *call) error {
	id, fileID, err := homeworkFileIDs(c)
	if err != nil {
		return err
	}
	f, rd, err := h.svc.OpenFile(c.ctx, c.me, id, fileID)
	if err != nil {
		return err
	}
	return serveHomeworkFile(c, f, rd)
}

func (h *homeworkAPI) deleteFile(c *call) error {
	id, fileID, err := homeworkFileIDs(c)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteFile(c.ctx, c.me, id, fileID); err != nil {
		return err
	}
	return c.noContent()
}

func (h *homeworkAPI) progress(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.HomeworkProgress
	if err := c.decode(&req); err != nil {
		return err
	}
	st, err := homework.ParseState(req.State)
	if err != nil {
		return err
	}
	w, err := h.svc.SetProgress(c.ctx, c.me, id, st)
	if err != nil {
		return err
	}
	return c.ok(wireHomeworkWork(w))
}

func (h *homeworkAPI) handinText(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.HomeworkText
	if err := c.decode(&req); err != nil {
		return err
	}
	w, err := h.svc.SetHandinText(c.ctx, c.me, id, req.Text)
	if err != nil {
		return err
	}
	return c.ok(wireHomeworkWork(w))
}

// addHandinFile hands in the raw request body as a file (name in ?name=),
// streamed to disk with the same limits as addFile.
func (h *homeworkAPI) addHandinFile(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	f, err := h.svc.AddHandinFile(c.ctx, c.me, id, c.query("name"), c.r.Body)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireHomeworkFile(f))
}

// addHandinFileFromFiles hands in a file the pupil may see in their
// files, with the rules of addHandinFile.
func (h *homeworkAPI) addHandinFileFromFiles(c *call) error {
	id, fileID, err := h.fromFiles(c)
	if err != nil {
		return err
	}
	f, err := h.svc.AddHandinFileFromFiles(c.ctx, c.me, id, fileID)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireHomeworkFile(f))
}

func (h *homeworkAPI) ownHandinFile(c *call) error {
	id, fileID, err := homeworkFileIDs(c)
	if err != nil {
		return err
	}
	f, rd, err := h.svc.OpenOwnHandinFile(c.ctx, c.me, id, fileID)
	if err != nil {
		return err
	}
	return serveHomeworkFile(c, f, rd)
}

func (h *homeworkAPI) deleteHandinFile(c *call) error {
	id, fileID, err := homeworkFileIDs(c)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteHandinFile(c.ctx, c.me, id, fileID); err != nil {
		return err
	}
	return c.noContent()
}

func (h *homeworkAPI) handins(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	hw, list, err := h.svc.Handins(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	out := wire.HomeworkHandins{Homework: wireHomework(hw), Handins: make([]wire.HomeworkWork, len(list))}
	for i, w := range list {
		out.Handins[i] = wireHomeworkWork(w)
	}
	return c.ok(out)
}

func (h *homeworkAPI) handin(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	w, err := h.svc.Handin(c.ctx, c.me, id, c.r.PathValue("login"))
	if err != nil {
		return err
	}
	return c.ok(wireHomeworkWork(w))
}

func (h *homeworkAPI) feedback(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.HomeworkText
	if err := c.decode(&req); err != nil {
		return err
	}
	w, err := h.svc.SetFeedback(c.ctx, c.me, id, c.r.PathValue("login"), req.Text)
	if err != nil {
		return err
	}
	return c.ok(wireHomeworkWork(w))
}

func (h *homeworkAPI) handinFile(c *call) error {
	id, fileID, err := homeworkFileIDs(c)
	if err != nil {
		return err
	}
	f, rd, err := h.svc.OpenHandinFile(c.ctx, c.me, id, c.r.PathValue("login"), fileID)
	if err != nil {
		return err
	}
	return serveHomeworkFile(c, f, rd)
}

func homeworkFileIDs(c *call) (int64, int64, error) {
	id, err := c.pathID("id")
	if err != nil {
		return 0, 0, err
	}
	fileID, err := c.pathID("file")
	return id, fileID, err
}

// serveHomeworkFile streams a file from the blob store, never whole in
// memory, always as a download (a browser never renders it).
func serveHomeworkFile(c *call, f homework.File, rd *os.File) error {
	defer rd.Close()
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if disp == "" {
		disp = "attachment"
	}
	c.w.Header().Set("Content-Type", "application/octet-stream")
	c.w.Header().Set("Content-Disposition", disp)
	c.w.Header().Set("Content-Length", strconv.FormatInt(f.Size, 10))
	if _, err := io.Copy(c.w, rd); err != nil {
		c.s.Logger.Warn("api: homework file download cut off", "file", f.ID, "who", c.actor.Name, "err", err)
	}
	return nil
}

func homeworkInput(req wire.HomeworkInput) homework.Input {
	return homework.Input{Group: req.Group, Title: req.Title, Text: req.Text, Start: req.Start, Due: req.Due}
}

// optTime is nil for the zero time, so that JSON leaves it out.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func wireHomeworkFile(f homework.File) wire.HomeworkFile {
	return wire.HomeworkFile{ID: f.ID, Name: f.Name, Size: f.Size, CreatedAt: f.CreatedAt}
}

func wireHomeworkFiles(list []homework.File) []wire.HomeworkFile {
	if list == nil {
		return nil
	}
	out := make([]wire.HomeworkFile, len(list))
	for i, f := range list {
		out[i] = wireHomeworkFile(f)
	}
	return out
}

func wireHomeworkWork(w homework.Work) wire.HomeworkWork {
	return wire.HomeworkWork{Login: w.Login, Name: w.Name, State: string(w.State), StateTitle: w.State.German(), Late: w.Late,
		HandedIn: w.HandedIn, Text: w.Text, Files: wireHomeworkFiles(w.Files), FileCount: w.FileCount, DoneAt: optTime(w.DoneAt),
		HandedInAt: optTime(w.HandedInAt), ChangedAt: optTime(w.ChangedAt), Feedback: w.Feedback, FeedbackBy: w.FeedbackBy,
		FeedbackAt: optTime(w.FeedbackAt), Hint: w.Hint}
}

func wireHomework(h homework.Homework) wire.Homework {
	out := wire.Homework{ID: h.ID, Group: h.GroupName, GroupTitle: h.GroupTitle, Title: h.Title, Text: h.Text, Start: h.Start,
		Due: h.Due, DueTitle: h.DueTitle(), CreatedBy: h.CreatorName, CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt,
		FileCount: h.FileCount, Files: wireHomeworkFiles(h.Files), Manage: h.Manage, SeeHandins: h.SeeHandins, Planned: h.Planned}
	if h.Work != nil {
		w := wireHomeworkWork(*h.Work)
		out.Work = &w
	}
	if c := h.Counts; c != nil {
		out.Counts = &wire.HomeworkCounts{Pupils: c.Pupils, New: c.New, Started: c.Started, Done: c.Done, Overdue: c.Overdue,
			HandedIn: c.HandedIn, Late: c.Late}
	}
	return out
}
