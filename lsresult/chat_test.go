package lsresult_test

import (
	"testing"

	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// TestChatMessageTime converts the message timestamp.
func TestChatMessageTime(t *testing.T) {
	m := lsresult.Message{Timestamp: 1772446800123}
	if got, ok := m.Time(); !ok || got.UnixMilli() != 1772446800123 || got.Location().String() != "UTC" {
		t.Errorf("Time = %v, %v", got, ok)
	}
	if _, ok := (lsresult.Message{}).Time(); ok {
		t.Errorf("Time of no timestamp is ok")
	}
}
