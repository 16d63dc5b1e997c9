package lsapi

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Watermark is what [Reconciler] remembers between runs: the time from
// which changes are reported, what the last complete pass saw of each
// project (to find deleted ids and changed task data, which the server
// records nowhere), and the position of an unfinished pass. Store it after
// each page ([Reconciler.Save]); the JSON encoding is stable.
//
// Its size grows with the projects, not with a page: about 40 bytes of JSON
// per task and 20 per annotation.
type Watermark struct {
	// Since is the time after which changes are reported; the zero time
	// reports everything on the first pass.
	Since time.Time `json:"since"`
	// PassStart is the server's clock when the unfinished pass began; zero
	// between passes.
	PassStart time.Time `json:"pass_start,omitzero"`
	// Project and AfterTask locate an unfinished pass: projects below
	// Project are done, and Project's tasks up to AfterTask are done.
	Project   int64 `json:"project,omitempty"`
	AfterTask int64 `json:"after_task,omitempty"`
	// Projects holds, per project id, what the last complete pass saw.
	Projects map[int64]*ProjectState `json:"projects,omitempty"`
	// Pending is what the unfinished pass has seen of Project so far.
	Pending *ProjectState `json:"pending,omitempty"`
}

// ProjectState is what one pass saw of a project.
type ProjectState struct {
	// Tasks, in ascending id order.
	Tasks []TaskState `json:"tasks"`
	// Annotations, in ascending id order once the pass over the project
	// is done.
	Annotations []AnnotationState `json:"annotations"`
	// Complete is true when every task was labeled.
	Complete bool `json:"complete,omitempty"`
	// LastCompletion is the latest task completion seen in the pass: the
	// completing annotation's creation time and the task id.
	LastCompletion     time.Time `json:"last_completion,omitzero"`
	LastCompletionTask int64     `json:"last_completion_task,omitempty"`
	// DeletedTasks are the ids found deleted so far in an unfinished pass.
	DeletedTasks []int64 `json:"deleted_tasks,omitempty"`
	// Count is the number of tasks seen; Labeled of them labeled.
	Count   int64 `json:"count"`
	Labeled int64 `json:"labeled"`
}

// TaskState is one task as a pass saw it: its id, a 64-bit FNV-1a hash of
// its data, and whether it was labeled.
type TaskState struct {
	ID      int64  `json:"i"`
	Data    uint64 `json:"d"`
	Labeled bool   `json:"l,omitempty"`
}

// AnnotationState is one annotation as a pass saw it.
type AnnotationState struct {
	ID   int64 `json:"i"`
	Task int64 `json:"t"`
}

// LoadWatermark reads a watermark written by [SaveWatermark]. A missing file
// gives a watermark with Since set to since, and no error.
func LoadWatermark(path string, since time.Time) (*Watermark, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return &Watermark{Since: since}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lsapi: watermark: %w", err)
	}
	var w Watermark
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("lsapi: watermark %s: %w", path, err)
	}
	return &w, nil
}

// SaveWatermark writes w to path atomically (a temporary file beside it,
// synced, then renamed), so a crash leaves the old or the new watermark.
func SaveWatermark(path string, w *Watermark) error {
	b, err := json.Marshal(w)
	if err != nil {
		return fmt.Errorf("lsapi: watermark: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("lsapi: watermark: %w", err)
	}
	_, werr := f.Write(b)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), path)
	}
	if werr != nil {
		os.Remove(f.Name())
		return fmt.Errorf("lsapi: watermark: %w", werr)
	}
	return nil
}
