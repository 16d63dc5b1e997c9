package inbox

import (
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsapi"
)

// A KeyFunc returns the dedupe key of a decoded delivery: two deliveries
// with the same key are the same change, stored and processed once. An
// empty key means the delivery cannot be told apart from others and is
// never deduplicated.
type KeyFunc func(ev lswebhook.Event) string

// DefaultKey is the default [KeyFunc]: [lsapi.DedupeKey], the key that the
// REST catch-up of package lsapi gives the same change, so a change seen
// both by delivery and by catch-up is handled once. In short: the action,
// the ids of the entities the event is about and their updated_at (for
// creations created_at; deletions ids only); a hash of the canonical body
// for events without such entities; and the empty key (never deduplicated)
// for START_TRAINING and for a body that holds nothing but its action. So
// one change sent to several hooks, or to a hook registered twice, has one
// key, while two updates of the same annotation have two. See
// [lsapi.DedupeKey] for the key of each action.
func DefaultKey(ev lswebhook.Event) string { return lsapi.DedupeKey(ev) }
