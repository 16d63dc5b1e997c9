// Package lsapi talks to a Label Studio server's REST API so that a webhook
// receiver built on package lswebhook loses nothing while it was down.
//
// Label Studio posts each webhook once, waits a second and never retries,
// and some changes (editing a task's data, "this task is done") produce no
// webhook at all. This package provides:
//
//   - [Client], a small typed REST client for projects, tasks, annotations
//     and webhooks, with legacy tokens and the personal access tokens of
//     Label Studio 1.17 and later, timeouts, retries with backoff and typed
//     errors ([*Error]);
//   - [Provisioner], which makes a project's webhook match what the receiver
//     needs, and switches a disabled hook back on with its actions;
//   - [Reconciler], which lists what changed since a stored [Watermark] and
//     hands the events the receiver would have received to a callback, as
//     [Change] values marked as reconstructed;
//   - [DedupeKey], the key that makes a change seen twice (delivered to two
//     hooks, or delivered and reconstructed) be handled once;
//   - derived events the server never sends: [TaskCompleted],
//     [ProjectCompleted] and [TaskUpdated] (see [FromDelivery] and
//     [Reconciler]).
//
// The package uses the standard library only.
package lsapi
