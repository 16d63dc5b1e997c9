package inbox

import (
	"bytes"
	"net/http"
	"time"
	"unicode/utf8"
)

// Job kinds and queues of the inbox in River's tables.
const (
	// KindDelivery is the River job kind of a stored delivery.
	KindDelivery = "lswebhook_delivery"
	// KindQuarantine is the River job kind of a body that did not decode.
	KindQuarantine = "lswebhook_quarantine"
	// QueueDeliveries is the River queue the workers take deliveries from.
	QueueDeliveries = "lswebhook"
	// QueueQuarantine is the River queue of quarantined bodies. No worker
	// takes from it: its jobs stay there until retried or purged.
	QueueQuarantine = "lswebhook_quarantine"
)

// deliveryArgs is what the inbox stores of one delivery, as a River job's
// arguments. A body that is valid UTF-8 (every body that decodes is) is
// stored as a JSON string, which keeps its bytes exactly, in either
// database, at the cost of escaping its quotes; any other body (or one
// holding a NUL byte) is stored base64-encoded.
type deliveryArgs struct {
	Action     string              `json:"action,omitempty"`
	Key        string              `json:"key" river:"unique"`
	Body       string              `json:"body,omitempty"`
	BodyBytes  []byte              `json:"body_b64,omitempty"`
	Headers    map[string][]string `json:"headers,omitempty"`
	ReceivedAt time.Time           `json:"received_at"`
	Problems   []string            `json:"problems,omitempty"`
}

// Kind is the River job kind of a delivery.
func (deliveryArgs) Kind() string { return KindDelivery }

// quarantineArgs is a delivery whose body did not decode.
type quarantineArgs deliveryArgs

// Kind is the River job kind of a quarantined delivery.
func (quarantineArgs) Kind() string { return KindQuarantine }

// setBody stores body in a.
func (a *deliveryArgs) setBody(body []byte) {
	// PostgreSQL's jsonb holds no NUL character, so a body with one is
	// stored as bytes.
	if utf8.Valid(body) && bytes.IndexByte(body, 0) < 0 {
		a.Body = string(body)
		a.BodyBytes = nil
		return
	}
	a.Body = ""
	a.BodyBytes = body
}

// body returns the stored body.
func (a *deliveryArgs) body() []byte {
	if a.BodyBytes != nil {
		return a.BodyBytes
	}
	return []byte(a.Body)
}

// secretHeaders are the request headers whose values are never stored.
var secretHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
}

// redactedValue replaces a secret header's value in what is stored.
const redactedValue = "[redacted]"

// storedHeaders returns the headers to store: all of them, with the values
// of secret ones and of those named in extra replaced.
func storedHeaders(h http.Header, extra map[string]bool) map[string][]string {
	out := make(map[string][]string, len(h))
	for name, vals := range h {
		if secretHeaders[name] || extra[name] {
			red := make([]string, len(vals))
			for i := range red {
				red[i] = redactedValue
			}
			out[name] = red
			continue
		}
		out[name] = append([]string(nil), vals...)
	}
	return out
}
