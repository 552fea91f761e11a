package ui

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"kaspel/assets"
)

// Languages the client speaks, German first.
var Languages = []string{"de", "en"}

// translations reads every assets/translations/*.LANG.json of a language
// into one map (each area has its own file: password, client, mail, ...).
func translations(code string) (map[string]string, error) {
	out := map[string]string{}
	files, err := fs.Glob(assets.FS, "translations/*."+code+".json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := fs.ReadFile(assets.FS, f)
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("ui: %s: %w", f, err)
		}
		for k, v := range m {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("ui: key %q twice (%s)", k, f)
			}
			out[k] = v
		}
	}
	return out, nil
}

var langMu sync.Mutex

// SetLanguage makes code ("de" or "en") the language of every text the
// client shows. Fyne picks translations by the system's locale; a school
// PC may run in any locale, and a person may choose English in the
// settings, so the chosen texts are registered for both locales the
// client knows (and English is Fyne's fallback for any other).
func SetLanguage(code string) error {
	langMu.Lock()
	defer langMu.Unlock()
	m, err := translations(code)
	if err != nil {
		return err
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	for _, l := range Languages {
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(l)); err != nil {
			return err
		}
	}
	current = code
	return nil
}

var current = "de"

// Language is the language chosen last.
func Language() string { return current }

// T is lang.L with data given as pairs ("Count", 3): the client's texts
// are keys into the translation files, with Go template placeholders.
func T(key string, pairs ...any) string {
	if len(pairs) == 0 {
		return lang.L(key)
	}
	data := map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		data[fmt.Sprint(pairs[i])] = pairs[i+1]
	}
	return lang.L(key, data)
}

// missing reports translation keys of one language the other lacks.
func missingKeys() ([]string, error) {
	sets := map[string]map[string]string{}
	for _, l := range Languages {
		m, err := translations(l)
		if err != nil {
			return nil, err
		}
		sets[l] = m
	}
	var out []string
	for _, a := range Languages {
		for _, b := range Languages {
			for k := range sets[a] {
				if _, ok := sets[b][k]; !ok {
					out = append(out, b+": "+k)
				}
			}
		}
	}
	sort.Strings(out)
	return out, nil
}
