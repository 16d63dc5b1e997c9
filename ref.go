package lswebhook

import "encoding/json"

// Ref is the id-only object that delete events carry in place of the
// deleted entity, e.g. {"id": 17}.
type Ref struct {
	ID int64 `json:"id"`

	// Extra holds members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// MarshalJSON encodes the reference with its Extra members.
func (r Ref) MarshalJSON() ([]byte, error) {
	type plain Ref
	return marshalObject("", plain(r), r.Extra)
}

// UnmarshalJSON decodes an id-only object with the same rules as [Decode].
func (r *Ref) UnmarshalJSON(data []byte) error { return unmarshalTape(data, r) }
