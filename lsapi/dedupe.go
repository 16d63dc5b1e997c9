package lsapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// keyTimeLayout writes every time in a key the same way, in UTC with
// microseconds, whatever form the server used: Label Studio stores
// microseconds, and the webhook and REST serializers write the same instant.
const keyTimeLayout = "2006-01-02T15:04:05.000000Z"

// DedupeKey returns the key of the change an event reports: two events with
// the same key report the same change, so a receiver processes only the
// first. It is computed from the action, the ids of the entities the event
// carries and their timestamps, so that
//
//   - the same change delivered twice (to a project hook and an organization
//     hook, to a hook registered twice, or delivered and also reconstructed by
//     [Reconciler]) has one key, and
//   - two different changes of the same entity (two updates of one
//     annotation) have different keys.
//
// The key per action, where <t> is a time in UTC with microseconds:
//
//	PROJECT_CREATED      PROJECT_CREATED|p<id>@<project.created_at>
//	PROJECT_UPDATED      PROJECT_UPDATED|p<id>@<project.updated_at>
//	PROJECT_DELETED      PROJECT_DELETED|p<id>
//	TASKS_CREATED        TASKS_CREATED|t<id>@<task.created_at>
//	TASKS_DELETED        TASKS_DELETED|t<id>
//	ANNOTATION_CREATED   ANNOTATION_CREATED|a<id>@<annotation.created_at>
//	ANNOTATIONS_CREATED  ANNOTATION_CREATED|a<id>@<annotation.created_at>
//	ANNOTATION_UPDATED   ANNOTATION_UPDATED|a<id>@<annotation.updated_at>
//	ANNOTATIONS_DELETED  ANNOTATIONS_DELETED|a<id>
//
// Creations use created_at, which never changes, so a creation seen later,
// after further updates, still has its creation's key. Updates use
// updated_at, which every update moves. Deletions carry ids only; Label
// Studio never reuses an id, so the id is enough. A bulk annotation creation
// (ANNOTATIONS_CREATED) has the key of the single creation of the same
// annotation: it is the same change.
//
// An event that carries several entities (an import of many tasks, a bulk
// delete) has the key <ACTION>|n<count>|sha256:<hex>, a hash of its
// entities' keys in order of id; [EntityKeys] lists them one by one, and
// each equals the key of a one-entity event of the same change, which is
// what [Reconciler] emits.
//
// Every other event, and any of the above whose payload lacks an id or a
// time, gets <ACTION>|sha256:<hex>, a hash of its body in canonical form
// (members sorted, insignificant space removed), so that the same body sent
// to two hooks has one key: label link events, Enterprise review events,
// and actions this version does not know. Two exceptions get the empty key,
// which means "cannot be deduplicated, process every delivery": a payload
// without entities (the hook's "send payload" option is off, so the body is
// only the action and every delivery of the action looks the same), and
// START_TRAINING, which is a command, not a change.
func DedupeKey(ev lswebhook.Event) string {
	if ev == nil {
		return ""
	}
	keys, ok := entityKeys(ev)
	switch {
	case ok && len(keys) == 1:
		return keys[0]
	case ok && len(keys) > 1:
		return string(ev.Action()) + "|n" + strconv.Itoa(len(keys)) + "|sha256:" + hashLines(keys)
	}
	if ev.Action() == lswebhook.ActionStartTraining {
		return ""
	}
	sum, ok := canonicalHash(ev)
	if !ok {
		return ""
	}
	return string(ev.Action()) + "|sha256:" + sum
}

// EntityKeys returns one key per entity an event reports on, each equal to
// the [DedupeKey] of an event of the same change that carries that entity
// alone: for an import of three tasks, the three keys of three one-task
// TASKS_CREATED events. A receiver that records entity keys recognises a
// bulk delivery whose changes [Reconciler] already reconstructed one by one,
// and the reverse. For an event whose key is not made of entities (see
// DedupeKey) it returns nil.
func EntityKeys(ev lswebhook.Event) []string {
	if ev == nil {
		return nil
	}
	keys, ok := entityKeys(ev)
	if !ok {
		return nil
	}
	return keys
}

// entityKeys returns the per-entity keys of ev sorted by entity id, and
// false when ev has no entity-based key (unknown action, missing ids or
// times, no payload).
func entityKeys(ev lswebhook.Event) ([]string, bool) {
	switch ev := ev.(type) {
	case *lswebhook.ProjectCreated:
		if ev.Project == nil {
			return nil, false
		}
		return one(timedKey(lswebhook.ActionProjectCreated, 'p', ev.Project.ID, ev.Project.CreatedAt))
	case *lswebhook.ProjectUpdated:
		if ev.Project == nil {
			return nil, false
		}
		return one(timedKey(lswebhook.ActionProjectUpdated, 'p', ev.Project.ID, ev.Project.UpdatedAt))
	case *lswebhook.ProjectDeleted:
		if ev.Project == nil {
			return nil, false
		}
		return one(idKey(lswebhook.ActionProjectDeleted, 'p', ev.Project.ID))
	case *lswebhook.TasksCreated:
		return allKeys(ev.Tasks, func(t *lswebhook.Task) (string, bool) {
			return timedKey(lswebhook.ActionTasksCreated, 't', t.ID, t.CreatedAt)
		})
	case *lswebhook.TasksDeleted:
		return refKeys(lswebhook.ActionTasksDeleted, 't', ev.Tasks)
	case *lswebhook.AnnotationCreated:
		if ev.Annotation == nil {
			return nil, false
		}
		return one(timedKey(lswebhook.ActionAnnotationCreated, 'a', ev.Annotation.ID, ev.Annotation.CreatedAt))
	case *lswebhook.AnnotationsCreated:
		return allKeys(ev.Annotations, func(a *lswebhook.Annotation) (string, bool) {
			return timedKey(lswebhook.ActionAnnotationCreated, 'a', a.ID, a.CreatedAt)
		})
	case *lswebhook.AnnotationUpdated:
		if ev.Annotation == nil {
			return nil, false
		}
		return one(timedKey(lswebhook.ActionAnnotationUpdated, 'a', ev.Annotation.ID, ev.Annotation.UpdatedAt))
	case *lswebhook.AnnotationsDeleted:
		return refKeys(lswebhook.ActionAnnotationsDeleted, 'a', ev.Annotations)
	}
	return nil, false
}

func one(k string, ok bool) ([]string, bool) {
	if !ok {
		return nil, false
	}
	return []string{k}, true
}

// timedKey is <action>|<kind><id>@<t>; false when the id or time is missing.
func timedKey(a lswebhook.Action, kind byte, id int64, t lswebhook.Time) (string, bool) {
	if id == 0 || t.IsZero() {
		return "", false
	}
	return string(a) + "|" + string(kind) + strconv.FormatInt(id, 10) + "@" + t.UTC().Format(keyTimeLayout), true
}

// idKey is <action>|<kind><id>; false when the id is missing.
func idKey(a lswebhook.Action, kind byte, id int64) (string, bool) {
	if id == 0 {
		return "", false
	}
	return string(a) + "|" + string(kind) + strconv.FormatInt(id, 10), true
}

// refKeys are the idKeys of refs, sorted; false when any id is missing.
func refKeys(a lswebhook.Action, kind byte, refs []lswebhook.Ref) ([]string, bool) {
	return allKeys(refs, func(r *lswebhook.Ref) (string, bool) { return idKey(a, kind, r.ID) })
}

// allKeys returns the key of each of xs, sorted; false when there are none
// or any key is missing.
func allKeys[T any](xs []T, key func(*T) (string, bool)) ([]string, bool) {
	keys := make([]string, 0, len(xs))
	for i := range xs {
		k, ok := key(&xs[i])
		if !ok {
			return nil, false
		}
		keys = append(keys, k)
	}
	return sorted(keys)
}

// sorted orders keys by entity id (numerically) and drops repeats; false
// when there is none.
func sorted(keys []string) ([]string, bool) {
	if len(keys) == 0 {
		return nil, false
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keyID(keys[i]), keyID(keys[j])
		if a != b {
			return a < b
		}
		return keys[i] < keys[j]
	})
	out := keys[:1]
	for _, k := range keys[1:] {
		if k != out[len(out)-1] {
			out = append(out, k)
		}
	}
	return out, true
}

// keyID extracts the entity id of a key made by timedKey or idKey.
func keyID(k string) int64 {
	i := strings.IndexByte(k, '|')
	if i < 0 || i+2 > len(k) {
		return 0
	}
	s := k[i+2:]
	if j := strings.IndexByte(s, '@'); j >= 0 {
		s = s[:j]
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func hashLines(lines []string) string {
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalHash hashes the event's body in canonical form (the bytes it was
// decoded from, or its JSON encoding for an event built in Go). It returns
// false when the body has nothing but the action.
func canonicalHash(ev lswebhook.Event) (string, bool) {
	body := []byte(ev.Raw())
	if len(body) == 0 {
		b, err := json.Marshal(ev)
		if err != nil {
			return "", false
		}
		body = b
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		sum := sha256.Sum256(body)
		return hex.EncodeToString(sum[:]), true
	}
	if m, ok := v.(map[string]any); ok {
		if _, has := m["action"]; has && len(m) == 1 {
			return "", false
		}
	}
	canon, err := json.Marshal(v) // maps are written with sorted keys
	if err != nil {
		canon = body
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:]), true
}

// formatKeyTime is the time form used in keys.
func formatKeyTime(t time.Time) string { return t.UTC().Format(keyTimeLayout) }
