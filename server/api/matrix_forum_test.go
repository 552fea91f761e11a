package api_test

import (
	"strconv"

	"kaspel/shared/wire"
)

// The forum module's rows of the authorization matrix. Every logged-in
// person reads and writes the forums they are in; moderation is for
// staff, and the handler refuses (403) staff who read the forum but do
// not moderate it: the rows' forum is a school forum everyone reads, and
// only the admin moderates it. Naming moderators of a school forum is
// for admins; a teacher is refused by the handler.
func init() {
	const schoolPath = "/api/v1/forum/forums/{forum_school}"
	notModerators := []string{"teacher", "secretary", "protocol"}
	reason := wire.ForumReason{Reason: "Matrix"}
	matrix = append(matrix,
		matrixRow{method: "GET", pattern: "/api/v1/forum/forums", who: "all"},
		matrixRow{method: "GET", pattern: "/api/v1/forum/forums/{id}", who: "all", path: schoolPath},
		matrixRow{method: "GET", pattern: "/api/v1/forum/forums/{id}/topics", who: "all", path: schoolPath + "/topics?limit=10"},
		matrixRow{method: "POST", pattern: "/api/v1/forum/forums/{id}/topics", who: "all", path: schoolPath + "/topics",
			body: wire.ForumNewTopic{Title: "Matrix", Text: "Hallo"}},
		matrixRow{method: "PUT", pattern: "/api/v1/forum/forums/{id}/moderators/{login}", who: "teacher,admin",
			path: schoolPath + "/moderators/{forum_secretary}", handlerDenies: []string{"teacher", "protocol"}},
		matrixRow{method: "DELETE", pattern: "/api/v1/forum/forums/{id}/moderators/{login}", who: "teacher,admin",
			path: schoolPath + "/moderators/{forum_secretary}", handlerDenies: []string{"teacher", "protocol"}},
		matrixRow{method: "GET", pattern: "/api/v1/forum/topics/{id}", who: "all", path: "/api/v1/forum/topics/{forum_topic}"},
		matrixRow{method: "POST", pattern: "/api/v1/forum/topics/{id}/posts", who: "all", path: "/api/v1/forum/topics/{forum_topic}/posts",
			body: wire.ForumText{Text: "Antwort"}},
		// The admin deletes; the protocol holder, who comes after, finds
		// nothing (404).
		matrixRow{method: "DELETE", pattern: "/api/v1/forum/topics/{id}", who: "teacher,secretary,admin",
			path: "/api/v1/forum/topics/{forum_doomed_topic}", body: reason, handlerDenies: []string{"teacher", "secretary"}},
		// Only the author edits (within 15 minutes of writing it).
		matrixRow{method: "PUT", pattern: "/api/v1/forum/posts/{id}", who: "all", path: "/api/v1/forum/posts/{forum_own_post}",
			body: wire.ForumText{Text: "Korrigiert"}, handlerDenies: []string{"teacher", "secretary", "admin", "protocol"}},
		matrixRow{method: "POST", pattern: "/api/v1/forum/posts/{id}/hide", who: "teacher,secretary,admin",
			path: "/api/v1/forum/posts/{forum_post}/hide", body: reason, handlerDenies: notModerators},
		matrixRow{method: "DELETE", pattern: "/api/v1/forum/posts/{id}/hide", who: "teacher,secretary,admin",
			path: "/api/v1/forum/posts/{forum_post}/hide", handlerDenies: notModerators},
		matrixRow{method: "DELETE", pattern: "/api/v1/forum/posts/{id}", who: "teacher,secretary,admin",
			path: "/api/v1/forum/posts/{forum_doomed_post}", body: reason, handlerDenies: []string{"teacher", "secretary"}},
		matrixRow{method: "POST", pattern: "/api/v1/admin/forum/forums", who: "admin",
			body: wire.ForumSchoolForum{Name: ""}}, // no name: 400 for an admin
		matrixRow{method: "PUT", pattern: "/api/v1/admin/forum/forums/{id}", who: "admin", path: "/api/v1/admin/forum/forums/{forum_school}",
			body: wire.ForumSchoolForum{Name: "Matrix-Forum"}},
		matrixRow{method: "DELETE", pattern: "/api/v1/admin/forum/forums/{id}", who: "admin", path: "/api/v1/admin/forum/forums/{forum_empty}"},
	)
	// A school forum for everyone that the admin moderates, with a topic
	// of the fixture's pupil (whose first post they edit), a post to hide,
	// a post and a topic to delete; and an empty forum to delete.
	matrixSetups = append(matrixSetups, func(s *school, vars matrixVars) {
		s.t.Helper()
		adam, anna := s.as(s.Admin), s.as(s.Pupil)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		f, err := adam.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Matrix-Forum"})
		if err != nil {
			s.t.Fatalf("matrix setup: forum: %v", err)
		}
		empty, err := adam.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Leer"})
		if err != nil {
			s.t.Fatalf("matrix setup: forum: %v", err)
		}
		if err := adam.AddForumModerator(ctx, f.ID, s.Admin); err != nil {
			s.t.Fatalf("matrix setup: moderator: %v", err)
		}
		topic := func() wire.ForumTopicPage {
			p, err := anna.NewForumTopic(ctx, f.ID, "Matrix", "Erster Beitrag")
			if err != nil {
				s.t.Fatalf("matrix setup: topic: %v", err)
			}
			return p
		}
		t, doomedTopic := topic(), topic()
		reply := func() wire.ForumPost {
			p, err := anna.ForumReply(ctx, t.Topic.ID, "Antwort")
			if err != nil {
				s.t.Fatalf("matrix setup: reply: %v", err)
			}
			return p
		}
		post, doomed := reply(), reply()
		vars["forum_school"], vars["forum_empty"], vars["forum_secretary"] = id(f.ID), id(empty.ID), s.Secretary
		vars["forum_topic"], vars["forum_doomed_topic"] = id(t.Topic.ID), id(doomedTopic.Topic.ID)
		vars["forum_own_post"], vars["forum_post"], vars["forum_doomed_post"] = id(t.Posts[0].ID), id(post.ID), id(doomed.ID)
	})
}
