package lsresult

// Relation is the value of a relation result (type "relation"), which
// links two regions. Label Studio sends its members at the top level of the
// result, not under "value"; [Parse] copies them from the result. [Group]
// resolves the ids to regions.
//
// It marshals to the relation's members as Label Studio writes them.
type Relation struct {
	// FromID and ToID are the ids of the linked regions.
	FromID string `json:"from_id"`
	ToID   string `json:"to_id"`
	// Direction is "right" (from FromID to ToID), "left" (from ToID to
	// FromID) or "bi" (both ways).
	Direction string `json:"direction,omitempty"`
	// Labels are the relation's labels, from a Relations tag; often none.
	Labels []string `json:"labels,omitzero"`
}

func (*Relation) isValue() {}

// LabelNames returns a copy of the relation's labels.
func (v *Relation) LabelNames() []string { return clone(v.Labels) }
