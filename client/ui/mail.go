package ui

// MailAPI is what the mail screens need from the server. (The screens of this
// module are being built; this file is replaced by them.)
type MailAPI interface{}
