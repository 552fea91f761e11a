package wire

import "time"

// Visibilities of an address book field: who sees it besides its owner.
const (
	VisibilityHidden = "hidden" // nobody
	VisibilityStaff  = "staff"  // teachers, the secretary, admins
	VisibilityAll    = "all"    // every logged-in person
)

// AddressbookExtra is a field an entry shows beyond name, role, classes
// and mail address.
type AddressbookExtra struct {
	Key   string `json:"key"`   // phone, mobile, room, hours
	Label string `json:"label"` // German: Telefon, Handy, Raum, Sprechzeiten
	Value string `json:"value"`
}

// AddressbookEntry is a person in the address book, as the caller may
// see them.
type AddressbookEntry struct {
	Login     string             `json:"login"`
	FirstName string             `json:"first_name"`
	LastName  string             `json:"last_name"`
	Name      string             `json:"name"`
	Role      string             `json:"role"`
	RoleLabel string             `json:"role_label"` // German: Schüler/in, Lehrkraft, ...
	Classes   []string           `json:"classes"`
	Mail      string             `json:"mail"`
	Extras    []AddressbookExtra `json:"extras"`
}

// AddressbookPage is GET /api/v1/addressbook: a page of entries sorted by
// last and first name; Next is the cursor of the following page.
type AddressbookPage struct {
	Entries []AddressbookEntry `json:"entries"`
	Total   int                `json:"total"` // matches on all pages
	Page
}

// AddressbookField is a field of the own profile with who sees it.
type AddressbookField struct {
	Key        string `json:"key"`
	Label      string `json:"label"`
	Value      string `json:"value"`
	Visibility string `json:"visibility"` // hidden, staff, all
}

// AddressbookProfile is GET/PUT /api/v1/addressbook/profile: every field
// there is, with the caller's values and choices.
type AddressbookProfile struct {
	Fields []AddressbookField `json:"fields"`
	// NeedsAllowance is true for pupils: their fields are shown only
	// when an admin allowed it.
	NeedsAllowance bool `json:"needs_allowance"`
	// Allowed tells whether the fields are shown as chosen (always true
	// for staff).
	Allowed bool `json:"allowed"`
}

// AddressbookFieldEdit is one field of a profile change.
type AddressbookFieldEdit struct {
	Key        string `json:"key"`
	Value      string `json:"value"`
	Visibility string `json:"visibility"` // hidden (or empty), staff, all
}

// AddressbookProfileEdit is the body of PUT /api/v1/addressbook/profile;
// it replaces the profile (fields not given are cleared).
type AddressbookProfileEdit struct {
	Fields []AddressbookFieldEdit `json:"fields"`
}

// AddressbookAllowance is an admin's decision about a pupil's entry.
type AddressbookAllowance struct {
	Login     string    `json:"login"`
	Name      string    `json:"name"`
	Classes   []string  `json:"classes"`
	Allowed   bool      `json:"allowed"`
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
}

// AddressbookAllowances is GET /api/v1/addressbook/allowances: the pupils
// whose entries show more.
type AddressbookAllowances struct {
	Pupils []AddressbookAllowance `json:"pupils"`
}
