// Package demo fills a new data folder with a demo school (classes 1a to
// 4b with about twenty pupils each, their teachers and a secretary), so
// that "make run" shows something real. Never for a real school: all demo
// accounts share one published password.
package demo

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"kaspel/assets"
	"kaspel/server/directory"
)

// Password is the password of every demo account.
const Password = "Kaspel-Demo-2026"

// Summary tells what the demo school holds.
type Summary struct {
	Pupils, Teachers, Secretaries int
	Classes                       []string
	Examples                      map[directory.Role]string // a login per role
}

func names(file string) ([]string, error) {
	f, err := assets.FS.Open("demo/" + file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}

// Create adds the demo school's people. The names are drawn with a fixed
// seed, so every demo school is the same (namesakes included, which shows
// the .2 logins).
func Create(ctx context.Context, d *directory.Directory, actor directory.Actor) (Summary, error) {
	first, err := names("first_names.txt")
	if err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	last, err := names("last_names.txt")
	if err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	rng := rand.New(rand.NewPCG(2026, 8))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	var people []directory.NewPerson
	sum := Summary{Examples: map[directory.Role]string{}}
	id := 100000
	for grade := 1; grade <= 4; grade++ {
		for _, suffix := range []string{"a", "b"} {
			class := fmt.Sprintf("%d%s", grade, suffix)
			sum.Classes = append(sum.Classes, class)
			n := 18 + rng.IntN(5)
			for i := 0; i < n; i++ {
				id++
				people = append(people, directory.NewPerson{
					FirstName: pick(first), LastName: pick(last), Role: directory.Pupil,
					Classes: []string{class}, ExternalID: fmt.Sprint(id),
				})
			}
			sum.Pupils += n
			people = append(people, directory.NewPerson{
				FirstName: pick(first), LastName: pick(last), Role: directory.Teacher, Classes: []string{class},
			})
			sum.Teachers++
		}
	}
	// Subject teachers without a class of their own, and the secretary.
	for i := 0; i < 3; i++ {
		people = append(people, directory.NewPerson{FirstName: pick(first), LastName: pick(last), Role: directory.Teacher})
		sum.Teachers++
	}
	people = append(people, directory.NewPerson{FirstName: "Sabine", LastName: "Sekretär", Role: directory.Secretary})
	sum.Secretaries = 1
	made, err := d.AddDemoPeople(ctx, actor, people, Password)
	if err != nil {
		return Summary{}, err
	}
	for _, p := range made {
		if _, ok := sum.Examples[p.Role]; !ok {
			sum.Examples[p.Role] = p.Login
		}
	}
	return sum, nil
}
