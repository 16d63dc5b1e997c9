package inbox

// The default dedupe key. It has the definition the library's REST
// catch-up is to share (action, entity ids and updated_at, else a hash of
// the canonical body), so that a change seen both by delivery and by
// catch-up is handled once; when that function exists it becomes the
// default here.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
)

// A KeyFunc returns the dedupe key of a decoded delivery: two deliveries
// with the same key are the same change, stored and processed once. An
// empty key means the delivery cannot be told apart from others and is
// never deduplicated.
type KeyFunc func(ev lswebhook.Event) string

// entityMembers names, per action, the payload member that holds the
// entities the event is about.
var entityMembers = map[lswebhook.Action]string{
	"PROJECT_CREATED":     "project",
	"PROJECT_UPDATED":     "project",
	"PROJECT_DELETED":     "project",
	"TASKS_CREATED":       "tasks",
	"TASKS_DELETED":       "tasks",
	"ANNOTATION_CREATED":  "annotation",
	"ANNOTATIONS_CREATED": "annotation",
	"ANNOTATION_UPDATED":  "annotation",
	"ANNOTATIONS_DELETED": "annotations",
	"LABEL_LINK_CREATED":  "label_link",
	"LABEL_LINK_UPDATED":  "label_link",
	"LABEL_LINK_DELETED":  "label_link",
	"REVIEW_CREATED":      "review",
	"REVIEW_UPDATED":      "review",
	"REVIEWS_DELETED":     "reviews",
}

// DefaultKey is the default [KeyFunc]. For the actions listed below it is
// the action followed by each entity's id and, where the entity has one,
// its updated_at:
//
//	ANNOTATION_UPDATED annotation:42@2024-05-01T10:00:00.123456Z
//	TASKS_DELETED tasks:7,8,9
//
// The entities are, per action: PROJECT_* the project; TASKS_CREATED and
// TASKS_DELETED the tasks; ANNOTATION_CREATED, ANNOTATIONS_CREATED and
// ANNOTATION_UPDATED the annotation member (one or a list);
// ANNOTATIONS_DELETED the annotations; LABEL_LINK_* the label link (one or
// a list); REVIEW_CREATED and REVIEW_UPDATED the review; REVIEWS_DELETED
// the reviews. So one change sent to several hooks has one key, while two
// updates of the same annotation have different updated_at and two keys.
// Deletions carry ids only, and an entity is deleted once.
//
// Any other action (START_TRAINING, unknown ones), and a listed action
// whose entity member is missing or has an entity without an id, has
// "sha256:" followed by the hex SHA-256 of the canonical body: its JSON
// with object members sorted by name and no spaces. A body that holds
// nothing but its action (payload sending turned off) has the empty key:
// nothing tells two such deliveries apart, so they are not deduplicated.
func DefaultKey(ev lswebhook.Event) string {
	raw := ev.Raw()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return ""
	}
	if len(top) <= 1 {
		return ""
	}
	if member, ok := entityMembers[ev.Action()]; ok {
		if ids, ok := entityKey(top[member]); ok {
			return string(ev.Action()) + " " + member + ":" + ids
		}
	}
	return "sha256:" + canonicalHash(raw)
}

// entity is the part of an entity the key reads.
type entity struct {
	ID        json.RawMessage `json:"id"`
	UpdatedAt *string         `json:"updated_at"`
}

// entityKey returns "id@updated_at,..." for an object or a list of
// objects, or false if one has no id.
func entityKey(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", false
	}
	var list []entity
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
			return "", false
		}
	} else {
		var e entity
		if err := json.Unmarshal(raw, &e); err != nil {
			return "", false
		}
		list = []entity{e}
	}
	parts := make([]string, len(list))
	for i, e := range list {
		id := string(bytes.TrimSpace(e.ID))
		if id == "" || id == "null" {
			return "", false
		}
		if s, err := strconv.Unquote(id); err == nil {
			id = strconv.Quote(s)
		}
		if e.UpdatedAt != nil {
			id += "@" + *e.UpdatedAt
		}
		parts[i] = id
	}
	return strings.Join(parts, ","), true
}

// canonicalHash returns the hex SHA-256 of raw's canonical form.
func canonicalHash(raw []byte) string {
	h := sha256.New()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		h.Write(raw)
	} else {
		// encoding/json writes object members sorted by name.
		b, err := json.Marshal(v)
		if err != nil {
			b = raw
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}
