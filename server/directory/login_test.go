package directory_test

import (
	"errors"
	"strings"
	"testing"

	"kaspel/server/directory"
)

func TestLoginBase(t *testing.T) {
	tests := []struct {
		first, last string
		want        string
	}{
		{"Anna", "Müller", "anna.mueller"},
		{"Jörg", "Weiß", "joerg.weiss"},
		{"Ümit", "Öztürk", "uemit.oeztuerk"},
		{"ÄNNE", "GROSS", "aenne.gross"},
		{"Jens", "STRAẞE", "jens.strasse"},
		{"José", "García", "jose.garcia"},
		{"Thi Thu", "Nguyễn", "thi-thu.nguyen"},
		{"Łukasz", "Wiśniewski", "lukasz.wisniewski"},
		{"Hans Christian", "Ørsted", "hans-christia.orsted"}, // 20 characters at most (Windows)
		{"François", "Lefèvre", "francois.lefevre"},
		{"Zoë", "Brontë", "zoe.bronte"},
		{"Ayşe", "Yılmaz", "ayse.yilmaz"},
		{"Anna-Lena", "Schmidt", "anna-lena.schmidt"},
		{"Klaus", "von der Heide", "klaus.von-der-heide"},
		{"Anna - Lena", "Meier", "anna-lena.meier"},
		{"  Tom ", " Berg  ", "tom.berg"},
		{"-Tom-", "Berg", "tom.berg"},
		{"Lea", "O'Brien", "lea.obrien"},
		{"Luca", "D’Angelo", "luca.dangelo"},
		{"Max", "Mustermann 2", "max.mustermann-2"},
		{"Karl", "Müller-Lüdenscheidt", "k.mueller-luedensche"},
		{"Marie-Luise", "von der Heide", "marie.von-der-heide"}, // cut at the hyphen, not "marie-."
		{"Maximilian", "Schneider", "maximilian.schneider"},     // exactly 20
		// A decomposed umlaut (u + U+0308, as macOS writes file names and
		// some exports) gives the same login as the composed one.
		{"Anna", "Mu\u0308ller", "anna.mueller"},
	}
	for _, tt := range tests {
		t.Run(tt.first+" "+tt.last, func(t *testing.T) {
			got, err := directory.LoginBase(tt.first, tt.last)
			if err != nil || got != tt.want {
				t.Errorf("LoginBase(%q, %q) = %q, %v, want %q", tt.first, tt.last, got, err, tt.want)
			}
		})
	}
}

func TestLoginBaseNoLetters(t *testing.T) {
	tests := []struct{ first, last string }{
		{"", "Müller"},
		{"Anna", ""},
		{"   ", "Müller"},
		{"Anna", "---"},
		{"王", "芳"},
		{"Anna", "'"},
	}
	for _, tt := range tests {
		t.Run(tt.first+" "+tt.last, func(t *testing.T) {
			got, err := directory.LoginBase(tt.first, tt.last)
			if !errors.Is(err, directory.ErrNoLoginName) {
				t.Errorf("LoginBase(%q, %q) = %q, %v, want ErrNoLoginName", tt.first, tt.last, got, err)
			}
		})
	}
}

func TestNormalizeClass(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"3a", "3a", false},
		{"3A", "3a", false},
		{"3 a", "3a", false},
		{"Klasse 3a", "3a", false},
		{"klasse 4 B", "4b", false},
		{"3.a", "3a", false},
		{"10c", "10c", false},
		{"DaZ", "daz", false},
		{"skg-1", "skg-1", false},
		{"", "", true},
		{"3a!", "", true},
		{"schueler", "", true}, // a role group
		{"Lehrer", "", true},
		{"admins", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := directory.NormalizeClass(tt.in)
			if tt.wantErr {
				if !errors.Is(err, directory.ErrInvalid) {
					t.Errorf("NormalizeClass(%q) = %q, %v, want ErrInvalid", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeClass(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in   string
		want directory.Role
	}{
		{"pupil", directory.Pupil},
		{"Schüler", directory.Pupil},
		{"schueler", directory.Pupil},
		{" Lehrerin ", directory.Teacher},
		{"Lehrkraft", directory.Teacher},
		{"Sekretärin", directory.Secretary},
		{"admin", directory.Admin},
		{"hausmeister", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := directory.ParseRole(tt.in)
			if got != tt.want || (err != nil) != (tt.want == "") {
				t.Errorf("ParseRole(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
	for _, r := range directory.Roles {
		if r.GroupName() == "" || r.German() == string(r) {
			t.Errorf("role %s: group %q, German %q, want both set", r, r.GroupName(), r.German())
		}
	}
}

// Namesakes get .2, .3, …, and the suffix fits into the 20 characters too.
func TestLoginNamesakesStayShort(t *testing.T) {
	e := newEnv(t)
	var got []string
	for range 3 {
		p, _ := e.add("Maximilian", "Schneider", directory.Pupil, "3a")
		got = append(got, p.Login)
	}
	want := []string{"maximilian.schneider", "maximili.schneider.2", "maximili.schneider.3"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("login %d: %q, want %q", i+1, got[i], want[i])
		}
	}
	for _, l := range got {
		if len(l) > directory.MaxLoginLength {
			t.Errorf("%q is longer than %d", l, directory.MaxLoginLength)
		}
	}
}

// A login an admin types is held to the same 20 characters.
func TestExplicitLoginTooLong(t *testing.T) {
	e := newEnv(t)
	_, _, err := e.dir.AddPerson(e.ctx, admin, directory.NewPerson{FirstName: "Lang", LastName: "Name", Role: directory.Teacher,
		Login: "lange.namen.sind.schoen"})
	if !errors.Is(err, directory.ErrInvalid) {
		t.Fatalf("a 23-character login: got %v", err)
	}
	if msg, _ := directory.German(err); !strings.Contains(msg, "länger als 20 Zeichen") {
		t.Errorf("German message: %q", msg)
	}
}
