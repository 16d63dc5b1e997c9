package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// A State is where a stored delivery is.
type State string

// The states of a delivery. Pending, Processing, Retrying, Processed, Dead
// and Cancelled are River's available/scheduled, running, retryable,
// completed, discarded and cancelled states of a delivery job; Quarantined
// is a body that did not decode.
const (
	Pending     State = "pending"
	Processing  State = "processing"
	Retrying    State = "retrying"
	Processed   State = "processed"
	Dead        State = "dead"
	Cancelled   State = "cancelled"
	Quarantined State = "quarantined"
)

// States lists every State.
var States = []State{Pending, Processing, Retrying, Processed, Dead, Cancelled, Quarantined}

// stateOf returns the State of a job row.
func stateOf(j *rivertype.JobRow) State {
	if j.Kind == KindQuarantine {
		return Quarantined
	}
	switch j.State {
	case rivertype.JobStateRunning:
		return Processing
	case rivertype.JobStateRetryable:
		return Retrying
	case rivertype.JobStateCompleted:
		return Processed
	case rivertype.JobStateDiscarded:
		return Dead
	case rivertype.JobStateCancelled:
		return Cancelled
	}
	return Pending
}

// riverStates returns the River states of s.
func riverStates(s State) []rivertype.JobState {
	switch s {
	case Processing:
		return []rivertype.JobState{rivertype.JobStateRunning}
	case Retrying:
		return []rivertype.JobState{rivertype.JobStateRetryable}
	case Processed:
		return []rivertype.JobState{rivertype.JobStateCompleted}
	case Dead:
		return []rivertype.JobState{rivertype.JobStateDiscarded}
	case Cancelled:
		return []rivertype.JobState{rivertype.JobStateCancelled}
	case Pending:
		return []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStatePending}
	}
	return nil
}

// Stats counts the stored deliveries in each State.
func (in *Inbox) Stats(ctx context.Context) (map[State]int, error) {
	rows, err := in.db.QueryContext(ctx, `SELECT kind, state, count(*) FROM river_job WHERE kind = '`+KindDelivery+`' OR kind = '`+KindQuarantine+`' GROUP BY kind, state`)
	if err != nil {
		return nil, fmt.Errorf("inbox: stats: %w", err)
	}
	defer rows.Close()
	out := make(map[State]int, len(States))
	for _, s := range States {
		out[s] = 0
	}
	for rows.Next() {
		var kind, state string
		var n int
		if err := rows.Scan(&kind, &state, &n); err != nil {
			return nil, fmt.Errorf("inbox: stats: %w", err)
		}
		out[stateOf(&rivertype.JobRow{Kind: kind, State: rivertype.JobState(state)})] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inbox: stats: %w", err)
	}
	return out, nil
}

// A Record is one stored delivery, as [Inbox.List] and [Inbox.Get] return it.
type Record struct {
	ID          int64
	State       State
	Action      string
	Key         string
	ReceivedAt  time.Time
	Attempts    int
	Errors      []string // the error of each failed attempt, oldest first
	Problems    []string // why a quarantined body did not decode
	Header      http.Header
	Body        []byte // exactly as received
	FinalizedAt *time.Time
}

// recordOf converts a job row.
func recordOf(j *rivertype.JobRow) (*Record, error) {
	var a deliveryArgs
	if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
		return nil, fmt.Errorf("inbox: delivery %d: stored arguments: %w", j.ID, err)
	}
	r := &Record{
		ID: j.ID, State: stateOf(j), Action: a.Action, Key: a.Key,
		ReceivedAt: a.ReceivedAt, Attempts: j.Attempt, Problems: a.Problems,
		Header: http.Header(a.Headers), Body: a.body(), FinalizedAt: j.FinalizedAt,
	}
	for _, e := range j.Errors {
		r.Errors = append(r.Errors, e.Error)
	}
	return r, nil
}

// A Filter selects deliveries for [Inbox.List] and [Inbox.Purge]. Zero
// fields select everything.
type Filter struct {
	State  State     // one state, or "" for all
	Action string    // one action, or "" for all
	Before time.Time // received before, if not zero
	After  time.Time // received at or after, if not zero
	Limit  int       // at most this many, if > 0
}

// listPage is how many rows List reads at a time.
const listPage = 500

// List returns the deliveries f selects, oldest first.
func (in *Inbox) List(ctx context.Context, f Filter) ([]*Record, error) {
	p := river.NewJobListParams().Kinds(KindDelivery, KindQuarantine).First(listPage).
		OrderBy(river.JobListOrderByID, river.SortOrderAsc)
	switch f.State {
	case "":
		p = p.States(allRiverStates...)
	case Quarantined:
		p = p.Kinds(KindQuarantine).States(allRiverStates...)
	default:
		st := riverStates(f.State)
		if st == nil {
			return nil, fmt.Errorf("inbox: list: unknown state %q", f.State)
		}
		p = p.Kinds(KindDelivery).States(st...)
	}
	var out []*Record
	for {
		res, err := in.b.list(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("inbox: list: %w", err)
		}
		for _, j := range res.Jobs {
			r, err := recordOf(j)
			if err != nil {
				return nil, err
			}
			if f.Action != "" && r.Action != f.Action {
				continue
			}
			if !f.Before.IsZero() && !r.ReceivedAt.Before(f.Before) || !f.After.IsZero() && r.ReceivedAt.Before(f.After) {
				continue
			}
			out = append(out, r)
			if f.Limit > 0 && len(out) == f.Limit {
				return out, nil
			}
		}
		if len(res.Jobs) < listPage || res.LastCursor == nil {
			return out, nil
		}
		p = p.After(res.LastCursor)
	}
}

// allRiverStates lists every River job state.
var allRiverStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateCancelled, rivertype.JobStateCompleted,
	rivertype.JobStateDiscarded, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// ErrNotFound is returned for an id that names no stored delivery.
var ErrNotFound = errors.New("inbox: no such delivery")

// Get returns the delivery with this id.
func (in *Inbox) Get(ctx context.Context, id int64) (*Record, error) {
	j, err := in.b.get(ctx, id)
	if errors.Is(err, river.ErrNotFound) || err == nil && j.Kind != KindDelivery && j.Kind != KindQuarantine {
		return nil, fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("inbox: get %d: %w", id, err)
	}
	return recordOf(j)
}

// Retry makes the delivery with this id pending again, with a fresh count
// of attempts: a dead one, one waiting to retry (now), or a processed one
// (to process it again). A quarantined body is decoded again, and if it now
// decodes (the library or Decoder changed) it becomes a pending delivery;
// if it still does not, Retry returns the decoding error and leaves it.
func (in *Inbox) Retry(ctx context.Context, id int64) (*Record, error) {
	r, err := in.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.State != Quarantined {
		j, err := in.b.retry(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("inbox: retry %d: %w", id, err)
		}
		return recordOf(j)
	}
	ev, err := in.cfg.Decoder.Decode(r.Body)
	if err != nil {
		return nil, fmt.Errorf("inbox: retry %d: still does not decode: %w", id, err)
	}
	args := deliveryArgs{Action: string(ev.Action()), Key: in.cfg.KeyFunc(ev), Headers: r.Header, ReceivedAt: r.ReceivedAt}
	args.setBody(r.Body)
	opts := &river.InsertOpts{Queue: QueueDeliveries}
	if args.Key != "" {
		opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
	}
	if validTag(args.Action) {
		opts.Tags = []string{args.Action}
	}
	res, err := in.b.requeue(ctx, id, args, opts)
	if err != nil {
		return nil, fmt.Errorf("inbox: retry %d: %w", id, err)
	}
	return recordOf(res.Job)
}

// Purge deletes the deliveries f selects, except those being processed,
// and returns how many it deleted.
func (in *Inbox) Purge(ctx context.Context, f Filter) (int, error) {
	if f.State == Processing {
		return 0, errors.New("inbox: purge: deliveries being processed cannot be purged")
	}
	recs, err := in.List(ctx, f)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range recs {
		if r.State == Processing {
			continue
		}
		if _, err := in.b.delete(ctx, r.ID); err != nil {
			if errors.Is(err, river.ErrNotFound) || errors.Is(err, rivertype.ErrJobRunning) {
				continue
			}
			return n, fmt.Errorf("inbox: purge %d: %w", r.ID, err)
		}
		n++
	}
	return n, nil
}

// ParseState returns the State named s, as [State]'s constants spell it.
func ParseState(s string) (State, error) {
	if slices.Contains(States, State(s)) {
		return State(s), nil
	}
	return "", fmt.Errorf("inbox: unknown state %q (want one of %v)", s, States)
}
