package lswebhooktest

import (
	"fmt"
	"sync/atomic"
)

// An Option changes what a builder makes. Options that do not apply to an
// action (Skipped for PROJECT_CREATED, Count for ANNOTATION_CREATED, ...)
// are refused: the typed builders panic and [New] returns an error.
type Option struct {
	name  string
	apply func(*config)
}

// String returns the option as written in Go, such as "Seq(3)".
func (o Option) String() string { return o.name }

// config is what the options set.
type config struct {
	seq       int64
	count     int
	countSet  bool
	noPayload bool
	skipped   bool
	errs      []string
}

// maxCount is the largest Count: ids of the n-th sequence start at
// n*maxCount+1, so sequences never share an id.
const maxCount = 10000

// Seq makes the builder use the n-th set of ids and times, n ≥ 0 (0 is
// the default). The entities an event is about (the tasks of TASKS_CREATED,
// the annotation and its task of ANNOTATION_CREATED, the project of the
// PROJECT_* actions, ...) get ids n*10000+1, n*10000+2, ..., and times n
// seconds after the defaults; the surrounding project (id 1), organization
// and user stay the same. So events built with different n describe
// different tasks or annotations of one project. [Counter] hands out n.
func Seq(n int64) Option {
	return Option{fmt.Sprintf("Seq(%d)", n), func(c *config) {
		if n < 0 || n > 1<<40 {
			c.errs = append(c.errs, fmt.Sprintf("Seq(%d): want 0 <= n <= 2^40", n))
			return
		}
		c.seq = n
	}}
}

// Count sets how many items a list-valued event holds (default 1): the
// tasks of TASKS_CREATED and TASKS_DELETED, the annotations of
// ANNOTATIONS_CREATED and ANNOTATIONS_DELETED, the links of
// LABEL_LINK_CREATED, the reviews of REVIEWS_DELETED. It must be between 1
// and 10000.
func Count(n int) Option {
	return Option{fmt.Sprintf("Count(%d)", n), func(c *config) {
		if n < 1 || n > maxCount {
			c.errs = append(c.errs, fmt.Sprintf("Count(%d): want 1 to %d items", n, maxCount))
			return
		}
		c.count, c.countSet = n, true
	}}
}

// NoPayload leaves every entity out, as a webhook with "send payload" off
// sends it: the body is only {"action": "..."}.
func NoPayload() Option {
	return Option{"NoPayload()", func(c *config) { c.noPayload = true }}
}

// Skipped makes the annotation of ANNOTATION_CREATED or ANNOTATION_UPDATED
// a skipped task, as Label Studio sends it: WasCancelled set, an empty
// result, and the task's and project's counters to match.
func Skipped() Option {
	return Option{"Skipped()", func(c *config) { c.skipped = true }}
}

// A Counter hands out sequence numbers for [Seq], so that each event a
// test builds has ids of its own. The zero Counter is ready to use and
// starts at 0; it is safe for concurrent use.
//
//	var ids lswebhooktest.Counter
//	first := lswebhooktest.AnnotationCreated(ids.Next())
//	second := lswebhooktest.AnnotationCreated(ids.Next()) // another annotation id
type Counter struct {
	n atomic.Int64
}

// Next returns Seq(n) for the next n: 0, 1, 2, ...
func (c *Counter) Next() Option {
	return Seq(c.n.Add(1) - 1)
}
