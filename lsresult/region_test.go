package lsresult_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// TestGroup groups the image and text fixtures.
func TestGroup(t *testing.T) {
	ann := annotationsOf(t, fixture("image.json"))[0]
	rs := lsresult.Group(ann.Result)
	var ids []string
	for _, g := range rs.All {
		ids = append(ids, g.ID)
	}
	wantIDs := []string{"Xk3vQ9mZpA", "pD2r8LwQeT", "r7YhN0cVbS", "s1GnEe4oLu", "hE4dKp0iNt", "sKy0Ma5kQw", "La9nE1vCtR",
		"bL6rRd2yXe", "oU7tLn3pQz", "pT8sMa4rTk", "bB0oLb5oXe", "pA1nT6bRsh", "vEc7Pa8tHh"}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("region ids (-want +got):\n%s", diff)
	}
	car := rs.ByID("Xk3vQ9mZpA")
	if len(car.Results) != 3 || car.Results[0] != &ann.Result[0] || car.Results[2] != &ann.Result[2] {
		t.Errorf("car region results: %v", car.Results)
	}
	if r := car.Result("plate"); r == nil || r.Type != "textarea" {
		t.Errorf("car.Result(plate) = %v", r)
	}
	if car.Result("nope") != nil {
		t.Errorf("car.Result(nope) found something")
	}
	if diff := cmp.Diff([]string{"Car", "no"}, car.LabelNames()); diff != "" {
		t.Errorf("car labels (-want +got):\n%s", diff)
	}
	if s, ok := car.ImageSize(); !ok || s.Width != 1920 {
		t.Errorf("car ImageSize = %v, %v", s, ok)
	}
	ped := rs.ByID("pD2r8LwQeT")
	if head := rs.ByID("hE4dKp0iNt"); head.Parent != ped {
		t.Errorf("key point's parent = %v", head.Parent)
	}
	if car.Parent != nil {
		t.Errorf("car has a parent")
	}
	if len(rs.Links) != 1 {
		t.Fatalf("%d relations", len(rs.Links))
	}
	rel := rs.Links[0]
	if rel.From != ped || rel.To != car || rel.Result != &ann.Result[15] {
		t.Errorf("relation resolves to %v -> %v", rel.From, rel.To)
	}
	if len(car.Links) != 1 || car.Links[0] != rel || len(ped.Links) != 1 {
		t.Errorf("region relations: car %d, pedestrian %d", len(car.Links), len(ped.Links))
	}
	if rs.ByID("") != nil || rs.ByID("missing") != nil || (*lsresult.Regions)(nil).ByID("x") != nil {
		t.Errorf("ByID found a region for a bad id")
	}

	text := annotationsOf(t, fixture("text.json"))[0]
	trs := lsresult.Group(text.Result)
	if len(trs.All) != 13 || len(trs.Links) != 4 {
		t.Errorf("%d regions, %d relations", len(trs.All), len(trs.Links))
	}
	acme := trs.ByID("n2Org0acMe")
	var from []string
	for _, rel := range acme.Links {
		from = append(from, rel.From.ID+" "+rel.Result.Direction)
	}
	if diff := cmp.Diff([]string{"n1Per0aliC right", "n3Loc0bErL left", "n4Dat03maY right"}, from); diff != "" {
		t.Errorf("relations of Acme (-want +got):\n%s", diff)
	}

	// Dangling relations, results without ids, a relation of a region to
	// itself, a region that names itself as parent.
	odd := []lswebhook.Result{
		{Type: "choices", Value: raw(`{"choices":["a"]}`)},
		{Type: "choices", Value: raw(`{"choices":["b"]}`)},
		{ID: "x", Type: "rating", ParentID: "x", Value: raw(`{"rating":1}`)},
		{Type: "relation", FromID: "x", ToID: "gone"},
		{Type: "relation", FromID: "x", ToID: "x"},
		{Type: "relation"},
	}
	ors := lsresult.Group(odd)
	if len(ors.All) != 3 || ors.All[0] == ors.All[1] || ors.All[0].ID != "" {
		t.Errorf("results without ids: %d regions", len(ors.All))
	}
	x := ors.ByID("x")
	if x.Parent != nil || len(x.Links) != 2 || ors.Links[0].To != nil || ors.Links[2].From != nil {
		t.Errorf("odd relations: parent %v, %d relations", x.Parent, len(x.Links))
	}
	if empty := lsresult.Group(nil); len(empty.All) != 0 || len(empty.Links) != 0 {
		t.Errorf("regions of nothing")
	}
}
