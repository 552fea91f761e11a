package ui

// AddressbookAPI is what the addressbook screens need from the server. (The screens of this
// module are being built; this file is replaced by them.)
type AddressbookAPI interface{}
