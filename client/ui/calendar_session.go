package ui

import "context"

// runInSession is u.run for the screens of the person logged in: if the
// session ended (a logout, the idle logout in the PC room) or another
// person logged in while the work ran, its answer belongs to nobody on
// the screen any more and done is not called. Without this a late answer
// could show one pupil's calendar to the next, or an "expired" error
// could replace the goodbye message on the login screen.
func (u *UI) runInSession(work func(ctx context.Context) error, done func(err error)) {
	sess := u.sess
	u.run(work, func(err error) {
		if sess == nil || u.sess == nil || u.sess.User.Login != sess.User.Login {
			return
		}
		done(err)
	})
}
