package lswebhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// ErrLegacyTraining is returned (wrapped) by [Decode] for the body of a
// legacy ML backend training request: before START_TRAINING, releases
// (measured: 1.7.3 and 1.10.1) ask a connected ML backend to train by
// posting to <backend url>/train a body of their own, with no "action"
// member. It is not a webhook event: decode it with [DecodeLegacyTraining].
// The error Decode returns also matches [ErrMissingAction] with errors.Is.
var ErrLegacyTraining = errors.New("lswebhook: payload is a legacy ML backend training request, not a webhook event")

// LegacyTraining is the body that Label Studio releases before the
// START_TRAINING webhook post to an ML backend's /train endpoint when
// training is requested (POST /api/ml/<id>/train, or the "Start training"
// button). Measured on 1.7.3 and 1.10.1; 1.13.1 and later send a
// [*StartTraining] event to <backend url>/webhook instead, and 1.4.1.post1
// sends a [*ProjectUpdated] event there.
//
// The zero value is not useful; obtain one from [DecodeLegacyTraining].
type LegacyTraining struct {
	// Tasks are the project's tasks that have at least one annotation, in
	// Label Studio's JSON export format: each with its id, data, annotations
	// and predictions. The server sends them under the name "annotations".
	Tasks []LegacyTrainingTask `json:"annotations"`
	// Project is the project's identifier for ML backends,
	// "<project id>.<creation time in Unix seconds>", for example
	// "1.1764748800"; see [LegacyTraining.ProjectID].
	Project string `json:"project"`
	// LabelConfig is the project's labeling configuration (XML).
	LabelConfig string `json:"label_config"`
	// Params holds the project's task data credentials.
	Params LegacyTrainingParams `json:"params"`

	// Extra holds members the library does not model, keyed by name, as
	// sent.
	Extra map[string]json.RawMessage `json:"-"`

	raw []byte
}

// LegacyTrainingTask is one exported task of a [LegacyTraining] body.
type LegacyTrainingTask struct {
	ID int64 `json:"id"`
	// Data is the task's data object, byte for byte as sent.
	Data json.RawMessage `json:"data"`
	// Annotations are the task's annotations in the export format (their
	// completed_by is a user object or an id depending on the release),
	// each byte for byte as sent.
	Annotations []json.RawMessage `json:"annotations"`
	// Predictions are the task's predictions, each byte for byte as sent;
	// nil when absent.
	Predictions []json.RawMessage `json:"predictions,omitempty"`

	// Extra holds the other members of the export format (meta,
	// created_at, updated_at, inner_id, total_annotations, ...), as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// LegacyTrainingParams are the project's task data credentials, sent so the
// backend can fetch task data. Like a [Project]'s TaskDataLogin and
// TaskDataPassword, they are secrets: formatting with the fmt package or
// logging with [log/slog] never shows them; json.Marshal keeps them.
type LegacyTrainingParams struct {
	// Login is the project's task_data_login; "" when null.
	Login string `json:"login"`
	// Password is the project's task_data_password; "" when null.
	Password string `json:"password"`

	// Extra holds members the library does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// DecodeLegacyTraining decodes the body of a legacy ML backend training
// request (see [LegacyTraining]). The members "annotations" (an array of
// task objects, each with an integer "id"), "project" (a string) and
// "label_config" (a string) are required; "params" may be absent or null.
// Keys are matched exactly, other members are kept in Extra, and a body
// with an "action" member is refused: it is a webhook event, for [Decode].
// The value keeps a copy of data, returned by its Raw method.
func DecodeLegacyTraining(data []byte) (*LegacyTraining, error) {
	raw := bytes.Clone(data)
	members, err := legacyMembers(raw, "")
	if err != nil {
		return nil, err
	}
	if _, ok := members["action"]; ok {
		return nil, fmt.Errorf("lswebhook: legacy training: /action is present: the body is a webhook event, decode it with Decode")
	}
	t := &LegacyTraining{raw: raw}
	if err := legacyString(members, "project", "", &t.Project, true); err != nil {
		return nil, err
	}
	if err := legacyString(members, "label_config", "", &t.LabelConfig, true); err != nil {
		return nil, err
	}
	tasks, ok := members["annotations"]
	if !ok {
		return nil, fmt.Errorf("lswebhook: legacy training: /annotations is missing")
	}
	delete(members, "annotations")
	var items []json.RawMessage
	if err := json.Unmarshal(tasks, &items); err != nil || items == nil {
		return nil, fmt.Errorf("lswebhook: legacy training: /annotations is not an array")
	}
	t.Tasks = make([]LegacyTrainingTask, len(items))
	for i, item := range items {
		if err := t.Tasks[i].decode(item, "/annotations/"+strconv.Itoa(i)); err != nil {
			return nil, err
		}
	}
	if p, ok := members["params"]; ok {
		delete(members, "params")
		if !legacyIsNull(p) {
			pm, err := legacyMembers(p, "/params")
			if err != nil {
				return nil, err
			}
			if err := legacyString(pm, "login", "/params", &t.Params.Login, false); err != nil {
				return nil, err
			}
			if err := legacyString(pm, "password", "/params", &t.Params.Password, false); err != nil {
				return nil, err
			}
			t.Params.Extra = legacyNonEmpty(pm)
		}
	}
	t.Extra = legacyNonEmpty(members)
	return t, nil
}

func (task *LegacyTrainingTask) decode(data []byte, ptr string) error {
	m, err := legacyMembers(data, ptr)
	if err != nil {
		return err
	}
	id, ok := m["id"]
	if !ok {
		return fmt.Errorf("lswebhook: legacy training: %s/id is missing", ptr)
	}
	delete(m, "id")
	if err := json.Unmarshal(id, &task.ID); err != nil || legacyIsNull(id) {
		return fmt.Errorf("lswebhook: legacy training: %s/id is not an integer", ptr)
	}
	if d, ok := m["data"]; ok {
		delete(m, "data")
		task.Data = d
	}
	for _, f := range []struct {
		name string
		dst  *[]json.RawMessage
	}{{"annotations", &task.Annotations}, {"predictions", &task.Predictions}} {
		v, ok := m[f.name]
		if !ok {
			continue
		}
		delete(m, f.name)
		if legacyIsNull(v) {
			continue
		}
		if err := json.Unmarshal(v, f.dst); err != nil {
			return fmt.Errorf("lswebhook: legacy training: %s/%s is not an array", ptr, f.name)
		}
	}
	task.Extra = legacyNonEmpty(m)
	return nil
}

// ProjectID returns the project id part of Project ("12" of "12.1764748800").
func (t *LegacyTraining) ProjectID() (int64, error) {
	id, _, _ := strings.Cut(t.Project, ".")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("lswebhook: legacy training: project %q does not start with a project id", t.Project)
	}
	return n, nil
}

// ProjectCreated returns the project creation time that Project carries,
// to the second.
func (t *LegacyTraining) ProjectCreated() (time.Time, error) {
	_, sec, ok := strings.Cut(t.Project, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	if !ok || err != nil {
		return time.Time{}, fmt.Errorf("lswebhook: legacy training: project %q does not end with a Unix time", t.Project)
	}
	return time.Unix(n, 0).UTC(), nil
}

// Raw returns the body the value was decoded from, byte for byte (the
// credentials included: do not log it). The caller must not modify it.
func (t *LegacyTraining) Raw() json.RawMessage { return t.raw }

// MarshalJSON encodes the body with Label Studio's member names, the
// password included (use it to forward the request).
func (t LegacyTraining) MarshalJSON() ([]byte, error) {
	m := legacyClone(t.Extra)
	var err error
	put := func(k string, v any) {
		if err == nil {
			m[k], err = json.Marshal(v)
		}
	}
	if t.Tasks == nil {
		put("annotations", []LegacyTrainingTask{})
	} else {
		put("annotations", t.Tasks)
	}
	put("project", t.Project)
	put("label_config", t.LabelConfig)
	put("params", t.Params)
	if err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

// MarshalJSON encodes the task with its Extra members.
func (task LegacyTrainingTask) MarshalJSON() ([]byte, error) {
	m := legacyClone(task.Extra)
	var err error
	put := func(k string, v any) {
		if err == nil {
			m[k], err = json.Marshal(v)
		}
	}
	put("id", task.ID)
	if task.Data != nil {
		m["data"] = task.Data
	}
	if task.Annotations == nil {
		put("annotations", []json.RawMessage{})
	} else {
		put("annotations", task.Annotations)
	}
	if task.Predictions != nil {
		put("predictions", task.Predictions)
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

// MarshalJSON encodes the credentials, the password included.
func (p LegacyTrainingParams) MarshalJSON() ([]byte, error) {
	m := legacyClone(p.Extra)
	var err error
	if m["login"], err = json.Marshal(p.Login); err != nil {
		return nil, err
	}
	if m["password"], err = json.Marshal(p.Password); err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

// Format prints the credentials with each non-empty one replaced by
// "[REDACTED]", whatever the verb. (The fmt package does not call Format
// for %p of a value or for %w outside fmt.Errorf, two uses go vet reports.)
func (p LegacyTrainingParams) Format(f fmt.State, verb rune) {
	login, pw := legacyRedact(p.Login), legacyRedact(p.Password)
	if verb == 'v' && f.Flag('#') {
		fmt.Fprintf(f, "lswebhook.LegacyTrainingParams{Login:%q, Password:%q}", login, pw)
		return
	}
	fmt.Fprintf(f, "{Login:%s Password:%s}", login, pw)
}

// LogValue implements [slog.LogValuer]: the credentials are left out.
func (p LegacyTrainingParams) LogValue() slog.Value { return slog.GroupValue() }

// LogValue implements [slog.LogValuer]: the project, the number of tasks
// and the size of the labeling configuration, never the credentials.
func (t LegacyTraining) LogValue() slog.Value {
	return slog.GroupValue(slog.String("project", t.Project), slog.Int("tasks", len(t.Tasks)),
		slog.Int("label_config_bytes", len(t.LabelConfig)))
}

func legacyRedact(s string) string {
	if s == "" {
		return ""
	}
	return RedactedText
}

// Format prints a summary of the body (project, number of tasks, size of
// the labeling configuration, redacted credentials), whatever the verb:
// never the credentials, which the raw body also holds.
func (t LegacyTraining) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "lswebhook.LegacyTraining{Project:%q Tasks:%d LabelConfig:%d bytes Params:%v}",
		t.Project, len(t.Tasks), len(t.LabelConfig), t.Params)
}

// String returns the summary Format prints.
func (t LegacyTraining) String() string { return fmt.Sprint(t) }

// String returns the credentials redacted.
func (p LegacyTrainingParams) String() string { return fmt.Sprint(p) }

// legacyTrainingError is what Decode returns for a legacy training body:
// it matches both ErrLegacyTraining and ErrMissingAction.
type legacyTrainingError struct{}

func (legacyTrainingError) Error() string {
	return ErrLegacyTraining.Error() + ": it has no \"action\" member but \"annotations\", \"project\" and \"label_config\"; decode it with DecodeLegacyTraining"
}

func (legacyTrainingError) Is(target error) bool {
	return target == ErrLegacyTraining || target == ErrMissingAction
}

// isLegacyTraining reports whether the top-level object of t, which has no
// "action" member, has the shape of a legacy training body: an
// "annotations" array and "project" and "label_config" strings.
func isLegacyTraining(t *jsontape.Tape) bool {
	var buf []byte
	var tasks, project, config bool
	root := &t.Nodes[0]
	for j := uint32(1); j < root.Next; j = t.Nodes[j+1].Next {
		kind := t.Nodes[j+1].Kind
		switch t.View(&t.Nodes[j], &buf) {
		case "annotations":
			tasks = kind == jsontape.Array
		case "project":
			project = kind == jsontape.String
		case "label_config":
			config = kind == jsontape.String
		}
	}
	return tasks && project && config
}

// legacyMembers parses data as one JSON object and returns its members;
// ptr names it in errors.
func legacyMembers(data []byte, ptr string) (map[string]json.RawMessage, error) {
	where := ptr
	if where == "" {
		where = "the body"
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var m map[string]json.RawMessage
	if err := dec.Decode(&m); err != nil || m == nil {
		if err != nil && !legacyIsTypeError(err) {
			return nil, fmt.Errorf("lswebhook: legacy training: %s is not valid JSON: %w", where, err)
		}
		return nil, fmt.Errorf("lswebhook: legacy training: %s is not a JSON object", where)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("lswebhook: legacy training: %s has data after the JSON object", where)
	}
	return m, nil
}

func legacyIsTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

// legacyString moves member name of m into dst; null is "" unless required.
func legacyString(m map[string]json.RawMessage, name, ptr string, dst *string, required bool) error {
	v, ok := m[name]
	if !ok {
		if required {
			return fmt.Errorf("lswebhook: legacy training: %s/%s is missing", ptr, name)
		}
		return nil
	}
	delete(m, name)
	if legacyIsNull(v) && !required {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil || legacyIsNull(v) {
		return fmt.Errorf("lswebhook: legacy training: %s/%s is not a string", ptr, name)
	}
	return nil
}

func legacyIsNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

func legacyNonEmpty(m map[string]json.RawMessage) map[string]json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	return m
}

func legacyClone(extra map[string]json.RawMessage) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(extra)+4)
	for k, v := range extra {
		m[k] = v
	}
	return m
}
