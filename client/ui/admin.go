package ui

// AdminAPI is what the admin screens need from the server. (The screens of this
// module are being built; this file is replaced by them.)
type AdminAPI interface{}
