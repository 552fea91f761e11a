package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/shared/wire"
)

var _ ChatAPI = (*serverapi.Client)(nil)

// chatSafety bounds the waits for the live updates to end. It is no
// timing claim: the loop ends within a second; the deadline only keeps a
// broken loop from hanging the test run. (waitFor, in agent_test.go,
// waits for a condition with a safety deadline the same way.)
const chatSafety = 60 * time.Second

// openChat taps the chat tile and waits for the rooms. The live updates
// are stopped at the end of the test, before the server goes.
func openChat(t *testing.T, u *UI) *ChatScreen {
	t.Helper()
	b := u.Home.Tiles[wire.ModuleChat]
	if b == nil {
		t.Fatal("home: no chat tile")
	}
	test.Tap(b)
	u.Wait()
	s, ok := u.screen(chatKey).(*ChatScreen)
	if !ok {
		t.Fatal("the chat tile opened no chat screen")
	}
	t.Cleanup(func() { stopChat(t, u) })
	return s
}

// stopChat ends a UI's live updates and waits until the loop is gone.
func stopChat(t *testing.T, u *UI) {
	t.Helper()
	select {
	case <-u.chatStopLive():
	case <-time.After(chatSafety):
		t.Errorf("the chat's live updates did not end within %v", chatSafety)
	}
}

// chatRoomButton finds the button of the room whose title starts with title.
func chatRoomButton(t *testing.T, s *ChatScreen, title string) *widget.Button {
	t.Helper()
	var b *widget.Button
	var names []string
	s.mu.Lock()
	for i, r := range s.Rooms {
		names = append(names, r.Title)
		if strings.HasPrefix(r.Title, title) && i < len(s.RoomBtns) {
			b = s.RoomBtns[i]
		}
	}
	s.mu.Unlock()
	if b == nil {
		t.Fatalf("no room %q among %v", title, names)
	}
	return b
}

// openChatRoom taps a room and waits for its messages.
func openChatRoom(t *testing.T, u *UI, s *ChatScreen, title string) {
	t.Helper()
	test.Tap(chatRoomButton(t, s, title))
	u.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Room == nil || !strings.HasPrefix(s.Room.Title, title) {
		t.Fatalf("opening %q: room %+v, status %q", title, s.Room, s.Status.Text)
	}
}

// chatLines are the open room's messages as "From: Body" (under the
// screen's lock: live updates may come in meanwhile).
func chatLines(s *ChatScreen) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.Rows))
	for i, r := range s.Rows {
		out[i] = r.From.Text + ": " + r.Body.Text
	}
	return out
}

// chatRow finds the row showing body.
func chatRow(t *testing.T, s *ChatScreen, body string) *ChatRow {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.Rows {
		if r.Message.Body == body {
			return r
		}
	}
	t.Fatalf("no message %q in the room", body)
	return nil
}

func chatRoomTitles(s *ChatScreen) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.RoomBtns))
	for i, b := range s.RoomBtns {
		out[i] = b.Text
	}
	return out
}

// submitEntry presses Enter in an entry.
func submitEntry(e *widget.Entry) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

// Two pupils of 3a chat: Ben's open room shows Anna's message without
// any reload, a direct chat Anna starts appears in Ben's room list with
// its unread count, and at the logout in the PC room the live updates
// end and nothing of the chat stays.
func TestChatBetweenPupilsLive(t *testing.T) {
	w := newWorld(t)
	ub := w.newUI(config.ModePCRoom)
	w.loggedIn(ub, w.Pupil2)
	sb := openChat(t, ub)
	if got := chatRoomTitles(sb); !slices.Contains(got, "Klasse 3a") {
		t.Fatalf("Ben's rooms: %v, want Klasse 3a", got)
	}
	openChatRoom(t, ub, sb, "Klasse 3a")
	if !sb.Empty.Visible() || len(chatLines(sb)) != 0 {
		t.Errorf("a new class room: %v, empty note shown %v", chatLines(sb), sb.Empty.Visible())
	}

	ua := w.newUI(config.ModeStaff)
	w.loggedIn(ua, w.Pupil)
	sa := openChat(t, ua)
	openChatRoom(t, ua, sa, "Klasse 3a")
	test.Type(sa.Input, "Hallo Ben! Spielst du in der Pause mit?")
	submitEntry(sa.Input) // Enter sends
	ua.Wait()
	if got := chatLines(sa); !slices.Equal(got, []string{"Du: Hallo Ben! Spielst du in der Pause mit?"}) {
		t.Fatalf("Anna's room after sending: %v; status %q", got, sa.Status.Text)
	}
	if sa.Input.Text != "" {
		t.Errorf("the text field kept %q after sending", sa.Input.Text)
	}

	// Ben's screen shows it by itself.
	want := "Anna Schmidt: Hallo Ben! Spielst du in der Pause mit?"
	waitFor(t, "Anna's message on Ben's open screen", func() bool { return slices.Contains(chatLines(sb), want) })
	row := chatRow(t, sb, "Hallo Ben! Spielst du in der Pause mit?")
	if !row.Report.Visible() || row.Report.Text != "Melden" || row.Delete.Visible() {
		t.Errorf("Ben's row of Anna's message: report %v %q, delete %v; want Melden and no delete", row.Report.Visible(), row.Report.Text, row.Delete.Visible())
	}
	if own := chatRow(t, sa, "Hallo Ben! Spielst du in der Pause mit?"); own.Report.Visible() || !own.Delete.Visible() {
		t.Error("Anna's own message: want no Melden and a delete button")
	}
	test.Tap(sb.Send) // an empty field sends nothing
	ub.Wait()

	// Ben answers with the button.
	test.Type(sb.Input, "Ja, klar!")
	test.Tap(sb.Send)
	ub.Wait()
	waitFor(t, "Ben's answer on Anna's screen", func() bool { return slices.Contains(chatLines(sa), "Ben Becker: Ja, klar!") })

	// A direct chat: only the people of her class are offered.
	test.Tap(sa.NewChat)
	ua.Wait()
	p := sa.Direct
	if p == nil {
		t.Fatal("Neuer Chat opened no picker")
	}
	var offered []string
	for _, b := range p.Buttons {
		offered = append(offered, b.Text)
	}
	joined := strings.Join(offered, "\n")
	if !strings.Contains(joined, "Ben Becker") || !strings.Contains(joined, "Tina Lehmann") || strings.Contains(joined, "Clara Roth") {
		t.Fatalf("contacts offered to Anna: %v; want her class and not Clara of 4b", offered)
	}
	for i, c := range p.Contacts {
		if c.Login == w.Pupil2 {
			test.Tap(p.Buttons[i])
		}
	}
	ua.Wait()
	if sa.Direct != nil || sa.Room == nil || sa.Room.Kind != wire.ChatDirectRoom || sa.Room.Title != "Ben Becker" {
		t.Fatalf("after picking Ben: room %+v, picker still open %v", sa.Room, sa.Direct != nil)
	}
	test.Type(sa.Input, "Das ist nur für dich.")
	submitEntry(sa.Input)
	ua.Wait()
	waitFor(t, "the new direct chat in Ben's list", func() bool { return slices.Contains(chatRoomTitles(sb), "Anna Schmidt (1 neu)") })
	if got := chatLines(sb); slices.Contains(got, "Anna Schmidt: Das ist nur für dich.") {
		t.Errorf("the direct message showed in the class room: %v", got)
	}
	openChatRoom(t, ub, sb, "Anna Schmidt")
	if got := chatLines(sb); !slices.Equal(got, []string{"Anna Schmidt: Das ist nur für dich."}) {
		t.Errorf("Ben's direct chat: %v", got)
	}
	if got := chatRoomTitles(sb); !slices.Contains(got, "Anna Schmidt") {
		t.Errorf("the unread count stayed after opening: %v", got)
	}

	// The logout in the PC room ends the live updates and forgets the
	// chat, also a report form left open over it.
	sb.mu.Lock()
	f := sb.follow
	sb.mu.Unlock()
	if f == nil {
		t.Fatal("Ben's chat has no live updates running")
	}
	test.Tap(chatRow(t, sb, "Das ist nur für dich.").Report)
	ub.Wait()
	if sb.Report == nil || ub.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Melden opened no form")
	}
	ub.Logout(T("login.bye"))
	ub.Wait()
	select {
	case <-f.done:
	case <-time.After(chatSafety):
		t.Fatal("the live updates outlived the session")
	}
	if ub.screen(chatKey) != nil || len(chatLines(sb)) != 0 || len(chatRoomTitles(sb)) != 0 {
		t.Errorf("after the logout: chat screen kept %v, rows %v, rooms %v", ub.screen(chatKey) != nil, chatLines(sb), chatRoomTitles(sb))
	}
	if ub.win.Canvas().Overlays().Top() != nil {
		t.Error("the report form stayed over the login")
	}

	// Going home stops the live updates too; coming back starts them.
	sa.mu.Lock()
	fa := sa.follow
	sa.mu.Unlock()
	test.Tap(ua.homeBtn)
	select {
	case <-fa.done:
	case <-time.After(chatSafety):
		t.Fatal("the live updates went on after leaving the chat")
	}
	test.Tap(ua.Home.Tiles[wire.ModuleChat])
	ua.Wait()
	sa.mu.Lock()
	running := sa.follow != nil && sa.follow != fa
	sa.mu.Unlock()
	if !running || ua.screen(chatKey) != sa {
		t.Error("coming back to the chat: no live updates, or a new screen")
	}
}

// A message that cannot go (the rate limit) keeps the text and shows the
// server's German message.
func TestChatRefusalKeepsText(t *testing.T) {
	w := newWorld(t)
	api := w.apiAs(w.Pupil)
	rooms, err := api.ChatRooms(ctx)
	if err != nil || len(rooms) == 0 {
		t.Fatalf("rooms: %v, %v", rooms, err)
	}
	for i := range 10 { // chat.DefaultConfig: 10 per minute for pupils
		if _, err := api.ChatSend(ctx, rooms[0].ID, fmt.Sprintf("Nr. %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openChat(t, u)
	openChatRoom(t, u, s, "Klasse 3a")
	test.Type(s.Input, "Noch eine")
	submitEntry(s.Input)
	u.Wait()
	if !strings.Contains(s.Status.Text, "Langsam!") || s.Status.Importance != widget.DangerImportance {
		t.Errorf("status: %q, want the server's rate-limit message in red", s.Status.Text)
	}
	if s.Input.Text != "Noch eine" {
		t.Errorf("the text field: %q, want the text kept", s.Input.Text)
	}
}

// A report opens exactly the reported window of a chat to an admin and
// nothing else, through the screens: Anna reports Ben's message with a
// reason and her teacher; the teacher's list names it without its text;
// the admin's report view shows exactly the window the API gives —
// nothing of the room before or after it, nothing of a direct chat — and
// closing it with a note removes the message from Anna's open room.
func TestChatReportWindowForAdmin(t *testing.T) {
	w := newWorld(t)
	anna, ben := w.apiAs(w.Pupil), w.apiAs(w.Pupil2)
	writers := []*serverapi.Client{w.apiAs(w.Teacher),
		w.apiAs(w.rig.AddPerson("Uwe", "Ulm", directory.Teacher, staffPW, "3a")),
		w.apiAs(w.rig.AddPerson("Vera", "Voss", directory.Teacher, staffPW, "3a"))}
	rooms, err := anna.ChatRooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var room int64
	for _, r := range rooms {
		if r.Group == "3a" {
			room = r.ID
		}
	}
	dm, err := anna.ChatOpenDirect(ctx, w.Pupil2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ben.ChatSend(ctx, dm.ID, "Geheimnis im Direktchat"); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	write := func(c *serverapi.Client, body string) {
		m, err := c.ChatSend(ctx, room, body)
		if err != nil {
			t.Fatalf("send %q: %v", body, err)
		}
		ids = append(ids, m.ID)
	}
	for i := range 24 {
		write(writers[i%3], fmt.Sprintf("Vorher %d", i+1))
	}
	const bad = "Du bist so doof, Anna!"
	write(ben, bad) // ids[24]
	for i := range 24 {
		write(writers[i%3], fmt.Sprintf("Nachher %d", i+1))
	}

	// Anna reports it in her class room.
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openChat(t, u)
	openChatRoom(t, u, s, "Klasse 3a")
	if n := len(chatLines(s)); n != 49 {
		t.Fatalf("Anna's room shows %d messages, want all 49", n)
	}
	row := chatRow(t, s, bad)
	test.Tap(row.Report)
	u.Wait()
	f := s.Report
	if f == nil {
		t.Fatal("Melden opened no form")
	}
	if !strings.Contains(f.Quote.Text, bad) {
		t.Errorf("the form quotes %q", f.Quote.Text)
	}
	if !slices.Contains(f.Reasons.Options, "Beleidigung oder Mobbing") || !slices.Contains(f.Reasons.Options, "Etwas anderes") {
		t.Errorf("reasons: %v", f.Reasons.Options)
	}
	if f.Teacher == nil || !slices.Contains(f.Teacher.Options, "Tina Lehmann") {
		t.Fatalf("the teacher choice: %+v", f.Teacher)
	}
	if !f.Send.Disabled() {
		t.Error("Melden is enabled before a reason is picked")
	}
	f.Reasons.SetSelected("Etwas anderes")
	if !f.Send.Disabled() {
		t.Error("Melden is enabled for Etwas anderes without a note")
	}
	f.Reasons.SetSelected("Beleidigung oder Mobbing")
	f.Teacher.SetSelected("Tina Lehmann")
	test.Type(f.Note, "Das macht er jeden Tag.")
	test.Tap(f.Send)
	u.Wait()
	if s.Report != nil {
		t.Fatalf("the form stayed open: %q", f.Message.Text)
	}
	if !strings.Contains(s.Status.Text, "Danke") || !strings.Contains(s.Status.Text, "Tina Lehmann") {
		t.Errorf("status after reporting: %q", s.Status.Text)
	}
	if row := chatRow(t, s, bad); row.Report.Text != "Gemeldet" || !row.Report.Disabled() {
		t.Errorf("the reported row's button: %q, disabled %v", row.Report.Text, row.Report.Disabled())
	}

	// The teacher's list names the report, without the message's text.
	ut := w.newUI(config.ModeStaff)
	w.loggedIn(ut, w.Teacher)
	st := openChat(t, ut)
	test.Tap(st.MyReports)
	ut.Wait()
	if st.Reports == nil || len(st.Reports.Lines) != 1 {
		t.Fatalf("the teacher's reports: %+v", st.Reports)
	}
	if line := st.Reports.Lines[0].Text; !strings.Contains(line, "Anna Schmidt hat gemeldet") || !strings.Contains(line, "Ben Becker") || strings.Contains(line, "doof") {
		t.Errorf("the teacher's report line: %q; want reporter and author, not the text", line)
	}
	stopChat(t, ut)

	// The admin: a tile with the count, the list without content.
	ua := w.newUI(config.ModeStaff)
	w.loggedIn(ua, w.Admin)
	ua.Wait()
	tile := ua.Home.Tiles[chatReportsKey]
	if tile == nil {
		t.Fatal("the admin has no chat reports tile")
	}
	if got := ua.Home.Badge[chatReportsKey].Text; got != "1 neu" {
		t.Errorf("badge: %q, want 1 neu", got)
	}
	if ut.Home != nil && ut.Home.Tiles[chatReportsKey] != nil {
		t.Error("a teacher has the admin's report tile")
	}
	test.Tap(tile)
	ua.Wait()
	rs, ok := ua.screen(chatReportsKey).(*ChatReportsScreen)
	if !ok || len(rs.Items) != 1 {
		t.Fatalf("the admin's report list: %+v", rs)
	}
	list := texts(ua)
	if strings.Contains(list, "doof") || strings.Contains(list, "Vorher") {
		t.Errorf("the list shows chat content:\n%s", list)
	}
	test.Tap(rs.Items[0])
	ua.Wait()
	v := rs.View
	if v == nil {
		t.Fatalf("opening the report: no view; status %q", rs.Status.Text)
	}
	want, err := w.apiAs(w.Admin).AdminChatReport(ctx, v.Report.ID)
	if err != nil {
		t.Fatal(err)
	}
	var shown, api []int64
	for _, m := range v.Messages {
		shown = append(shown, m.ID)
	}
	for _, m := range want.Messages {
		api = append(api, m.ID)
	}
	if !slices.Equal(shown, api) || !slices.Equal(shown, ids[4:45]) || len(v.Lines) != len(api) {
		t.Fatalf("the view holds %v in %d lines; the API gives %v; want %v", shown, len(v.Lines), api, ids[4:45])
	}
	for i, m := range want.Messages {
		if !strings.HasSuffix(v.Lines[i].Text, ": "+m.Body) {
			t.Errorf("line %d: %q, want %q", i, v.Lines[i].Text, m.Body)
		}
	}
	if hl := v.Lines[20]; !strings.HasSuffix(hl.Text, bad) || !hl.TextStyle.Bold {
		t.Errorf("the reported message is not the highlighted middle line: %q", hl.Text)
	}
	all := texts(ua)
	for _, in := range []string{": Vorher 5\n", ": " + bad + "\n", ": Nachher 20\n"} {
		if !strings.Contains(all, in) {
			t.Errorf("the window lacks %q", strings.TrimSpace(in))
		}
	}
	for _, out := range []string{": Vorher 1\n", ": Vorher 4\n", ": Nachher 21\n", ": Nachher 24\n", "Geheimnis"} {
		if strings.Contains(all, out) {
			t.Errorf("the admin sees %q, beyond the window", strings.TrimSpace(out))
		}
	}

	// Closing needs a note; with "remove" the message goes from the room.
	if !v.Close.Disabled() {
		t.Error("closing is possible without a note")
	}
	test.Type(v.Note, "Mit Ben und den Eltern gesprochen.")
	v.Remove.SetChecked(true)
	test.Tap(v.Close)
	ua.Wait()
	if rs.View != nil || len(rs.Items) != 0 || !strings.Contains(rs.Status.Text, "abgeschlossen") {
		t.Errorf("after closing: view %v, %d open reports, status %q", rs.View != nil, len(rs.Items), rs.Status.Text)
	}
	if rs.View == nil && strings.Contains(texts(ua), "Vorher") {
		t.Error("the window's messages stay on the admin's screen after closing")
	}
	waitFor(t, "the removed message in Anna's open room", func() bool {
		return slices.Contains(chatLines(s), "Ben Becker: (Diese Nachricht wurde gelöscht.)")
	})
}

// The class teacher moderates her class's room: she deletes a message
// (asked first) and mutes the room for the pupils; Anna's open room shows
// both live — the message gone, the text field off with the reason.
func TestChatModeration(t *testing.T) {
	w := newWorld(t)
	ben := w.apiAs(w.Pupil2)
	rooms, err := ben.ChatRooms(ctx)
	if err != nil || len(rooms) == 0 {
		t.Fatalf("rooms: %v, %v", rooms, err)
	}
	if _, err := ben.ChatSend(ctx, rooms[0].ID, "Alle sind doof!"); err != nil {
		t.Fatal(err)
	}

	ua := w.newUI(config.ModeStaff)
	w.loggedIn(ua, w.Pupil)
	sa := openChat(t, ua)
	openChatRoom(t, ua, sa, "Klasse 3a")
	if sa.PupilsMayWrite.Visible() || chatRow(t, sa, "Alle sind doof!").Delete.Visible() {
		t.Error("a pupil gets the moderators' switch or deletes others' messages")
	}

	ut := w.newUI(config.ModeStaff)
	w.loggedIn(ut, w.Teacher)
	st := openChat(t, ut)
	openChatRoom(t, ut, st, "Klasse 3a")
	if !st.PupilsMayWrite.Visible() || !st.PupilsMayWrite.Checked {
		t.Fatal("the class teacher has no switch, or the room starts muted")
	}
	test.Tap(chatRow(t, st, "Alle sind doof!").Delete)
	if st.ConfirmDelete == nil {
		t.Fatal("deleting did not ask")
	}
	st.ConfirmDelete.Confirm()
	ut.Wait()
	if got := chatLines(st); !slices.Equal(got, []string{"Ben Becker: (Diese Nachricht wurde gelöscht.)"}) {
		t.Errorf("the teacher's room after deleting: %v; status %q", got, st.Status.Text)
	}
	waitFor(t, "the deletion on Anna's screen", func() bool {
		return slices.Equal(chatLines(sa), []string{"Ben Becker: (Diese Nachricht wurde gelöscht.)"})
	})
	if chatRow(t, sa, "").Report.Visible() {
		t.Error("a deleted message can still be reported")
	}

	test.Tap(st.PupilsMayWrite) // off: only teachers write
	ut.Wait()
	if st.PupilsMayWrite.Checked || st.Input.Disabled() {
		t.Errorf("after muting: switch %v, the teacher's field off %v; status %q", st.PupilsMayWrite.Checked, st.Input.Disabled(), st.Status.Text)
	}
	muted := func() bool {
		sa.mu.Lock()
		defer sa.mu.Unlock()
		return sa.Input.Disabled() && sa.ReadOnly.Visible() && sa.ReadOnly.Text == "Im Moment können hier nur Lehrkräfte schreiben."
	}
	waitFor(t, "Anna's text field off in the muted room", muted)
	if got := chatLines(sa); len(got) != 2 || !strings.Contains(got[1], "stumm") {
		t.Errorf("Anna's room: %v; want the server's notice", got)
	}
}
