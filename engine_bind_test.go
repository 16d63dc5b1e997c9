package lswebhook

import (
	"reflect"
	"testing"
)

// TestBinderTypedMaps requires every map type in the event types to be
// filled by the binder's typed code (see newBinder): a map field of a new
// element type would otherwise go through reflect, several times slower,
// without any test noticing.
func TestBinderTypedMaps(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var maps []reflect.Type
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		if seen[ty] {
			return
		}
		seen[ty] = true
		switch ty.Kind() {
		case reflect.Pointer, reflect.Slice:
			walk(ty.Elem())
		case reflect.Map:
			maps = append(maps, ty)
			walk(ty.Elem())
		case reflect.Struct:
			for i := range ty.NumField() {
				walk(ty.Field(i).Type)
			}
		}
	}
	for _, ty := range eventTypes() {
		walk(ty)
	}
	if len(maps) < 3 {
		t.Fatalf("found only %v in the event types", maps)
	}
	for _, ty := range maps {
		if !binder().TypedMap(ty) {
			t.Errorf("%v is filled by reflect: add bind.Map for its element type in newBinder", ty)
		}
	}
}
