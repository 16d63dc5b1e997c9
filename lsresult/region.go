package lsresult

import "github.com/seed-d2dfa170/lswebhook"

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
	// They point into the slice given to [Group].
	Results []*lswebhook.Result
	// Parent is the enclosing region named by the results' parentID (a key
	// point inside a box); nil when none is named or it is not in the list.
	Parent *Region
	// Links are the relations with this region at either end, in the
	// order of the result list.
	Links []*Link
}

// LabelNames returns the labels of all the region's results, in order,
// without repeats; see [LabelNames]. It takes time linear in the size of
// the results' values.
func (g *Region) LabelNames() []string {
	lists := make([][]string, 0, len(g.Results))
	for _, r := range g.Results {
		lists = append(lists, LabelNames(r))
	}
	return joinLabels(lists...)
}

// Result returns the region's first result whose FromName is fromName (the
// control tag's name), or nil. It takes time linear in the number of the
// region's results.
func (g *Region) Result(fromName string) *lswebhook.Result {
	for _, r := range g.Results {
		if r.FromName == fromName {
			return r
		}
	}
	return nil
}

// ImageSize returns the image size of the first of the region's results
// that has one; see [SizeOf]. It takes time linear in the number of the
// region's results.
func (g *Region) ImageSize() (ImageSize, bool) {
	for _, r := range g.Results {
		if s, ok := SizeOf(r); ok {
			return s, true
		}
	}
	return ImageSize{}, false
}

// Link is a relation result resolved to the regions it links.
type Link struct {
	// Result is the relation result; its Direction says which way the
	// relation reads ("right": From to To, "left": To to From, "bi": both)
	// and its Labels hold the relation's labels.
	Result *lswebhook.Result
	// From and To are the regions named by the result's FromID and ToID;
	// nil when no region has that id.
	From, To *Region
}

// Regions is an annotation's result list grouped into regions, with the
// relations between them resolved. Build it with [Group].
type Regions struct {
	// All holds the regions in the order their first result appears.
	All []*Region
	// Links holds the relation results in order.
	Links []*Link

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

// Group groups the results into regions of results sharing an id, and
// resolves each relation result (type "relation") to the regions its
// from_id and to_id name, and each parentID to its region. Relations are
// not regions. The returned values point into results, which must not be
// changed while they are in use.
//
// Group takes time and memory linear in the number of results: regions
// are found by id in a map, a region's parent is looked up once (a chain
// of parents is never walked), and each relation is resolved with two
// lookups.
func Group(results []lswebhook.Result) *Regions {
	rs := &Regions{byID: make(map[string]*Region)}
	for i := range results {
		r := &results[i]
		if r.IsRelation() {
			rs.Links = append(rs.Links, &Link{Result: r})
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
	for _, l := range rs.Links {
		l.From = rs.ByID(l.Result.FromID)
		l.To = rs.ByID(l.Result.ToID)
		if l.From != nil {
			l.From.Links = append(l.From.Links, l)
		}
		if l.To != nil && l.To != l.From {
			l.To.Links = append(l.To.Links, l)
		}
	}
	return rs
}
