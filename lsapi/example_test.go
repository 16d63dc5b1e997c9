package lsapi_test

import (
	"context"
	"fmt"
	"log"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsapi"
)

func ExampleDedupeKey() {
	// Two deliveries of one update (to a project hook and an organization
	// hook), and a later update of the same annotation.
	first := []byte(`{"action":"ANNOTATION_UPDATED","annotation":{"id":2,"task":1,"result":[],"completed_by":1,"was_cancelled":false,"ground_truth":false,"created_at":"2026-11-24T05:25:14.850879Z","updated_at":"2026-11-24T05:25:14.983951Z","lead_time":null,"prediction":{},"result_count":0}}`)
	later := []byte(`{"action":"ANNOTATION_UPDATED","annotation":{"id":2,"task":1,"result":[],"completed_by":1,"was_cancelled":false,"ground_truth":false,"created_at":"2026-11-24T05:25:14.850879Z","updated_at":"2026-11-24T05:25:15.065259Z","lead_time":null,"prediction":{},"result_count":0}}`)
	a, _ := lswebhook.Decode(first)
	b, _ := lswebhook.Decode(first)
	c, _ := lswebhook.Decode(later)
	fmt.Println(lsapi.DedupeKey(a))
	fmt.Println(lsapi.DedupeKey(a) == lsapi.DedupeKey(b))
	fmt.Println(lsapi.DedupeKey(c))
	// Output:
	// ANNOTATION_UPDATED|a2@2026-11-24T05:25:14.983951Z
	// true
	// ANNOTATION_UPDATED|a2@2026-11-24T05:25:15.065259Z
}

func ExampleFromDelivery() {
	// An annotation that completes its task (1 annotation, overlap 1).
	body := []byte(`{"action":"ANNOTATION_CREATED",
	 "annotation":{"id":7,"task":3,"result":[],"completed_by":1,"was_cancelled":false,"ground_truth":false,"created_at":"2026-11-24T05:25:14.850879Z","updated_at":"2026-11-24T05:25:14.850905Z","lead_time":null,"prediction":{},"result_count":0},
	 "task":{"id":3,"data":{"text":"x"},"meta":{},"project":1,"created_at":"2026-11-24T05:25:14Z","updated_at":"2026-11-24T05:25:15Z","is_labeled":true,"overlap":1,"file_upload":null,"total_annotations":1,"cancelled_annotations":0}}`)
	ev, err := lswebhook.Decode(body)
	if err != nil {
		log.Fatal(err)
	}
	for _, ch := range lsapi.FromDelivery(ev) {
		fmt.Println(ch.Action, ch.Key)
	}
	// Output:
	// ANNOTATION_CREATED ANNOTATION_CREATED|a7@2026-11-24T05:25:14.850879Z
	// TASK_COMPLETED TASK_COMPLETED|t3|a7
}

func ExampleProvisioner() {
	c, err := lsapi.New("http://127.0.0.1:8080", lsapi.TokenAuth("<token>"))
	if err != nil {
		log.Fatal(err)
	}
	p := &lsapi.Provisioner{Client: c, Projects: []int64{1}, Hook: lsapi.Hook{
		URL:         "http://receiver.internal:9090/hook",
		SendPayload: true,
		Headers:     map[string]string{"Authorization": "Bearer <shared secret>"},
	}}
	changes, err := p.Ensure(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, ch := range changes {
		fmt.Println(ch) // project 1: webhook 4 re-enabled (is_active, actions)
	}
}

func ExampleReconciler() {
	c, err := lsapi.New("http://127.0.0.1:8080", lsapi.TokenAuth("<token>"))
	if err != nil {
		log.Fatal(err)
	}
	w, err := lsapi.LoadWatermark("catchup.json", lswebhook.Time{}.Time)
	if err != nil {
		log.Fatal(err)
	}
	r := &lsapi.Reconciler{
		Client: c,
		Emit: func(ctx context.Context, changes []lsapi.Change) error {
			for _, ch := range changes {
				// Hand each change to the receiver's inbox, which drops
				// keys it has seen (a change both delivered and rebuilt).
				fmt.Println(ch.Key, ch.Reconstructed)
			}
			return nil
		},
		Save: func(ctx context.Context, w *lsapi.Watermark) error {
			return lsapi.SaveWatermark("catchup.json", w)
		},
	}
	if _, err := r.Run(context.Background(), w); err != nil {
		log.Fatal(err)
	}
}
