package directory

import (
	"errors"
	"fmt"
	"strings"
)

// German texts of the input errors, keyed by their English format, for
// the people who use the client (the command line stays English). The
// arguments are the same; %w becomes %v.
var germanFormats = map[string]string{
	"%q is not a date like 2026-08-20":                                              "„%s“ ist kein Datum wie 2026-08-20.",
	"%q is not a date like 2027-07-31":                                              "„%s“ ist kein Datum wie 2027-07-31.",
	"the consent cannot be signed in the future (%s)":                               "Die Einwilligung kann nicht in der Zukunft unterschrieben sein (%s).",
	"the consent cannot be revoked in the future (%s)":                              "Der Widerruf kann nicht in der Zukunft liegen (%s).",
	"consent is recorded for pupils only":                                           "Einwilligungen gibt es nur für Schülerinnen und Schüler.",
	"the consent for %s is revoked already":                                         "Die Einwilligung für %s ist schon widerrufen.",
	"revoked (%s) before it was signed (%s)":                                        "Der Widerruf (%s) liegt vor der Unterschrift (%s).",
	"the school is set up already":                                                  "Die Schule ist schon eingerichtet.",
	"line %d: the ID %s belongs to an account that is not a pupil":                  "Zeile %d: Die ID %s gehört zu einem Konto, das kein Schülerkonto ist.",
	"the file is larger than %d MB":                                                 "Die Datei ist größer als %d MB.",
	"the file is neither UTF-8 nor Windows-1252":                                    "Die Datei ist weder UTF-8 noch Windows-1252.",
	"not a readable CSV file: %v":                                                   "Das ist keine lesbare CSV-Datei (%v).",
	"the file is empty":                                                             "Die Datei ist leer.",
	"the first line must name the columns; missing: %s":                             "Die erste Zeile muss die Spalten nennen; es fehlt: %s.",
	"the file has errors, nothing was imported:\n%w":                                "Die Datei hat Fehler, es wurde nichts importiert:\n%v",
	"the file lists no pupils":                                                      "In der Datei stehen keine Schülerinnen und Schüler.",
	"the school's name must have 1 to 200 characters":                               "Der Name der Schule muss 1 bis 200 Zeichen haben.",
	"%q is not a mail domain like gsborsum.de (lower case)":                         "„%s“ ist keine Mail-Domain wie gsborsum.de (klein geschrieben).",
	"the %s must not be empty":                                                      "Bitte %s angeben.",
	"the %s %q is too long or has control characters":                               "%s „%s“ ist zu lang oder enthält Steuerzeichen.",
	"%q is not a class name like 3a":                                                "„%s“ ist kein Klassenname wie 3a.",
	"unknown role %q":                                                               "Die Rolle „%s“ gibt es nicht.",
	"a pupil belongs to one class, not %d":                                          "Ein Kind gehört zu genau einer Klasse, nicht zu %d.",
	"%q is not a valid login (lower-case letters, digits, . and -)":                 "„%s“ ist kein gültiger Login (Kleinbuchstaben, Ziffern, . und -).",
	"the login %q is longer than %d characters (Windows' limit for local accounts)": "Der Login „%s“ ist länger als %d Zeichen; so lange Namen nimmt Windows für ein Konto nicht an.",
	"the login %q is taken":                                                         "Den Login „%s“ gibt es schon.",
	"another person has the ID %q already":                                          "Die ID „%s“ hat schon jemand anderes.",
	"%q is a role, not a class":                                                     "„%s“ ist eine Rolle, keine Klasse.",
	"a lock needs a reason":                                                         "Bitte einen Grund für die Sperre angeben.",
	"%s is not locked":                                                              "%s ist nicht gesperrt.",
	"a pupil belongs to one class":                                                  "Ein Kind gehört zu genau einer Klasse.",
	"only pupils are promoted or held back":                                         "Nur Schülerinnen und Schüler werden versetzt oder wiederholen.",
	"unknown right %q (known: protocol, calendar, lending)":                         "Das Recht „%s“ gibt es nicht (bekannt: protocol, calendar, lending).",
	"service account name %q: use 2-32 lower-case letters, digits and -, starting with a letter": "Dienstkonto „%s“: 2-32 Kleinbuchstaben, Ziffern und -, am Anfang ein Buchstabe.",
	"service account %q exists already": "Das Dienstkonto „%s“ gibt es schon.",
}

// German names of the fields validName checks.
var germanFields = map[string]string{
	"first name": "den Vornamen", "last name": "den Nachnamen", "guardian's name": "den Namen der Erziehungsberechtigten",
}

var germanFieldsNominative = map[string]string{
	"first name": "Der Vorname", "last name": "Der Nachname", "guardian's name": "Der Name der Erziehungsberechtigten",
}

func german(format string, args []any) string {
	de, ok := germanFormats[format]
	if !ok {
		return ""
	}
	args = append([]any(nil), args...)
	switch format {
	case "the %s must not be empty":
		args[0] = germanFields[fmt.Sprint(args[0])]
	case "the %s %q is too long or has control characters":
		args[0] = germanFieldsNominative[fmt.Sprint(args[0])]
	}
	return fmt.Sprintf(de, args...)
}

// German returns the German text of an input error for the people using
// the client, and false for errors that have none (the caller then shows a
// general message; internal errors never reach a person).
func German(err error) (string, bool) {
	var in *inputError
	if errors.As(err, &in) && in.german != "" {
		return in.german, true
	}
	var pe *PolicyError
	if errors.As(err, &pe) {
		return describePolicy(pe), true
	}
	switch {
	case errors.Is(err, ErrSamePassword):
		return "Das neue Passwort muss anders sein als das bisherige.", true
	case errors.Is(err, ErrPartialList):
		return "In der Liste fehlt mehr als die Hälfte der Kinder. Ist es die Liste der ganzen Schule?", true
	case errors.Is(err, ErrOutdatedList):
		return "Die Liste setzt die meisten Kinder in eine niedrigere Klassenstufe. Stammt sie von vor der Versetzung?", true
	case errors.Is(err, ErrNoLoginName):
		return "Aus diesem Namen lässt sich kein Login bilden.", true
	case errors.Is(err, ErrPromotedRecently):
		return "Die Versetzung lief schon vor weniger als 180 Tagen.", true
	}
	return "", false
}

func describePolicy(pe *PolicyError) string {
	parts := make([]string, len(pe.Broken))
	for i, r := range pe.Broken {
		parts[i] = r.German()
	}
	return "Das Passwort braucht noch: " + strings.Join(parts, ", ") + "."
}
