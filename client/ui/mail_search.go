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

// MailSearchBar is the search above the message list: a field ("Suchen
// …"), a button (Enter does the same), a check to search every folder
// instead of the open one, and, while results show, the way back to the
// folder. The server searches; the list shows its answer page by page as
// it shows a folder, with each result's folder named when every folder
// was searched.
type MailSearchBar struct {
	Entry *widget.Entry
	Go    *widget.Button
	All   *widget.Check  // "in allen Ordnern"
	End   *widget.Button // "Suche beenden", while results show

	// Query is the search whose results show ("" while a folder shows);
	// InAll tells whether it covers every folder (else MailScreen.Folder).
	Query string
	InAll bool

	content fyne.CanvasObject
}

func (u *UI) newMailSearchBar(s *MailScreen) *MailSearchBar {
	b := &MailSearchBar{}
	b.Entry = widget.NewEntry()
	b.Entry.SetPlaceHolder(T("mail.search.hint"))
	b.Entry.OnChanged = func(string) { u.touch() }
	b.Entry.OnSubmitted = func(string) { u.mailSearch(s) }
	b.Go = widget.NewButtonWithIcon(T("mail.search.go"), theme.SearchIcon(), func() { u.mailSearch(s) })
	b.All = widget.NewCheck(T("mail.search.all"), func(bool) {
		if b.Query != "" {
			u.mailSearch(s) // the results follow the check
		}
	})
	b.End = widget.NewButtonWithIcon(T("mail.search.end"), theme.CancelIcon(), func() { u.mailEndSearch(s) })
	b.End.Hide()
	b.content = container.NewVBox(
		container.NewBorder(nil, nil, nil, b.Go, b.Entry),
		container.NewHBox(b.All, spacer(), b.End))
	return b
}

// searchFolder is the folder the search asks the server for: "" for all.
func (s *MailScreen) searchFolder(all bool) string {
	if all {
		return ""
	}
	return s.Folder
}

// searching tells whether the list shows search results.
func (s *MailScreen) searching() bool { return s.Search.Query != "" }

// view names what the list shows, so that an answer for another view
// (a message opened before the switch) is dropped.
func (s *MailScreen) view() string {
	if !s.searching() {
		return s.Folder
	}
	return s.searchFolder(s.Search.InAll) + "\x00" + s.Search.Query
}

// pageLoader returns the loading of a page of what the list shows now: the
// folder, or the search's results.
func (s *MailScreen) pageLoader(api MailAPI) func(ctx context.Context, cursor string) (wire.MailPage, error) {
	folder := s.Folder
	if !s.searching() {
		return func(ctx context.Context, cursor string) (wire.MailPage, error) {
			return api.MailPage(ctx, folder, cursor, mailPageSize)
		}
	}
	q, in := s.Search.Query, s.searchFolder(s.Search.InAll)
	return func(ctx context.Context, cursor string) (wire.MailPage, error) {
		return api.MailSearch(ctx, q, in, cursor, mailPageSize)
	}
}

// rowFolder is the folder a row belongs to (in a search of every folder
// each result has its own).
func (s *MailScreen) rowFolder(m wire.MailSummary) string {
	if s.searching() && m.Folder != "" {
		return m.Folder
	}
	return s.Folder
}

// rowWhere names a result's folder when every folder was searched.
func (s *MailScreen) rowWhere(m wire.MailSummary) string {
	if s.searching() && s.Search.InAll {
		return mailFolderTitle(m.Folder)
	}
	return ""
}

// heading is the text above the list.
func (s *MailScreen) heading() string {
	switch {
	case !s.searching():
		return mailFolderTitle(s.Folder)
	case s.Search.InAll:
		return T("mail.search.heading_all", "Query", s.Search.Query)
	}
	return T("mail.search.heading", "Folder", mailFolderTitle(s.Folder), "Query", s.Search.Query)
}

// emptyText is what an empty list says.
func (s *MailScreen) emptyText() string {
	if s.searching() {
		return T("mail.search.none")
	}
	return T("mail.empty")
}

// mailSearch asks the server for the first page of results. Until it
// answers, the list stays as it is; a refusal (too short) shows above the
// list, and the list stays too.
func (u *UI) mailSearch(s *MailScreen) {
	q := strings.TrimSpace(s.Search.Entry.Text)
	all := s.Search.All.Checked
	folder := s.searchFolder(all)
	s.seq++
	seq := s.seq
	var page wire.MailPage
	u.runInSession(func(ctx context.Context) error {
		var err error
		page, err = u.api.MailSearch(ctx, q, folder, "", mailPageSize)
		return err
	}, func(err error) {
		if seq != s.seq {
			return
		}
		if u.mailFailed(err, s.setStatus) {
			s.updatePaging() // a load this search overtook left them off
			return
		}
		s.Search.Query, s.Search.InAll = q, all
		s.cursor, s.back, s.next = "", nil, page.Next
		s.Messages = page.Messages
		s.List.UnselectAll()
		s.List.ScrollToTop()
		s.List.Refresh()
		s.Reader.clear()
		s.setStatus("", false)
		s.Search.End.Show()
		s.showFolder()
		s.updatePaging()
	})
}

// mailEndSearch goes back to the folder the search started from.
func (u *UI) mailEndSearch(s *MailScreen) {
	s.Search.Entry.SetText("")
	u.mailOpenFolder(s, s.Folder)
}

// reset forgets the search (a folder shows again).
func (b *MailSearchBar) reset() {
	b.Query, b.InAll = "", false
	b.End.Hide()
}
