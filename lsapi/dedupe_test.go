package lsapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// capture decodes one body captured from a real Label Studio 1.23.2 by the
// conformance harness.
func capture(t *testing.T, name string) lswebhook.Event {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "labelstudio-1.23.2", name))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := lswebhook.Decode(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ev
}

func TestDedupeKeyRepeatedDeliverySameKey(t *testing.T) {
	// The same change posted to the organization hook and to the project
	// hook: two deliveries, one change.
	pairs := [][2]string{
		{"017-ANNOTATION_CREATED-org.json", "018-ANNOTATION_CREATED-project.json"},
		{"023-ANNOTATION_UPDATED-org.json", "024-ANNOTATION_UPDATED-project.json"},
		{"026-ANNOTATION_UPDATED-org.json", "027-ANNOTATION_UPDATED-project.json"},
		{"032-ANNOTATIONS_DELETED-org.json", "033-ANNOTATIONS_DELETED-project.json"},
		{"035-ANNOTATIONS_CREATED-org.json", "036-ANNOTATIONS_CREATED-project.json"},
		{"005-TASKS_CREATED-org.json", "006-TASKS_CREATED-project.json"},
		{"095-TASKS_DELETED-org.json", "096-TASKS_DELETED-project.json"},
		{"002-PROJECT_UPDATED-org.json", "003-PROJECT_UPDATED-project.json"},
		{"042-LABEL_LINK_UPDATED-org.json", "043-LABEL_LINK_UPDATED-project.json"},
	}
	for _, p := range pairs {
		a, b := DedupeKey(capture(t, p[0])), DedupeKey(capture(t, p[1]))
		if a == "" || a != b {
			t.Errorf("%s and %s: keys %q and %q, want one non-empty key", p[0], p[1], a, b)
		}
	}
}

func TestDedupeKeyTwoUpdatesDifferentKeys(t *testing.T) {
	// Two PATCHes of annotation 2, one after the other.
	first := capture(t, "023-ANNOTATION_UPDATED-org.json").(*lswebhook.AnnotationUpdated)
	second := capture(t, "026-ANNOTATION_UPDATED-org.json").(*lswebhook.AnnotationUpdated)
	if first.Annotation.ID != second.Annotation.ID {
		t.Fatalf("fixtures changed: annotations %d and %d", first.Annotation.ID, second.Annotation.ID)
	}
	a, b := DedupeKey(first), DedupeKey(second)
	if a == b {
		t.Fatalf("two updates of annotation %d share the key %q", first.Annotation.ID, a)
	}
	want := "ANNOTATION_UPDATED|a2@" + formatKeyTime(second.Annotation.UpdatedAt.Time)
	if b != want {
		t.Errorf("key %q, want %q", b, want)
	}
}

func TestDedupeKeyPerAction(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"017-ANNOTATION_CREATED-org.json", "ANNOTATION_CREATED|a2@2026-11-24T05:25:14.850879Z"},
		{"023-ANNOTATION_UPDATED-org.json", "ANNOTATION_UPDATED|a2@2026-11-24T05:25:14.983951Z"},
		{"032-ANNOTATIONS_DELETED-org.json", "ANNOTATIONS_DELETED|a"},
		{"035-ANNOTATIONS_CREATED-org.json", "ANNOTATIONS_CREATED|n3|sha256:"},
		{"038-ANNOTATIONS_DELETED-org.json", "ANNOTATIONS_DELETED|n3|sha256:"},
		{"005-TASKS_CREATED-org.json", "TASKS_CREATED|"},
		{"041-PROJECT_CREATED-org.json", "PROJECT_CREATED|p"},
		{"104-PROJECT_DELETED-org.json", "PROJECT_DELETED|p"},
		{"042-LABEL_LINK_UPDATED-org.json", "LABEL_LINK_UPDATED|sha256:"},
		{"004-PROJECT_UPDATED-nopayload.json", ""},
		{"019-ANNOTATION_CREATED-nopayload.json", ""},
		{"090-START_TRAINING-ml.json", ""},
	}
	for _, tt := range tests {
		got := DedupeKey(capture(t, tt.file))
		if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: key %q, want prefix %q", tt.file, got, tt.want)
		}
	}
}

func TestEntityKeysMatchSingleEvents(t *testing.T) {
	bulk := capture(t, "035-ANNOTATIONS_CREATED-org.json").(*lswebhook.AnnotationsCreated)
	keys := EntityKeys(bulk)
	if len(keys) != len(bulk.Annotations) {
		t.Fatalf("%d entity keys for %d annotations", len(keys), len(bulk.Annotations))
	}
	for i := range bulk.Annotations {
		single := &lswebhook.AnnotationCreated{Annotation: &bulk.Annotations[i]}
		if got := DedupeKey(single); got != keys[i] {
			t.Errorf("annotation %d: single-event key %q, entity key %q", bulk.Annotations[i].ID, got, keys[i])
		}
	}
	del := capture(t, "038-ANNOTATIONS_DELETED-org.json").(*lswebhook.AnnotationsDeleted)
	dk := EntityKeys(del)
	for i, r := range del.Annotations {
		one := &lswebhook.AnnotationsDeleted{Annotations: []lswebhook.Ref{r}}
		if got := DedupeKey(one); got != dk[i] {
			t.Errorf("deleted %d: single key %q, entity key %q", r.ID, got, dk[i])
		}
	}
	if EntityKeys(capture(t, "042-LABEL_LINK_UPDATED-org.json")) != nil {
		t.Error("label link event has entity keys; want nil")
	}
}

func TestDedupeKeyBuiltInGoAndMissingTime(t *testing.T) {
	// An annotation without created_at cannot be keyed by time: the body
	// hash is used, and two different bodies differ.
	a := &lswebhook.AnnotationCreated{Annotation: &lswebhook.Annotation{ID: 7}}
	b := &lswebhook.AnnotationCreated{Annotation: &lswebhook.Annotation{ID: 8}}
	ka, kb := DedupeKey(a), DedupeKey(b)
	if !strings.HasPrefix(ka, "ANNOTATION_CREATED|sha256:") || ka == kb {
		t.Errorf("keys %q and %q, want two different body hashes", ka, kb)
	}
	if DedupeKey(nil) != "" {
		t.Error("nil event has a key")
	}
}
