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

// ForumTopicView is a topic: its posts oldest first, a field to answer,
// and for the forum's moderators (and only for them, as the server
// says per forum) buttons to hide, show again or delete a post and to
// delete the whole topic. Hiding and deleting ask for a reason first,
// right at the post: it goes into the protocol, and a moderator who
// must think of one does not delete by accident.
type ForumTopicView struct {
	Back        *widget.Button
	Title       *widget.Label
	Where       *widget.Label // the forum's name
	DeleteTopic *widget.Button
	TopicAsk    *ForumReasonBar
	Posts       []*ForumPostView
	More        *widget.Button // the next page of posts
	Reply       *widget.Entry
	Send        *widget.Button
	Message     *widget.Label // under the heading: news and refusals about the topic
	SendMessage *widget.Label // under the answer: what became of it

	Page wire.ForumTopicPage // forum, topic, the posts loaded so far

	s       *ForumScreen
	posts   *fyne.Container
	box     *fyne.Container
	scroll  *container.Scroll
	sending bool
}

// ForumPostView is one post.
type ForumPostView struct {
	Post    wire.ForumPost
	Author  *widget.Label
	When    *widget.Label
	Text    *widget.Label
	Notice  *widget.Label // hidden: the notice, for moderators and the author with the reason
	Edit    *widget.Button
	Hide    *widget.Button
	Unhide  *widget.Button
	Delete  *widget.Button
	Ask     *ForumReasonBar
	Message *widget.Label // the answer to a moderation or a correction

	// The correction of the own post (in its first 15 minutes).
	EditText *widget.Entry
	SaveEdit *widget.Button
	editBox  *fyne.Container

	box *fyne.Container
}

// ForumReasonBar asks for the reason of a moderation, under what it is
// about.
type ForumReasonBar struct {
	Question *widget.Label
	Reason   *widget.Entry
	Yes      *widget.Button
	No       *widget.Button
	Message  *widget.Label
	box      *fyne.Container
	action   func(reason string)
}

func newForumReasonBar(u *UI) *ForumReasonBar {
	b := &ForumReasonBar{Question: hwWrapped(""), Reason: widget.NewEntry(), Message: newMessage()}
	b.Question.TextStyle.Bold = true
	b.Question.Importance = widget.WarningImportance
	b.Reason.SetPlaceHolder(T("forum.mod.reason_hint"))
	b.Reason.OnChanged = func(string) { u.touch() }
	b.Yes = widget.NewButtonWithIcon("", theme.ConfirmIcon(), func() {
		reason := strings.TrimSpace(b.Reason.Text)
		if reason == "" {
			setProblem(b.Message, T("forum.mod.reason_missing"))
			return
		}
		action := b.action
		b.Close()
		if action != nil {
			action(reason)
		}
	})
	b.Yes.Importance = widget.DangerImportance
	b.Reason.OnSubmitted = func(string) { b.Yes.OnTapped() }
	b.No = widget.NewButtonWithIcon(T("forum.cancel"), theme.CancelIcon(), b.Close)
	b.box = container.NewVBox(b.Question, hwField(T("forum.mod.reason"), b.Reason), b.Message, container.NewHBox(b.Yes, b.No))
	b.box.Hide()
	return b
}

// Ask opens the bar; yes names the action on its button.
func (b *ForumReasonBar) Ask(question, yes string, action func(reason string)) {
	b.Question.SetText(question)
	b.Yes.SetText(yes)
	b.Reason.SetText("")
	clearMessage(b.Message)
	b.action = action
	b.box.Show()
}

// Close takes the question away without doing anything.
func (b *ForumReasonBar) Close() {
	b.action = nil
	b.box.Hide()
}

// Asking reports whether the bar is open.
func (b *ForumReasonBar) Asking() bool { return b.box.Visible() }

// openTopic loads a topic's first page and shows it.
func (s *ForumScreen) openTopic(id int64) {
	var page wire.ForumTopicPage
	right := s.right.Objects[0]
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		page, err = s.api.ForumTopic(ctx, id, "", forumPageSize)
		return err
	}, func(err error) {
		if s.u.hwShown() != s.content || s.right.Objects[0] != right {
			return // the person went elsewhere meanwhile
		}
		if err != nil {
			forumFail(s.u, s.Message, err)
			return
		}
		s.showTopic(page, "")
	})
}

func (s *ForumScreen) showTopic(page wire.ForumTopicPage, note string) {
	u := s.u
	v := &ForumTopicView{s: s, Page: page}
	v.Back = widget.NewButtonWithIcon(T("forum.back"), theme.NavigateBackIcon(), func() {
		s.showPane()
		// The list too: what was new in the topic is read now.
		s.loadForums(page.Forum.ID, "")
	})
	v.Title = widget.NewLabelWithStyle(page.Topic.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Title.SizeName = theme.SizeNameHeadingText
	v.Title.Wrapping = fyne.TextWrapWord
	v.Where = widget.NewLabel(T("forum.topic.where", "Forum", page.Forum.Name))
	v.TopicAsk = newForumReasonBar(u)
	v.DeleteTopic = widget.NewButtonWithIcon(T("forum.mod.delete_topic"), theme.DeleteIcon(), func() {
		v.TopicAsk.Ask(T("forum.mod.delete_topic_question", "Title", page.Topic.Title), T("forum.mod.delete_topic_yes"), v.deleteTopic)
	})
	showIf(v.DeleteTopic, page.Forum.Moderator)
	v.More = widget.NewButtonWithIcon(T("forum.posts.more"), theme.MoreVerticalIcon(), v.morePosts)
	v.Reply = widget.NewMultiLineEntry()
	v.Reply.Wrapping = fyne.TextWrapWord
	v.Reply.SetMinRowsVisible(3)
	v.Reply.SetPlaceHolder(T("forum.reply.hint"))
	v.Reply.OnChanged = func(string) { u.touch() }
	v.Send = widget.NewButtonWithIcon(T("forum.reply.send"), theme.MailSendIcon(), v.reply)
	v.Send.Importance = widget.HighImportance
	v.Message = newMessage()
	v.SendMessage = newMessage()
	v.posts = container.NewVBox()
	for _, p := range page.Posts {
		v.addPost(p)
	}
	showIf(v.More, page.Next != "")
	v.box = container.NewVBox(
		container.NewHBox(v.Back, spacer(), v.DeleteTopic),
		v.Title, v.Where, v.TopicAsk.box, v.Message,
		widget.NewSeparator(),
		v.posts, container.NewHBox(v.More),
		widget.NewSeparator(),
		hwField(T("forum.reply.title"), v.Reply),
		v.SendMessage,
		container.NewHBox(v.Send),
	)
	if note != "" {
		setInfo(v.Message, note)
	}
	s.Topic, s.Compose, s.Moderators, s.SchoolForum = v, nil, nil, nil
	v.scroll = container.NewVScroll(container.NewPadded(calNarrowed(760, v.box)))
	s.setRight(v.scroll)
}

// PostWith returns the view of the first post whose text contains text,
// or nil.
func (v *ForumTopicView) PostWith(text string) *ForumPostView {
	for _, p := range v.Posts {
		if strings.Contains(p.Post.Text, text) {
			return p
		}
	}
	return nil
}

// addPost shows a post at the end.
func (v *ForumTopicView) addPost(p wire.ForumPost) {
	u := v.s.u
	pv := &ForumPostView{}
	pv.Author = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	pv.When = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	pv.Text = hwWrapped("")
	pv.Text.Selectable = true
	pv.Notice = hwWrapped("")
	pv.Notice.TextStyle.Italic = true
	pv.Notice.Importance = widget.WarningImportance
	pv.Message = newMessage()
	pv.Ask = newForumReasonBar(u)
	pv.Edit = widget.NewButtonWithIcon(T("forum.post.edit"), theme.DocumentCreateIcon(), func() { v.startEdit(pv) })
	pv.Hide = widget.NewButtonWithIcon(T("forum.mod.hide"), theme.VisibilityOffIcon(), func() {
		pv.Ask.Ask(T("forum.mod.hide_question", "Name", pv.Post.Author.Name), T("forum.mod.hide_yes"), func(reason string) { v.hide(pv, reason) })
	})
	pv.Unhide = widget.NewButtonWithIcon(T("forum.mod.unhide"), theme.VisibilityIcon(), func() { v.unhide(pv) })
	pv.Delete = widget.NewButtonWithIcon(T("forum.mod.delete"), theme.DeleteIcon(), func() {
		pv.Ask.Ask(T("forum.mod.delete_question", "Name", pv.Post.Author.Name), T("forum.mod.delete_yes"), func(reason string) { v.deletePost(pv, reason) })
	})
	pv.EditText = widget.NewMultiLineEntry()
	pv.EditText.Wrapping = fyne.TextWrapWord
	pv.EditText.SetMinRowsVisible(3)
	pv.EditText.OnChanged = func(string) { u.touch() }
	pv.SaveEdit = widget.NewButtonWithIcon(T("forum.post.save"), theme.DocumentSaveIcon(), func() { v.saveEdit(pv) })
	pv.SaveEdit.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(T("forum.cancel"), theme.CancelIcon(), func() {
		pv.editBox.Hide()
		pv.Text.Show()
		pv.box.Refresh()
	})
	pv.editBox = container.NewVBox(pv.EditText, container.NewHBox(pv.SaveEdit, cancel))
	pv.editBox.Hide()
	pv.box = container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.AccountIcon()), pv.Author, pv.When),
		pv.Notice, pv.Text, pv.editBox,
		container.NewHBox(pv.Edit, pv.Hide, pv.Unhide, pv.Delete),
		pv.Ask.box, pv.Message,
		widget.NewSeparator(),
	)
	v.set(pv, p)
	v.Posts = append(v.Posts, pv)
	v.posts.Add(pv.box)
}

// set shows a post as the server sent it: a hidden one with the notice
// (its text only for its author and the moderators, who also read the
// reason), and the buttons this person may use on it.
func (v *ForumTopicView) set(pv *ForumPostView, p wire.ForumPost) {
	pv.Post = p
	name := p.Author.Name
	if name == "" {
		name = T("forum.post.nobody")
	}
	pv.Author.SetText(name)
	when := mailLongDate(p.CreatedAt)
	if p.EditedAt != nil {
		when = T("forum.post.edited", "When", when)
	}
	pv.When.SetText(when)
	pv.Text.SetText(p.Text)
	showIf(pv.Text, p.Text != "")
	notice := ""
	if p.Hidden {
		notice = p.Notice
		if notice == "" {
			notice = T("forum.post.hidden")
		}
		if p.HiddenReason != "" {
			notice = T("forum.post.hidden_why", "Notice", notice, "Name", p.HiddenBy, "Reason", p.HiddenReason)
		}
	}
	pv.Notice.SetText(notice)
	showIf(pv.Notice, notice != "")
	mod := v.Page.Forum.Moderator
	showIf(pv.Edit, p.Editable)
	showIf(pv.Hide, mod && !p.Hidden)
	showIf(pv.Unhide, mod && p.Hidden)
	showIf(pv.Delete, mod)
	pv.box.Refresh()
}

// hide hides a post with a reason.
func (v *ForumTopicView) hide(pv *ForumPostView, reason string) {
	id := pv.Post.ID
	var p wire.ForumPost
	v.s.u.runInSession(func(ctx context.Context) error {
		var err error
		p, err = v.s.api.HideForumPost(ctx, id, reason)
		return err
	}, func(err error) {
		if err != nil {
			forumFail(v.s.u, pv.Message, err)
			return
		}
		v.set(pv, p)
		setInfo(pv.Message, T("forum.mod.hidden"))
	})
}

// unhide shows a hidden post again.
func (v *ForumTopicView) unhide(pv *ForumPostView) {
	id := pv.Post.ID
	var p wire.ForumPost
	v.s.u.runInSession(func(ctx context.Context) error {
		var err error
		p, err = v.s.api.UnhideForumPost(ctx, id)
		return err
	}, func(err error) {
		if err != nil {
			forumFail(v.s.u, pv.Message, err)
			return
		}
		v.set(pv, p)
		setInfo(pv.Message, T("forum.mod.unhidden"))
	})
}

// deletePost deletes a post with a reason; a topic whose last post goes
// goes with it, and the forum's topics come back.
func (v *ForumTopicView) deletePost(pv *ForumPostView, reason string) {
	id := pv.Post.ID
	v.s.u.runInSession(func(ctx context.Context) error { return v.s.api.DeleteForumPost(ctx, id, reason) }, func(err error) {
		if err != nil {
			forumFail(v.s.u, pv.Message, err)
			return
		}
		for i, p := range v.Posts {
			if p == pv {
				v.Posts = append(v.Posts[:i:i], v.Posts[i+1:]...)
				break
			}
		}
		v.posts.Remove(pv.box)
		if len(v.Posts) == 0 && v.Page.Next == "" && v.s.Topic == v {
			v.s.showPane()
			v.s.loadForum(T("forum.mod.topic_gone"))
			return
		}
		setInfo(v.Message, T("forum.mod.deleted", "Name", pv.Post.Author.Name))
		v.box.Refresh()
	})
}

// deleteTopic deletes the topic with all its posts.
func (v *ForumTopicView) deleteTopic(reason string) {
	id, title := v.Page.Topic.ID, v.Page.Topic.Title
	v.s.u.runInSession(func(ctx context.Context) error { return v.s.api.DeleteForumTopic(ctx, id, reason) }, func(err error) {
		if err != nil {
			forumFail(v.s.u, v.Message, err)
			return
		}
		if v.s.Topic != v {
			return
		}
		v.s.showPane()
		v.s.loadForum(T("forum.mod.topic_deleted", "Title", title))
	})
}

// morePosts loads the next page of posts.
func (v *ForumTopicView) morePosts() {
	id, cursor := v.Page.Topic.ID, v.Page.Next
	if cursor == "" {
		return
	}
	v.More.Disable()
	var page wire.ForumTopicPage
	v.s.u.runInSession(func(ctx context.Context) error {
		var err error
		page, err = v.s.api.ForumTopic(ctx, id, cursor, forumPageSize)
		return err
	}, func(err error) {
		v.More.Enable()
		if err != nil {
			forumFail(v.s.u, v.Message, err)
			return
		}
		v.Page.Next = page.Next
		v.Page.Forum = page.Forum
		for _, p := range page.Posts {
			v.addPost(p)
		}
		showIf(v.More, page.Next != "")
		v.box.Refresh()
	})
}

// reply answers in the topic; the post shows at the end at once.
func (v *ForumTopicView) reply() {
	text := strings.TrimSpace(v.Reply.Text)
	if text == "" {
		setProblem(v.SendMessage, T("forum.reply.empty"))
		return
	}
	if v.sending {
		return
	}
	v.sending = true
	v.Send.Disable()
	id := v.Page.Topic.ID
	var p wire.ForumPost
	v.s.u.runInSession(func(ctx context.Context) error {
		var err error
		p, err = v.s.api.ForumReply(ctx, id, text)
		return err
	}, func(err error) {
		v.sending = false
		v.Send.Enable()
		if err != nil {
			forumFail(v.s.u, v.SendMessage, err) // the text stays for another try
			return
		}
		v.Reply.SetText("")
		if v.Page.Next == "" {
			v.addPost(p)
			setInfo(v.SendMessage, T("forum.reply.sent"))
		} else {
			setInfo(v.SendMessage, T("forum.reply.sent_at_end"))
		}
		v.box.Refresh()
		v.scroll.ScrollToBottom()
	})
}

// startEdit opens the correction of an own post.
func (v *ForumTopicView) startEdit(pv *ForumPostView) {
	pv.EditText.SetText(pv.Post.Text)
	pv.Text.Hide()
	pv.editBox.Show()
	pv.box.Refresh()
	v.s.u.win.Canvas().Focus(pv.EditText)
}

// saveEdit sends the correction (the server allows it for 15 minutes).
func (v *ForumTopicView) saveEdit(pv *ForumPostView) {
	id, text := pv.Post.ID, strings.TrimSpace(pv.EditText.Text)
	if text == "" {
		setProblem(pv.Message, T("forum.reply.empty"))
		return
	}
	var p wire.ForumPost
	v.s.u.runInSession(func(ctx context.Context) error {
		var err error
		p, err = v.s.api.EditForumPost(ctx, id, text)
		return err
	}, func(err error) {
		if err != nil {
			forumFail(v.s.u, pv.Message, err)
			return
		}
		pv.editBox.Hide()
		v.set(pv, p)
		setInfo(pv.Message, T("forum.post.saved"))
	})
}
