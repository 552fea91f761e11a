package ui

// CalendarAPI is what the calendar screens need from the server. (The screens of this
// module are being built; this file is replaced by them.)
type CalendarAPI interface{}
