-- Textbook lending (Schulbuchausleihe), after Lower Saxony's decree
-- "Entgeltliche Ausleihe von Lernmitteln" (RdErl. d. MK v. 1.1.2013).
--
-- Money is integer cents, rates are basis points (3500 = 35 %), dates are
-- the school's calendar dates (Europe/Berlin) as YYYY-MM-DD, times RFC 3339
-- in UTC.
--
-- Loans, claims and payments are records that must never be lost (the
-- school's Lernmittelakte): they refer to the pupil with ON DELETE SET NULL
-- and keep the name, so that purging a leaver keeps the history of every
-- copy and every euro. Registrations hold what parents told the school
-- about their family (benefits, number of children) and go with the pupil.

-- A school year of the lending with its dates and fee rules.
CREATE TABLE lending_years (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    name               TEXT NOT NULL UNIQUE,          -- "2026/27"
    starts_on          TEXT NOT NULL,
    second_half_on     TEXT NOT NULL,                 -- joiners from here pay half
    ends_on            TEXT NOT NULL,
    registration_from  TEXT NOT NULL,                 -- parents register online in this window
    registration_until TEXT NOT NULL,
    payment_due        TEXT NOT NULL,
    return_due         TEXT NOT NULL,                 -- claims are provisional until this day
    iban               TEXT NOT NULL DEFAULT '',
    account_holder     TEXT NOT NULL DEFAULT '',
    bank               TEXT NOT NULL DEFAULT '',
    rate_min_bp        INTEGER NOT NULL,
    rate_max_bp        INTEGER NOT NULL,
    rate_bp            INTEGER NOT NULL,
    multi_year_bp      INTEGER NOT NULL,
    round_to_cents     INTEGER NOT NULL DEFAULT 1,
    reduction_pct      INTEGER NOT NULL DEFAULT 80,
    package_only       INTEGER NOT NULL DEFAULT 0 CHECK (package_only IN (0, 1)),
    damage_light_pct   INTEGER NOT NULL,
    damage_medium_pct  INTEGER NOT NULL,
    damage_total_pct   INTEGER NOT NULL,
    terms              TEXT NOT NULL DEFAULT '',      -- the lending conditions parents accept; '' = the standard text
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK (starts_on < second_half_on AND second_half_on < ends_on),
    CHECK (registration_from <= registration_until),
    CHECK (rate_min_bp <= rate_bp AND rate_bp <= rate_max_bp)
);
CREATE INDEX lending_years_start ON lending_years (starts_on);

-- A book title. Consumables (workbooks) are on the book lists to buy and
-- are never lent.
CREATE TABLE lending_titles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    isbn         TEXT NOT NULL UNIQUE CHECK (length(isbn) = 13),
    title        TEXT NOT NULL CHECK (title <> ''),
    publisher    TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL DEFAULT '',
    grades       TEXT NOT NULL DEFAULT '',            -- "3,4"
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
    years_of_use INTEGER NOT NULL CHECK (years_of_use IN (1, 2)),
    consumable   INTEGER NOT NULL DEFAULT 0 CHECK (consumable IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- A fee the coordinator set for a title in a year. Without a row the fee
-- is computed from the year's rules (fee.go: DefaultFee).
CREATE TABLE lending_fees (
    year_id   INTEGER NOT NULL REFERENCES lending_years (id) ON DELETE CASCADE,
    title_id  INTEGER NOT NULL REFERENCES lending_titles (id) ON DELETE CASCADE,
    fee_cents INTEGER NOT NULL CHECK (fee_cents >= 0),
    set_by    TEXT NOT NULL,
    set_at    TEXT NOT NULL,
    PRIMARY KEY (year_id, title_id)
);

-- The book list of a grade in a year; parents see it once published.
CREATE TABLE lending_lists (
    year_id      INTEGER NOT NULL REFERENCES lending_years (id) ON DELETE CASCADE,
    grade        INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 13),
    published_at TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (year_id, grade)
);
CREATE TABLE lending_list_titles (
    year_id  INTEGER NOT NULL,
    grade    INTEGER NOT NULL,
    title_id INTEGER NOT NULL REFERENCES lending_titles (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (year_id, grade, title_id),
    FOREIGN KEY (year_id, grade) REFERENCES lending_lists (year_id, grade) ON DELETE CASCADE
);
CREATE INDEX lending_list_titles_title ON lending_list_titles (title_id);

-- A copy with its label: number is the running number the 7-digit barcode
-- shows with leading zeros. loan_count starts at what an old copy had
-- before Kaspel and grows with every loan (the decree's limit).
CREATE TABLE lending_copies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    number      INTEGER NOT NULL UNIQUE CHECK (number BETWEEN 1 AND 9999999),
    title_id    INTEGER NOT NULL REFERENCES lending_titles (id),
    acquired_on TEXT NOT NULL,
    condition   TEXT NOT NULL CHECK (condition IN ('new', 'good', 'worn', 'damaged')),
    status      TEXT NOT NULL CHECK (status IN ('in_stock', 'lent', 'damaged', 'lost', 'retired')),
    loan_count  INTEGER NOT NULL DEFAULT 0 CHECK (loan_count >= 0),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX lending_copies_title ON lending_copies (title_id, status);

-- The pupil card: a 9-digit number printed as a barcode.
CREATE TABLE lending_cards (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    number     TEXT NOT NULL UNIQUE CHECK (length(number) = 9),
    created_at TEXT NOT NULL
);

-- A pupil's account in a year: what parents pay to, under one payment
-- reference, from the first registration or claim on. A newer
-- registration keeps the account and its reference, so that a transfer
-- made with the old one still finds it.
CREATE TABLE lending_accounts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    pupil_login TEXT NOT NULL,
    pupil_name  TEXT NOT NULL,
    year_id     INTEGER NOT NULL REFERENCES lending_years (id),
    reference   TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX lending_accounts_pupil ON lending_accounts (person_id, year_id);
CREATE INDEX lending_accounts_year ON lending_accounts (year_id);

-- A registration. The newest one of a pupil and year counts
-- (replaced_at IS NULL); the older ones stay for the record.
CREATE TABLE lending_registrations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id        INTEGER NOT NULL REFERENCES lending_accounts (id),
    person_id         INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    year_id           INTEGER NOT NULL REFERENCES lending_years (id),
    grade             INTEGER NOT NULL,
    channel           TEXT NOT NULL CHECK (channel IN ('online', 'secretary')),
    package           INTEGER NOT NULL CHECK (package IN (0, 1)),
    guardian          TEXT NOT NULL CHECK (guardian <> ''),
    reduction         INTEGER NOT NULL CHECK (reduction IN (0, 1)),
    reduction_proof   TEXT NOT NULL DEFAULT '' CHECK (reduction_proof IN ('', 'pending', 'accepted', 'rejected')),
    exemption         TEXT NOT NULL DEFAULT '' CHECK (exemption IN ('', 'sgb2', 'sgb8', 'sgb12', 'asylblg', 'kinderzuschlag', 'wohngeld')),
    exemption_proof   TEXT NOT NULL DEFAULT '' CHECK (exemption_proof IN ('', 'pending', 'accepted', 'rejected')),
    half_year         INTEGER NOT NULL CHECK (half_year IN (0, 1)),
    terms_accepted_at TEXT NOT NULL,
    full_cents        INTEGER NOT NULL CHECK (full_cents >= 0),
    reduced_cents     INTEGER NOT NULL CHECK (reduced_cents >= 0),
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    replaced_at       TEXT,
    replaced_by       INTEGER REFERENCES lending_registrations (id),
    CHECK ((reduction = 1) = (reduction_proof <> '')),
    CHECK ((exemption <> '') = (exemption_proof <> ''))
);
CREATE UNIQUE INDEX lending_registrations_current ON lending_registrations (person_id, year_id) WHERE replaced_at IS NULL;
CREATE INDEX lending_registrations_year ON lending_registrations (year_id) WHERE replaced_at IS NULL;

-- The titles of a registration with the choice and the year's fee and
-- price as they were when the parents registered.
CREATE TABLE lending_registration_titles (
    registration_id INTEGER NOT NULL REFERENCES lending_registrations (id) ON DELETE CASCADE,
    title_id        INTEGER NOT NULL REFERENCES lending_titles (id),
    choice          TEXT NOT NULL CHECK (choice IN ('borrow', 'buy')),
    fee_cents       INTEGER NOT NULL,
    price_cents     INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (registration_id, title_id)
);

-- A loan of a copy. fee_cents is the title's fee of the loan's year (not
-- what the family paid): what a year of use costs the book, for its
-- Zeitwert. One open loan per copy.
CREATE TABLE lending_loans (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    copy_id          INTEGER NOT NULL REFERENCES lending_copies (id),
    person_id        INTEGER REFERENCES people (id) ON DELETE SET NULL,
    pupil_login      TEXT NOT NULL,
    pupil_name       TEXT NOT NULL,
    year_id          INTEGER NOT NULL REFERENCES lending_years (id),
    fee_cents        INTEGER NOT NULL CHECK (fee_cents >= 0),
    issued_at        TEXT NOT NULL,
    issued_by        TEXT NOT NULL,
    returned_at      TEXT,
    returned_by      TEXT,
    return_condition TEXT CHECK (return_condition IN ('ok', 'light', 'medium', 'total', 'lost')),
    CHECK ((returned_at IS NULL) = (return_condition IS NULL))
);
CREATE UNIQUE INDEX lending_loans_open ON lending_loans (copy_id) WHERE returned_at IS NULL;
CREATE INDEX lending_loans_copy ON lending_loans (copy_id, id);
CREATE INDEX lending_loans_person ON lending_loans (person_id, year_id);
CREATE INDEX lending_loans_year_open ON lending_loans (year_id) WHERE returned_at IS NULL;

-- A claim for a damaged, lost or unreturned copy: a share of its Zeitwert.
-- Provisional until the return deadline of the loan's year, then fixed.
-- One live claim per loan.
CREATE TABLE lending_claims (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES lending_accounts (id),
    loan_id       INTEGER NOT NULL REFERENCES lending_loans (id),
    kind          TEXT NOT NULL CHECK (kind IN ('light', 'medium', 'total', 'lost', 'not_returned')),
    value_cents   INTEGER NOT NULL CHECK (value_cents >= 0),
    percent       INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),
    state         TEXT NOT NULL CHECK (state IN ('provisional', 'fixed', 'cancelled')),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    fixed_at      TEXT,
    cancelled_at  TEXT,
    cancelled_by  TEXT,
    cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX lending_claims_loan ON lending_claims (loan_id) WHERE state <> 'cancelled';
CREATE INDEX lending_claims_account ON lending_claims (account_id);
CREATE INDEX lending_claims_provisional ON lending_claims (state) WHERE state = 'provisional';

-- A bank statement import, and each credit booking read from one. The
-- fingerprint keeps a booking from being imported twice.
CREATE TABLE lending_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    lines       INTEGER NOT NULL,
    matched     INTEGER NOT NULL,
    unmatched   INTEGER NOT NULL,
    duplicates  INTEGER NOT NULL
);
CREATE TABLE lending_bank_lines (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id    INTEGER NOT NULL REFERENCES lending_imports (id),
    fingerprint  TEXT NOT NULL UNIQUE,
    row_no       INTEGER NOT NULL,
    booked_on    TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    payer        TEXT NOT NULL DEFAULT '',
    iban         TEXT NOT NULL DEFAULT '',
    purpose      TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('matched', 'unmatched', 'ignored')),
    resolved_at  TEXT,
    resolved_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lending_bank_lines_unmatched ON lending_bank_lines (state) WHERE state = 'unmatched';

-- Money received (or, negative, paid back) on an account: from the bank
-- import, matched by hand, or entered by the secretary (cash).
CREATE TABLE lending_payments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES lending_accounts (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
    booked_on    TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('bank', 'manual')),
    bank_line_id INTEGER UNIQUE REFERENCES lending_bank_lines (id),
    payer        TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX lending_payments_account ON lending_payments (account_id);

-- The module's settings and counters: the bank export's column mapping,
-- the next label number, the next card number, the next payment reference
-- number of each year.
CREATE TABLE lending_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
