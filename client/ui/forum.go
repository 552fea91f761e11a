package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// ForumAPI is what the forum screens need from the server
// (docs/api/forum.md); *serverapi.Client is one. The screens get it from
// u.api with a type assertion until the Client interface embeds it.
type ForumAPI interface {
	Forums(ctx context.Context, all bool) ([]wire.Forum, error)
	Forum(ctx context.Context, id int64) (wire.Forum, error)
	ForumTopics(ctx context.Context, forumID int64, cursor string, limit int) (wire.ForumTopics, error)
	NewForumTopic(ctx context.Context, forumID int64, title, text string) (wire.ForumTopicPage, error)
	ForumTopic(ctx context.Context, topicID int64, cursor string, limit int) (wire.ForumTopicPage, error)
	ForumReply(ctx context.Context, topicID int64, text string) (wire.ForumPost, error)
	EditForumPost(ctx context.Context, postID int64, text string) (wire.ForumPost, error)
	HideForumPost(ctx context.Context, postID int64, reason string) (wire.ForumPost, error)
	UnhideForumPost(ctx context.Context, postID int64) (wire.ForumPost, error)
	DeleteForumPost(ctx context.Context, postID int64, reason string) error
	DeleteForumTopic(ctx context.Context, topicID int64, reason string) error
	AddForumModerator(ctx context.Context, forumID int64, login string) error
	RemoveForumModerator(ctx context.Context, forumID int64, login string) error
	CreateSchoolForum(ctx context.Context, in wire.ForumSchoolForum) (wire.Forum, error)
	UpdateSchoolForum(ctx context.Context, id int64, in wire.ForumSchoolForum) (wire.Forum, error)
	DeleteSchoolForum(ctx context.Context, id int64) error
}

// forumKey is the forum screen's key in u.screens.
const forumKey = wire.ModuleForum

// forumPageSize is how many topics or posts a page shows: a class's
// forum of a few weeks, and a long topic in two or three pages.
const forumPageSize = 30

func init() {
	registerTile(tile{key: wire.ModuleForum, title: "forum.title", icon: theme.MailReplyAllIcon, order: 35, module: true,
		open: func(u *UI) { u.showForum() }, badge: forumUnread})
}

// forumUnread counts the posts by others the person has not seen in the
// forums they read as a member, for the home tile.
func forumUnread(ctx context.Context, u *UI) (int, error) {
	api := u.forumAPI()
	if api == nil {
		return 0, nil
	}
	list, err := api.Forums(ctx, false)
	n := 0
	for _, f := range list {
		n += f.Unread
	}
	return n, err
}

// forumAPI is the UI's client as a ForumAPI, or nil.
func (u *UI) forumAPI() ForumAPI {
	f, _ := u.api.(ForumAPI)
	return f
}

// ForumScreen shows the forums the person reads on the left (the school
// forums, then the own classes' and groups'), and on the right the
// chosen forum's topics with who moderates it. A topic, a new topic, the
// moderators and (admins) a new or changed school forum take the right
// side while open (Topic, Compose, Moderators, SchoolForum; nil
// otherwise). Admins change and delete a school forum from its topics
// (forum_admin.go).
type ForumScreen struct {
	Entries    []*ForumEntry
	NewForum   *widget.Button // admins: a new school-wide forum
	Heading    *widget.Label  // the chosen forum's name
	Info       *widget.Label  // its description
	ModLine    *widget.Label  // "Moderation: Tina Lehmann"
	NewTopic   *widget.Button
	Moderation *widget.Button // who may name moderators
	Change     *widget.Button // admins, a school forum: name, description, readers
	Delete     *widget.Button // admins, a school forum
	DeleteAsk  *ConfirmBar    // asks before Delete
	Reload     *widget.Button
	Message    *widget.Label
	Topics     []*ForumTopicRow
	More       *widget.Button // the next page of topics
	Empty      *widget.Label

	// Forum is the chosen forum (with its moderators once loaded).
	Forum *wire.Forum

	Topic       *ForumTopicView
	Compose     *ForumComposer
	Moderators  *ForumModeratorsPanel
	SchoolForum *ForumSchoolForm

	forums  []wire.Forum
	next    string // the cursor of the next page of topics
	seq     int
	api     ForumAPI
	u       *UI
	list    *fyne.Container
	topics  *fyne.Container
	pane    fyne.CanvasObject // the forum's topics
	right   *fyne.Container
	content fyne.CanvasObject
}

// ForumEntry is a forum in the list on the left.
type ForumEntry struct {
	Forum wire.Forum
	Open  *widget.Button
}

// ForumTopicRow is a topic in the chosen forum; the whole row is a button.
type ForumTopicRow struct {
	Topic wire.ForumTopic
	Open  *widget.Button
	Title *widget.Label
	Info  *widget.Label // who started it, how many posts, the latest
}

// showForum opens the forums (built anew each time: the lists change
// while one looks elsewhere).
func (u *UI) showForum() {
	api := u.forumAPI()
	if api == nil || u.sess == nil {
		u.showError(userError(T("forum.unavailable")))
		return
	}
	s := &ForumScreen{api: api, u: u}
	s.NewForum = widget.NewButtonWithIcon(T("forum.school.new"), theme.ContentAddIcon(), s.openSchoolForm)
	showIf(s.NewForum, u.sess.User.Role == wire.RoleAdmin)
	s.Heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.Heading.SizeName = theme.SizeNameHeadingText
	s.Heading.Truncation = fyne.TextTruncateEllipsis
	s.Info = hwWrapped("")
	s.Info.Hide()
	s.ModLine = hwWrapped("")
	s.ModLine.TextStyle.Italic = true
	s.NewTopic = widget.NewButtonWithIcon(T("forum.topic.new"), theme.ContentAddIcon(), s.openComposer)
	s.NewTopic.Importance = widget.HighImportance
	s.Moderation = widget.NewButtonWithIcon(T("forum.mods.button"), theme.AccountIcon(), s.openModerators)
	s.Moderation.Hide()
	s.newAdminButtons()
	s.Reload = widget.NewButtonWithIcon(T("forum.reload"), theme.ViewRefreshIcon(), func() { s.loadForum("") })
	s.Message = newMessage()
	s.More = widget.NewButtonWithIcon(T("forum.topics.more"), theme.MoreVerticalIcon(), s.moreTopics)
	s.More.Hide()
	s.Empty = hwWrapped("")
	s.Empty.Hide()
	s.list = container.NewVBox()
	s.topics = container.NewVBox()
	actions := container.NewHBox(s.NewTopic, s.Moderation, s.Change, s.Delete, spacer(), s.Reload)
	s.pane = container.NewBorder(
		container.NewVBox(s.Heading, s.Info, s.ModLine, actions, s.DeleteAsk.box, s.Message), nil, nil, nil,
		container.NewVScroll(container.NewVBox(s.topics, s.Empty, container.NewHBox(s.More))))
	s.NewTopic.Disable()
	s.right = container.NewStack(container.NewPadded(s.pane))
	left := container.NewBorder(
		widget.NewLabelWithStyle(T("forum.list"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.NewForum, nil, nil, container.NewVScroll(s.list))
	split := container.NewHSplit(container.NewPadded(left), s.right)
	split.Offset = 0.27
	s.content = split
	u.setScreen(forumKey, s)
	u.openScreen(T("forum.title"), s.content)
	s.loadForums(0, "")
}

// Entry returns the list entry of a forum by name, or nil.
func (s *ForumScreen) Entry(name string) *ForumEntry {
	for _, e := range s.Entries {
		if e.Forum.Name == name {
			return e
		}
	}
	return nil
}

// loadForums loads the list; pick is the forum to choose (0: the own
// class's, else the first), note news to show.
func (s *ForumScreen) loadForums(pick int64, note string) {
	admin := s.u.sess != nil && s.u.sess.User.Role == wire.RoleAdmin
	var list []wire.Forum
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		list, err = s.api.Forums(ctx, admin) // admins moderate any class's forum once named
		return err
	}, func(err error) {
		if err != nil {
			forumFail(s.u, s.Message, err)
			return
		}
		s.forums = list
		s.layoutForums()
		if len(list) == 0 {
			s.noForum(note)
			return
		}
		choice := list[0]
		for _, f := range list {
			if pick == 0 && f.Kind == wire.ForumGroup && f.Member {
				choice = f
				break
			}
			if f.ID == pick {
				choice = f
			}
		}
		s.choose(choice, note)
	})
}

// layoutForums draws the list; the chosen forum's button stands out.
func (s *ForumScreen) layoutForums() {
	s.list.RemoveAll()
	s.Entries = nil
	for _, f := range s.forums {
		f := f
		icon := theme.AccountIcon()
		if f.Kind == wire.ForumSchool {
			icon = theme.HomeIcon()
		}
		text := T("forum.list.entry", "Name", f.Name, "Count", f.Topics)
		if f.Moderator {
			text = T("forum.list.moderated", "Entry", text)
		}
		if f.Unread > 0 {
			text = T("forum.list.unread", "Entry", text, "Count", f.Unread)
		}
		b := widget.NewButtonWithIcon(text, icon, func() { s.choose(f, "") })
		b.Alignment = widget.ButtonAlignLeading
		if s.Forum != nil && s.Forum.ID == f.ID {
			b.Importance = widget.HighImportance
		}
		s.Entries = append(s.Entries, &ForumEntry{Forum: f, Open: b})
		s.list.Add(b)
	}
	s.list.Refresh()
}

// choose shows a forum's topics.
func (s *ForumScreen) choose(f wire.Forum, note string) {
	s.u.touch()
	s.Forum = &f
	for _, e := range s.Entries {
		if e.Forum.ID == f.ID {
			e.Open.Importance = widget.HighImportance
		} else {
			e.Open.Importance = widget.MediumImportance
		}
		e.Open.Refresh()
	}
	s.Heading.SetText(f.Name)
	s.Info.SetText(f.Description)
	showIf(s.Info, f.Description != "")
	s.ModLine.SetText("")
	s.showAdminButtons(f)
	s.DeleteAsk.Hide() // a question about the forum shown before
	s.showPane()
	s.loadForum(note)
}

// noForum shows that there is no forum (left): the last one was deleted,
// or the person reads none; answers about the forum shown before are
// dropped.
func (s *ForumScreen) noForum(note string) {
	s.seq++
	s.Forum = nil
	s.showPane()
	s.Heading.SetText(T("forum.title"))
	s.Info.SetText("")
	s.Info.Hide()
	s.ModLine.SetText("")
	s.Moderation.Hide()
	s.hideAdminButtons()
	s.NewTopic.Disable()
	s.Topics, s.next = nil, ""
	s.topics.RemoveAll()
	s.topics.Refresh()
	s.More.Hide()
	s.Empty.SetText(T("forum.none"))
	s.Empty.Show()
	if note != "" {
		setInfo(s.Message, note)
	} else {
		clearMessage(s.Message)
	}
}

// showPane brings the forum's topics back to the right side.
func (s *ForumScreen) showPane() {
	s.Topic, s.Compose, s.Moderators, s.SchoolForum = nil, nil, nil, nil
	s.setRight(container.NewPadded(s.pane))
}

// setRight puts something on the right side.
func (s *ForumScreen) setRight(o fyne.CanvasObject) {
	s.right.Objects = []fyne.CanvasObject{o}
	s.right.Refresh()
}

// loadForum loads the chosen forum (its moderators) and the first page
// of its topics.
func (s *ForumScreen) loadForum(note string) {
	if s.Forum == nil {
		return
	}
	s.seq++
	seq, id := s.seq, s.Forum.ID
	var f wire.Forum
	var page wire.ForumTopics
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		if f, err = s.api.Forum(ctx, id); err != nil {
			return err
		}
		page, err = s.api.ForumTopics(ctx, id, "", forumPageSize)
		return err
	}, func(err error) {
		if seq != s.seq {
			return
		}
		if err != nil {
			forumFail(s.u, s.Message, err)
			return
		}
		if note != "" {
			setInfo(s.Message, note)
		} else {
			clearMessage(s.Message)
		}
		s.Forum = &f
		s.showForumInfo()
		s.Topics = nil
		s.topics.RemoveAll()
		s.addTopics(page)
	})
}

// showForumInfo shows who moderates the forum and what the person may do.
func (s *ForumScreen) showForumInfo() {
	f := s.Forum
	s.Heading.SetText(f.Name)
	var names []string
	for _, m := range f.Moderators {
		names = append(names, m.Name)
	}
	if len(names) == 0 {
		s.ModLine.SetText(T("forum.mods.nobody"))
	} else {
		s.ModLine.SetText(T("forum.mods.line", "Names", strings.Join(names, ", ")))
	}
	showIf(s.Moderation, f.NamesModerators)
	s.showAdminButtons(*f)
	s.NewTopic.Enable()
}

// addTopics shows a page of topics under those shown.
func (s *ForumScreen) addTopics(page wire.ForumTopics) {
	now := s.u.opts.Now()
	for _, t := range page.Topics {
		t := t
		r := &ForumTopicRow{Topic: t}
		r.Open = widget.NewButton("", func() { s.openTopic(t.ID) })
		r.Title = widget.NewLabelWithStyle(t.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		r.Title.Truncation = fyne.TextTruncateEllipsis
		info := T("forum.topic.info", "Name", t.Author.Name, "Count", t.Posts, "When", mailShortDate(t.LastPostAt, now))
		if t.Unread > 0 {
			info = T("forum.topic.unread", "Count", t.Unread) + " · " + info
			r.Title.Importance = widget.HighImportance
		}
		r.Info = widget.NewLabel(info)
		r.Info.Truncation = fyne.TextTruncateEllipsis
		s.Topics = append(s.Topics, r)
		s.topics.Add(container.NewStack(r.Open, container.NewBorder(nil, nil,
			container.NewCenter(widget.NewIcon(theme.MailReplyAllIcon())), nil, container.NewVBox(r.Title, r.Info))))
	}
	s.next = page.Next
	showIf(s.More, s.next != "")
	if len(s.Topics) == 0 {
		s.Empty.SetText(T("forum.topics.empty"))
		s.Empty.Show()
	} else {
		s.Empty.Hide()
	}
	s.topics.Refresh()
}

// moreTopics loads the next page of topics.
func (s *ForumScreen) moreTopics() {
	if s.Forum == nil || s.next == "" {
		return
	}
	seq, id, cursor := s.seq, s.Forum.ID, s.next
	s.More.Disable()
	var page wire.ForumTopics
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		page, err = s.api.ForumTopics(ctx, id, cursor, forumPageSize)
		return err
	}, func(err error) {
		s.More.Enable()
		if seq != s.seq {
			return
		}
		if err != nil {
			forumFail(s.u, s.Message, err)
			return
		}
		s.addTopics(page)
	})
}

// TopicRow returns the row of a topic by title, or nil.
func (s *ForumScreen) TopicRow(title string) *ForumTopicRow {
	for _, r := range s.Topics {
		if r.Topic.Title == title {
			return r
		}
	}
	return nil
}

// ForumComposer opens a new topic: a heading and the first post.
type ForumComposer struct {
	Title   *widget.Entry
	Text    *widget.Entry
	Create  *widget.Button
	Cancel  *widget.Button
	Message *widget.Label
}

func (s *ForumScreen) openComposer() {
	if s.Forum == nil {
		return
	}
	u := s.u
	c := &ForumComposer{Title: widget.NewEntry(), Text: widget.NewMultiLineEntry(), Message: newMessage()}
	c.Title.SetPlaceHolder(T("forum.topic.title_hint"))
	c.Title.OnChanged = func(string) { u.touch() }
	c.Text.Wrapping = fyne.TextWrapWord
	c.Text.SetMinRowsVisible(6)
	c.Text.SetPlaceHolder(T("forum.post.hint"))
	c.Text.OnChanged = func(string) { u.touch() }
	c.Create = widget.NewButtonWithIcon(T("forum.topic.create"), theme.MailSendIcon(), func() { s.createTopic(c) })
	c.Create.Importance = widget.HighImportance
	c.Cancel = widget.NewButtonWithIcon(T("forum.cancel"), theme.CancelIcon(), s.showPane)
	heading := widget.NewLabelWithStyle(T("forum.topic.new_in", "Forum", s.Forum.Name), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameSubHeadingText
	box := container.NewVBox(heading,
		hwField(T("forum.topic.title"), c.Title),
		hwField(T("forum.topic.first_post"), c.Text),
		c.Message, container.NewHBox(c.Create, c.Cancel))
	s.Topic, s.Compose, s.Moderators, s.SchoolForum = nil, c, nil, nil
	s.setRight(container.NewVScroll(container.NewPadded(calNarrowed(640, box))))
	u.win.Canvas().Focus(c.Title)
}

// createTopic opens the topic and shows it.
func (s *ForumScreen) createTopic(c *ForumComposer) {
	title, text := strings.TrimSpace(c.Title.Text), strings.TrimSpace(c.Text.Text)
	if title == "" || text == "" {
		setProblem(c.Message, T("forum.topic.missing"))
		return
	}
	id := s.Forum.ID
	c.Create.Disable()
	var page wire.ForumTopicPage
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		page, err = s.api.NewForumTopic(ctx, id, title, text)
		return err
	}, func(err error) {
		c.Create.Enable()
		if err != nil {
			forumFail(s.u, c.Message, err)
			return
		}
		if s.Compose != c {
			s.loadForum("") // cancelled meanwhile: the topic is there all the same
			return
		}
		s.showTopic(page, T("forum.topic.created"))
	})
}

// forumFail shows the German answer of a failed call where the person
// looks; an ended session or a locked account goes to the login.
func forumFail(u *UI, l *widget.Label, err error) {
	if calSessionGone(err) {
		u.handle(err)
		return
	}
	setProblem(l, errorText(err))
}
