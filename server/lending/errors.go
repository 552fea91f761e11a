package lending

import "kaspel/server/refusal"

// Kind sorts the refusals of the lending rules, so that the API can
// answer each with its status without knowing the rules.
type Kind = refusal.Kind

// The kinds of refusal.
const (
	// Invalid: the input breaks a rule (an ISBN with a wrong check digit,
	// a fee outside the band, terms not accepted).
	Invalid = refusal.Invalid
	// Forbidden: the person may not do this (a teacher entering titles,
	// a class teacher looking at another class).
	Forbidden = refusal.Forbidden
	// NotFound: no such year, title, copy, pupil or line.
	NotFound = refusal.NotFound
	// Conflict: the state forbids it (an ISBN already entered, a title
	// with copies deleted, registration closed, a copy lent a fourth time).
	Conflict = refusal.Conflict
)

// Error is a refusal with a German message fit for a child. Its English
// text is for the log.
type Error = refusal.Error

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return refusal.New("lending", kind, field, german, english, args...)
}

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) { return refusal.As(err) }

// The refusals several places give.
var (
	errNoYear     = refuse(NotFound, "year", "Dieses Schuljahr gibt es in der Schulbuchausleihe nicht.", "no such year")
	errNoTitle    = refuse(NotFound, "title", "Diesen Titel gibt es nicht.", "no such title")
	errNoCopy     = refuse(NotFound, "code", "Dieses Buch ist nicht erfasst.", "no such copy")
	errNoPupil    = refuse(NotFound, "pupil", "Diese Schülerin oder diesen Schüler gibt es nicht.", "no such pupil")
	errNoLoan     = refuse(NotFound, "loan", "Diese Ausleihe gibt es nicht.", "no such loan")
	errNoClaim    = refuse(NotFound, "claim", "Diese Forderung gibt es nicht.", "no such claim")
	errNoLine     = refuse(NotFound, "line", "Diese Buchung gibt es nicht (mehr).", "no such bank line")
	errNoAccount  = refuse(NotFound, "reference", "Zu diesem Verwendungszweck gibt es keine Anmeldung.", "no such account")
	errCoordOnly  = refuse(Forbidden, "", "Das darf nur die Koordination der Schulbuchausleihe.", "not the lending coordinator")
	errStaffOnly  = refuse(Forbidden, "", "Das darf nur das Team der Schulbuchausleihe (Sekretariat, Koordination).", "not lending staff")
	errPupilsOnly = refuse(Forbidden, "", "Das geht nur mit dem Konto eines Kindes.", "not a pupil")
)
