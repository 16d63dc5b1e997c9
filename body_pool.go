package lswebhook

import "sync"

// maxPooledBody is the largest body buffer the [Handler] keeps for later
// deliveries. Most deliveries are a few KiB; a rare bulk body (a
// TASKS_CREATED of thousands of tasks) is read into memory of its own and
// left to the collector, so that the pool does not hold megabytes.
const maxPooledBody = 64 << 10

// bodyPool holds *[]byte body buffers for the Handler.
var bodyPool = sync.Pool{New: func() any { return new([]byte) }}

// getBodyBuffer returns a buffer to read a body into (its length does not
// matter).
func getBodyBuffer() *[]byte { return bodyPool.Get().(*[]byte) }

// putBodyBuffer returns buf to the pool unless it grew beyond
// maxPooledBody. The caller must hold nothing that shares its memory.
func putBodyBuffer(buf *[]byte) {
	if cap(*buf) > maxPooledBody {
		*buf = nil
	}
	*buf = (*buf)[:0]
	bodyPool.Put(buf)
}
