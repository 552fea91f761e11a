package serverapi

import (
	"context"
	"io"
	"net/url"
	"strconv"

	"kaspel/shared/wire"
)

// Homework calls (docs/api/homework.md).

func homeworkPath(id int64) string { return "/api/v1/homework/" + strconv.FormatInt(id, 10) }

// HomeworkQuery filters the homework list.
type HomeworkQuery struct {
	Group string // a class or group by name ("3a"); "" for all of the caller's
	All   bool   // also homework due more than four weeks ago
}

// HomeworkList lists the caller's homework: a pupil's of their classes
// (what is still to do first, each with the pupil's own state), a
// teacher's of their classes and what they set (with the class's counts).
func (c *Client) HomeworkList(ctx context.Context, q HomeworkQuery) ([]wire.Homework, error) {
	v := url.Values{}
	if q.Group != "" {
		v.Set("group", q.Group)
	}
	if q.All {
		v.Set("all", "1")
	}
	var l wire.HomeworkList
	err := c.do(ctx, request{method: "GET", path: "/api/v1/homework", query: v, out: &l})
	return l.Homework, err
}

// Homework opens one homework with its worksheets; for a pupil with the
// own work (text, files, feedback).
func (c *Client) Homework(ctx context.Context, id int64) (wire.Homework, error) {
	var h wire.Homework
	err := c.do(ctx, request{method: "GET", path: homeworkPath(id), out: &h})
	return h, err
}

// HomeworkGroups lists the classes and groups the caller may set
// homework for (teachers: their own; admins: all).
func (c *Client) HomeworkGroups(ctx context.Context) ([]wire.HomeworkGroup, error) {
	var g wire.HomeworkGroups
	err := c.do(ctx, request{method: "GET", path: "/api/v1/homework/groups", out: &g})
	return g.Groups, err
}

// HomeworkDueDates tells the earliest due date the school's minimum
// working period allows for a start date (YYYY-MM-DD; "" for today).
func (c *Client) HomeworkDueDates(ctx context.Context, start string) (wire.HomeworkDueDates, error) {
	v := url.Values{}
	if start != "" {
		v.Set("start", start)
	}
	var d wire.HomeworkDueDates
	err := c.do(ctx, request{method: "GET", path: "/api/v1/homework/due-dates", query: v, out: &d})
	return d, err
}

// SetHomework sets a homework for a class or group (in.Group).
func (c *Client) SetHomework(ctx context.Context, in wire.HomeworkInput) (wire.Homework, error) {
	var h wire.Homework
	err := c.do(ctx, request{method: "POST", path: "/api/v1/homework", json: in, out: &h})
	return h, err
}

// UpdateHomework changes a homework's title, text and dates.
func (c *Client) UpdateHomework(ctx context.Context, id int64, in wire.HomeworkInput) (wire.Homework, error) {
	var h wire.Homework
	err := c.do(ctx, request{method: "PUT", path: homeworkPath(id), json: in, out: &h})
	return h, err
}

// DeleteHomework deletes a homework nobody handed anything in for.
func (c *Client) DeleteHomework(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: homeworkPath(id)})
}

// AddHomeworkFile attaches a worksheet, streamed from r. size is its
// length, or -1 if unknown (then the server cuts it where it crosses
// 20 MB).
func (c *Client) AddHomeworkFile(ctx context.Context, id int64, name string, r io.Reader, size int64) (wire.HomeworkFile, error) {
	var f wire.HomeworkFile
	err := c.do(ctx, request{method: "POST", path: homeworkPath(id) + "/files", query: url.Values{"name": {name}},
		body: r, size: size, contentType: "application/octet-stream", out: &f})
	return f, err
}

// AddHomeworkFileFromFiles attaches a file of the caller's files (by its
// id in the files module) as a worksheet; the server refers to the same
// content, nothing goes through the client.
func (c *Client) AddHomeworkFileFromFiles(ctx context.Context, id, fileID int64) (wire.HomeworkFile, error) {
	var f wire.HomeworkFile
	err := c.do(ctx, request{method: "POST", path: homeworkPath(id) + "/files/from-files", json: wire.HomeworkFromFiles{File: fileID}, out: &f})
	return f, err
}

// DeleteHomeworkFile removes a worksheet.
func (c *Client) DeleteHomeworkFile(ctx context.Context, id, fileID int64) error {
	return c.do(ctx, request{method: "DELETE", path: homeworkPath(id) + "/files/" + strconv.FormatInt(fileID, 10)})
}

// HomeworkFile streams a worksheet into w and returns its name and size.
func (c *Client) HomeworkFile(ctx context.Context, id, fileID int64, w io.Writer) (string, int64, error) {
	return c.stream(ctx, homeworkPath(id)+"/files/"+strconv.FormatInt(fileID, 10), w)
}

// SetHomeworkProgress marks the own progress (pupils): wire.HomeworkNew,
// wire.HomeworkStarted or wire.HomeworkDone.
func (c *Client) SetHomeworkProgress(ctx context.Context, id int64, state string) (wire.HomeworkWork, error) {
	var w wire.HomeworkWork
	err := c.do(ctx, request{method: "PUT", path: homeworkPath(id) + "/progress", json: wire.HomeworkProgress{State: state}, out: &w})
	return w, err
}

// HandInText hands in (or changes) the text of the own hand-in (pupils);
// "" takes the text back.
func (c *Client) HandInText(ctx context.Context, id int64, text string) (wire.HomeworkWork, error) {
	var w wire.HomeworkWork
	err := c.do(ctx, request{method: "PUT", path: homeworkPath(id) + "/handin", json: wire.HomeworkText{Text: text}, out: &w})
	return w, err
}

// HandInFile hands in a file (pupils), streamed from r as AddHomeworkFile.
func (c *Client) HandInFile(ctx context.Context, id int64, name string, r io.Reader, size int64) (wire.HomeworkFile, error) {
	var f wire.HomeworkFile
	err := c.do(ctx, request{method: "POST", path: homeworkPath(id) + "/handin/files", query: url.Values{"name": {name}},
		body: r, size: size, contentType: "application/octet-stream", out: &f})
	return f, err
}

// HandInFileFromFiles hands in a file of the caller's files (pupils), as
// AddHomeworkFileFromFiles.
func (c *Client) HandInFileFromFiles(ctx context.Context, id, fileID int64) (wire.HomeworkFile, error) {
	var f wire.HomeworkFile
	err := c.do(ctx, request{method: "POST", path: homeworkPath(id) + "/handin/files/from-files", json: wire.HomeworkFromFiles{File: fileID}, out: &f})
	return f, err
}

// OwnHandInFile streams a file of the own hand-in into w.
func (c *Client) OwnHandInFile(ctx context.Context, id, fileID int64, w io.Writer) (string, int64, error) {
	return c.stream(ctx, homeworkPath(id)+"/handin/files/"+strconv.FormatInt(fileID, 10), w)
}

// DeleteHandInFile takes a file back from the own hand-in.
func (c *Client) DeleteHandInFile(ctx context.Context, id, fileID int64) error {
	return c.do(ctx, request{method: "DELETE", path: homeworkPath(id) + "/handin/files/" + strconv.FormatInt(fileID, 10)})
}

// HomeworkHandins lists every pupil's work on a homework (its teachers).
func (c *Client) HomeworkHandins(ctx context.Context, id int64) (wire.HomeworkHandins, error) {
	var h wire.HomeworkHandins
	err := c.do(ctx, request{method: "GET", path: homeworkPath(id) + "/handins", out: &h})
	return h, err
}

// HomeworkHandin reads one pupil's work on a homework (its teachers).
func (c *Client) HomeworkHandin(ctx context.Context, id int64, login string) (wire.HomeworkWork, error) {
	var w wire.HomeworkWork
	err := c.do(ctx, request{method: "GET", path: homeworkPath(id) + "/handins/" + esc(login), out: &w})
	return w, err
}

// HomeworkFeedback gives a pupil short feedback (its teachers); it
// closes the hand-in, and "" takes it back.
func (c *Client) HomeworkFeedback(ctx context.Context, id int64, login, text string) (wire.HomeworkWork, error) {
	var w wire.HomeworkWork
	err := c.do(ctx, request{method: "PUT", path: homeworkPath(id) + "/handins/" + esc(login) + "/feedback",
		json: wire.HomeworkText{Text: text}, out: &w})
	return w, err
}

// HandInFileOf streams a file of a pupil's hand-in into w (its teachers).
func (c *Client) HandInFileOf(ctx context.Context, id int64, login string, fileID int64, w io.Writer) (string, int64, error) {
	return c.stream(ctx, homeworkPath(id)+"/handins/"+esc(login)+"/files/"+strconv.FormatInt(fileID, 10), w)
}

// HomeworkOverview shows a class's homework and each pupil's state
// (teachers of the class, admins); all includes older homework.
func (c *Client) HomeworkOverview(ctx context.Context, group string, all bool) (wire.HomeworkOverview, error) {
	v := url.Values{"group": {group}}
	if all {
		v.Set("all", "1")
	}
	var o wire.HomeworkOverview
	err := c.do(ctx, request{method: "GET", path: "/api/v1/homework/overview", query: v, out: &o})
	return o, err
}
