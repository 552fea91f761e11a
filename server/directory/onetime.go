package directory

import (
	"crypto/rand"
	"encoding/base64"
	"math/big"
	"strings"

	"kaspel/shared/password"
)

// Words for one-time passwords: short German nouns a first-grader can read
// and type. No umlauts or ß (not on every keyboard layout at a login
// prompt), no y or z (swapped between German and English layouts), no
// letters that look alike in small fonts next to digits (we use no 0 or 1).
var words = strings.Fields(`
Affe Apfel Ameise Ball Banane Bank Bett Biene Birne Blatt Blume Boot Brief
Brot Brille Burg Dach Drache Eimer Eis Ente Erde Esel Eule Farbe Feder Fee
Fenster Fisch Flasche Floh Flosse Frosch Fuchs Gabel Gans Garten Geige Gras
Hafen Hahn Hase Haus Hemd Herd Himmel Honig Hose Huhn Hund Igel Insel Jacke
Kamel Kanne Karte Kerne Kette Kino Kirsche Kiste Klee Knopf Koffer Kran
Krone Kuchen Kuh Lampe Leiter Licht Loewe Maus Meer Mond Moewe Nadel
Nase Nest Nudel Ofen Oma Opa Palme Papier Pferd Pilot Pinsel Pirat Post
Puppe Rabe Rad Regen Ring Rock Rose Rutsche Sack Salat Sand Schaf Schal
Schiff Schnee Schuh Seil Sofa Sonne Stern Stein Stift Strand Tal Tasche
Tasse Teller Tiger Tisch Tomate Topf Turm Uhr Vogel Wagen Wal Wald Wasser
Wolke Wolf Wurm Adler Anker Becher Bohne Dose Elch Falke Ferien Fohlen
Geld Glocke Hammer Harfe Helm Hut Kakao Besen Kissen Koch Lama Lupe Mantel
Marder Melone Mohn Muschel Nebel Otter Paket Panda Pfote Rakete Reh Robbe
Saft Segel Socke Spiegel Tanne Taube Trommel Tulpe Wiese Wind Winter
`)

func randomInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic("directory: crypto/rand failed: " + err.Error())
	}
	return int(v.Int64())
}

// OneTimePassword makes a password a child can type from a printed slip,
// such as "Sonne-Hase-47": two capitalised words, two digits from 2-9,
// joined by hyphens. It satisfies the policy (upper, lower, digit,
// special, length). About 20 bits of entropy: enough for a password that
// must be changed at the first login and whose guessing is throttled.
func OneTimePassword() string {
	for {
		a, b := words[randomInt(len(words))], words[randomInt(len(words))]
		if a == b {
			continue
		}
		pw := a + "-" + b + "-" + string(rune('2'+randomInt(8))) + string(rune('2'+randomInt(8)))
		if password.Check(pw) == nil {
			return pw
		}
	}
}

// ServicePassword makes a long random secret for a service account, which a
// machine stores and nobody types.
func ServicePassword() string {
	for {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			panic("directory: crypto/rand failed: " + err.Error())
		}
		pw := base64.RawURLEncoding.EncodeToString(b)
		if password.Check(pw) == nil {
			return pw
		}
	}
}
