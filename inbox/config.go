package inbox

import (
	"log/slog"
	"net/textproto"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// Defaults of [Config].
const (
	DefaultWorkers       = 16
	DefaultMaxAttempts   = 10
	DefaultJobTimeout    = time.Minute
	DefaultAckTimeout    = 500 * time.Millisecond
	DefaultRetention     = 24 * time.Hour
	DefaultDeadRetention = 7 * 24 * time.Hour
	DefaultPollInterval  = 500 * time.Millisecond
)

// Config configures an [Inbox]. The zero value is usable: it stores
// deliveries and has no worker.
type Config struct {
	// Mux holds the functions the workers call, one per action. nil means
	// the inbox only stores deliveries, for workers in another process.
	Mux *lswebhook.Mux

	// Options are the library's request checks (required headers, basic
	// auth, body limit), as [lswebhook.ReadRequest] takes them. A decoder
	// or logger set here is ignored: Decoder and Logger are used.
	Options []lswebhook.Option

	// Decoder decodes bodies, in the handler (a body it refuses is
	// quarantined) and in the workers.
	Decoder lswebhook.Decoder

	// KeyFunc returns a delivery's dedupe key; nil means [DefaultKey].
	KeyFunc KeyFunc

	// SecretHeaders names request headers whose values are not stored
	// (Authorization, Proxy-Authorization and Cookie never are). Put the
	// names of custom credential headers set on the webhook here.
	SecretHeaders []string

	// Workers is how many deliveries are processed at once; 0 means
	// [DefaultWorkers].
	Workers int

	// MaxAttempts is how many times a delivery is tried before it is dead;
	// 0 means [DefaultMaxAttempts].
	MaxAttempts int

	// Backoff returns how long to wait after the attempt-th failed attempt
	// (1 for the first). nil means River's default, attempt^4 seconds
	// with jitter.
	Backoff func(attempt int) time.Duration

	// JobTimeout bounds one attempt: its context is cancelled then and the
	// attempt fails; 0 means [DefaultJobTimeout].
	JobTimeout time.Duration

	// RescueAfter is how long after it started a delivery that is still
	// running (its process died) is made available again. It must be
	// longer than JobTimeout ([Open] refuses it otherwise); 0 means
	// JobTimeout plus 30 seconds.
	RescueAfter time.Duration

	// AckTimeout bounds the store of one delivery; past it the handler
	// answers 503. 0 means [DefaultAckTimeout]: Label Studio waits 1 s.
	AckTimeout time.Duration

	// Retention is how long processed deliveries are kept. It is also the
	// dedupe window: a repeat of a delivery processed longer ago is stored
	// again. 0 means [DefaultRetention].
	Retention time.Duration

	// DeadRetention is how long dead deliveries are kept; 0 means
	// [DefaultDeadRetention]. Quarantined ones are kept until purged.
	DeadRetention time.Duration

	// PollInterval is how often workers look for deliveries stored by
	// another process (on SQLite, also by this one's handler while they
	// are busy); 0 means [DefaultPollInterval].
	PollInterval time.Duration

	// Logger receives structured records of the inbox and of River; nil
	// means none.
	Logger *slog.Logger
}

// withDefaults returns c with its zero fields set.
func (c Config) withDefaults() Config {
	if c.KeyFunc == nil {
		c.KeyFunc = DefaultKey
	}
	orDefault(&c.Workers, DefaultWorkers)
	orDefault(&c.MaxAttempts, DefaultMaxAttempts)
	orDefault(&c.JobTimeout, DefaultJobTimeout)
	if c.RescueAfter == 0 {
		c.RescueAfter = c.JobTimeout + 30*time.Second
	}
	orDefault(&c.AckTimeout, DefaultAckTimeout)
	orDefault(&c.Retention, DefaultRetention)
	orDefault(&c.DeadRetention, DefaultDeadRetention)
	orDefault(&c.PollInterval, DefaultPollInterval)
	return c
}

// orDefault sets *v to def when *v is zero or negative.
func orDefault[T int | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// secretSet returns the canonical names of SecretHeaders.
func (c Config) secretSet() map[string]bool {
	m := make(map[string]bool, len(c.SecretHeaders))
	for _, n := range c.SecretHeaders {
		m[textproto.CanonicalMIMEHeaderKey(n)] = true
	}
	return m
}
