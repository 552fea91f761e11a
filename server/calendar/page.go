package calendar

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"time"

	"kaspel/server/store"
)

// The public page lists the coming events of the school calendar by
// month, for the school's homepage to link or show in an iframe. It is
// plain HTML with its style inline: no script, no font, no image, nothing
// loaded from elsewhere, so it works in any frame and tells nobody who
// looked. html/template escapes what teachers typed.

// pageMonths is how far ahead the page looks; pageMax bounds its length.
const (
	pageMonths = 12
	pageMax    = 500
)

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Schulkalender – {{.School}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; padding: 1rem; color: #1a1a1a; background: #fff; line-height: 1.5; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; border-bottom: 2px solid #C62828; }
ul { list-style: none; margin: 0; padding: 0; }
li { padding: .5rem 0; border-bottom: 1px solid #ddd; }
time { display: block; font-weight: bold; }
.where { color: #444; }
.about { white-space: pre-line; margin: .25rem 0 0; }
a { color: #0b57d0; }
</style>
</head>
<body>
<main>
<h1>Schulkalender</h1>
<p>{{.School}}</p>
{{range .Months}}<section aria-labelledby="m{{.ID}}">
<h2 id="m{{.ID}}">{{.Name}}</h2>
<ul>
{{range .Items}}<li><time datetime="{{.ISO}}">{{.When}}</time> <span class="what">{{.Title}}</span>{{if .Location}} <span class="where">({{.Location}})</span>{{end}}{{if .Description}}<p class="about">{{.Description}}</p>{{end}}</li>
{{end}}</ul>
</section>
{{else}}<p>In den nächsten Monaten stehen keine Termine im Schulkalender.</p>
{{end}}{{if .Truncated}}<p>Es gibt noch mehr Termine, als hier Platz haben.</p>
{{end}}<p><a href="/calendar/public.ics">Den Schulkalender im eigenen Kalender abonnieren (iCal)</a></p>
</main>
</body>
</html>
`))

type pageData struct {
	School    string
	Months    []pageMonth
	Truncated bool
}

type pageMonth struct {
	ID, Name string
	Items    []pageItem
}

type pageItem struct {
	When, ISO, Title, Location, Description string
}

// PublicPage writes the page of the coming events of the public calendar.
func (s *Service) PublicPage(ctx context.Context, w io.Writer) error {
	school, err := s.dir.School(ctx)
	if err != nil {
		return fmt.Errorf("calendar: school: %w", err)
	}
	data := pageData{School: school.Name}
	today := dateOf(WallOf(s.now()))
	until := today.AddDate(0, pageMonths, 0)
	c, err := publicCalendar(ctx, s.db.R)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var list []Occurrence
	if err == nil {
		events, err := eventsInRange(ctx, s.db.R, []int64{c.ID}, today, until)
		if err != nil {
			return err
		}
		for i := range events {
			occ, more := events[i].Occurrences(today, until, pageMax-len(list))
			list = append(list, occ...)
			if more {
				data.Truncated = true
				break
			}
		}
	}
	sortOccurrences(list)
	for _, o := range list {
		// Something that began before today is listed in this month.
		at := o.Start
		if at.Before(today) {
			at = today
		}
		id := at.Format("2006-01")
		if n := len(data.Months); n == 0 || data.Months[n-1].ID != id {
			data.Months = append(data.Months, pageMonth{ID: id, Name: germanMonths[at.Month()] + " " + fmt.Sprint(at.Year())})
		}
		m := &data.Months[len(data.Months)-1]
		m.Items = append(m.Items, pageItem{When: germanWhen(o), ISO: isoWhen(o), Title: o.Event.Title,
			Location: o.Event.Location, Description: o.Event.Description})
	}
	if err := pageTemplate.Execute(w, data); err != nil {
		return fmt.Errorf("calendar: write the public page: %w", err)
	}
	return nil
}

var germanMonths = [...]string{"", "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}

var germanShortDays = [...]string{"So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"}

// germanDay is "Mo, 5. Oktober".
func germanDay(t time.Time) string {
	return fmt.Sprintf("%s, %d. %s", germanShortDays[t.Weekday()], t.Day(), germanMonths[t.Month()])
}

// germanWhen says when an occurrence is, the way a school letter does:
// "Mo, 5. Oktober, 8:00–9:00 Uhr", "Mo, 5. Oktober – Mi, 7. Oktober".
func germanWhen(o Occurrence) string {
	clock := func(t time.Time) string { return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute()) }
	sameDay := dateOf(o.Start).Equal(dateOf(o.End))
	switch {
	case o.Event.AllDay && sameDay:
		return germanDay(o.Start)
	case o.Event.AllDay:
		return germanDay(o.Start) + " – " + germanDay(o.End)
	case sameDay:
		return germanDay(o.Start) + ", " + clock(o.Start) + "–" + clock(o.End) + " Uhr"
	}
	return germanDay(o.Start) + ", " + clock(o.Start) + " Uhr – " + germanDay(o.End) + ", " + clock(o.End) + " Uhr"
}

// isoWhen is the machine-readable start for <time datetime>.
func isoWhen(o Occurrence) string {
	if o.Event.AllDay {
		return o.Start.Format(DateLayout)
	}
	return Instant(o.Start).Format(time.RFC3339)
}
