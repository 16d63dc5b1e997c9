package lsresult

import (
	"encoding/json"
	"time"
)

// ChatMessage is the value of a "chatmessage" result, a message an
// annotator added to a Chat object (newest versions):
// {"chatmessage": {"role": "user", "content": "Hello", "timestamp":
// 1755872989436}}.
type ChatMessage struct {
	Message Message `json:"chatmessage"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// Message is one message of a chat.
type Message struct {
	// Role is "user", "assistant", "system", "tool" or "developer".
	Role    string `json:"role"`
	Content string `json:"content"`
	// Timestamp is the Unix time in milliseconds; 0 when absent.
	Timestamp int64 `json:"timestamp,omitempty"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// Time returns Timestamp as a time; ok is false when it is absent.
func (m Message) Time() (t time.Time, ok bool) {
	if m.Timestamp == 0 {
		return time.Time{}, false
	}
	return time.UnixMilli(m.Timestamp).UTC(), true
}

// MarshalJSON writes the message with its Extra keys.
func (m Message) MarshalJSON() ([]byte, error) {
	type plain Message
	return withExtra(plain(m), m.Extra)
}

func (*ChatMessage) isValue() {}

// LabelNames returns nil: a message assigns no labels.
func (v *ChatMessage) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v ChatMessage) MarshalJSON() ([]byte, error) {
	type plain ChatMessage
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a chatmessage value.
func (v *ChatMessage) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }
