package lswebhook_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// TestMux covers registration and dispatch.
func TestMux(t *testing.T) {
	ctx := context.Background()
	var mux lswebhook.Mux // the zero Mux is usable
	if err := mux.Dispatch(ctx, &lswebhook.TasksCreated{}); err != nil {
		t.Errorf("no function, no default: %v", err)
	}
	var tasks int
	lswebhook.On(&mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error { tasks += len(ev.Tasks); return nil })
	errBoom := errors.New("boom")
	lswebhook.On(&mux, func(ctx context.Context, ev *lswebhook.TasksDeleted) error { return errBoom })

	ev, err := lswebhook.Decode([]byte(`{"action":"TASK_CREATED","tasks":[]}`)) // documentation spelling
	if err != nil {
		t.Fatal(err)
	}
	if err := mux.Dispatch(ctx, ev); err != nil || tasks != 0 {
		t.Errorf("alias: err %v", err)
	}
	if err := mux.Dispatch(ctx, &lswebhook.TasksCreated{Tasks: make([]lswebhook.Task, 3)}); err != nil || tasks != 3 {
		t.Errorf("err %v tasks %d", err, tasks)
	}
	if err := mux.Dispatch(ctx, &lswebhook.TasksDeleted{}); !errors.Is(err, errBoom) {
		t.Errorf("error not returned: %v", err)
	}
	var other []lswebhook.Action
	mux.Default(func(ctx context.Context, ev lswebhook.Event) error { other = append(other, ev.Action()); return nil })
	mux.Dispatch(ctx, &lswebhook.StartTraining{})
	mux.Dispatch(ctx, &lswebhook.UnknownEvent{Name: "NEW"})
	if !reflect.DeepEqual(other, []lswebhook.Action{"START_TRAINING", "NEW"}) {
		t.Errorf("default saw %v", other)
	}
	mux.Default(nil)
	if err := mux.Dispatch(ctx, &lswebhook.StartTraining{}); err != nil || len(other) != 2 {
		t.Errorf("default not removed")
	}

	htPanics(t, "duplicate", func() {
		lswebhook.On(&mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error { return nil })
	})
	htPanics(t, "interface", func() {
		lswebhook.On(&mux, func(ctx context.Context, ev lswebhook.Event) error { return nil })
	})
	htPanics(t, "nil function", func() {
		lswebhook.On[*lswebhook.StartTraining](&mux, nil)
	})
}

// Mux.Default sees the events no function is registered for.
func ExampleMux_Default() {
	mux := lswebhook.NewMux()
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error {
		fmt.Println("tasks:", len(ev.Tasks))
		return nil
	})
	mux.Default(func(ctx context.Context, ev lswebhook.Event) error {
		fmt.Println("not handled:", ev.Action())
		return nil
	})
	for _, body := range []string{
		`{"action": "TASKS_CREATED", "tasks": []}`,
		`{"action": "TASK_CREATED", "tasks": []}`, // the documentation's spelling
		`{"action": "PROJECT_DELETED", "project": {"id": 3}}`,
		`{"action": "SOMETHING_NEW"}`,
	} {
		ev, err := lswebhook.Decode([]byte(body))
		if err != nil {
			fmt.Println(err)
			continue
		}
		_ = mux.Dispatch(context.Background(), ev)
	}
	// Output:
	// tasks: 0
	// tasks: 0
	// not handled: PROJECT_DELETED
	// not handled: SOMETHING_NEW
}
