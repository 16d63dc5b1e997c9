// Package lswebhook decodes the webhook payloads that Label Studio sends
// into typed, validated Go values.
//
// Label Studio POSTs a JSON object to each configured webhook URL when a
// project, task, annotation or label link changes, and to a connected ML
// backend when a user starts training. The object's "action" member names
// the change; the other members carry the entities. [Decode] reads such a
// body, checks it against the JSON Schema bundled for its action (see
// [Schemas]), and returns an [Event]: one pointer type per action, such as
// [*AnnotationCreated], or [*UnknownEvent] for actions this version does not
// know. A type switch reaches the fields:
//
//	ev, err := lswebhook.Decode(body)
//	if err != nil {
//		return err // *SyntaxError, *ValidationError, or a sentinel
//	}
//	switch ev := ev.(type) {
//	case *lswebhook.AnnotationCreated:
//		use(ev.Annotation, ev.Task)
//	case *lswebhook.TasksCreated:
//		use(ev.Tasks)
//	}
//
// The payload layouts follow what Label Studio's source code sends, which
// differs from its documentation in places: ANNOTATIONS_CREATED holds lists
// under the singular keys "annotation" and "task"; annotation events carry
// the task; delete events carry ids only; the documented spellings
// TASK_CREATED, TASK_DELETED and ANNOTATION_DELETED are never sent but are
// accepted as aliases. docs/compatibility.md in the repository lists what
// each release sends.
//
// # Schema policy
//
// A member is required only when an event cannot be read without it: the
// action, entity ids, and the entities an action always carries together.
// Every other member is typed when present, and the members Label Studio
// 1.23 sends but a payload lacks are reported by [Event.Drift], not refused
// ([Decoder.DisallowDrift] refuses them). Result items of any shape decode;
// the lsresult package reads their typed values.
//
// # Receiving over HTTP
//
// Decoding needs no HTTP. For a receiver, [NewHandler] wraps a function of
// the decoded [Event] in an [http.Handler] that checks the method, the
// content type, the body size and any required headers (Label Studio signs
// nothing; custom headers such as a shared token are the only protection),
// answers refusals with RFC 9457 problem details, and answers 2xx quickly,
// because Label Studio waits one second, never retries, and newer versions
// switch off a webhook that keeps failing. [Mux] and [On] dispatch each
// event type to its own function:
//
//	mux := lswebhook.NewMux()
//	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationCreated) error {
//		return store(ctx, ev.Annotation)
//	})
//	http.Handle("/hook", lswebhook.NewHandler(mux.Dispatch,
//		lswebhook.WithRequiredHeader("Authorization", "Bearer "+secret)))
//
// Behind another router, [DecodeRequest] makes the same checks and returns the
// event, or a [*RequestError] with the status to answer ([WriteError] writes
// it); [ReadRequest] returns the checked body without decoding it, for
// receivers that store every delivery first.
//
// Projects carry the invite token and task-data credentials in clear text,
// as [Secret] values: fmt and log/slog never show them, while
// [Secret.Reveal] and JSON keep them (an event forwards as sent;
// [Event.Raw] holds the bytes as sent).
//
// # Pointer policy
//
// A field is a value when the payload always carries it, or when JSON null
// and absence mean the same as the zero value: ids (Label Studio never uses
// id 0, so 0 means "none"), strings (null reads as ""), and flags. A field is
// a pointer only when null or absence means something different from zero:
// counters that older servers do not send ([ProjectCounters]), durations and
// scores that may be unknown ([Annotation.LeadTime], [Result.Score]), the
// nullable timestamps, newer optional flags such as [Task.AllowSkip], and
// [Result.ItemIndex], where 0 is a valid index. The entity fields of an
// event are pointers or slices, nil when the payload leaves them out.
// Annotation.Result is nil for JSON null and empty for [].
//
// # Unknown members
//
// Servers grow. Members the types do not model are kept, byte for byte as
// sent, in the Extra map of the enclosing struct (json.RawMessage fields
// such as Task.Data are likewise the bytes as sent), and every event keeps the bytes it was
// decoded from ([Event.Raw]). Marshalling a value writes its Extra members
// back, so decode, marshal and decode again gives an equal value.
//
// # Errors
//
// Errors are lower case and start with "lswebhook: ". A [*SyntaxError] or
// [*ValidationError] carries the JSON Pointer (RFC 6901) of each fault;
// [ErrNotObject], [ErrMissingAction] and [ErrUnknownAction] are sentinels to
// test with [errors.Is]. No input makes Decode panic.
//
// # Limits
//
// Decode's time and memory are linear in the body, for the bodies it
// refuses as for those it accepts. A body is read once into a tape of one
// 16-byte node per JSON value; a body denser than one value per 10 bytes
// (long lists of small numbers, or a body built to be refused) is validated
// as a stream first, holding only its open objects and arrays, so that
// refusing any body costs under 4 times its size. Nesting is limited by
// [Decoder.MaxDepth], number literals to 1,024 bytes ([ErrNumberLimit]), and
// in a dense body the members of the objects open at once ([ErrTooWide]).
package lswebhook
