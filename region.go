package lswebhook

// Region is one region of an annotation: the results that share an id.
// Label Studio writes a region as one result per control that describes
// it: a box ("rectanglelabels") and, with perRegion controls, the choices or
// transcription ("choices", "textarea") given to that box all carry the
// box's id.
type Region struct {
	// ID is the shared result id; "" for a result sent without one (which
	// forms a region of its own).
	ID string
	// Results are the region's results in the order of the result list.
	// They point into the slice given to [GroupRegions].
	Results []*Result
	// Parent is the enclosing region named by the results' parentID (a key
	// point inside a box); nil when none is named or it is not in the list.
	Parent *Region
	// Relations are the relations with this region at either end, in the
	// order of the result list.
	Relations []*Relation
}

// LabelNames returns the labels of all the region's results, in order,
// without repeats; see [Result.LabelNames].
func (g *Region) LabelNames() []string {
	var lists [][]string
	for _, r := range g.Results {
		lists = append(lists, r.LabelNames())
	}
	return joinLabels(lists...)
}

// Result returns the region's first result whose FromName is fromName (the
// control tag's name), or nil.
func (g *Region) Result(fromName string) *Result {
	for _, r := range g.Results {
		if r.FromName == fromName {
			return r
		}
	}
	return nil
}

// ImageSize returns the image size of the first of the region's results
// that has one; see [Result.ImageSize].
func (g *Region) ImageSize() (ImageSize, bool) {
	for _, r := range g.Results {
		if s, ok := r.ImageSize(); ok {
			return s, true
		}
	}
	return ImageSize{}, false
}

// Relation is a relation result resolved to the regions it links.
type Relation struct {
	// Result is the relation result; its Direction says which way the
	// relation reads ("right": From to To, "left": To to From, "bi": both)
	// and its Labels hold the relation's labels.
	Result *Result
	// From and To are the regions named by the result's FromID and ToID;
	// nil when no region has that id.
	From, To *Region
}

// Regions is an annotation's result list grouped into regions, with the
// relations between them resolved. Build it with [GroupRegions] or
// [Annotation.Regions].
type Regions struct {
	// All holds the regions in the order their first result appears.
	All []*Region
	// Relations holds the relation results in order.
	Relations []*Relation

	byID map[string]*Region
}

// ByID returns the region with the given id, or nil. The empty id names no
// region.
func (rs *Regions) ByID(id string) *Region {
	if rs == nil || id == "" {
		return nil
	}
	return rs.byID[id]
}

// GroupRegions groups the results into regions of results sharing an id,
// and resolves each relation result (type "relation") to the regions its
// from_id and to_id name and each parentID to its region. Relations are
// not regions. The returned values point into results, which must not be
// changed while they are in use.
func GroupRegions(results []Result) *Regions {
	rs := &Regions{byID: make(map[string]*Region)}
	for i := range results {
		r := &results[i]
		if r.IsRelation() {
			rs.Relations = append(rs.Relations, &Relation{Result: r})
			continue
		}
		g := rs.byID[r.ID]
		if g == nil || r.ID == "" {
			g = &Region{ID: r.ID}
			rs.All = append(rs.All, g)
			if r.ID != "" {
				rs.byID[r.ID] = g
			}
		}
		g.Results = append(g.Results, r)
	}
	for _, g := range rs.All {
		for _, r := range g.Results {
			if p := rs.ByID(r.ParentID); p != nil && p != g {
				g.Parent = p
				break
			}
		}
	}
	for _, rel := range rs.Relations {
		rel.From = rs.ByID(rel.Result.FromID)
		rel.To = rs.ByID(rel.Result.ToID)
		if rel.From != nil {
			rel.From.Relations = append(rel.From.Relations, rel)
		}
		if rel.To != nil && rel.To != rel.From {
			rel.To.Relations = append(rel.To.Relations, rel)
		}
	}
	return rs
}

// Regions groups the annotation's results; see [GroupRegions].
func (a *Annotation) Regions() *Regions { return GroupRegions(a.Result) }
