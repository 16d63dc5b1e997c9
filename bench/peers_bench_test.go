package bench

import "testing"

// BenchmarkPeers decodes each payload class with each implementation, side
// by side in one run (see the package documentation). Sub-benchmarks are
// named class=<payload>/impl=<implementation>, for benchstat's -row /class
// -col /impl.
func BenchmarkPeers(b *testing.B) {
	for _, p := range payloadsFor(b) {
		shadow := shadowOfClass(b, p)
		for _, impl := range peers() {
			b.Run("class="+p.name+"/impl="+impl.name, func(b *testing.B) {
				decode := impl.decoder(shadow)
				wantErr := !p.valid && impl.typed
				b.SetBytes(int64(len(p.data)))
				b.ReportAllocs()
				cpu := processCPU()
				for b.Loop() {
					if err := decode(p.data); (err != nil) != wantErr {
						b.Fatalf("error %v, want an error: %t", err, wantErr)
					}
				}
				if cpu != 0 {
					b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
				}
			})
		}
	}
}
