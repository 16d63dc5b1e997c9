package lswebhook

import (
	"context"
	"fmt"
	"reflect"
	"sync"
)

// A Mux calls the function registered for an event's Go type, so that
// receivers need not write the type switch. Register functions with [On]
// and pass the Mux's Dispatch method to [NewHandler]:
//
//	mux := lswebhook.NewMux()
//	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationCreated) error {
//		return train(ctx, ev.Project, ev.Annotation)
//	})
//	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error {
//		return index(ctx, ev.Tasks)
//	})
//	handler := lswebhook.NewHandler(mux.Dispatch)
//
// Events with no registered function go to the function set with
// [Mux.Default]; without one, Dispatch returns nil, so the [Handler]
// answers 200 and Label Studio counts the delivery as a success. A webhook
// sends every action unless its "send for all actions" option is off, and
// answering them all with 2xx keeps Label Studio from switching the webhook
// off. Register for [*UnknownEvent] to see actions this version of the
// library does not know.
//
// The zero Mux is ready to use. A Mux is safe for concurrent use: functions
// may be registered while deliveries are dispatched, though a delivery
// dispatched at the same moment may not see the new function yet.
type Mux struct {
	mu       sync.RWMutex
	funcs    map[reflect.Type]func(context.Context, Event) error
	fallback func(context.Context, Event) error
}

// NewMux returns an empty [Mux].
func NewMux() *Mux { return new(Mux) }

// On registers fn as m's function for events of type T, one of the event
// types of this package such as [*AnnotationCreated] or [*UnknownEvent].
// Payloads in a documentation spelling reach the function of the action
// they stand for: TASK_CREATED goes to the [*TasksCreated] function.
//
// On panics if fn is nil, if T is an interface type (use [Mux.Default] for
// a function that sees every other event), or if T already has a function.
func On[T Event](m *Mux, fn func(ctx context.Context, ev T) error) {
	t := reflect.TypeOf((*T)(nil)).Elem()
	if t.Kind() == reflect.Interface {
		panic(fmt.Sprintf("lswebhook: On: %v is an interface; register a concrete type such as *lswebhook.AnnotationCreated, or use Mux.Default", t))
	}
	if fn == nil {
		panic(fmt.Sprintf("lswebhook: On: nil function for %v", t))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.funcs[t]; dup {
		panic(fmt.Sprintf("lswebhook: On: %v already has a function", t))
	}
	if m.funcs == nil {
		m.funcs = make(map[reflect.Type]func(context.Context, Event) error)
	}
	m.funcs[t] = func(ctx context.Context, ev Event) error { return fn(ctx, ev.(T)) }
}

// Default sets the function for events whose type has no function
// registered with [On]. A nil fn restores the default default: ignore the
// event and return nil.
func (m *Mux) Default(fn func(ctx context.Context, ev Event) error) {
	m.mu.Lock()
	m.fallback = fn
	m.mu.Unlock()
}

// Dispatch calls the function registered for ev's type, or the [Mux.Default]
// function, and returns its error. With neither it returns nil. Its
// signature fits [NewHandler].
func (m *Mux) Dispatch(ctx context.Context, ev Event) error {
	m.mu.RLock()
	fn := m.funcs[reflect.TypeOf(ev)]
	if fn == nil {
		fn = m.fallback
	}
	m.mu.RUnlock()
	if fn == nil {
		return nil
	}
	return fn(ctx, ev)
}
